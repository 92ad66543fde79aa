import { type MetricSeries, parseRcaEvalCase, scoreMetric } from '@vigil/rca';
import { createHash } from 'node:crypto';
import { type GeneratedCase, type RcaCaseSuite, generateRcaCases } from './case-generator';
import { FAULT_TYPES } from './faults';
import { formatInjectTime, formatRcaEvalCsv } from './rcaeval-writer';
import { SYSTEMS } from './topologies';

function digest(suite: RcaCaseSuite): string {
  return createHash('sha256').update(JSON.stringify(suite)).digest('hex');
}

/** The highest metric score of a service in a case (Vigil's per-metric change score). */
function serviceScore(c: GeneratedCase, service: string, metrics?: string[]): number {
  const series = c.rcaCase.series.filter(
    (s: MetricSeries) => s.service === service && (!metrics || metrics.includes(s.metric)),
  );
  return Math.max(0, ...series.map((s) => scoreMetric(s, c.injectTime)?.score ?? 0));
}

function callersOf(c: GeneratedCase, service: string): string[] {
  return c.rcaCase.topology.edges
    .filter((e) => e.to === service && e.type !== 'RUNS_ON')
    .map((e) => e.from);
}

describe('the RCA fault cases', () => {
  let suite: RcaCaseSuite;
  beforeAll(() => {
    suite = generateRcaCases();
  });

  it('is deterministic: the same seed gives the same bytes, another seed other cases', () => {
    // one replicate per fault type keeps this quick; each case has its own stream, so the
    // replicates must equal the first ones of the full suite
    const small = generateRcaCases({ casesPerType: 1 });
    expect(digest(generateRcaCases({ casesPerType: 1 }))).toBe(digest(small));
    const firsts = suite.cases.filter((c) => c.id.endsWith('-1'));
    expect(JSON.stringify(small.cases)).toBe(JSON.stringify(firsts));
    const other = generateRcaCases({ seed: 'another-seed', casesPerType: 1 });
    expect(digest(other)).not.toBe(digest({ ...small, seed: 'another-seed' }));
  });

  it('generates one system and fault type alone exactly as within the suite', () => {
    const alone = generateRcaCases({ systems: ['sock-shop'], faultTypes: ['crash'] }).cases;
    const within = suite.cases.filter((c) => c.system === 'sock-shop' && c.faultType === 'crash');
    expect(JSON.stringify(alone)).toBe(JSON.stringify(within));
  });

  it('has at least 50 labelled cases covering every fault type on both systems of 10+ services', () => {
    expect(suite.cases.length).toBeGreaterThanOrEqual(50);
    for (const system of SYSTEMS) {
      expect(system.services.length).toBeGreaterThanOrEqual(10);
      for (const type of FAULT_TYPES) {
        const cases = suite.cases.filter((c) => c.system === system.name && c.faultType === type);
        expect(cases.length).toBeGreaterThanOrEqual(4);
      }
    }
    for (const c of suite.cases) {
      expect(c.rcaCase.topology.services).toContain(c.rootService);
      expect(c.rcaCase.anomalyStart).toBe(c.injectTime);
      expect(c.background.length).toBeGreaterThanOrEqual(1);
      expect(c.background.flatMap((b) => b.services)).not.toContain(c.rootService);
    }
  });

  it('keeps series well-formed: ascending times, finite values, one series per service metric', () => {
    for (const c of suite.cases) {
      for (const s of c.rcaCase.series) {
        expect(s.times.length).toBe(s.values.length);
        expect(s.values.every(Number.isFinite)).toBe(true);
        expect(s.times.every((t, i) => i === 0 || t > s.times[i - 1])).toBe(true);
      }
    }
  });

  it('makes every fault visible at the root or at a caller (subtle ones only just)', () => {
    // unaffected services of a case score about 1.5-3 from noise alone
    const invisible = suite.cases.filter((c) => {
      const near = [c.rootService, ...callersOf(c, c.rootService)];
      const bar = c.traits.includes('subtle') ? 3 : 5;
      return Math.max(...near.map((s) => serviceScore(c, s))) < bar;
    });
    expect(invisible.map((c) => c.id)).toEqual([]);
  });

  it('propagates latency, errors, crashes and lost dependencies to the callers', () => {
    const travelling = suite.cases.filter((c) =>
      ['latency', 'errors', 'crash', 'dependency-loss'].includes(c.faultType),
    );
    const reached = travelling.filter((c) =>
      callersOf(c, c.rootService).some(
        (caller) => serviceScore(c, caller, ['latency_p50', 'latency_p99', 'error_rate']) >= 5,
      ),
    );
    // callers with a fallback (an ad-less page, an unsent mail) may legitimately show nothing
    expect(reached.length / travelling.length).toBeGreaterThanOrEqual(0.8);
  });

  it('lets a crashed root go missing or zero, and its callers fail', () => {
    for (const c of suite.cases.filter((x) => x.faultType === 'crash')) {
      const cpu = c.rcaCase.series.find((s) => s.service === c.rootService && s.metric === 'cpu');
      const expected = c.traits.includes('metrics-zero') ? 'zero' : 'missing';
      const after = cpu?.values.filter((_, i) => (cpu?.times[i] ?? 0) >= c.injectTime) ?? [];
      const steps = (30 * 60_000 - (c.injectTime - (cpu?.times[0] ?? 0))) / 5000;
      if (expected === 'zero') expect(after).toContain(0);
      else expect(after.length).toBeLessThan(steps * 0.9);
    }
  });

  it('round-trips a case through the RCAEval layout', () => {
    const c = suite.cases[0];
    const back = parseRcaEvalCase(formatRcaEvalCsv(c.rcaCase), formatInjectTime(c.rcaCase), {
      topology: c.rcaCase.topology,
    });
    expect(back.anomalyStart).toBe(c.rcaCase.anomalyStart);
    expect(back.series.map((s) => `${s.service}_${s.metric}`)).toEqual(
      c.rcaCase.series.map((s) => `${s.service}_${s.metric}`),
    );
    expect(back.series).toEqual(
      c.rcaCase.series.map(({ service, metric, times, values }) => ({
        service,
        metric,
        times,
        values,
      })),
    );
  });
});
