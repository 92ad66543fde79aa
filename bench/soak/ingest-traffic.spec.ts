import { ingestCounters, IngestTraffic } from './ingest-traffic';

const text = (inFlight: number, generic: number, overloaded: number) =>
  [
    '# HELP vigil_ingest_alerts_in_flight Alerts received and not yet acknowledged by Kafka',
    `vigil_ingest_alerts_in_flight ${inFlight}`,
    `vigil_ingest_alerts_accepted_total{source="generic"} ${generic}`,
    'vigil_ingest_alerts_accepted_total{source="alertmanager"} 4',
    `vigil_ingest_requests_rejected_total{reason="overloaded"} ${overloaded}`,
    'vigil_ingest_alerts_in_flight_other 99',
  ].join('\n');

describe('ingest traffic of a soak', () => {
  it('reads the in-flight gauge and the counters by label', () => {
    expect(ingestCounters(text(12, 300, 2))).toEqual({
      inFlight: 12,
      accepted: { generic: 300, alertmanager: 4 },
      rejected: { overloaded: 2 },
    });
  });

  it('gives each minute what the counters rose by and the most alerts held at any poll', () => {
    const traffic = new IngestTraffic();
    traffic.poll(ingestCounters(text(0, 100, 0)));
    traffic.poll(ingestCounters(text(40, 700, 0)));
    traffic.poll(ingestCounters(text(5, 1300, 3)));
    expect(traffic.minute()).toEqual({
      maxInFlight: 40,
      accepted: { generic: 1200 },
      rejected: { overloaded: 3 },
    });
    traffic.poll(ingestCounters(text(0, 1400, 3)));
    expect(traffic.minute()).toEqual({ maxInFlight: 5, accepted: { generic: 100 }, rejected: {} });
  });

  it('says nothing was seen when ingest never answered', () => {
    expect(new IngestTraffic().minute()).toEqual({ maxInFlight: 0, accepted: {}, rejected: {} });
  });
});
