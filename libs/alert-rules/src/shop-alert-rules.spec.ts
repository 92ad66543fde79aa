import type { Tick } from './testing/metric-batches';
import { simulate, t0 } from './testing/metric-batches';
import { FakeShop } from './testing/fake-shop';
import { RuleEvaluator } from './rule-evaluator';
import { validateRules } from './rule-validation';
import { shopAlertRules, shopServiceNames as shopServices } from './shop-alert-rules';

const mib = 1024 * 1024;
const s = (seconds: number) => t0 + seconds * 1_000;

/** Runs the shop for `seconds`, publishing and evaluating every 5 s, with faults along the way. */
function runShop(
  seconds: number,
  faults: (shop: FakeShop, atMs: number) => void = () => undefined,
) {
  const shop = new FakeShop(shopServices);
  const evaluator = new RuleEvaluator(shopAlertRules);
  const ticks = simulate(
    evaluator,
    { fromMs: t0, toMs: s(seconds), sampleEveryMs: 5_000, evaluateEveryMs: 5_000 },
    (at) => {
      faults(shop, at);
      return shop.publish(at, 5_000);
    },
  );
  return { ticks, evaluator };
}

/** `[second, alertname, service, state]` of every transition to firing or resolved. */
function notable(ticks: readonly Tick[]): [number, string, string, string][] {
  return ticks.flatMap((tick) =>
    tick.transitions
      .filter((t) => t.to === 'firing' || t.to === 'resolved')
      .map((t): [number, string, string, string] => [
        (tick.at - t0) / 1_000,
        t.alert.rule,
        t.alert.labels.service,
        t.to,
      ]),
  );
}

function firstFiring(ticks: readonly Tick[], rule: string) {
  for (const tick of ticks)
    for (const t of tick.transitions)
      if (t.alert.rule === rule && t.to === 'firing') return t.alert;
  return undefined;
}

describe('shop alert rules', () => {
  it('are a valid rule set', () => {
    expect(validateRules(shopAlertRules)).toEqual([]);
  });

  it('stay quiet for a healthy, jittery shop, through a process restart', () => {
    const { ticks, evaluator } = runShop(300, (shop, at) => {
      if (at === s(150)) shop.restart('frontend');
    });
    expect(notable(ticks)).toEqual([]);
    expect(evaluator.stats().pending).toBe(0);
  });

  it('page on a 5xx ratio above 5% after 15 s, for that service only, and resolve after the fix', () => {
    const { ticks } = runShop(360, (shop, at) => {
      if (at === s(60)) shop.set('payment', { errorRatio: 0.2 });
      if (at === s(200)) shop.set('payment', { errorRatio: 0.005 });
    });
    const events = notable(ticks);
    expect(events.map(([, rule, service]) => `${rule}/${service}`)).toEqual([
      'HighErrorRatio/payment',
      'HighErrorRatio/payment',
    ]);
    const [[firedAt], [resolvedAt, , , state]] = events;
    expect(firedAt).toBeGreaterThanOrEqual(60 + 15);
    expect(firedAt).toBeLessThanOrEqual(60 + 40);
    expect(state).toBe('resolved');
    expect(resolvedAt).toBeGreaterThan(200);
    expect(firstFiring(ticks, 'HighErrorRatio')).toMatchObject({
      labels: { severity: 'critical', service: 'payment', instance: 'payment-1' },
      annotations: {
        summary: expect.stringMatching(/^payment is failing \d+(\.\d+)?% of its requests \(5xx\)$/),
      },
    });
  });

  it('warn on p99 latency above 500 ms sustained for 15 s', () => {
    const { ticks } = runShop(180, (shop, at) => {
      if (at === s(60)) shop.set('catalog', { p99Ms: 900 });
    });
    expect(notable(ticks).map(([, rule, service]) => `${rule}/${service}`)).toEqual([
      'HighLatencyP99/catalog',
    ]);
    expect(firstFiring(ticks, 'HighLatencyP99')?.annotations.summary).toMatch(
      /^catalog p99 latency is \d+ ms$/,
    );
  });

  it('warn on CPU saturation', () => {
    const { ticks } = runShop(180, (shop, at) => {
      if (at === s(60)) shop.set('checkout', { cpu: 0.97 });
    });
    expect(notable(ticks).map(([, rule, service]) => `${rule}/${service}`)).toEqual([
      'CpuSaturated/checkout',
    ]);
  });

  it('warn on an event loop kept busy, even where the crowded host gives it less than 90% of a core', () => {
    const { ticks } = runShop(180, (shop, at) => {
      if (at === s(60)) shop.set('recommendation', { cpu: 0.79, eventLoopLagSeconds: 0.1 });
    });
    expect(notable(ticks).map(([, rule, service]) => `${rule}/${service}`)).toEqual([
      'EventLoopSaturated/recommendation',
    ]);
    expect(firstFiring(ticks, 'EventLoopSaturated')?.annotations.summary).toMatch(
      /^recommendation event loop is \d+ ms late$/,
    );
  });

  it('see a leak coming before memory crosses its limit', () => {
    const { ticks } = runShop(600, (shop, at) => {
      if (at === s(60)) shop.set('cart', { memoryGrowthPerSecond: 2 * mib });
    });
    const events = notable(ticks);
    expect(events.map(([, rule, service]) => `${rule}/${service}`)).toEqual([
      'MemoryGrowing/cart',
      'MemoryNearLimit/cart',
    ]);
    // 120 MiB + 2 MiB/s passes 512 MiB at about 256 s.
    expect(events[0][0]).toBeLessThan(256);
    expect(firstFiring(ticks, 'MemoryGrowing')?.annotations.summary).toMatch(
      /^cart memory keeps growing at [\d.]+ MiB\/s$/,
    );
  });

  it('report a target that stops reporting, and resolve it when it is back', () => {
    const { ticks } = runShop(240, (shop, at) => {
      if (at === s(60)) shop.set('shipping', { publishing: false });
      if (at === s(150)) shop.set('shipping', { publishing: true });
    });
    expect(notable(ticks)).toEqual([
      // last heard at 55 s; stale after 65 s (seen at 70 s); 10 s pending
      [80, 'TargetDown', 'shipping', 'firing'],
      [150, 'TargetDown', 'shipping', 'resolved'],
    ]);
    expect(firstFiring(ticks, 'TargetDown')?.annotations.summary).toBe('shipping is down');
  });

  it('stay quiet for an instance stopped on purpose (a scale-down), but report one that died', () => {
    const { ticks } = runShop(240, (shop, at) => {
      if (at === s(0)) shop.set('shipping', { instances: 2 });
      if (at === s(60)) shop.stop('shipping');
      if (at === s(60)) shop.set('cart', { publishing: false });
    });
    expect(notable(ticks)).toEqual([[80, 'TargetDown', 'cart', 'firing']]);
  });

  it('report a target that says it is unhealthy', () => {
    const { ticks } = runShop(120, (shop, at) => {
      if (at === s(30)) shop.set('currency', { up: 0 });
    });
    expect(notable(ticks)).toEqual([[40, 'TargetDown', 'currency', 'firing']]);
  });

  it('report an expected service that never showed up', () => {
    const shop = new FakeShop(shopServices.filter((service) => service !== 'recommendation'));
    const evaluator = new RuleEvaluator(shopAlertRules);
    const ticks = simulate(
      evaluator,
      { fromMs: t0, toMs: s(60), sampleEveryMs: 5_000, evaluateEveryMs: 5_000 },
      (at) => shop.publish(at, 5_000),
    );
    expect(notable(ticks)).toEqual([[25, 'TargetDown', 'recommendation', 'firing']]);
    expect(firstFiring(ticks, 'TargetDown')?.labels).toEqual({
      alertname: 'TargetDown',
      severity: 'critical',
      service: 'recommendation',
    });
  });
});
