import type { RankedRootCause } from '../rca-case';

/**
 * How well root-cause rankings find the labelled root, as the RCAEval benchmark reports it
 * (docs/ARCHITECTURE.md, "How quality is measured"), at service level:
 *
 * - AC@k: the share of cases whose labelled root service is among the first k services ranked;
 * - Avg@5: the mean of AC@1 .. AC@5, which rewards a root at rank 2 more than one at rank 5.
 *
 * A ranking may name a service more than once (e.g. one entry per metric, as BARO's raw output
 * does); only a service's first appearance counts, so the figures are about distinct services.
 */

export const MAX_K = 5;

/** One ranked case: the labelled truth and the services in ranked order. */
export interface RankedCaseOutcome {
  faultType: string;
  rootService: string;
  /** Service names, best first. */
  ranking: readonly string[];
}

export interface RankingMetrics {
  cases: number;
  /** acAtK[k - 1] = AC@k for k = 1 .. 5. */
  acAtK: number[];
  ac1: number;
  ac3: number;
  avg5: number;
  /** Mean 1-based rank of the root; a root not ranked at all counts as rank (candidates + 1). */
  meanRank: number;
}

/** Distinct services in ranked order (first appearance wins). */
export function rankedServices(ranking: readonly RankedRootCause[]): string[] {
  return distinct(ranking.map((r) => r.service));
}

/** 1-based rank of the root among the distinct services, or undefined when it is not ranked. */
export function rankOfRoot(ranking: readonly string[], rootService: string): number | undefined {
  const index = distinct(ranking).indexOf(rootService);
  return index < 0 ? undefined : index + 1;
}

/** AC@1 .. AC@5, Avg@5 and the mean rank over the given cases; all zero for no cases. */
export function evaluateRankings(outcomes: readonly RankedCaseOutcome[]): RankingMetrics {
  const hits = new Array<number>(MAX_K).fill(0);
  let rankSum = 0;
  for (const outcome of outcomes) {
    const rank = rankOfRoot(outcome.ranking, outcome.rootService);
    rankSum += rank ?? distinct(outcome.ranking).length + 1;
    for (let k = 1; k <= MAX_K; k++) if (rank !== undefined && rank <= k) hits[k - 1]++;
  }
  const n = outcomes.length;
  const acAtK = hits.map((h) => (n === 0 ? 0 : h / n));
  return fromAccuracies(n, acAtK, n === 0 ? 0 : rankSum / n);
}

/** The same figures per fault type, in order of first appearance. */
export function evaluateRankingsByFaultType(
  outcomes: readonly RankedCaseOutcome[],
): Map<string, RankingMetrics> {
  const byType = new Map<string, RankedCaseOutcome[]>();
  for (const outcome of outcomes) {
    const list = byType.get(outcome.faultType) ?? [];
    list.push(outcome);
    byType.set(outcome.faultType, list);
  }
  return new Map([...byType].map(([type, list]) => [type, evaluateRankings(list)]));
}

/**
 * What a uniformly random ranking reaches in expectation, given the number of candidate services
 * of each case: AC@k = mean of min(k, n) / n (RCAEval's chance accuracy). A floor every method
 * must clear, free of the luck of one random seed.
 */
export function chanceRankingMetrics(candidateCounts: readonly number[]): RankingMetrics {
  const n = candidateCounts.length;
  const acAtK = Array.from({ length: MAX_K }, (_, i) =>
    n === 0 ? 0 : candidateCounts.reduce((s, c) => s + (c > 0 ? Math.min(i + 1, c) / c : 0), 0) / n,
  );
  const meanRank = n === 0 ? 0 : candidateCounts.reduce((s, c) => s + (c + 1) / 2, 0) / n;
  return fromAccuracies(n, acAtK, meanRank);
}

function fromAccuracies(cases: number, acAtK: number[], meanRank: number): RankingMetrics {
  const avg5 = acAtK.reduce((s, a) => s + a, 0) / MAX_K;
  return { cases, acAtK, ac1: acAtK[0], ac3: acAtK[2], avg5, meanRank };
}

function distinct(items: readonly string[]): string[] {
  return [...new Set(items)];
}
