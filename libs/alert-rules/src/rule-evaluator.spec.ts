import type { AlertRule } from './alert-rule';
import { labelsFingerprint } from './alert-fingerprint';
import { RuleEvaluator } from './rule-evaluator';
import { metricBatch, simulate, t0, ticksWhere } from './testing/metric-batches';

const cpuHigh: AlertRule = {
  alert: 'CpuHigh',
  expr: {
    kind: 'threshold',
    value: { kind: 'range', fn: 'last', select: { metric: 'cpu' }, windowMs: 10_000 },
    op: '>',
    threshold: 0.9,
  },
  for: 30_000,
  severity: 'warning',
  unit: 'ratio',
  annotations: {
    summary: '{{service}} CPU at {{value}}',
    description: 'instance {{instance}} of {{service}}',
  },
};

const web = { service: 'web', instance: 'web-1' };
const cpuAt =
  (value: number, target = web) =>
  (at: number) => [metricBatch(target, at, [['cpu', value]])];
const clock = (seconds: number) => ({
  fromMs: t0,
  toMs: t0 + seconds * 1_000,
  sampleEveryMs: 1_000,
  evaluateEveryMs: 5_000,
});

describe('RuleEvaluator', () => {
  it('keeps an alert pending until `for` has elapsed, then fires it once', () => {
    const evaluator = new RuleEvaluator([cpuHigh]);
    const ticks = simulate(evaluator, clock(60), cpuAt(0.95));

    expect(ticksWhere(ticks, 'CpuHigh', 'pending')).toEqual([t0]);
    expect(ticksWhere(ticks, 'CpuHigh', 'firing')).toEqual([t0 + 30_000]);
    expect(ticks.filter((tick) => tick.at < t0 + 30_000).flatMap((t) => t.notifications)).toEqual(
      [],
    );
    const [fired] = ticks.find((tick) => tick.at === t0 + 30_000)?.notifications ?? [];
    expect(fired).toMatchObject({
      rule: 'CpuHigh',
      state: 'firing',
      activeAt: t0,
      startsAt: t0 + 30_000,
      labels: { alertname: 'CpuHigh', severity: 'warning', service: 'web', instance: 'web-1' },
      annotations: { summary: 'web CPU at 95%', description: 'instance web-1 of web' },
    });
  });

  it('forgets a pending alert whose condition clears before `for`: nothing is ever sent', () => {
    const evaluator = new RuleEvaluator([cpuHigh]);
    const ticks = simulate(evaluator, clock(60), (at) => cpuAt(at < t0 + 20_000 ? 0.95 : 0.2)(at));
    expect(ticksWhere(ticks, 'CpuHigh', 'inactive')).toEqual([t0 + 20_000]);
    expect(ticks.flatMap((tick) => tick.notifications)).toEqual([]);
    expect(evaluator.activeAlerts()).toEqual([]);
  });

  it('resolves a firing alert when its condition clears, with the end time', () => {
    const evaluator = new RuleEvaluator([cpuHigh]);
    const ticks = simulate(evaluator, clock(90), (at) => cpuAt(at < t0 + 50_000 ? 0.95 : 0.3)(at));

    expect(ticksWhere(ticks, 'CpuHigh', 'resolved')).toEqual([t0 + 50_000]);
    const resolved = ticks.find((tick) => tick.at === t0 + 50_000)?.notifications;
    expect(resolved).toEqual([
      expect.objectContaining({ state: 'resolved', startsAt: t0 + 30_000, endsAt: t0 + 50_000 }),
    ]);
    // The last firing value stays in the text: "it was at 95%" is what the resolved note means.
    expect(resolved?.[0].annotations.summary).toBe('web CPU at 95%');
    expect(evaluator.activeAlerts()).toEqual([]);
  });

  it('does not flap on a single good sample within keepFiringFor', () => {
    const rule = { ...cpuHigh, keepFiringFor: 15_000 };
    const dip = (at: number) => at === t0 + 45_000; // one sample, one evaluation
    const ticks = simulate(new RuleEvaluator([rule]), clock(80), (at) =>
      cpuAt(dip(at) ? 0.1 : 0.95)(at),
    );
    expect(ticksWhere(ticks, 'CpuHigh', 'firing')).toEqual([t0 + 30_000]);
    expect(ticksWhere(ticks, 'CpuHigh', 'resolved')).toEqual([]);

    const without = simulate(new RuleEvaluator([cpuHigh]), clock(80), (at) =>
      cpuAt(dip(at) ? 0.1 : 0.95)(at),
    );
    expect(ticksWhere(without, 'CpuHigh', 'resolved')).toEqual([t0 + 45_000]);
  });

  it('still resolves once the condition has stayed clear for keepFiringFor', () => {
    const rule = { ...cpuHigh, keepFiringFor: 15_000 };
    const ticks = simulate(new RuleEvaluator([rule]), clock(90), (at) =>
      cpuAt(at < t0 + 40_000 ? 0.95 : 0.1)(at),
    );
    // Last held at 35 s; clear from 40 s; kept firing until 15 s after the last hold.
    expect(ticksWhere(ticks, 'CpuHigh', 'resolved')).toEqual([t0 + 50_000]);
  });

  it('gives every service and instance its own alert, with a fingerprint stable across evaluations', () => {
    const evaluator = new RuleEvaluator([cpuHigh]);
    const targets = [
      { service: 'web', instance: 'web-1' },
      { service: 'web', instance: 'web-2' },
      { service: 'api', instance: 'api-1' },
    ];
    const hot = (at: number) => targets.map((target) => metricBatch(target, at, [['cpu', 0.97]]));
    simulate(evaluator, clock(30), hot);
    const first = evaluator.activeAlerts().map((alert) => alert.fingerprint);
    simulate(evaluator, { ...clock(60), fromMs: t0 + 31_000 }, hot);
    const later = evaluator.activeAlerts().map((alert) => alert.fingerprint);

    expect(first).toHaveLength(3);
    expect(new Set(first).size).toBe(3);
    expect(later).toEqual(first);
    for (const alert of evaluator.activeAlerts())
      expect(alert.fingerprint).toBe(labelsFingerprint(alert.labels));
  });

  it('re-sends a firing alert every repeat interval, so a lost webhook heals', () => {
    const evaluator = new RuleEvaluator([cpuHigh], { repeatIntervalMs: 20_000 });
    const ticks = simulate(evaluator, clock(100), cpuAt(0.95));
    const sentAt = ticks.filter((tick) => tick.notifications.length > 0).map((tick) => tick.at);
    expect(sentAt).toEqual([t0 + 30_000, t0 + 50_000, t0 + 70_000, t0 + 90_000]);
  });

  it('re-sends a resolved alert for resendResolvedFor, then forgets it', () => {
    const evaluator = new RuleEvaluator([cpuHigh], {
      repeatIntervalMs: 20_000,
      resendResolvedForMs: 45_000,
    });
    const ticks = simulate(evaluator, clock(150), (at) => cpuAt(at < t0 + 40_000 ? 0.95 : 0.1)(at));
    const resolvedSends = ticks
      .filter((tick) => tick.notifications.some((alert) => alert.state === 'resolved'))
      .map((tick) => tick.at - t0);
    expect(resolvedSends).toEqual([40_000, 60_000, 80_000]);
    expect(evaluator.stats()).toMatchObject({ pending: 0, firing: 0, resolved: 0 });
  });

  it('starts over after a resolution: a new pending period and a new start time', () => {
    const evaluator = new RuleEvaluator([cpuHigh]);
    const hotAt = (at: number) => at < t0 + 40_000 || at >= t0 + 60_000;
    const ticks = simulate(evaluator, clock(120), (at) => cpuAt(hotAt(at) ? 0.95 : 0.1)(at));
    expect(ticksWhere(ticks, 'CpuHigh', 'firing')).toEqual([t0 + 30_000, t0 + 90_000]);
    expect(evaluator.activeAlerts()[0]).toMatchObject({
      activeAt: t0 + 60_000,
      startsAt: t0 + 90_000,
    });
  });

  it('fires at once with `for: 0`', () => {
    const evaluator = new RuleEvaluator([{ ...cpuHigh, for: 0 }]);
    const ticks = simulate(evaluator, clock(5), cpuAt(0.95));
    expect(ticks[0].transitions.map((t) => [t.from, t.to])).toEqual([['inactive', 'firing']]);
    expect(ticks[0].notifications).toHaveLength(1);
  });

  it('refuses an invalid rule set at construction, naming the rule', () => {
    expect(() => new RuleEvaluator([cpuHigh, cpuHigh])).toThrow(
      'CpuHigh: the alert name is used twice',
    );
  });

  it('adds the rule labels and a generator URL to its alerts', () => {
    const evaluator = new RuleEvaluator([{ ...cpuHigh, for: 0, labels: { team: 'shop' } }], {
      generatorURL: (rule) => `https://rules.example/${rule.alert}`,
    });
    evaluator.ingest(metricBatch(web, t0, [['cpu', 0.99]]));
    const [alert] = evaluator.evaluate(t0).notifications;
    expect(alert.labels.team).toBe('shop');
    expect(alert.generatorURL).toBe('https://rules.example/CpuHigh');
  });
});

describe('RuleEvaluator memory', () => {
  it('keeps only the samples the rules can read, however long it runs', () => {
    const evaluator = new RuleEvaluator([cpuHigh]); // reads 10 s
    simulate(evaluator, { ...clock(600), evaluateEveryMs: 60_000 }, cpuAt(0.5));
    // 10 s of 1 s samples, plus those since the last sweep at the last evaluation.
    expect(evaluator.stats().samples).toBeLessThanOrEqual(11);
    expect(evaluator.stats().series).toBe(1);
  });

  it('caps the samples of one series even when its producer floods it', () => {
    const evaluator = new RuleEvaluator([cpuHigh], { maxSamplesPerSeries: 50 });
    for (let ms = 0; ms < 5_000; ms++) evaluator.ingest(metricBatch(web, t0 + ms, [['cpu', 0.5]]));
    expect(evaluator.stats().samples).toBe(50);
  });

  it('forgets series silent past forgetSeriesAfter, and refuses new ones past maxSeries', () => {
    const evaluator = new RuleEvaluator([cpuHigh], { maxSeries: 3, forgetSeriesAfterMs: 60_000 });
    for (const pod of ['a', 'b', 'c', 'd'])
      evaluator.ingest(metricBatch({ service: 'web', instance: pod }, t0, [['cpu', 0.5]]));
    expect(evaluator.stats()).toMatchObject({ series: 3, droppedSeriesLimit: 1 });
    evaluator.evaluate(t0 + 61_000);
    expect(evaluator.stats()).toMatchObject({ series: 0, samples: 0 });
  });

  it('drops samples older than the series newest: a late batch cannot rewrite history', () => {
    const evaluator = new RuleEvaluator([{ ...cpuHigh, for: 0 }]);
    evaluator.ingest(metricBatch(web, t0 + 5_000, [['cpu', 0.2]]));
    evaluator.ingest(metricBatch(web, t0 + 4_000, [['cpu', 0.99]]));
    expect(evaluator.evaluate(t0 + 5_000).transitions).toEqual([]);
    expect(evaluator.stats().droppedOutOfOrder).toBe(1);
  });
});
