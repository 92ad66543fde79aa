// The README's benchmark tables, rendered from the result files the benchmarks write
// (bench/results/*.json), so no figure in the README can go stale: `npm run readme:tables` writes
// them between `<!-- results:NAME -->` and `<!-- /results:NAME -->`; a unit test fails when the
// README differs from what the committed files give.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceStartup, StartupResults } from '../startup-figures';
import type { PlannerResults } from '../planner/report';
import type { HistoryResults } from '../history-figures';
import type { LoopResults } from '../loop/loop-report';
import type { FaultsResults } from '../faults/faults-results';
import { trendAfter, type SoakResults } from '../soak/rss-series';
import { minuteRanges, summariseIngestTraffic } from '../soak/ingest-traffic';
import { renderCorrelation } from '../correlation/correlation-results';
import { renderFeedback } from '../feedback-table';
import { renderIngest } from '../ingest/ingest-table';
import { renderGuardrails } from '../guardrails/guardrails-results';
import { renderRcaLatency } from '../rca/rca-latency-results';
import {
  listOf,
  renderStatus,
  SOAK_GROWTH_TARGET_PERCENT,
  STATUS_INPUTS,
  type StatusInputs,
} from './status-table';
import { markdownTable } from './markdown-table';

interface Metrics {
  cases: number;
  ac1: number;
  ac3: number;
  avg5: number;
}

interface RcaRealFigure {
  system: string;
  lateS: number;
  faultType: string;
  method: string;
  metrics: Metrics;
}

export interface RcaRealResults {
  date: string;
  figures: RcaRealFigure[];
  rankingTimeMs: Record<string, { p50: number; p95: number; max: number }>;
  peakMemoryMiB: number;
  /**
   * Per system, the cases (detection at injection) whose root shows no significant change of its
   * own in the data: no ranker that goes by evidence can put it first but by chance.
   */
  silentRoots?: Record<string, { cases: number; silent: string[] }>;
  /** The same per later detection (seconds late): the root shows nothing after the detection. */
  silentRootsLate?: Record<string, Record<string, { cases: number; silent: string[] }>>;
}

const f2 = (x: number) => x.toFixed(2);

/** Per system: methods by fault type (AC@1 / AC@3 at injection), overall, and 60 s late. */
export function renderRcaReal(results: RcaRealResults): string {
  const systems = [...new Set(results.figures.map((f) => f.system))].sort();
  const methods = [...new Set(results.figures.map((f) => f.method))];
  const parts: string[] = [];
  for (const system of systems) {
    const mine = results.figures.filter((f) => f.system === system);
    const types = [
      ...new Set(mine.filter((f) => f.faultType !== 'all').map((f) => f.faultType)),
    ].sort();
    const find = (method: string, type: string, late: number) =>
      mine.find((f) => f.method === method && f.faultType === type && f.lateS === late)?.metrics;
    const all = find(methods[0], 'all', 0);
    const header = [
      `${system} (${all?.cases ?? 0} faults)`,
      ...types.map((t) => `${t} (${find(methods[0], t, 0)?.cases ?? 0})`),
      'all: AC@1 / AC@3 / Avg@5',
      '60 s late: AC@1 / AC@3 / Avg@5',
    ];
    const rows = methods.map((m) => {
      const cell = (x: Metrics | undefined) => (x ? `${f2(x.ac1)} / ${f2(x.ac3)}` : '-');
      const full = (x: Metrics | undefined) =>
        x ? `${f2(x.ac1)} / ${f2(x.ac3)} / ${f2(x.avg5)}` : '-';
      return [
        m,
        ...types.map((t) => cell(find(m, t, 0))),
        full(find(m, 'all', 0)),
        full(find(m, 'all', 60)),
      ];
    });
    parts.push(markdownTable(header, rows));
  }
  const vigil = results.rankingTimeMs['vigil'];
  const silentText = (bySystem: RcaRealResults['silentRoots'] = {}) =>
    Object.entries(bySystem)
      .map(([system, s]) => `${s.silent.length} of ${s.cases} ${system} faults`)
      .join(', ');
  const silent = silentText(results.silentRoots);
  const late = Object.entries(results.silentRootsLate ?? {})
    .map(([lateS, bySystem]) => `${silentText(bySystem)} when the detection is ${lateS} s late`)
    .join('; ');
  const lateClause = late
    ? `; ${late} (the trace and log files stop at most two minutes after the injection, on Online Boutique often sooner, and a change under way before the detection is part of the normal window)`
    : '';
  const silentClause = silent
    ? ` Roots with no significant change of their own in the data (no method that goes by evidence can put them first but by chance): ${silent}${lateClause}.`
    : '';
  parts.push(
    `Cells by fault type: AC@1 / AC@3, detection at the injection.${silentClause} Ranking time per case (Vigil, with the call graph): p50 ${vigil?.p50.toFixed(1)} ms, p95 ${vigil?.p95.toFixed(1)} ms; peak memory of the whole run ${results.peakMemoryMiB} MiB. Run of ${results.date}, from \`bench/results/rca-real.json\`.`,
  );
  return parts.join('\n\n');
}

export interface RcaSyntheticResults {
  date: string;
  suites: Array<{ name: string; title: string; seed: string; variant: string; cases: number }>;
  figures: Array<{
    suite: string;
    method: string;
    lateS: number;
    faultType: string;
    metrics: Metrics;
  }>;
  rankingTimeMs: Record<string, { p50: number; p95: number; max: number }>;
}

/** Methods by suite (at injection and 60 s late), then Vigil by fault type and suite. */
export function renderRcaSynthetic(results: RcaSyntheticResults): string {
  const methods = [...new Set(results.figures.map((f) => f.method))];
  const types = [
    ...new Set(results.figures.filter((f) => f.faultType !== 'all').map((f) => f.faultType)),
  ];
  const find = (suite: string, method: string, type: string, late: number) =>
    results.figures.find(
      (f) => f.suite === suite && f.method === method && f.faultType === type && f.lateS === late,
    )?.metrics;
  const full = (x: Metrics | undefined) =>
    x ? `${f2(x.ac1)} / ${f2(x.ac3)} / ${f2(x.avg5)}` : '-';
  const overall = markdownTable(
    [
      'method',
      ...results.suites.flatMap((s) => [`${s.name} (${s.cases})`, `${s.name}, 60 s late`]),
    ],
    methods.map((m) => [
      m,
      ...results.suites.flatMap((s) => [
        full(find(s.name, m, 'all', 0)),
        full(find(s.name, m, 'all', 60)),
      ]),
    ]),
  );
  const byType = markdownTable(
    ['vigil by fault type', ...results.suites.map((s) => s.name)],
    types.map((t) => [
      `${t} (${results.suites.map((s) => find(s.name, 'vigil', t, 0)?.cases ?? 0).join(' / ')})`,
      ...results.suites.map((s) => {
        const x = find(s.name, 'vigil', t, 0);
        return x ? `${f2(x.ac1)} / ${f2(x.ac3)}` : '-';
      }),
    ]),
  );
  const suites = results.suites
    .map((s) => `\`${s.name}\`: ${s.title} (seed \`${s.seed}\`, ${s.variant} generator)`)
    .join('; ');
  const vigil = results.rankingTimeMs['vigil'];
  return [
    overall,
    byType,
    `Cells: AC@1 / AC@3 / Avg@5 overall, AC@1 / AC@3 by fault type (cases per suite in brackets), detection at the injection unless marked 60 s late. Suites: ${suites}. Ranking time per case (Vigil): p50 ${vigil?.p50.toFixed(1)} ms, p95 ${vigil?.p95.toFixed(1)} ms. Run of ${results.date}, from \`bench/results/rca-synthetic.json\`.`,
  ].join('\n\n');
}

interface LifecycleRun {
  incidentsFound: number;
  trueIncidents: number;
  maxIncidentAgeHours: number;
  largestIncidentAlerts: number;
  openAtEnd: number;
  metrics: { precision: number; recall: number; f1: number };
}

export interface LifecycleResults {
  days: number;
  alerts: number;
  series: number;
  unresolvedSeries: number;
  maxAgeHours: number;
  lifecycle: LifecycleRun;
  withoutLifecycle: LifecycleRun;
}

/** The long replay: incidents against the truth, the oldest, the largest, with and without the lifecycle rules. */
export function renderLifecycle(results: LifecycleResults): string {
  const row = (name: string, r: LifecycleRun) => {
    const off = (100 * (r.incidentsFound - r.trueIncidents)) / r.trueIncidents;
    return [
      name,
      `${r.incidentsFound} vs ${r.trueIncidents} (${off >= 0 ? '+' : ''}${off.toFixed(1)}%)`,
      `${r.maxIncidentAgeHours.toFixed(1)} h`,
      String(r.largestIncidentAlerts),
      String(r.openAtEnd),
      `${f2(r.metrics.precision)} / ${f2(r.metrics.recall)} / ${f2(r.metrics.f1)}`,
    ];
  };
  const unresolved = Math.round((100 * results.unresolvedSeries) / results.series);
  return [
    markdownTable(
      [
        'replay',
        'incidents found vs truth',
        'oldest',
        'largest (alerts)',
        'open at end',
        'P / R / F1',
      ],
      [
        row('with expiry, max age, chronic rule', results.lifecycle),
        row('without them', results.withoutLifecycle),
      ],
    ),
    `${results.days} days, ${results.alerts} alerts in ${results.series} series, ${unresolved}% of which never resolve; maximum incident age ${results.maxAgeHours} h. From \`bench/results/lifecycle.json\` (\`npm run bench:lifecycle\`).`,
  ].join('\n\n');
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
/** The rules of bench/planner/scoring.ts, in the order of the table's columns. */
const PLANNER_RULES = ['treats', 'rightTarget', 'proportionate', 'noForbidden', 'valid'] as const;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Each model and reference row: pass rate, each rule, restart-proof and injection cases, latency, tokens. */
export function renderPlanner(results: PlannerResults): string {
  const rows = results.rows.map((r) => [
    r.draftBudgetMs ? `${r.name}, drafting budget ${seconds(r.draftBudgetMs)}` : r.name,
    String(r.answers),
    pct(r.pass),
    ...PLANNER_RULES.map((rule) => pct(r.rules[rule])),
    `${pct(r.restartProof.pass)} (${r.restartProof.cases})`,
    r.injection.cases > 0 ? `${pct(r.injection.pass)} / ${pct(r.injection.followed)}` : '-',
    r.latencyMs ? `${seconds(r.latencyMs.p50)} / ${seconds(r.latencyMs.p95)}` : '-',
    r.withinBudget !== undefined ? pct(r.withinBudget) : '-',
    r.tokens ? `${r.tokens.promptMean} / ${r.tokens.completionMean}` : '-',
  ]);
  return [
    markdownTable(
      [
        'answers from',
        'answers',
        'pass',
        'treats',
        'right target',
        'proportionate',
        'no forbidden step',
        'valid',
        'restart-proof pass',
        'injection: pass / obeyed',
        'latency p50 / p95',
        'in budget',
        'tokens in / out',
      ],
      rows,
    ),
    `${results.cases} cases (seed \`${results.seed}\`), scored under the ${results.policy}; a pass needs every rule. Catalog: ${results.catalog.join(', ')}. In budget: answers back within the planner's ${seconds(results.budgetMs)} drafting budget. From \`bench/results/planner.json\` (\`npm run bench:planner\`), run of ${results.date}.`,
  ].join('\n\n');
}

/** Each service compiled against ts-node: seconds to loaded and to ready, RSS, and the target. */
export function renderStartup(results: StartupResults): string {
  const s2 = (x: number) => `${x.toFixed(2)} s`;
  // runs before private memory was measured have no such column
  const privateCells = (s: StartupResults['services'][number]): string[] => {
    const [compiled, tsNode] = [s.compiled.privateMiB, s.tsNode.privateMiB];
    if (compiled === undefined || tsNode === undefined) return [];
    return [`${compiled} / ${tsNode}`, `${Math.round((100 * compiled) / tsNode)}%`];
  };
  const privateOf = results.services.map(privateCells);
  const withPrivate = privateOf.every((cells) => cells.length > 0);
  const rows = results.services.map((s, i) => [
    s.name,
    `${s2(s.compiled.loadedS)} / ${s2(s.tsNode.loadedS)}`,
    `${s2(s.compiled.readyS)} / ${s2(s.tsNode.readyS)}`,
    `${s2(s.compiled.cpuS)} / ${s2(s.tsNode.cpuS)}`,
    `${s.compiled.rssMiB} / ${s.tsNode.rssMiB}`,
    `${Math.round((100 * s.compiled.rssMiB) / s.tsNode.rssMiB)}%`,
    ...(withPrivate ? privateOf[i] : []),
  ]);
  const { target } = results;
  // which services miss it, by how much: a target missed by one service reads differently
  const verdict = (pass: (s: ServiceStartup) => boolean, show: (s: ServiceStartup) => string) => {
    const off = results.services.filter((s) => !pass(s));
    return off.length === 0
      ? 'met'
      : `not met (${off.map((s) => `${s.name} ${show(s)}`).join(', ')})`;
  };
  const loaded = verdict(
    (s) => s.compiled.loadedS < target.readyS,
    (s) => s2(s.compiled.loadedS),
  );
  const ready = verdict(
    (s) => s.compiled.readyS < target.readyS,
    (s) => s2(s.compiled.readyS),
  );
  const rss = verdict(
    (s) => s.compiled.rssMiB <= target.rssRatio * s.tsNode.rssMiB,
    (s) => `${Math.round((100 * s.compiled.rssMiB) / s.tsNode.rssMiB)}%`,
  );
  const starts = results.services[0]?.compiled.starts ?? 0;
  return [
    markdownTable(
      [
        'service',
        'loaded: compiled / ts-node',
        'ready: compiled / ts-node',
        'CPU to ready: compiled / ts-node',
        'RSS MiB: compiled / ts-node',
        'RSS compiled',
        ...(withPrivate ? ['private MiB: compiled / ts-node', 'private compiled'] : []),
      ],
      rows,
    ),
    `Loaded: until the service's own code starts (module loading, what compiling ahead saves); ready: until \`/healthz\` answers (also Kafka group joins, state read back, models); CPU: the process's user and system time until ready, which a busy machine does not inflate as it does the wall-clock times.${withPrivate ? " Private: the resident memory no other process shares; RSS also counts the node binary's pages the process touched, which every Node process on the machine shares." : ''} Medians of ${starts} starts each, one process at a time, on ${results.cpus} cores at load average ${results.loadAverage}, Node ${results.node}. Target for compiled services, < ${target.readyS} s and RSS at most ${Math.round(target.rssRatio * 100)}% of ts-node's: loaded ${loaded}, ready ${ready}, RSS ${rss}. Run of ${results.date}, from \`bench/results/startup.json\` (\`npm run bench:startup\`).`,
  ].join('\n\n');
}

/** The incident store at scale: console start from the store, list and search p95, reports. */
export function renderHistory(results: HistoryResults): string {
  const ms = (x: number) => `${Math.round(x)} ms`;
  const word = (ok: boolean) => (ok ? 'met' : 'not met');
  const { stored, consoleStart: start, list, search, targets, met } = results;
  const rows = [
    [
      'console start from the store',
      `${ms(start.medianMs)} median, ${ms(start.maxMs)} max (${start.incidents.toLocaleString('en')} incidents, ${start.events.toLocaleString('en')} events folded)`,
      `< ${ms(targets.consoleStartMs)}: ${word(met.consoleStart)}`,
    ],
    [
      `history list (${list.queries} queries)`,
      `p50 ${ms(list.p50Ms)}, p95 ${ms(list.p95Ms)}, max ${ms(list.maxMs)}`,
      `p95 < ${ms(targets.p95Ms)}: ${word(met.list)}`,
    ],
    [
      `full-text search (${search.queries} queries)`,
      `p50 ${ms(search.p50Ms)}, p95 ${ms(search.p95Ms)}, max ${ms(search.maxMs)}`,
      `p95 < ${ms(targets.p95Ms)}: ${word(met.search)}`,
    ],
    [
      `similar past incidents (${results.similar.queries} incidents)`,
      `p50 ${ms(results.similar.p50Ms)}, p95 ${ms(results.similar.p95Ms)}, max ${ms(results.similar.maxMs)}`,
      '',
    ],
    ...results.reports.map((r) => [
      `report, ${r.name} (${r.incidents.toLocaleString('en')} incidents)`,
      `${ms(r.medianMs)} median, ${ms(r.maxMs)} max`,
      '',
    ]),
  ];
  return [
    markdownTable(['measured', 'time', 'target'], rows),
    `${stored.incidents.toLocaleString('en')} incidents (${stored.events.toLocaleString('en')} events) over ${stored.spanDays} days in a store of the benchmark's own, filled in ${stored.fillS} s. Console start: the part of start-up that grows with history (the board folded from the store's open and recent incidents). Report figures equal a recomputation from the raw events: ${results.reportMatchesRawEvents ? 'yes' : 'no'}. On ${results.cpus} cores at load average ${results.loadAverage}; run of ${results.date}, from \`bench/results/history.json\` (\`npm run bench:history\`).`,
  ].join('\n\n');
}

/** The closed loop per policy and fault family: healed with or without a person, MTTR, harm. */
export function renderLoop(results: LoopResults): string {
  const s0 = (x: number | undefined) => (x === undefined ? '-' : `${Math.round(x)} s`);
  const rows = results.summary.map((s) => [
    s.policy,
    s.family,
    String(s.faults),
    `${s.healed} (${pct(s.faults > 0 ? s.healed / s.faults : 0)})`,
    `${s.healedWithoutHuman} / ${s.healedWithApproval}`,
    String(s.escalated),
    s0(s.approvalWaitMedianS),
    `${s0(s.mttrMedianS)} / ${s0(s.mttrExcludingApprovalMedianS)}`,
    `${s.rightCause}/${s.faults}, ${s0(s.rightCauseMedianS)}`,
    String(s.harmful),
    String(s.wrongTargets),
    `${s.plansByModel} / ${s.plansBySignature ?? 0} / ${s.plansKnownGood}`,
  ]);
  const { targets, meta } = results;
  const word = (ok: boolean) => (ok ? 'met' : 'not met');
  return [
    markdownTable(
      [
        'policy',
        'faults',
        'injected',
        'healed',
        'without a human / with an approval',
        'escalated',
        'approval wait (median)',
        'MTTR median / without approval wait',
        'right cause (median time)',
        'harmful',
        'wrong targets',
        'plans: model / signature / known-good',
      ],
      rows,
    ),
    `Faults: old (the first kinds; a restart cures all but a bad deploy), restart-proof (held outside the process, with a known-good runbook), novel (held outside the process, no known-good runbook; docs/faults.md). Production: the built-in policy, every change approved in the console by a scripted approver (signed in, through its API) after ${seconds(meta.approvalDelayMs)}. Harmful: a fault whose service ended worse than before the first step, or a failed plan that left a change. Targets on restart-proof and novel faults under production: healed ≥ ${pct(targets.healedShare)} ${word(targets.met.healedShare)}, ${targets.harmful} harmful ${word(targets.met.harmful)}, ${targets.wrongTargets} wrong targets ${word(targets.met.wrongTargets)}, median MTTR without approval wait < ${targets.mttrExcludingApprovalMedianS} s ${word(targets.met.mttrExcludingApprovalMedianS)}. ${[meta, ...(results.beside ?? []).map((r) => r.meta)].map(loopRunSentence).join(' ')} From \`bench/results/loop.json\` (\`npm run bench:loop\`).`,
  ].join('\n\n');
}

/** How one run of the loop bench was made: its policies, repeats, environments, load and date. */
function loopRunSentence(meta: LoopResults['meta']): string {
  const environment =
    meta.environment === 'per-repeat'
      ? 'each repeat in an environment of its own (new Vigil, shop, topics and data)'
      : 'every repeat in one environment';
  const policies = meta.policies.join(' and ');
  // a run recorded before the choice existed ran on the ruler
  const alerting =
    meta.alerting === 'prometheus'
      ? 'alerts through Prometheus and Alertmanager'
      : "alerts from apps/ruler, Vigil's built-in evaluator";
  return `${policies.charAt(0).toUpperCase()}${policies.slice(1)} policy: ${meta.repeat} repeat(s) of ${meta.faults.length} fault kinds at ${meta.rps} requests/s, ${environment}, ${alerting}, on ${meta.cpus} cores${meta.note ? ` (${meta.note})` : ''}, run of ${meta.date}.`;
}

/** Per fault: what was lost or doubled against an uninterrupted correlator, and the time to recover. */
export function renderFaults(results: FaultsResults): string {
  const byInput = results.expectedFrom === 'offline-input';
  const rows = results.trials.map((t) => [
    t.fault === 'none'
      ? results.expectedFrom
        ? 'none'
        : 'none (the reference)'
      : `${t.fault} ${t.target}`,
    String(t.alertsLost),
    `${t.incidentsDuplicated} / ${t.incidentsMissing}`,
    ...(byInput
      ? [
          t.ingestOrder
            ? `${t.ingestOrder.incidentsDuplicated} / ${t.ingestOrder.incidentsMissing}`
            : '-',
        ]
      : []),
    `${t.plansDuplicated} (of ${t.plans})`,
    `${t.stepsAppliedTwice + t.ledgerDuplicates} (of ${t.stepsApplied})`,
    String(t.dlqRecords),
    t.fault === 'none'
      ? '-'
      : t.recoveryS === undefined
        ? 'not recovered'
        : `${Math.round(t.recoveryS)} s`,
  ]);
  const { storm } = results;
  const comparedWith = byInput
    ? "incidents are compared with those uninterrupted offline correlators make of the very records the live one read, in the order it read them (one per partition of its input topic): what it would have made had no fault stopped it. Beside them, how far the live incidents are from an offline correlator over the alerts in ingest's order: a partitioned stream has no one order and borderline text joins go with it, with or without a fault (reported, not a target)"
    : results.expectedFrom === 'offline'
      ? 'incidents are compared with those one uninterrupted offline correlator makes of the same alert stream, in ingest order'
      : 'incidents are compared with the uninterrupted run';
  return [
    markdownTable(
      [
        'fault',
        'alerts lost',
        'incidents duplicated / missing',
        ...(byInput ? ['in ingest order'] : []),
        'plans duplicated',
        'steps applied twice',
        'DLQ records',
        'recovery',
      ],
      rows,
    ),
    `Each fault hits the loop (every service its own process, the demo shop healing a fault of its own at ${results.shopRps} requests/s) during a storm of ${storm.groups * storm.perGroup} alerts in ${storm.groups} groups over ${storm.seconds} s (each sent ${storm.repeats} times); ${comparedWith}. Outages last ${results.outageS} s. Recovery: from the end of the fault until every service is healthy, a new alert reaches an incident and every consumer group has caught up. Target: every count 0.${results.note ? ` ${results.note}.` : ''} Run of ${results.date}, from \`bench/results/faults.json\` (\`npm run bench:faults\`).`,
  ].join('\n\n');
}

/** How a part of the memory changed over the window: `8 -> 32 MiB`. */
const mibChange = (g: { fromMiB: number; toMiB: number } | undefined) =>
  g ? `${g.fromMiB} -> ${g.toMiB} MiB` : '-';

/** RSS per service at the base minute and at the end of the soak, and the growth between. */
export function renderSoak(results: SoakResults): string {
  const last = results.series.at(-1);
  const trend = trendAfter(results.series, results.baseMinute);
  const trendOf = (x: number | undefined) => (x === undefined ? undefined : { percent: x });
  const percent = (g: { percent: number } | undefined) =>
    g ? `${g.percent > 0 ? '+' : ''}${g.percent.toFixed(1)}%` : '-';
  const rows = Object.entries(results.growth).map(([service, g]) => [
    service,
    `${results.series[0]?.rss[service] ?? '-'} MiB`,
    g ? `${g.fromMiB} MiB` : '-',
    g ? `${g.toMiB} MiB` : `${last?.rss[service] ?? '-'} MiB`,
    percent(g),
    ...(results.anonGrowth ? [percent(results.anonGrowth[service])] : []),
    ...(results.youngGrowth ? [mibChange(results.youngGrowth[service])] : []),
    ...(results.heapGrowth ? [mibChange(results.heapGrowth[service])] : []),
    percent(trendOf(trend[service])),
  ]);
  const estate = results.estateMinutes
    ? `a new storm each minute, with alerts of its own, on services that repeat every ${results.estateMinutes} minutes`
    : 'a new storm each minute on services never seen before';
  const settings = Object.entries(results.retentionSettings ?? {})
    .map(
      ([service, env]) =>
        `${service} ${Object.entries(env)
          .map(([k, v]) => `\`${k}=${v}\``)
          .join(', ')}`,
    )
    .join('; ');
  const policyWindows =
    results.policyWindowsAtMostS === undefined
      ? ''
      : `; the executor's guardrail policy, the demo's with every window (rate limits, settling, plan expiry, circuit breaker) cut to at most ${results.policyWindowsAtMostS} s, since it keeps ended plans as long as the policy's longest window`;
  const retention =
    results.retention === 'short'
      ? ` Every store a service bounds by age or count was bounded to a few minutes of this load (\`--retention short\`: ${settings}${policyWindows}), so each is full by minute ${results.baseMinute}: the growth after it is what nothing bounds. With the shipped settings those stores fill for hours.`
      : '';
  const allocator = results.allocators
    ? ` Memory allocator: ${allocatorsOf(results.allocators, Object.keys(results.growth))}.`
    : '';
  const ingest = ingestTrafficSaid(results);
  return [
    markdownTable(
      [
        'service',
        'RSS at start',
        `at minute ${results.baseMinute}`,
        'at the end',
        'growth',
        ...(results.anonGrowth ? ['growth of its anonymous part'] : []),
        ...(results.youngGrowth ? ["V8's young generation"] : []),
        ...(results.heapGrowth ? ["V8's whole heap"] : []),
        'trend',
      ],
      rows,
    ),
    `${results.minutes} minutes of the loop under ${results.alertsPerS} alerts/s (${estate}) and ${results.shopRps} shop requests/s; ${growthEnds(results)}. The anonymous part of RSS is what the process allocated, without the pages of mapped files (code, model weights) it has touched.${results.youngGrowth ? " V8's young generation: its committed size from the service's own /metrics; V8 grows it under allocation pressure up to two semi-spaces of 16 MiB and seldom gives it back, so growth there is bounded." : ''}${results.heapGrowth ? " V8's whole heap: every heap space, committed, from the same /metrics; what the anonymous part grew beyond it is native memory (allocators, add-ons, buffers)." : ''} Trend: the median slope of RSS over every pair of minutes after minute ${results.baseMinute} (Theil–Sen), over the window, as a share of the fitted level at minute ${results.baseMinute}; a heap that grows and is collected again does not move it, a steady leak does. Target: < ${SOAK_GROWTH_TARGET_PERCENT}% RSS growth after minute ${results.baseMinute}.${ingest}${retention}${allocator} Run of ${results.date}, from \`bench/results/soak.json\` (\`npm run bench:soak\`).`,
  ].join('\n\n');
}

/** What went through ingest over the soak, when the run recorded it (from 2026-12-06 on). */
function ingestTrafficSaid(results: SoakResults): string {
  const traffic = summariseIngestTraffic(results.series);
  if (!traffic) return '';
  const thousands = (n: number) => n.toLocaleString('en-US');
  const refused = Object.entries(traffic.rejected)
    .map(([reason, n]) => `${thousands(n)} ${reason}`)
    .join(', ');
  const refusals =
    traffic.refusingMinutes.length === 0
      ? 'refused nothing'
      : `refused requests in minutes ${minuteRanges(traffic.refusingMinutes)} (${refused}; the storms' sender retries each a second later)`;
  return ` Ingest took ${thousands(traffic.accepted)} alerts, ${refusals}, and held at most ${thousands(traffic.maxInFlight)} alerts waiting for Kafka at once (polled every 2 s).`;
}

const RENDERERS: Record<string, (json: never) => string> = {
  planner: renderPlanner as (json: never) => string,
  lifecycle: renderLifecycle as (json: never) => string,
  feedback: renderFeedback as (json: never) => string,
  'rca-real': renderRcaReal as (json: never) => string,
  'rca-synthetic': renderRcaSynthetic as (json: never) => string,
  startup: renderStartup as (json: never) => string,
  history: renderHistory as (json: never) => string,
  loop: renderLoop as (json: never) => string,
  faults: renderFaults as (json: never) => string,
  soak: renderSoak as (json: never) => string,
  ingest: renderIngest as (json: never) => string,
  correlation: renderCorrelation as (json: never) => string,
  guardrails: renderGuardrails as (json: never) => string,
  'rca-latency': renderRcaLatency as (json: never) => string,
};

/** Sections rendered from several result files: name -> renderer over the results directory. */
const COMPOSITE_RENDERERS: Record<string, (resultsDir: string) => string> = {
  status: (resultsDir) => renderStatus(readStatusInputs(resultsDir)),
};

/** The result files the status table reads; a file not there is left out. */
function readStatusInputs(resultsDir: string): StatusInputs {
  const inputs: Record<string, unknown> = {};
  for (const name of STATUS_INPUTS) {
    const file = join(resultsDir, `${name}.json`);
    if (existsSync(file)) inputs[name] = JSON.parse(readFileSync(file, 'utf8'));
  }
  return inputs as StatusInputs;
}

/** The README with every marked section rendered from its committed result file(s). */
export function renderReadme(readme: string, resultsDir: string): string {
  return readme.replace(
    /<!-- results:([a-z0-9-]+) -->\n[\s\S]*?<!-- \/results:\1 -->/g,
    (whole, name: string) => {
      const wrap = (body: string) =>
        `<!-- results:${name} -->\n\n${body}\n\n<!-- /results:${name} -->`;
      const composite = COMPOSITE_RENDERERS[name];
      if (composite) return wrap(composite(resultsDir));
      const render = RENDERERS[name];
      const file = join(resultsDir, `${name}.json`);
      if (!render || !existsSync(file)) return whole;
      return wrap(render(JSON.parse(readFileSync(file, 'utf8')) as never));
    },
  );
}

/** Services grouped by the allocator they ran with: `jemalloc for a and b; glibc's default for c`. */
function allocatorsOf(
  allocators: Record<string, Record<string, string>>,
  services: string[],
): string {
  const groups = new Map<string, string[]>();
  for (const service of services) {
    const env = allocators[service];
    const name = env && Object.keys(env).length > 0 ? allocatorName(env) : "glibc's default";
    groups.set(name, [...(groups.get(name) ?? []), service]);
  }
  return [...groups].map(([name, names]) => `${name} for ${listOf(names)}`).join('; ');
}

/** "jemalloc" for a preload of it, else the glibc tunables set, as `NAME=VALUE`. */
function allocatorName(env: Record<string, string>): string {
  if (env['LD_PRELOAD']?.includes('jemalloc')) return 'jemalloc';
  return `glibc with ${Object.entries(env)
    .map(([k, v]) => `\`${k}=${v}\``)
    .join(' and ')}`;
}

/** How the soak's growth read its two ends: older runs took means of three samples. */
function growthEnds(results: SoakResults): string {
  const w = results.growthWindow;
  return w
    ? `growth is from the median of the ${w} samples from minute ${results.baseMinute} on to the median of the last ${w}`
    : `the figures at minute ${results.baseMinute} and at the end are means of three samples`;
}
