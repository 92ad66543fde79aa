import type { RcaCase, RootCauseRanker } from '@vigil/rca';
import { LOOKBACK_MS, withAlertsAndLogs } from './evidence-baselines';

const START = 1_700_000_000_000;

function makeCase(extra: Partial<RcaCase> = {}): RcaCase {
  return {
    topology: { services: ['frontend', 'cart', 'redis'], edges: [] },
    series: [],
    anomalyStart: START,
    ...extra,
  };
}

/** A metric-only ranker with fixed scores: frontend moved most, redis not at all. */
const metricsOnly: RootCauseRanker = () =>
  (
    [
      ['frontend', 40],
      ['cart', 10],
      ['cart', 5],
      ['redis', -3],
    ] as const
  ).map(([service, score]) => ({
    service,
    score,
    evidence: { metrics: [], logs: [], alerts: [] },
    path: [service],
  }));

const alert = (service: string, alertname: string, startsAt = START) => ({
  service,
  alertname,
  fingerprint: `${alertname}/${service}`,
  startsAt,
});

const log = (service: string, templateId: string, onset = START) => ({
  service,
  templateId,
  template: 'x',
  pattern: 'error-burst' as const,
  score: 3,
  onset,
});

const order = (input: RcaCase) => withAlertsAndLogs(metricsOnly)(input).map((r) => r.service);

describe('withAlertsAndLogs', () => {
  it('ranks as the base ranker does when there are no alerts or logs', () => {
    expect(order(makeCase())).toEqual(['frontend', 'cart', 'redis']);
  });

  it('lifts the service with the most alerts and logs level with the top metric score', () => {
    const ranked = withAlertsAndLogs(metricsOnly)(
      makeCase({
        alerts: [alert('redis', 'TargetDown'), alert('cart', 'HighErrorRate')],
        logs: [log('redis', 'redis:1'), log('frontend', 'frontend:1')],
      }),
    );
    // redis: 2 pieces of evidence (the most) -> 1; frontend: metrics 1, evidence 0.5 -> 1 too,
    // and the larger sum wins the tie
    expect(ranked.map((r) => [r.service, r.score])).toEqual([
      ['frontend', 1],
      ['redis', 1],
      ['cart', 0.5],
    ]);
    expect(ranked[1].evidence.alerts.map((a) => a.alertname)).toEqual(['TargetDown']);
  });

  it('counts distinct alert names and templates, and nothing from before the lookback or after the end', () => {
    const ranked = order(
      makeCase({
        alerts: [
          alert('redis', 'TargetDown', START - LOOKBACK_MS - 1),
          alert('redis', 'KubePodNotReady', START + 10 * 60_000),
          alert('cart', 'HighErrorRate', START - LOOKBACK_MS),
        ],
        logs: [log('cart', 'cart:1'), log('cart', 'cart:1', START + 1000)],
        end: START + 5 * 60_000,
      }),
    );
    // cart: one alert and one template -> the most evidence; redis has none in the window
    expect(ranked).toEqual(['cart', 'frontend', 'redis']);
  });
});
