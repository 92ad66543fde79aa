import {
  ingestCounters,
  IngestTraffic,
  minuteRanges,
  summariseIngestTraffic,
} from './ingest-traffic';

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

describe('a soak summary of ingest traffic', () => {
  it('adds up what was taken and refused, and names the minutes with refusals', () => {
    const minute = (n: number, accepted: number, rejected: Record<string, number>, held = 0) => ({
      minute: n,
      ingest: { maxInFlight: held, accepted: { generic: accepted }, rejected },
    });
    const summary = summariseIngestTraffic([
      { minute: 0 },
      minute(1, 1000, {}),
      minute(2, 10, { 'kafka-stalled': 5 }, 900),
      minute(3, 0, { 'kafka-stalled': 7, 'kafka-unavailable': 2 }, 40),
      minute(4, 990, {}),
      minute(6, 1000, { overloaded: 1 }),
    ]);
    expect(summary).toEqual({
      accepted: 3000,
      rejected: { 'kafka-stalled': 12, 'kafka-unavailable': 2, overloaded: 1 },
      refusingMinutes: [2, 3, 6],
      maxInFlight: 900,
    });
    expect(minuteRanges(summary?.refusingMinutes ?? [])).toBe('2-3, 6');
  });

  it('has nothing to say of a run that did not record ingest', () => {
    expect(summariseIngestTraffic([{ minute: 0 }, { minute: 1 }])).toBeUndefined();
  });
});
