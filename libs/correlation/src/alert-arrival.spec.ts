import { ARRIVAL_CLOCK_SKEW_MS, clampArrival } from './alert-arrival';
import { correlationConfig } from './correlation-config';
import { IncidentCorrelator } from './incident-correlator';
import { ServiceGraph } from './service-graph';
import { firingAlert, unitVector } from './testing/alert-fixtures';

const now = Date.parse('2026-12-07T12:00:00Z');

describe("an alert's arrival as the correlator reads it", () => {
  it('keeps an alert stamped now, a little ahead, or in the past as it is', () => {
    for (const at of [now, now + ARRIVAL_CLOCK_SKEW_MS, now - 86_400_000]) {
      const alert = firingAlert({ alertname: 'A', service: 's' }, new Date(at).toISOString());
      expect(clampArrival(alert, now)).toEqual({ alert });
    }
  });

  it('brings an alert stamped far ahead back to the clock, saying when it claimed to arrive', () => {
    const alert = firingAlert({ alertname: 'A', service: 's' }, '2099-01-01T00:00:00.000Z');
    const { alert: clamped, clampedFrom } = clampArrival(alert, now);
    expect(clamped.receivedAt).toBe(new Date(now).toISOString());
    expect(clampedFrom).toBe('2099-01-01T00:00:00.000Z');
  });

  it('leaves a live incident open when an alert from 2099 comes in', () => {
    const graph = new ServiceGraph({ services: ['checkout', 'ads'], edges: [] }, 2);
    const correlator = new IncidentCorrelator(correlationConfig({}), graph, {
      symptoms: [unitVector(4, 0)],
      localConditions: [unitVector(4, 1)],
    });
    // seen a while ago and still firing: its resolve deadline is minutes ahead of now
    const live = firingAlert(
      { alertname: 'HighErrorRate', service: 'checkout' },
      new Date(now - 60_000).toISOString(),
    );
    correlator.process(live, unitVector(4, 0));
    const future = firingAlert(
      { alertname: 'DiskFull', service: 'ads' },
      '2099-01-01T00:00:00.000Z',
    );
    const { events } = correlator.process(clampArrival(future, now).alert, unitVector(4, 1));
    // the processor expires at the correlator's own clock: what moved it moves every deadline
    const expired = correlator.expire(correlator.time());
    expect([...events, ...expired].filter((e) => e.type === 'resolved')).toEqual([]);
    expect(correlator.time()).toBe(now);
  });
});
