// The README's status table: what each part is, and its state with the headline figures read
// from the committed result files, so the summary at the top cannot drift from the sections
// below it (it did: a loop rerun left "1 wrong target" standing after a run with none).
import type { CorrelationResults } from '../correlation/correlation-results';
import type { FaultsResults } from '../faults/faults-results';
import type { GuardrailsResults } from '../guardrails/guardrails-results';
import type { HistoryResults } from '../history-figures';
import type { IngestResults } from '../ingest/ingest-results';
import type { LoopResults, LoopSummary } from '../loop/loop-report';
import type { SoakResults } from '../soak/rss-series';
import type { StartupResults } from '../startup-figures';
import { markdownTable } from './markdown-table';
import type { RcaRealResults, RcaSyntheticResults } from './results-tables';

/** The result files the table reads, by name (bench/results/NAME.json); absent ones are undefined. */
export interface StatusInputs {
  correlation?: CorrelationResults;
  ingest?: IngestResults;
  'rca-synthetic'?: RcaSyntheticResults;
  'rca-real'?: RcaRealResults;
  guardrails?: GuardrailsResults;
  loop?: LoopResults;
  faults?: FaultsResults;
  soak?: SoakResults;
  startup?: StartupResults;
  history?: HistoryResults;
}

export const STATUS_INPUTS: ReadonlyArray<keyof StatusInputs> = [
  'correlation',
  'ingest',
  'rca-synthetic',
  'rca-real',
  'guardrails',
  'loop',
  'faults',
  'soak',
  'startup',
  'history',
];

/** Issue 14's targets on the real fault data, service level. */
export const NEZHA_TARGETS: Record<string, { ac1: number; ac3: number }> = {
  'online-boutique': { ac1: 0.85, ac3: 0.95 },
  'train-ticket': { ac1: 0.8, ac3: 0.95 },
};
/** bench:soak's target: RSS grows less than this after its base minute. */
export const SOAK_GROWTH_TARGET_PERCENT = 10;

const f2 = (x: number) => x.toFixed(2);
const word = (ok: boolean) => (ok ? 'met' : 'not met');
const thousands = (x: number) => Math.round(x).toLocaleString('en-US');
const missing = (bench: string) => `no result file yet (\`npm run bench:${bench}\`)`;

interface StatusRow {
  part: string;
  state: (inputs: StatusInputs) => string;
}

const done = () => 'done';

const ROWS: StatusRow[] = [
  {
    part: 'Workspace: Nx, TypeScript strict, ESLint with module boundaries, Prettier, jest',
    state: done,
  },
  {
    part: '`libs/contracts`: zod schemas of every topic, topic registry, JSON Schema export',
    state: done,
  },
  {
    part: 'Real Kafka 4.4 and Neo4j 5.26 without Docker (`infra/local`), docker-compose for Docker users',
    state: done,
  },
  {
    part: '`libs/messaging`: kafkajs clients, ContractConsumer (validation, retries, DLQ, offsets), trace headers',
    state: done,
  },
  {
    part: '`libs/graph`: Neo4j module, schema at start-up, topology repository, k-hop neighbourhood',
    state: done,
  },
  { part: '`libs/telemetry`: OpenTelemetry SDK, JSON logs, `/metrics`', state: done },
  { part: '`apps/topology-sync`, `vigil topology import/show`', state: done },
  { part: '`npm run models:fetch`, `libs/embeddings` (real MiniLM, offline)', state: done },
  {
    part: '`apps/ingest` (Alertmanager v4 webhook, generic JSON), `libs/correlation`, `apps/correlator`, `vigil correlate`, benchmarks',
    state: (r) =>
      `working; ${correlationState(r.correlation)}; ${ingestState(r.ingest)} (see "Alert correlation")`,
  },
  {
    part: '`apps/signals`, `libs/rca`, `apps/rca`, `vigil rca`, CALLS edges from spans, RCA benchmarks',
    state: (r) =>
      `working; ${rcaSyntheticState(r['rca-synthetic'])}; ${rcaRealState(r['rca-real'])}`,
  },
  {
    part: '`libs/action-catalog`, `libs/guardrails` (policy engine, hostile corpus), `apps/model-gateway`, `libs/llm`, `apps/planner`, `apps/executor`',
    state: (r) =>
      `working; ${corpusState(r.guardrails)} (see "Remediation planning", "Guardrails", "Executing plans")`,
  },
  {
    part: '`apps/console` (API, SSE, React UI, local + OIDC sign-in, roles, CSRF), `apps/chatops` (Slack app), `libs/incident-view`, `libs/access`',
    state: () => 'working (see "The console", "Slack")',
  },
  {
    part: 'The closed loop: `apps/demo-shop`, `apps/ruler`, `libs/alert-rules`, `vigil chaos`, `apps/all-in-one`, `npm run demo`, end-to-end test, `npm run bench:loop`',
    state: (r) => `working; ${loopState(r.loop)} (see "The closed loop")`,
  },
  {
    part: "Security: Kafka TLS + SCRAM-SHA-512 + per-service ACLs (the launcher's and docker-compose's default; plaintext by choice), signed decisions bound to the plan, plan TTL, guardrails in the executor",
    state: (r) => `working; ${securityState(r.guardrails)}`,
  },
  {
    part: 'Reliability: DLQ redrive, restore-before-retry, single-active executor with standby lease, 3-correlator and 2-planner scale-out, `bench:faults`, `bench:soak`',
    state: (r) =>
      `working; ${faultsState(r.faults)}; ${soakState(r.soak)} (see "Faults in Vigil itself")`,
  },
  {
    part: "Monitoring stack: Prometheus 3.16 and Alertmanager 0.35 built from the Go module proxy, the shop's `/metrics` and OpenTelemetry SDK traces and logs, RCA reading Prometheus, OTLP in, compiled services",
    state: (r) =>
      `working; end-to-end test shop → Prometheus → Alertmanager → Vigil → executor; ${startupState(r.startup)}`,
  },
  {
    part: 'Incident history: store in Neo4j, search, reports with charts, postmortems, similar incidents (MiniLM), rebuild',
    state: (r) => `working; ${historyState(r.history)}`,
  },
];

/** The status table, every figure from the result files given. */
export function renderStatus(inputs: StatusInputs): string {
  return markdownTable(
    ['Part', 'State'],
    ROWS.map((row) => [row.part, row.state(inputs)]),
  );
}

function correlationState(r: CorrelationResults | undefined): string {
  const tuned = r?.families.tuned?.overall['vigil'];
  const storm = r?.families.storm?.overall.metrics;
  if (!tuned || !storm?.['vigil']) return missing('correlation');
  const real = storm['alertmanager-real'];
  return `F1 ${f2(tuned.f1)} on the tuned scenarios, ${f2(storm['vigil'].f1)} on the storm family${real ? ` (real Alertmanager ${f2(real.f1)})` : ''}`;
}

function ingestState(r: IngestResults | undefined): string {
  const atTarget = r?.alertPath.filter((p) => p.offeredPerS >= r.target.perS) ?? [];
  const plain = atTarget.find((p) => p.transport === 'plaintext');
  const tls = atTarget.find((p) => p.transport === 'tls');
  if (!r || !plain) return missing('ingest');
  const tlsText = tls
    ? `; TLS ${thousands(tls.endToEndPerS)}/s, p99 ${(tls.latencyMs.p99 / 1000).toFixed(1)} s: ${word(r.met.tls)}`
    : '';
  return `${thousands(plain.endToEndPerS)} alerts/s end to end with p99 ${plain.latencyMs.p99} ms (target ${thousands(r.target.perS)}/s under ${r.target.p99Ms / 1000} s: ${word(r.met.plaintext)}${tlsText})`;
}

function rcaSyntheticState(r: RcaSyntheticResults | undefined): string {
  const ac1 = (suite: string) =>
    r?.figures.find(
      (f) => f.suite === suite && f.method === 'vigil' && f.faultType === 'all' && f.lateS === 0,
    )?.metrics.ac1;
  const [dev, frozen, variant] = ['dev', 'frozen', 'variant'].map(ac1);
  if (dev === undefined) return missing('rca');
  const others = [
    frozen === undefined ? undefined : `frozen seed ${f2(frozen)}`,
    variant === undefined ? undefined : `variant ${f2(variant)}`,
  ].filter((x) => x !== undefined);
  return `synthetic AC@1 ${f2(dev)}${others.length > 0 ? ` (${others.join(', ')})` : ''}`;
}

function rcaRealState(r: RcaRealResults | undefined): string {
  const overall = (system: string) =>
    r?.figures.find(
      (f) => f.system === system && f.method === 'vigil' && f.faultType === 'all' && f.lateS === 0,
    )?.metrics;
  const systems = Object.keys(NEZHA_TARGETS).flatMap((system) => {
    const m = overall(system);
    return m ? [{ system, m, target: NEZHA_TARGETS[system] }] : [];
  });
  if (systems.length === 0) return missing('rca-real');
  const figures = systems
    .map(({ system, m }) => `${f2(m.ac1)} ${titleOf(system)} (AC@3 ${f2(m.ac3)})`)
    .join(', ');
  const targets = systems
    .map(
      ({ system, m, target }) =>
        `${titleOf(system)} AC@1 ≥ ${f2(target.ac1)} ${word(m.ac1 >= target.ac1)}, AC@3 ≥ ${f2(target.ac3)} ${word(m.ac3 >= target.ac3)}`,
    )
    .join('; ');
  return `real Nezha data AC@1 ${figures} (targets: ${targets})`;
}

const titleOf = (system: string) =>
  system
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');

function corpusState(r: GuardrailsResults | undefined): string {
  if (!r) return missing('guardrails');
  const allowed = r.categories.reduce((s, c) => s + c.wronglyAllowed, 0);
  const legitimate = r.categories.reduce((s, c) => s + c.legitimateAllowed, 0);
  return `${allowed} of ${r.hostile} hostile or faulty plans allowed, ${legitimate} of ${r.legitimate} legitimate ones`;
}

function securityState(r: GuardrailsResults | undefined): string {
  if (!r) return missing('guardrails');
  return `${r.security.executed} of ${r.security.attacks} attacks on plans and decisions executed (\`npm run bench:guardrails\`)`;
}

const FAMILY_WORDS: Record<string, string> = {
  old: 'restart-curable',
  'restart-proof': 'restart-proof',
  novel: 'novel',
};

/** One policy of a loop run: its fault families and alerting, then healed, MTTR, wrong targets. */
function loopPolicyState(
  policy: string,
  meta: LoopResults['meta'],
  summary: readonly LoopSummary[],
): string | undefined {
  const rows = summary.filter((s) => s.policy === policy);
  const all = rows.find((s) => s.family === 'all');
  if (!all) return undefined;
  const families = rows
    .map((s) => s.family)
    .filter((f) => f !== 'all' && !f.includes('+'))
    .map((f) => FAMILY_WORDS[f] ?? f);
  const alerting =
    meta.alerting === 'prometheus'
      ? 'alerts through Prometheus and Alertmanager'
      : 'alerts from apps/ruler';
  return `${policy} policy, ${listOf(families)} faults, ${alerting}: ${healedText(all)}, MTTR ${Math.round(all.mttrMedianS ?? 0)} s, ${all.wrongTargets} wrong ${all.wrongTargets === 1 ? 'target' : 'targets'}, ${all.harmful} harmful`;
}

function healedText(s: LoopSummary): string {
  const who =
    s.healedWithApproval === 0
      ? 'without a human'
      : s.healedWithoutHuman === 0
        ? 'each with an approval'
        : `${s.healedWithoutHuman} without a human`;
  return `${s.healed}/${s.faults} healed (${who})`;
}

/** `a`, `a and b`, `a, b and c`. */
export const listOf = (words: string[]) =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

function loopState(r: LoopResults | undefined): string {
  if (!r) return missing('loop');
  // the file's summary covers its own run and the runs kept beside it; each run says its alerting
  const policies = [r, ...(r.beside ?? [])].flatMap((run) =>
    run.meta.policies.map((policy) => loopPolicyState(policy, run.meta, r.summary)),
  );
  const said = policies.filter((x) => x !== undefined);
  return said.length > 0 ? said.join('; ') : missing('loop');
}

function faultsState(r: FaultsResults | undefined): string {
  if (!r) return missing('faults');
  const counts = r.trials.map(
    (t) =>
      t.alertsLost +
      t.incidentsDuplicated +
      t.incidentsMissing +
      t.plansDuplicated +
      t.stepsAppliedTwice +
      t.ledgerDuplicates +
      t.dlqRecords,
  );
  const failing = counts.filter((n) => n > 0).length;
  return failing === 0
    ? `faults bench: every count 0 in ${r.trials.length} trials`
    : `faults bench: ${failing} of ${r.trials.length} trials lost, doubled or dead-lettered something (target: every count 0)`;
}

function soakState(r: SoakResults | undefined): string {
  const growths = Object.entries(r?.growth ?? {}).flatMap(([service, g]) =>
    g ? [{ service, percent: g.percent }] : [],
  );
  if (!r || growths.length === 0) return missing('soak');
  const most = growths.reduce((a, b) => (b.percent > a.percent ? b : a));
  return `soak: RSS growth after minute ${r.baseMinute} at most ${most.percent > 0 ? '+' : ''}${most.percent.toFixed(1)}% (${most.service}), target < ${SOAK_GROWTH_TARGET_PERCENT}%: ${word(most.percent < SOAK_GROWTH_TARGET_PERCENT)}`;
}

function startupState(r: StartupResults | undefined): string {
  if (!r || r.services.length === 0) return missing('startup');
  const { readyS, rssRatio } = r.target;
  const slow = r.services.filter((s) => s.compiled.readyS >= readyS);
  const ratios = r.services.map((s) => s.compiled.rssMiB / s.tsNode.rssMiB);
  const lowest = Math.round(Math.min(...ratios) * 100);
  const highest = Math.round(Math.max(...ratios) * 100);
  const slowText =
    slow.length === 0
      ? `every compiled service ready in < ${readyS} s`
      : `compiled services ready in < ${readyS} s but ${listOf(slow.map((s) => `${s.name} (${s.compiled.readyS.toFixed(1)} s)`))}`;
  return `${slowText}; RSS ${lowest}-${highest}% of ts-node's (target ≤ ${Math.round(rssRatio * 100)}%: ${word(Math.max(...ratios) <= rssRatio)})`;
}

function historyState(r: HistoryResults | undefined): string {
  if (!r) return missing('history');
  const incidents =
    r.stored.incidents >= 1000
      ? `${Math.round(r.stored.incidents / 1000)}k`
      : String(r.stored.incidents);
  return `console start ${(r.consoleStart.medianMs / 1000).toFixed(1)} s with ${incidents} incidents, search p95 ${Math.round(r.search.p95Ms)} ms`;
}
