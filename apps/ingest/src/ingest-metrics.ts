import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '@vigil/telemetry';

export const alertsAccepted = new Counter({
  name: 'vigil_ingest_alerts_accepted_total',
  help: 'Alerts received over HTTP and acknowledged by Kafka, by source (alertmanager, generic)',
  labelNames: ['source'] as const,
  registers: [metricsRegistry],
});

export const requestsRejected = new Counter({
  name: 'vigil_ingest_requests_rejected_total',
  help: 'Alert requests refused, by reason (unauthorized, malformed-json, overloaded, ...)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export const alertsInFlight = new Gauge({
  name: 'vigil_ingest_alerts_in_flight',
  help: 'Alerts received and not yet acknowledged by Kafka (bounded by INGEST_MAX_IN_FLIGHT)',
  registers: [metricsRegistry],
});
