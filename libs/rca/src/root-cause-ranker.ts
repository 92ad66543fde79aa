import { CausalGraph } from './causal-graph';
import type { MetricSeries, RankedRootCause, RcaCase, RootCauseRanker } from './rca-case';
import {
  answeredFor,
  defaultAnomalyScale,
  emptyAnomaly,
  latencyShare,
  metricMeaning,
  peerOf,
  serviceAnomalies,
  sustainedFaint,
  type AnomalyScale,
  type ServiceAnomaly,
} from './service-anomaly';

export interface RankerOptions {
  scale: AnomalyScale;
  /** Anomalies that begin within this of each other count as simultaneous (sampling, scrape lag). */
  onsetToleranceMs: number;
  /** Random-walk restart probability is 1 - damping. */
  damping: number;
  iterations: number;
  /** Weight of the walk back to a dependent, against the arrow: MicroRCA's escape from dead ends. */
  backwardWeight: number;
  /** Candidates that get the full treatment (coverage, path); the rest keep their first score. */
  shortlist: number;
  /** Leading candidates that get their explaining path (the others keep just themselves). */
  explained: number;
  /**
   * How much more a troubled service counts when a deploy or config change of its own was
   * reported just before (most outages follow a change): its first score is times 1 + this. A
   * caller whose own change broke it looks like the victim of the callee it now fails to reach.
   */
  changeWeight: number;
  /**
   * Trouble whose earliest sign came this long after the anomaly start (the detection) began
   * after what was detected: it may be the same fault seen late, more often it is a consequence
   * or something else. Two onset tolerances: a minute-scraped metric's step, and the tolerance.
   */
  lateOnsetMs: number;
  /** What such a late starter's first score is multiplied by. */
  lateWeight: number;
}

export const defaultRankerOptions: RankerOptions = {
  scale: defaultAnomalyScale,
  onsetToleranceMs: 60_000,
  damping: 0.85,
  iterations: 40,
  backwardWeight: 0.2,
  shortlist: 20,
  explained: 5,
  changeWeight: 1,
  lateOnsetMs: 120_000,
  lateWeight: 0.5,
};

interface Analysis {
  graph: CausalGraph;
  anomalies: ServiceAnomaly[];
  options: RankerOptions;
}

/**
 * Vigil's causal ranking. Three views of the same evidence, each fixing what the others miss:
 * - how unusual a service is (robust change scores of its metrics, log bursts, alerts: BARO);
 * - where a random walk from the symptoms, drawn toward anomalous dependencies, ends up
 *   (personalized PageRank over the topology: MicroRCA);
 * - whether the service's trouble is explained away: a dependency that failed first (or at the
 *   same time) makes a slow caller a victim, and a caller that went down makes the collapsed
 *   traffic of its callees a consequence; and how much of the incident's anomalies a fault there
 *   would explain (its dependents, anomalous after it began).
 */
export function rankRootCauses(
  input: RcaCase,
  overrides: Partial<RankerOptions> = {},
): RankedRootCause[] {
  const options = { ...defaultRankerOptions, ...overrides };
  const byService = serviceAnomalies(input, options.scale);
  const graph = new CausalGraph(input.topology, byService.keys());
  const anomalies = graph.nodes.map((node) => byService.get(node) ?? emptyAnomaly(node));
  const analysis: Analysis = { graph, anomalies, options };

  const walk = personalizedPageRank(analysis);
  const silent = silentDependencyBlame(analysis);
  // A service's own change explains its trouble as well as a failing dependency would: it is not
  // taken for that dependency's victim.
  const lateAfter = input.anomalyStart + options.lateOnsetMs;
  const first = anomalies.map(
    (a, i) =>
      (changedAndTroubled(a)
        ? Math.max(a.cause, silent[i]) * (0.5 + walk[i]) * (1 + options.changeWeight)
        : Math.max(a.cause, silent[i]) * (1 - victimhood(analysis, i)) * (0.5 + walk[i])) *
      (a.onset !== undefined && a.onset > lateAfter ? options.lateWeight : 1),
  );
  const shortlist = topIndices(first, options.shortlist);
  const alerting = anomalies.some((a) => a.alerts.length > 0);
  const weights = symptomWeights(anomalies, alerting);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const scores = [...first];
  for (const i of shortlist) {
    // Without alerts to say what the incident is, the candidate's own trouble (a CPU at 100%, a
    // changed code path) is part of what it has to explain, and a fault there explains it: a
    // saturated service that shows no latency is not outweighed by a callee's slight slowness.
    const own = alerting ? weights[i] : Math.max(weights[i], anomalies[i].cause);
    const share = coverage(analysis, weights, i, total - weights[i] + own, own);
    scores[i] = first[i] * (0.3 + 0.7 * share);
  }

  return breakTies(input, analysis, scores).map(({ i, service, score }, rank) => ({
    service,
    score: round(score),
    evidence: evidenceOf(anomalies[i]),
    path: rank < options.explained ? explainingPath(analysis, i) : [service],
  }));
}

interface Scored {
  i: number;
  service: string;
  score: number;
  faint: number;
}

/**
 * Candidates by score. Equal scores (no significant evidence at all, most often) go by their
 * faint evidence rather than by name: at its peak, then, for the leading members of a tie near
 * the top, held for the sustain time as significant evidence must be; the name last.
 */
function breakTies(input: RcaCase, analysis: Analysis, scores: readonly number[]): Scored[] {
  const { graph, anomalies, options } = analysis;
  const byFaint = (a: Scored, b: Scored) =>
    b.score - a.score || b.faint - a.faint || a.service.localeCompare(b.service);
  const ranked = graph.nodes
    .map((service, i) => ({ i, service, score: scores[i], faint: anomalies[i].faint }))
    .sort(byFaint);
  // the ties near the top (scores do not change below, so neither do the ties)
  const ties: Array<{ start: number; leading: Scored[] }> = [];
  for (let start = 0; start < Math.min(ranked.length, options.shortlist); ) {
    let end = start + 1;
    while (end < ranked.length && ranked[end].score === ranked[start].score) end++;
    if (end - start > 1)
      ties.push({ start, leading: ranked.slice(start, Math.min(end, start + options.shortlist)) });
    start = end;
  }
  if (ties.length === 0) return ranked;
  const tied = new Set(ties.flatMap((tie) => tie.leading.map((c) => c.service)));
  const seriesOf = seriesOfServices(input.series, tied);
  for (const { start, leading } of ties) {
    for (const c of leading)
      c.faint = sustainedFaint(seriesOf.get(c.service) ?? [], input, options.scale);
    ranked.splice(start, leading.length, ...leading.sort(byFaint));
  }
  return ranked;
}

/** The series of `services`, by service: a few of a topology's, for a tie among them. */
function seriesOfServices(
  series: readonly MetricSeries[],
  services: ReadonlySet<string>,
): Map<string, MetricSeries[]> {
  const out = new Map<string, MetricSeries[]>();
  for (const s of series) {
    if (!services.has(s.service)) continue;
    const list = out.get(s.service);
    if (list) list.push(s);
    else out.set(s.service, [s]);
  }
  return out;
}

export const vigilRanker: RootCauseRanker = (input) => rankRootCauses(input);

/** Whether `earlier` began before `later` or close enough to count as the same moment. */
function precedes(analysis: Analysis, earlier: number, later: number): boolean {
  const a = analysis.anomalies[earlier].onset;
  const b = analysis.anomalies[later].onset;
  if (a === undefined || b === undefined) return true;
  return a <= b + analysis.options.onsetToleranceMs;
}

/** A deploy or config change of its own was reported shortly before, and it is in trouble. */
function changedAndTroubled(anomaly: ServiceAnomaly): boolean {
  const changes = (anomaly.deploys?.length ?? 0) + (anomaly.configChanges?.length ?? 0);
  return changes > 0 && Math.max(troubleOf(anomaly), symptomOf(anomaly)) > 0;
}

/** What a caller shows when something it depends on fails: slowness, errors. */
function symptomOf(anomaly: ServiceAnomaly): number {
  // An alert says the same where no metric does (a system that only sends alerts).
  return Math.max(
    anomaly.slow,
    anomaly.waiting,
    anomaly.failing,
    anomaly.alerts.length > 0 ? 0.5 : 0,
  );
}

/**
 * How much of a dependency's anomaly can reach the services that call it: slowness, errors, being
 * gone, a slow link, or a resource it runs short of (which slows it down). A new mix of its own
 * work or new log lines, answered as fast and as well as before, reaches no caller: a caller
 * that changed what it asks for is what changes a callee's mix, not the other way round.
 */
function reachesCallers(anomaly: ServiceAnomaly, caller?: ServiceAnomaly): number {
  return Math.max(troubleOf(anomaly, caller), anomaly.resource);
}

/** Trouble that travels to the callers: slow, failing or gone (not merely quieter). */
function troubleOf(anomaly: ServiceAnomaly, caller?: ServiceAnomaly): number {
  return Math.max(
    anomaly.slow,
    anomaly.failing,
    anomaly.down,
    anomaly.link,
    answeredFor(anomaly, caller?.service),
  );
}

/** The trouble of a dependency as it reaches one caller: its slowness only as far as it adds up. */
function troubleFor(dependency: ServiceAnomaly, caller: ServiceAnomaly): number {
  return Math.max(
    dependency.slow * latencyShare(dependency, caller),
    dependency.failing,
    dependency.down,
    answeredFor(dependency, caller.service),
    // a delayed link delays the caller, when more of the dependency's links slowed than its own
    dependency.link > caller.link ? dependency.link : 0,
  );
}

/**
 * A link both ends report: the end less surely at fault for its slowed links is the victim of
 * the peer more surely at fault (a peer's one slow link to the service at fault; see
 * attributedSlowLinks), unless something of its own changed too. The peers are the ones its slowed links name, and its neighbours in the
 * call graph (links that name no peer): the links tell which end is which without a graph.
 */
function linkVictimhood(analysis: Analysis, i: number): number {
  const { graph, anomalies } = analysis;
  const self = anomalies[i];
  // its own share of its slowed links may be none at all (each was its peer's doing)
  const slowed = self.metrics.filter(
    (m) => m.direction === 'up' && metricMeaning(m.metric) === 'link',
  );
  if (slowed.length === 0) return 0;
  const peers = new Set([...graph.dependencies[i], ...graph.dependents[i]]);
  for (const m of slowed) {
    const named = peerOf(m.metric);
    const n = named === undefined ? undefined : graph.indexOf(named);
    if (n !== undefined) peers.add(n);
  }
  let victim = 0;
  for (const n of peers) {
    const peer = anomalies[n];
    if (peer.link > self.link) victim = Math.max(victim, 1 - self.link / peer.link);
  }
  return victim * (1 - Math.max(self.resource, self.failing, self.novel, self.down));
}

/**
 * How much a service's own trouble is explained by something else. Upward: a dependency is
 * slow, failing or down, first, and this service shows what that does to a caller (slow,
 * failing) without being overloaded itself. Downward: its traffic fell and nothing else is wrong
 * with it, while a caller of it went down or started failing first (a caller that lost its way
 * to it stops calling).
 */
function victimhood(analysis: Analysis, i: number): number {
  const self = analysis.anomalies[i];
  let upward = 0;
  for (const d of analysis.graph.dependencies[i]) {
    const dependency = analysis.anomalies[d];
    if (!precedes(analysis, d, i)) continue;
    // New log lines are a sign of new code, unless what they follow is a dependency that is gone:
    // a caller of a dead service logs failures it never had to log before.
    const own = Math.max(self.resource, self.down, self.novel * (1 - dependency.down));
    upward = Math.max(upward, troubleFor(dependency, self) * symptomOf(self) * (1 - own));
  }
  const onlyQuieter =
    self.collapsed * (1 - Math.max(self.slow, self.failing, self.resource, self.novel, self.down));
  let downward = 0;
  for (const c of analysis.graph.dependents[i]) {
    const caller = analysis.anomalies[c];
    const trouble = Math.max(caller.down, caller.failing);
    if (trouble > downward && precedes(analysis, c, i)) downward = trouble;
  }
  return Math.max(upward, downward * onlyQuieter, linkVictimhood(analysis, i));
}

/**
 * Blame for dependencies that cannot speak for themselves: a caller that is slow or failing while
 * its own resources are quiet and none of its dependencies shows trouble is waiting on one of
 * them (a database without a latency metric, a network path), so they share its symptom.
 */
function silentDependencyBlame(analysis: Analysis): Float64Array {
  const { graph, anomalies } = analysis;
  const blame = new Float64Array(graph.size);
  for (let i = 0; i < graph.size; i++) {
    // A host's trouble would show on several of its residents; only calls can hide a cause.
    const deps = graph.callees[i];
    if (deps.length === 0) continue;
    const self = anomalies[i];
    const unexplained = symptomOf(self) * (1 - Math.max(self.resource, self.novel, self.down));
    if (unexplained <= 0 || deps.some((d) => troubleOf(anomalies[d], self) >= 0.3)) continue;
    // a dependency that reports its own latency would have shown it: only the mute share
    const mute = deps.filter((d) => !anomalies[d].reportsLatency);
    for (const d of mute)
      blame[d] = Math.max(blame[d], (0.8 * unexplained) / Math.sqrt(mute.length));
  }
  return blame;
}

/**
 * A walk that starts where the anomalies are and moves toward dependencies whose trouble can reach
 * their callers and began no later; it stays where the anomaly is strongest and returns to
 * dependents only weakly.
 */
function personalizedPageRank(analysis: Analysis): Float64Array {
  const { graph, anomalies, options } = analysis;
  const n = graph.size;
  const restart = new Float64Array(n);
  let mass = 0;
  for (let i = 0; i < n; i++) mass += restart[i] = anomalies[i].anomaly;
  if (mass === 0) return new Float64Array(n);
  for (let i = 0; i < n; i++) restart[i] /= mass;

  // each node's moves as one flat list (self, dependencies, dependents), weights summing to 1
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++)
    offsets[i + 1] = offsets[i] + 1 + graph.dependencies[i].length + graph.dependents[i].length;
  const targets = new Int32Array(offsets[n]);
  const weights = new Float64Array(offsets[n]);
  for (let i = 0; i < n; i++) {
    let at = offsets[i];
    targets[at] = i;
    weights[at++] = anomalies[i].anomaly + 1e-3;
    // a service short of its own resources (a CPU at 100%) is slow by itself: the walk stays
    const ownTrouble = 1 - anomalies[i].resource;
    for (const d of graph.dependencies[i]) {
      targets[at] = d;
      weights[at++] =
        reachesCallers(anomalies[d], anomalies[i]) *
          (precedes(analysis, d, i) ? 1 : 0.3) *
          ownTrouble +
        1e-3;
    }
    for (const c of graph.dependents[i]) {
      targets[at] = c;
      weights[at++] = options.backwardWeight * anomalies[c].anomaly + 1e-4;
    }
    let sum = 0;
    for (let k = offsets[i]; k < at; k++) sum += weights[k];
    for (let k = offsets[i]; k < at; k++) weights[k] /= sum;
  }
  let rank = Float64Array.from(restart);
  let next = new Float64Array(n);
  for (let step = 0; step < options.iterations; step++) {
    for (let i = 0; i < n; i++) next[i] = (1 - options.damping) * restart[i];
    for (let i = 0; i < n; i++) {
      const share = options.damping * rank[i];
      if (share === 0) continue;
      for (let k = offsets[i]; k < offsets[i + 1]; k++) next[targets[k]] += share * weights[k];
    }
    [rank, next] = [next, rank];
  }
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, rank[i]);
  return rank.map((r) => (max > 0 ? r / max : 0));
}

/**
 * What has to be explained: the services that alert, when there are alerts (that is what the
 * incident is about; a cron job's CPU burst elsewhere is not), else every symptom.
 */
function symptomWeights(anomalies: readonly ServiceAnomaly[], alerting: boolean): Float64Array {
  return Float64Array.from(anomalies, (a) =>
    alerting ? (a.alerts.length > 0 ? Math.max(0.5, symptomOf(a)) : 0) : symptomOf(a),
  );
}

/**
 * The share of the incident's symptoms a fault in `i` would explain: its own (`own`), and the
 * dependents it reaches through services that show the symptom too (a fault does not jump over a
 * healthy service) and that began no earlier than it.
 */
function coverage(
  analysis: Analysis,
  weights: Float64Array,
  i: number,
  total: number,
  own: number,
): number {
  if (!(total > 0)) return 0;
  const { graph, anomalies } = analysis;
  let explained = own;
  const seen = new Set([i]);
  const queue = [i];
  for (let head = 0; head < queue.length; head++) {
    const from = anomalies[queue[head]];
    for (const next of graph.dependents[queue[head]]) {
      if (seen.has(next)) continue;
      const symptom = symptomOf(anomalies[next]);
      // a slowness far smaller than the dependent's does not reach it (it may through another)
      const onlySlow = from.slow > 0 && Math.max(from.failing, from.down) < 0.5;
      const reaches = !(onlySlow && latencyShare(from, anomalies[next]) < 0.2);
      if (symptom < 0.2 || !precedes(analysis, i, next) || !reaches) continue;
      seen.add(next);
      explained += weights[next];
      queue.push(next);
    }
  }
  return Math.min(1, explained / total);
}

/**
 * From the candidate up to the symptom it explains: the alerting dependent if there is one,
 * else the most anomalous one that nobody depends on (what users see), through the most
 * anomalous services.
 */
function explainingPath(analysis: Analysis, root: number): string[] {
  const { graph, anomalies } = analysis;
  let target = root;
  let best = 0;
  for (const d of graph.reachableDependents(root)) {
    const a = anomalies[d];
    const weight =
      a.anomaly * (a.alerts.length > 0 ? 2 : 1) * (graph.dependents[d].length === 0 ? 1.5 : 1);
    if (a.anomaly >= 0.2 && weight > best) {
      best = weight;
      target = d;
    }
  }
  return graph
    .cheapestPath(root, target, (node) => 1.05 - anomalies[node].anomaly)
    .map((node) => graph.nodes[node]);
}

function evidenceOf(anomaly: ServiceAnomaly): RankedRootCause['evidence'] {
  return {
    metrics: anomaly.metrics.slice(0, 5),
    logs: anomaly.logs.slice(0, 5),
    ...(anomaly.steps.length > 0 && { steps: anomaly.steps.slice(0, 5) }),
    alerts: anomaly.alerts.slice(0, 5),
    ...(anomaly.deploys && { deploys: anomaly.deploys }),
    ...(anomaly.configChanges && { configChanges: anomaly.configChanges }),
    onset: anomaly.onset,
  };
}

function topIndices(values: readonly number[], count: number): number[] {
  return values
    .map((value, i) => [value, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, count)
    .map(([, i]) => i);
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
