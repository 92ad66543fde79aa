import { alertFingerprint } from '@vigil/correlation';
import type { Alert, AlertSeverity, TopologyGraph } from '@vigil/contracts';

/** One kind of trouble: the alerts it fires every round, on services of one tenant. */
interface Trouble {
  alertname: string;
  service: string;
  severity: AlertSeverity;
  summary: string;
  instances: number;
}

/** A database failing under its callers; a full disk and an expiring certificate beside it. */
const databaseOutage: Trouble[] = [
  {
    alertname: 'PostgresConnectionsExhausted',
    service: 'orders-db',
    severity: 'critical',
    summary: 'too many connections on orders-db',
    instances: 2,
  },
  {
    alertname: 'HighErrorRate',
    service: 'orders',
    severity: 'error',
    summary: '5xx ratio above 10% on orders',
    instances: 2,
  },
  {
    alertname: 'SlowResponses',
    service: 'web',
    severity: 'warning',
    summary: 'p99 latency above 2s on web',
    instances: 1,
  },
  {
    alertname: 'NodeFilesystemAlmostOutOfSpace',
    service: 'search',
    severity: 'warning',
    summary: 'filesystem /var on search-1 is 95% full',
    instances: 1,
  },
];
/** Slow payments under a slow cache, and a certificate about to expire on the mailer. */
const cacheSlowdown: Trouble[] = [
  {
    alertname: 'CacheLatencyHigh',
    service: 'cache',
    severity: 'critical',
    summary: 'cache get latency above 500ms',
    instances: 2,
  },
  {
    alertname: 'SlowResponses',
    service: 'payments',
    severity: 'warning',
    summary: 'p99 latency above 2s on payments',
    instances: 2,
  },
  {
    alertname: 'CertificateExpiringSoon',
    service: 'mailer',
    severity: 'warning',
    summary: 'TLS certificate for smtp expires in 3 days',
    instances: 1,
  },
];

/**
 * An alert storm over many tenants (the correlation scope, so their alerts spread over the
 * correlator's partitions), each with services of its own named for the run: every round re-sends
 * every firing alert, as Alertmanager does, with times that only go forward.
 */
export function scaleOutStorm(runId: string, tenants = 12, rounds = 8) {
  const svc = (tenant: number, name: string) => `c${runId}-t${tenant}-${name}`;
  const services: string[] = [];
  const edges: TopologyGraph['edges'] = [];
  for (let t = 0; t < tenants; t++) {
    services.push(
      ...['web', 'orders', 'orders-db', 'search', 'cache', 'payments', 'mailer'].map((s) =>
        svc(t, s),
      ),
    );
    edges.push(
      { from: svc(t, 'web'), to: svc(t, 'orders'), type: 'CALLS' },
      { from: svc(t, 'orders'), to: svc(t, 'orders-db'), type: 'DEPENDS_ON' },
      { from: svc(t, 'payments'), to: svc(t, 'cache'), type: 'CALLS' },
    );
  }
  const t0 = Date.parse('2026-11-27T09:00:00Z');
  const storm: Alert[][] = [];
  let tick = 0;
  for (let round = 0; round < rounds; round++) {
    const alerts: Alert[] = [];
    for (let t = 0; t < tenants; t++) {
      for (const trouble of t % 2 === 0 ? databaseOutage : cacheSlowdown) {
        for (let i = 0; i < trouble.instances; i++) {
          const service = svc(t, trouble.service);
          const labels = {
            alertname: trouble.alertname,
            service,
            instance: `${trouble.service}-${i}`,
            tenant: `t${t}-${runId}`,
            severity: trouble.severity,
          };
          const at = new Date(t0 + round * 30_000 + tick++).toISOString();
          alerts.push({
            schemaVersion: 1,
            fingerprint: alertFingerprint(labels),
            source: 'integration-test',
            status: 'firing',
            alertname: trouble.alertname,
            severity: trouble.severity,
            service,
            summary: trouble.summary,
            labels,
            annotations: { summary: trouble.summary },
            startsAt: at,
            receivedAt: at,
          });
        }
      }
    }
    storm.push(alerts);
  }
  return { topology: { services, edges } as TopologyGraph, rounds: storm };
}
