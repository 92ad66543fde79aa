// The README's correlation table, from bench/results/correlation.json (`npm run bench:correlation`):
// registered as the `correlation` renderer in bench/results/results-tables.ts.
import { markdownTable } from '../results/markdown-table';

interface Figures {
  items: number;
  trueIncidents: number;
  predictedIncidents: number;
  compression: number;
  precision: number;
  recall: number;
  f1: number;
  macroPurity: number;
}

interface Held {
  truthHeld: number;
  leaked: number;
  incidentsTouched: number;
}

export interface CorrelationResults {
  meta: {
    date: string;
    commit: string;
    seeds: { tuned: string; storm: string };
    alertmanager?: { version: string; speedup: number; tunedSpeedup?: number };
  };
  families: {
    tuned?: { overall: Record<string, Figures | undefined> };
    storm?: {
      overall: {
        metrics: Record<string, Figures | undefined>;
        held: Record<string, Held | undefined>;
      };
    };
  };
}

/** Methods in the order of the table; absent ones are skipped. */
const METHODS: ReadonlyArray<[string, string]> = [
  ['vigil', 'Vigil'],
  ['alertmanager-real', 'Alertmanager v0.35.0 (real)'],
  ['alertmanager', 'Alertmanager-style grouping (re-implemented)'],
  ['fingerprint', 'fingerprint dedup'],
];

const f2 = (x: number) => x.toFixed(2);

function rows(
  family: string,
  metrics: Record<string, Figures | undefined>,
  held?: Record<string, Held | undefined>,
): string[][] {
  return METHODS.flatMap(([key, name]) => {
    const m = metrics[key];
    if (!m) return [];
    const h = held?.[key];
    return [
      [
        family,
        name,
        `${m.predictedIncidents} / ${m.trueIncidents}`,
        `${m.compression.toFixed(1)}x`,
        `${f2(m.precision)} / ${f2(m.recall)} / ${f2(m.f1)}`,
        f2(m.macroPurity),
        h ? `${h.leaked} of ${h.truthHeld}` : '-',
      ],
    ];
  });
}

/** Both families, each method: incidents, compression, pairwise P/R/F1, macro purity, held alerts let in. */
export function renderCorrelation(results: CorrelationResults): string {
  const { tuned, storm } = results.families;
  const table = markdownTable(
    [
      'family',
      'method',
      'incidents found / true',
      'compression',
      'P / R / F1',
      'macro purity',
      'silenced or maintained alerts in incidents',
    ],
    [
      ...(tuned ? rows('13 tuned scenarios', tuned.overall) : []),
      ...(storm ? rows('storm family', storm.overall.metrics, storm.overall.held) : []),
    ],
  );
  const { meta } = results;
  const am = meta.alertmanager;
  const replay = am
    ? ` The real Alertmanager ${am.version} (group_by [alertname, cluster, service], group_wait 30s, group_interval 5m) gets the same stream replayed ${am.speedup}x faster than real time with every timer scaled alike${am.tunedSpeedup ? ` (${am.tunedSpeedup}x on the tuned scenarios)` : ''}.`
    : '';
  return [
    table,
    `Seeds "${meta.seeds.tuned}" (tuned) and "${meta.seeds.storm}" (storm, frozen before its first run).${replay} Run of ${meta.date.slice(0, 10)} at commit ${meta.commit.slice(0, 7)}, from \`bench/results/correlation.json\` (\`npm run bench:correlation\`).`,
  ].join('\n\n');
}
