import type { MetricSeries } from '@vigil/rca';
import { ancestorsOf } from './background';
import { type GeneratedCase, generateRcaCases } from './case-generator';
import { SYSTEMS } from './topologies';
import { DEFAULT_ALERT_NAMES, OTHER_ALERT_NAMES } from './variant';

const names = (vocabulary: typeof DEFAULT_ALERT_NAMES): string[] => {
  const { down, ...rest } = vocabulary;
  return [
    ...Object.values(rest),
    ...(down.from === 'probe' ? [down.name] : [down.missing, down.zero]),
  ];
};

const seriesOf = (c: GeneratedCase, service: string, metric: string): MetricSeries | undefined =>
  c.rcaCase.series.find((s) => s.service === service && s.metric === metric);

describe('the other-choices generator variant', () => {
  const options = { seed: 'variant-spec', casesPerType: 2 };
  const plain = generateRcaCases(options).cases;
  const other = generateRcaCases({ ...options, variant: 'other-choices' }).cases;

  it('draws the same incidents as the default generator for the same seed', () => {
    expect(other.map((c) => [c.id, c.injectTime, c.lostDependency])).toEqual(
      plain.map((c) => [c.id, c.injectTime, c.lostDependency]),
    );
  });

  it('keeps a crashed root reporting: its series repeat their last value while it is down', () => {
    const crashes = other.filter((c) => c.faultType === 'crash');
    expect(crashes.length).toBeGreaterThan(0);
    for (const c of crashes) {
      expect(c.traits).toContain('metrics-stale');
      const cpu = seriesOf(c, c.rootService, 'cpu');
      const after = cpu?.values.filter((_, i) => (cpu?.times[i] ?? 0) >= c.injectTime) ?? [];
      const steps = (c.rcaCase.anomalyStart - (cpu?.times[0] ?? 0)) / 5000;
      // no gap beyond the odd lost scrape, no zeros, and runs of one repeated value
      expect(after.length).toBeGreaterThan((360 - steps) * 0.95);
      expect(after).not.toContain(0);
      const repeats = after.filter((v, i) => i > 0 && v === after[i - 1]).length;
      expect(repeats).toBeGreaterThan(after.length * 0.3);
    }
  });

  it('says a crashed root is gone with a probe alert of its own vocabulary', () => {
    const defaults = new Set(names(DEFAULT_ALERT_NAMES));
    const others = new Set(names(OTHER_ALERT_NAMES));
    const alerts = other.flatMap((c) => c.rcaCase.alerts ?? []);
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.filter((a) => !others.has(a.alertname) || defaults.has(a.alertname))).toEqual([]);
    for (const c of other.filter((x) => x.faultType === 'crash')) {
      const onRoot = (c.rcaCase.alerts ?? []).filter((a) => a.service === c.rootService);
      expect(onRoot.map((a) => a.alertname)).toContain('ServiceUnavailable');
    }
  });

  it('lets datastores report their latency', () => {
    for (const system of SYSTEMS) {
      const datastores = system.services.filter((s) => s.kind === 'datastore');
      const first = (cases: GeneratedCase[]) => cases.find((c) => c.system === system.name);
      for (const d of datastores) {
        expect(seriesOf(first(other) as GeneratedCase, d.name, 'latency_p99')).toBeDefined();
        expect(seriesOf(first(plain) as GeneratedCase, d.name, 'latency_p99')).toBeUndefined();
      }
    }
  });

  it('adds latency and error bumps on callers unrelated to the fault', () => {
    const noise = other.flatMap((c) =>
      c.background.filter((b) => b.kind.startsWith('caller-')).map((b) => ({ c, b })),
    );
    expect(noise.length).toBeGreaterThanOrEqual(2 * other.length * 0.9);
    for (const { c, b } of noise) {
      const system = SYSTEMS.find((s) => s.name === c.system);
      if (!system) throw new Error(`no system ${c.system}`);
      const [service] = b.services;
      expect(system.calls.some((call) => call.from === service)).toBe(true);
      expect([
        c.rootService,
        c.lostDependency,
        ...ancestorsOf(system, c.rootService),
      ]).not.toContain(service);
    }
    expect(plain.flatMap((c) => c.background).some((b) => b.kind.startsWith('caller-'))).toBe(
      false,
    );
  });
});
