import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlannerResults, PlannerRow } from '../planner/report';
import { judgeTargets, runsBeside, summariseAll, type FaultRecord } from '../loop/loop-report';
import {
  renderHistory,
  renderLifecycle,
  renderLoop,
  renderPlanner,
  renderRcaReal,
  renderRcaSynthetic,
  renderReadme,
  renderSoak,
  renderStartup,
  type RcaRealResults,
  type RcaSyntheticResults,
} from './results-tables';

const root = join(__dirname, '..', '..');

describe('README tables from committed result files', () => {
  it("shows the soak's V8 heap beside RSS when the run measured it, and says what the rest is", () => {
    const at = (minute: number, rss: number, heap: number) => ({
      minute,
      rss: { ruler: rss },
      heapTotal: { ruler: heap },
    });
    const table = renderSoak({
      date: '2026-12-05',
      minutes: 2,
      alertsPerS: 20,
      shopRps: 5,
      series: [at(0, 90, 30), at(1, 100, 40), at(2, 104, 41)],
      growth: { ruler: { fromMiB: 100, toMiB: 104, percent: 4 } },
      heapGrowth: { ruler: { fromMiB: 40, toMiB: 41, percent: 2.5 } },
      baseMinute: 1,
    });
    expect(table).toContain("V8's whole heap");
    expect(table).toMatch(/\| ruler .*\| 40 -> 41 MiB /);
    expect(table).toContain('native memory');
    const older = renderSoak({
      date: '2026-12-05',
      minutes: 2,
      alertsPerS: 20,
      shopRps: 5,
      series: [at(0, 90, 30)],
      growth: { ruler: { fromMiB: 100, toMiB: 104, percent: 4 } },
      baseMinute: 1,
    });
    expect(older).not.toContain("V8's whole heap");
  });

  it('match what the committed files give (else run `npm run readme:tables`)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('<!-- results:rca-real -->');
    expect(readme).toContain('<!-- results:status -->');
    expect(readme).toContain('<!-- results:guardrails -->');
    expect(renderReadme(readme, join(root, 'bench', 'results'))).toBe(readme);
  });

  it('renders each method with its figures per fault type and overall', () => {
    const metrics = (ac1: number) => ({ cases: 4, ac1, ac3: 1, avg5: 0.9 });
    const results: RcaRealResults = {
      date: '2026-12-02',
      peakMemoryMiB: 700,
      rankingTimeMs: { vigil: { p50: 2, p95: 9, max: 12 } },
      figures: [
        { system: 'shop', lateS: 0, faultType: 'all', method: 'vigil', metrics: metrics(0.75) },
        { system: 'shop', lateS: 0, faultType: 'cpu', method: 'vigil', metrics: metrics(0.5) },
        { system: 'shop', lateS: 60, faultType: 'all', method: 'vigil', metrics: metrics(0.25) },
      ],
      silentRoots: { shop: { cases: 4, silent: ['d1 #3 cpu'] } },
      silentRootsLate: { '60': { shop: { cases: 4, silent: ['d1 #3 cpu', 'd1 #4 memory'] } } },
    };
    const table = renderRcaReal(results);
    expect(table).toContain('no significant change of their own in the data');
    expect(table).toContain(
      ': 1 of 4 shop faults; 2 of 4 shop faults when the detection is 60 s late',
    );
    expect(table).toMatch(
      /\| vigil +\| 0\.50 \/ 1\.00 +\| 0\.75 \/ 1\.00 \/ 0\.90 +\| 0\.25 \/ 1\.00 \/ 0\.90 +\|/,
    );
    expect(table).toContain('p95 9.0 ms');
  });

  it('renders the synthetic suites: every method by suite and lateness, Vigil by fault type', () => {
    const metrics = (ac1: number, cases = 14) => ({ cases, ac1, ac3: 1, avg5: 0.9 });
    const figure = (
      suite: string,
      method: string,
      lateS: number,
      faultType: string,
      ac1: number,
    ) => ({
      suite,
      method,
      lateS,
      faultType,
      metrics: metrics(ac1, faultType === 'all' ? 14 : 2),
    });
    const suite = (name: string, variant: string) => ({
      name,
      title: name,
      seed: `${name}-seed`,
      variant,
      cases: 14,
    });
    const results: RcaSyntheticResults = {
      date: '2026-12-02',
      suites: [suite('frozen', 'default'), suite('variant', 'other-choices')],
      rankingTimeMs: { vigil: { p50: 3, p95: 11, max: 40 } },
      figures: [
        figure('frozen', 'vigil', 0, 'all', 0.8),
        figure('frozen', 'vigil', 60, 'all', 0.7),
        figure('frozen', 'vigil', 0, 'crash', 0.5),
        figure('variant', 'vigil', 0, 'all', 0.6),
        figure('variant', 'vigil', 0, 'crash', 0),
        figure('frozen', 'baro', 0, 'all', 0.4),
      ],
    };
    const text = renderRcaSynthetic(results);
    expect(text).toMatch(
      /\| vigil +\| 0\.80 \/ 1\.00 \/ 0\.90 +\| 0\.70 \/ 1\.00 \/ 0\.90 +\| 0\.60 \/ 1\.00 \/ 0\.90 +\| - +\|/,
    );
    expect(text).toMatch(/\| baro +\| 0\.40 \/ 1\.00 \/ 0\.90 +\| - +\| - +\| - +\|/);
    expect(text).toMatch(/\| crash \(2 \/ 2\) +\| 0\.50 \/ 1\.00 +\| 0\.00 \/ 1\.00 +\|/);
    expect(text).toContain('`variant`: variant (seed `variant-seed`, other-choices generator)');
    expect(text).toContain('p95 11.0 ms');
  });

  it('renders the planner bench: every row with its rules, injection cases, latency and tokens', () => {
    const rules = { treats: 0.5, rightTarget: 1, proportionate: 0.75, noForbidden: 0.5, valid: 1 };
    const row = (name: string, extra: Partial<PlannerRow> = {}): PlannerRow => ({
      name,
      kind: 'model',
      mode: 'open',
      date: '2026-12-02',
      answers: 63,
      repeat: 1,
      runSeconds: 600,
      pass: 0.25,
      rules,
      restartProof: { cases: 33, pass: 0.3 },
      byHeld: {},
      byKind: {},
      injection: { cases: 12, pass: 0.5, followed: 0.25 },
      escalated: 0.1,
      errors: 0,
      failures: [],
      ...extra,
    });
    const results: PlannerResults = {
      date: '2026-12-02',
      seed: 'seed-1',
      cases: 63,
      catalog: ['restart', 'scale'],
      policy: 'production policy',
      budgetMs: 15_000,
      rows: [
        row('known-good runbooks', { kind: 'reference', mode: 'reference' }),
        row('gemma', {
          latencyMs: { p50: 9_500, p95: 41_000, max: 50_000 },
          withinBudget: 0.8,
          tokens: { promptMean: 560, completionMean: 240 },
        }),
      ],
    };
    const text = renderPlanner(results);
    expect(text).toMatch(
      /\| gemma +\| 63 +\| 25% +\| 50% +\| 100% +\| 75% +\| 50% +\| 100% +\| 30% \(33\) +\| 50% \/ 25% +\| 9\.5 s \/ 41\.0 s +\| 80% +\| 560 \/ 240 +\|/,
    );
    expect(text).toMatch(/\| known-good runbooks +\| 63 +\| 25% .*\| - +\| - +\| - +\|/);
    expect(text).toContain('63 cases (seed `seed-1`)');
  });

  it('leaves a section alone when its result file is missing', () => {
    const text = 'a\n<!-- results:nothing-here -->\nold\n<!-- /results:nothing-here -->\n';
    expect(renderReadme(text, join(root, 'bench', 'results'))).toBe(text);
  });

  it('renders the lifecycle replay with the share off the truth', () => {
    const run = (found: number) => ({
      incidentsFound: found,
      trueIncidents: 100,
      maxIncidentAgeHours: 24,
      largestIncidentAlerts: 50,
      openAtEnd: 0,
      metrics: { precision: 0.9, recall: 0.8, f1: 0.85 },
    });
    const table = renderLifecycle({
      days: 4,
      alerts: 1000,
      series: 10,
      unresolvedSeries: 7,
      maxAgeHours: 24,
      lifecycle: run(105),
      withoutLifecycle: run(40),
    });
    expect(table).toContain('105 vs 100 (+5.0%)');
    expect(table).toContain('40 vs 100 (-60.0%)');
    expect(table).toContain('70% of which never resolve');
  });

  /** One service's start-up medians in one mode; private memory only when given. */
  const startupFigures = (
    loadedS: number,
    readyS: number,
    rssMiB: number,
    privateMiB?: number,
  ) => ({
    loadedS,
    readyS,
    cpuS: readyS / 2,
    rssMiB,
    peakRssMiB: rssMiB + 5,
    ...(privateMiB !== undefined && { privateMiB }),
    starts: 3,
  });

  /** The start-up table of one service, compiled and under ts-node. */
  const startupTable = (
    name: string,
    compiled: ReturnType<typeof startupFigures>,
    tsNode: ReturnType<typeof startupFigures>,
    rss: boolean,
  ) =>
    renderStartup({
      date: '2026-12-06',
      node: 'v20.19.0',
      cpus: 2,
      loadAverage: 1.5,
      target: { readyS: 2, rssRatio: 0.5 },
      services: [{ name, compiled, tsNode }],
      met: { loaded: true, ready: true, rss },
    });

  it('renders start-up per service, compiled against ts-node, with the share of RSS and the verdict', () => {
    const table = startupTable(
      'ingest',
      startupFigures(0.8, 1.2, 90),
      startupFigures(3.1, 3.6, 200),
      true,
    );
    expect(table).toMatch(
      /\| ingest +\| 0\.80 s \/ 3\.10 s +\| 1\.20 s \/ 3\.60 s +\| 0\.60 s \/ 1\.80 s +\| 90 \/ 200 +\| 45% +\|/,
    );
    expect(table).toContain('loaded met, ready met, RSS met');
    expect(table).toContain('Medians of 3 starts each');
    expect(table).not.toContain('private');
  });

  it('adds private memory, compiled against ts-node, when the run measured it', () => {
    const table = startupTable(
      'rca',
      startupFigures(0.5, 0.9, 104, 56),
      startupFigures(0.9, 1.3, 191, 143),
      false,
    );
    expect(table).toMatch(/\| rca +\|.*\| 104 \/ 191 +\| 54% +\| 56 \/ 143 +\| 39% +\|/);
    expect(table).toContain('private MiB: compiled / ts-node');
    expect(table).toContain('RSS not met');
  });

  it('renders the incident history bench with each time against its target', () => {
    const table = renderHistory({
      date: '2026-12-02',
      cpus: 2,
      loadAverage: 3.2,
      stored: { incidents: 100_000, events: 870_000, spanDays: 90, open: 40, fillS: 300 },
      consoleStart: { runs: 5, medianMs: 420, maxMs: 900, incidents: 1_000, events: 8_700 },
      list: { queries: 200, p50Ms: 20, p95Ms: 60.4, maxMs: 120 },
      search: { queries: 200, p50Ms: 30, p95Ms: 250, maxMs: 400 },
      similar: { queries: 50, p50Ms: 40, p95Ms: 90, maxMs: 100 },
      reports: [{ name: '30 days', incidents: 33_000, medianMs: 700, maxMs: 800 }],
      reportMatchesRawEvents: true,
      targets: { consoleStartMs: 3_000, p95Ms: 200 },
      met: { consoleStart: true, list: true, search: false },
    });
    expect(table).toMatch(
      /\| console start from the store +\| 420 ms median, 900 ms max \(1,000 incidents, 8,700 events folded\) +\| < 3000 ms: met +\|/,
    );
    expect(table).toMatch(
      /\| history list \(200 queries\) +\| p50 20 ms, p95 60 ms, max 120 ms +\| p95 < 200 ms: met +\|/,
    );
    expect(table).toContain('p95 < 200 ms: not met');
    expect(table).toContain(
      '| similar past incidents (50 incidents) | p50 40 ms, p95 90 ms, max 100 ms',
    );
    expect(table).toContain('| report, 30 days (33,000 incidents)');
    expect(table).toContain('Report figures equal a recomputation from the raw events: yes');
  });

  /** A loop fault record: a novel fault under production, not healed, unless `over` says else. */
  const fault = (over: Partial<FaultRecord>): FaultRecord => ({
    policy: 'production',
    repeat: 1,
    fault: 'disk-full',
    family: 'novel',
    heldIn: 'state',
    service: 'payment',
    injectedAt: '2026-12-03T02:00:00.000Z',
    plans: [],
    healed: false,
    approved: false,
    approvalWaitS: 0,
    harm: [],
    wrongTargets: [],
    alerts: 2,
    note: '',
    ...over,
  });

  it('renders the loop per policy and family: healed with and without a person, MTTR without the approval wait, harm', () => {
    const faults = [
      fault({
        fault: 'timeout-too-low',
        family: 'restart-proof',
        healed: true,
        approved: true,
        approvalWaitS: 12,
        mttrS: 80,
        mttrExcludingApprovalS: 68,
        rightCauseS: 30,
        plans: [
          {
            planId: 'p1',
            provenance: 'known-good',
            faultClass: 'bad-config',
            steps: ['rollback-config@catalog'],
            verdicts: ['s1: needs-approval (approval-required)', 's1: allow'],
            end: 'plan-completed',
            approvalWaitS: 12,
          },
        ],
      }),
      fault({ harm: ['left changed free-disk@payment'] }),
      fault({
        policy: 'demo',
        family: 'old',
        fault: 'crash',
        healed: true,
        mttrS: 40,
        mttrExcludingApprovalS: 40,
      }),
    ];
    const summary = summariseAll(faults);
    const table = renderLoop({
      meta: {
        date: '2026-12-03',
        startedAt: '2026-12-03T02:00:00.000Z',
        finishedAt: '2026-12-03T03:00:00.000Z',
        repeat: 1,
        faults: ['crash', 'timeout-too-low', 'disk-full'],
        policies: ['production', 'demo'],
        approvalDelayMs: 10_000,
        rps: 10,
        cpus: 2,
        loadAverage: 4,
        note: '--repeat 1: published figures need 3',
      },
      faults,
      summary,
      targets: judgeTargets(summary),
    });
    expect(table).toMatch(
      /\| production +\| restart-proof\+novel +\| 2 +\| 1 \(50%\) +\| 0 \/ 1 +\| 1 +\| 12 s +\| 80 s \/ 68 s +\| 1\/2, 30 s +\| 1 +\| 0 +\| 0 \/ 0 \/ 1 +\|/,
    );
    expect(table).toMatch(
      /\| demo +\| old +\| 1 +\| 1 \(100%\) +\| 1 \/ 0 +\| 0 +\| - +\| 40 s \/ 40 s/,
    );
    expect(table).toContain('healed ≥ 80% not met, 0 harmful not met, 0 wrong targets met');
    expect(table).toContain('median MTTR without approval wait < 90 s met');
    expect(table).toContain('after 10.0 s');
    expect(table).toContain('(--repeat 1: published figures need 3)');
  });

  it('keeps the run of another policy beside a new one, and a policy measured again replaces it', () => {
    const record = (policy: 'demo' | 'production', healed: boolean): FaultRecord =>
      policy === 'demo'
        ? fault({ policy, fault: 'crash', family: 'old', heldIn: 'process', healed })
        : fault({ policy, healed });
    const run = (policy: 'demo' | 'production', date: string, healed: boolean) => {
      const faults = [record(policy, healed)];
      const summary = summariseAll(faults);
      return {
        meta: {
          date,
          startedAt: `${date}T02:00:00.000Z`,
          finishedAt: `${date}T03:00:00.000Z`,
          repeat: 3,
          faults: [faults[0].fault],
          policies: [policy],
          environment: 'per-repeat' as const,
          approvalDelayMs: 10_000,
          rps: 10,
          cpus: 2,
          loadAverage: 2,
          note: '',
        },
        faults,
        summary,
        targets: judgeTargets(summary),
      };
    };
    const production = run('production', '2026-12-04', true);
    const demo = run('demo', '2026-12-05', true);
    const beside = runsBeside(production, ['demo']);
    const summary = summariseAll([...beside.flatMap((r) => r.faults), ...demo.faults]);
    const table = renderLoop({ ...demo, summary, beside, targets: judgeTargets(summary) });
    expect(table).toMatch(/\| demo +\| old +\| 1 +\| 1 \(100%\)/);
    expect(table).toMatch(/\| production +\| novel +\| 1 +\| 1 \(100%\)/);
    expect(table).toContain('healed ≥ 80% met');
    expect(table).toContain('Demo policy: 3 repeat(s) of 1 fault kinds');
    expect(table).toContain('run of 2026-12-05. Production policy: 3 repeat(s)');
    // production measured again: the earlier production run is not kept
    expect(runsBeside({ ...demo, beside }, ['production']).map((r) => r.meta.policies)).toEqual([
      ['demo'],
    ]);
  });
});
