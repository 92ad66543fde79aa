import type {
  MetricEvidence,
  MetricSeries,
  RankedRootCause,
  RcaCase,
  RootCauseRanker,
} from '../rca-case';
import { scoreMetric } from '../signals/metric-change-scorer';
import { interquartileRange, median } from '../signals/robust-statistics';

/**
 * Simple rankers a root-cause method has to beat (docs/ARCHITECTURE.md: baselines run in the
 * same benchmark run). Each is a {@link RootCauseRanker} over the case's services
 * (`topology.services`), pure and deterministic; ties are broken by service name so that two runs
 * print the same figures.
 */

/** A random order of the case's services, seeded by `seed` and the case itself. */
export function randomRanker(seed = 'vigil-rca-random'): RootCauseRanker {
  return (input) => {
    const next = mulberry32(fnv1a(`${seed}|${input.anomalyStart}|${input.topology.services}`));
    const order = [...input.topology.services].sort();
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order.map((service, i) => entry(service, (order.length - i) / order.length, []));
  };
}

/**
 * The highest anomaly score alone: each service scores the largest anomaly score of any of its
 * metrics, as Vigil's own per-metric scorer gives it ({@link scoreMetric}: a two-sided robust
 * change score with a scale floor relative to the level, so a flat series does not score without
 * bound). No topology, no timing, no logs: what "the most anomalous service is the culprit" gives,
 * and so what the causal part of a method must add to.
 */
export const anomalyScoreRanker: RootCauseRanker = (input) => {
  const byService = new Map<string, MetricEvidence[]>(
    input.topology.services.map((s) => [s, [] as MetricEvidence[]]),
  );
  for (const series of input.series) {
    const scored = scoreMetric(series, input.anomalyStart, input.end);
    if (scored && Number.isFinite(scored.score)) byService.get(series.service)?.push(scored);
  }
  return rankServices(byService);
};

/**
 * BARO-style (Pham et al., FSE 2024, as RCAEval runs it): data before the detection time is the
 * normal period; each metric is scaled with a RobustScaler fitted on it (median, IQR; an IQR of 0
 * scales by 1 as scikit-learn does) and scores the MAXIMUM of the scaled anomalous values, so only
 * rises count, as in BARO's `max(zscores)`. Metrics constant in either period are left out, as
 * RCAEval's preprocessing drops constant columns. A service ranks by its best metric.
 */
export const baroRanker: RootCauseRanker = (input) =>
  rankByMetricScores(input, (normal, anomalous) => {
    if (isConstant(normal) || isConstant(anomalous)) return undefined;
    const center = median(normal);
    const iqr = interquartileRange(normal);
    const scale = iqr > 0 ? iqr : 1;
    const best = Math.max(...anomalous.map((v) => (v - center) / scale));
    return { score: best, direction: 'up' };
  });

export interface PageRankOptions {
  /** Probability of following an edge rather than jumping anywhere; 0.85 as in the original paper. */
  damping?: number;
  iterations?: number;
}

/**
 * PageRank on the topology alone: a random walk that moves from a service to the services it
 * calls or depends on (faults travel against the arrows, so the walk goes toward causes) and
 * jumps uniformly at random otherwise. Uses no metric at all: it ranks the deep, much-used
 * dependencies first, whatever the incident.
 */
export function pageRankRanker(options: PageRankOptions = {}): RootCauseRanker {
  const damping = options.damping ?? 0.85;
  const iterations = options.iterations ?? 100;
  return (input) => {
    const services = [...new Set(input.topology.services)].sort();
    const ranks = pageRank(services, calleesOf(input, services), damping, iterations);
    return services
      .map((service, i) => entry(service, ranks[i], []))
      .sort((a, b) => b.score - a.score || a.service.localeCompare(b.service));
  };
}

type MetricScorer = (
  normal: number[],
  anomalous: number[],
) => { score: number; direction: 'up' | 'down' } | undefined;

function rankByMetricScores(input: RcaCase, scorer: MetricScorer): RankedRootCause[] {
  const byService = new Map<string, MetricEvidence[]>(
    input.topology.services.map((s) => [s, [] as MetricEvidence[]]),
  );
  for (const series of input.series) {
    const evidence = byService.get(series.service);
    if (!evidence) continue;
    const scored = scoreSeries(series, input, scorer);
    if (scored) evidence.push(scored);
  }
  return rankServices(byService);
}

function rankServices(byService: Map<string, MetricEvidence[]>): RankedRootCause[] {
  return [...byService]
    .map(([service, metrics]) => {
      const sorted = metrics.sort((a, b) => b.score - a.score || a.metric.localeCompare(b.metric));
      return entry(service, sorted[0]?.score ?? 0, sorted.slice(0, 3));
    })
    .sort((a, b) => b.score - a.score || a.service.localeCompare(b.service));
}

function scoreSeries(
  series: MetricSeries,
  input: RcaCase,
  scorer: MetricScorer,
): MetricEvidence | undefined {
  const end = input.end ?? Number.POSITIVE_INFINITY;
  const normal: number[] = [];
  const anomalous: number[] = [];
  const anomalousTimes: number[] = [];
  series.times.forEach((time, i) => {
    const value = series.values[i];
    if (!Number.isFinite(value) || time > end) return;
    if (time < input.anomalyStart) normal.push(value);
    else {
      anomalous.push(value);
      anomalousTimes.push(time);
    }
  });
  if (normal.length === 0 || anomalous.length === 0) return undefined;
  const result = scorer(normal, anomalous);
  if (!result || !Number.isFinite(result.score)) return undefined;
  return {
    metric: series.metric,
    score: result.score,
    direction: result.direction,
    onset: anomalousTimes[peakIndex(normal, anomalous)],
  };
}

/** Where the anomalous period is farthest from the normal median: the evidence's onset. */
function peakIndex(normal: number[], anomalous: number[]): number {
  const center = median(normal);
  let best = 0;
  anomalous.forEach((v, i) => {
    if (Math.abs(v - center) > Math.abs(anomalous[best] - center)) best = i;
  });
  return best;
}

function isConstant(values: number[]): boolean {
  return values.every((v) => v === values[0]);
}

function calleesOf(input: RcaCase, services: string[]): number[][] {
  const index = new Map(services.map((s, i) => [s, i]));
  const callees = services.map(() => new Set<number>());
  for (const edge of input.topology.edges) {
    if (edge.type === 'RUNS_ON') continue;
    const from = index.get(edge.from);
    const to = index.get(edge.to);
    if (from !== undefined && to !== undefined && from !== to) callees[from].add(to);
  }
  return callees.map((set) => [...set].sort((a, b) => a - b));
}

function pageRank(
  services: string[],
  callees: number[][],
  damping: number,
  iterations: number,
): number[] {
  const n = services.length;
  let ranks = new Array<number>(n).fill(1 / n);
  for (let it = 0; it < iterations; it++) {
    // a service that calls nothing hands its rank to everyone (the usual dangling-node rule)
    const dangling = ranks.reduce((s, r, i) => s + (callees[i].length === 0 ? r : 0), 0);
    const next = new Array<number>(n).fill((1 - damping) / n + (damping * dangling) / n);
    ranks.forEach((r, i) => {
      for (const j of callees[i]) next[j] += (damping * r) / callees[i].length;
    });
    const change = next.reduce((s, r, i) => s + Math.abs(r - ranks[i]), 0);
    ranks = next;
    if (change < 1e-12) break;
  }
  return ranks;
}

function entry(service: string, score: number, metrics: MetricEvidence[]): RankedRootCause {
  const onset = metrics.length > 0 ? Math.min(...metrics.map((m) => m.onset)) : undefined;
  return { service, score, evidence: { metrics, logs: [], alerts: [], onset }, path: [service] };
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small seeded PRNG: the random baseline must give the same figures on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * MicroRCA-style (Wu et al., NOMS 2020): a personalized PageRank over the call graph. Each service
 * is personalized by its largest metric anomaly score ({@link scoreMetric}, as the anomaly-score
 * baseline gives it); the walk moves from a caller to its callees in proportion to how anomalous
 * they are (faults travel against the call arrows) and back to callers weakly, so it settles on an
 * anomalous service whose anomalous callers point at it. Metrics and the call graph only.
 */
export function microRcaRanker(options: PageRankOptions = {}): RootCauseRanker {
  const damping = options.damping ?? 0.85;
  const iterations = options.iterations ?? 100;
  return (input) => {
    const services = [...new Set(input.topology.services)].sort();
    const index = new Map(services.map((s, i) => [s, i]));
    const anomaly = new Float64Array(services.length);
    for (const series of input.series) {
      const i = index.get(series.service);
      const scored =
        i === undefined ? undefined : scoreMetric(series, input.anomalyStart, input.end);
      if (i !== undefined && scored && Number.isFinite(scored.score))
        anomaly[i] = Math.max(anomaly[i], scored.score);
    }
    const out: number[][] = services.map(() => []);
    const weight: number[][] = services.map(() => []);
    for (const edge of input.topology.edges) {
      const from = index.get(edge.from);
      const to = index.get(edge.to);
      if (from === undefined || to === undefined || from === to) continue;
      out[from].push(to);
      weight[from].push(anomaly[to] + 1e-3);
      out[to].push(from);
      weight[to].push(0.1 * (anomaly[from] + 1e-3));
    }
    const total = anomaly.reduce((a, b) => a + b, 0);
    const restart = Float64Array.from(anomaly, (a) =>
      total > 0 ? a / total : 1 / services.length,
    );
    let rank = Float64Array.from(restart);
    for (let step = 0; step < iterations; step++) {
      const next = Float64Array.from(restart, (r) => (1 - damping) * r);
      rank.forEach((mass, i) => {
        const sum = weight[i].reduce((a, b) => a + b, 0);
        if (sum === 0) next[i] += damping * mass;
        else out[i].forEach((j, k) => (next[j] += (damping * mass * weight[i][k]) / sum));
      });
      rank = next;
    }
    return services
      .map((service, i) => entry(service, rank[i], []))
      .sort((a, b) => b.score - a.score || a.service.localeCompare(b.service));
  };
}
