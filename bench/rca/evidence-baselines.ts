import type { AlertEvidence, LogEvidence, RankedRootCause, RootCauseRanker } from '@vigil/rca';

/**
 * Baselines fed the same alerts and logs as Vigil (issue 14: a baseline that only reads metrics
 * is a straw man when the method it is compared with reads alerts and logs too).
 *
 * `withAlertsAndLogs(base)` keeps the base ranker's metric scores and adds an evidence score, each
 * put on the same 0-1 scale within the case by dividing by the case's highest:
 *
 * - metric part: the base's score, negatives as 0, over the case's highest;
 * - evidence part: how many distinct alert names and distinct log templates (error bursts and
 *   never-seen templates alike) a service has, starting from {@link LOOKBACK_MS} before the
 *   detection time on, over the case's highest count;
 * - a service scores the larger of the two, so a service with the most alerts and logs stands
 *   level with the one whose metrics moved most; ties go to the larger sum, then the name.
 *
 * Counting rather than weighing keeps the baseline plain (no threshold was fitted on any case):
 * it is what "look at the most anomalous service, alerts and logs included" gives.
 */

/** Evidence that began this long before the detection time still counts: 60 s late plus `for:`. */
export const LOOKBACK_MS = 2 * 60_000;

export function withAlertsAndLogs(base: RootCauseRanker): RootCauseRanker {
  return (input) => {
    const from = input.anomalyStart - LOOKBACK_MS;
    const to = input.end ?? Number.POSITIVE_INFINITY;
    const within = (at: number) => at >= from && at <= to;
    const alerts = (input.alerts ?? []).filter((a) => within(a.startsAt));
    const logs = (input.logs ?? []).filter((l) => within(l.onset));
    const ranked = firstOfEach(base(input));
    const count = (service: string) =>
      new Set(alerts.filter((a) => a.service === service).map((a) => a.alertname)).size +
      new Set(logs.filter((l) => l.service === service).map((l) => l.templateId)).size;
    const metric = ranked.map((r) => Math.max(0, r.score));
    const evidence = ranked.map((r) => count(r.service));
    const scaled = (values: number[], i: number) => {
      const top = Math.max(...values);
      return top > 0 ? values[i] / top : 0;
    };
    return ranked
      .map((r, i) => {
        const m = scaled(metric, i);
        const e = scaled(evidence, i);
        return { cause: withEvidence(r, alerts, logs, Math.max(m, e)), sum: m + e };
      })
      .sort(
        (a, b) =>
          b.cause.score - a.cause.score ||
          b.sum - a.sum ||
          a.cause.service.localeCompare(b.cause.service),
      )
      .map((x) => x.cause);
  };
}

/** A ranking may name a service more than once; its first (best) entry stands for it. */
function firstOfEach(ranking: readonly RankedRootCause[]): RankedRootCause[] {
  const seen = new Set<string>();
  return ranking.filter((r) => !seen.has(r.service) && seen.add(r.service));
}

function withEvidence(
  cause: RankedRootCause,
  alerts: readonly AlertEvidence[],
  logs: readonly LogEvidence[],
  score: number,
): RankedRootCause {
  return {
    ...cause,
    score,
    evidence: {
      ...cause.evidence,
      alerts: alerts.filter((a) => a.service === cause.service),
      logs: logs.filter((l) => l.service === cause.service),
    },
  };
}
