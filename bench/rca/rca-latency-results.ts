// The README's ranking-time table, from bench/results/rca-latency.json (`npm run bench:rca-latency`),
// for bench/results/results-tables.ts (the `rca-latency` renderer); the bench prints the same.
import { markdownTable } from '../results/markdown-table';

/** One topology size: medians over the runs, in milliseconds as measured. */
export interface RcaLatencySize {
  /** Services in the synthetic topology (hosts come on top: one per 10 services). */
  services: number;
  /** Entities (services and hosts) and edges written to Neo4j. */
  entities: number;
  edges: number;
  /** Nodes of the neighbourhood the query returned: what apps/rca ranks. */
  subgraphNodes: number;
  /** The Neo4j neighbourhood query. */
  queryMs: number;
  /** Ranking that neighbourhood with the metrics of its services. */
  subgraphRankMs: number;
  /** Ranking the whole topology from baselines kept up to date (RCA_MAINTAINED_BASELINES). */
  maintainedRankMs: number;
  /** Ranking the whole topology computing every baseline itself (apps/rca's default). */
  coldRankMs: number;
  /** The slowest of the cold runs. */
  coldMaxRankMs: number;
  /** Computing one series' baseline, as the maintained mode does once a minute per series. */
  baselineUpkeepUsPerSeries: number;
}

export interface RcaLatencyResults {
  date: string;
  cpus: number;
  /** The 1-minute load average when the bench began. */
  loadAverage: number;
  /** Timed runs of each figure; the table shows their medians. */
  runs: number;
  pointsPerSeries: number;
  stepSeconds: number;
  metricsPerService: number;
  /** The neighbourhood query: `hops` hops around the first `alertingServices` services. */
  hops: number;
  alertingServices: number;
  sizes: RcaLatencySize[];
  /** The bar for the whole largest topology with maintained baselines (absent in older runs). */
  targetMs?: number;
}

const thousands = (x: number) => x.toLocaleString('en');

/** Milliseconds as the README has always shown them: one decimal below 10 ms, whole ones above. */
export function milliseconds(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${thousands(Math.round(ms))} ms`;
}

/**
 * Per size: the query, the subgraph it returned, ranking it, and ranking the whole topology with
 * maintained and with cold baselines; the maintained figure at the largest size, the one a
 * deployment with tens of thousands of series would choose it for, in bold.
 */
export function renderRcaLatency(results: RcaLatencyResults): string {
  const largest = Math.max(...results.sizes.map((s) => s.services));
  const rows = results.sizes.map((s) => {
    const maintained = milliseconds(s.maintainedRankMs);
    return [
      thousands(s.services),
      milliseconds(s.queryMs),
      String(s.subgraphNodes),
      milliseconds(s.subgraphRankMs),
      s.services === largest ? `**${maintained}**` : maintained,
      milliseconds(s.coldRankMs),
    ];
  });
  const upkeep = results.sizes.find((s) => s.services === largest)?.baselineUpkeepUsPerSeries;
  const minutes = (results.pointsPerSeries * results.stepSeconds) / 60;
  const { runs, cpus, loadAverage, date } = results;
  return [
    markdownTable(
      [
        'services',
        `Neo4j neighbourhood query (${results.hops} hops of ${results.alertingServices} services)`,
        'subgraph',
        'ranking the subgraph',
        'whole topology, maintained baselines',
        'whole topology, cold',
      ],
      rows,
    ),
    `Layered synthetic topologies (a host per 10 services) written to the bench's Neo4j, ${results.metricsPerService} metrics x ${results.pointsPerSeries} points (${minutes} minutes at ${results.stepSeconds} s) per service; subgraph: the nodes the query returned, ranked with their services' metrics; whole topology: every service's metrics, with each series' baseline kept up to date (${upkeep === undefined ? '-' : `${upkeep.toFixed(1)} us per series`} to recompute) or computed by the ranking itself. Medians of ${runs} runs on ${cpus} cores at load average ${loadAverage.toFixed(1)}.${targetSentence(results)} Run of ${date}, from \`bench/results/rca-latency.json\` (\`npm run bench:rca-latency\`).`,
  ].join('\n\n');
}

/** The target on the largest topology with maintained baselines, and whether the run met it. */
function targetSentence(results: RcaLatencyResults): string {
  const largest = results.sizes.reduce<RcaLatencySize | undefined>(
    (a, b) => (a === undefined || b.services > a.services ? b : a),
    undefined,
  );
  if (results.targetMs === undefined || !largest) return '';
  const met = largest.maintainedRankMs < results.targetMs;
  return ` Target: the whole ${thousands(largest.services)}-service topology with maintained baselines in < ${results.targetMs} ms: ${met ? 'met' : 'not met'}.`;
}
