import { faultKinds, randomScenario, scenario } from './chaos-scenarios';

describe('chaos scenarios', () => {
  it('turns each fault into what the instances are told or what is deployed', () => {
    expect(scenario('latency', 'payment', 1200).action).toEqual({
      kind: 'set-faults',
      faults: { latencyMs: 1200 },
    });
    expect(scenario('crash', 'cart').action).toEqual({ kind: 'crash' });
    expect(scenario('bad-deploy', 'checkout').action).toEqual({ kind: 'deploy', version: 'v2' });
    expect(scenario('dependency-outage', 'catalog-db').action).toEqual({
      kind: 'set-faults',
      faults: { unavailable: true },
    });
  });

  it('refuses a dependency outage on a service that is not a store, saying which are', () => {
    expect(() => scenario('dependency-outage', 'payment')).toThrow(/cache or catalog-db/);
    expect(() => scenario('crash', 'ads')).toThrow(/no shop service ads/);
  });

  it('draws the same scenario from the same seed, and every fault kind over many seeds', () => {
    expect(randomScenario(7)).toEqual(randomScenario(7));
    const seen = new Set(Array.from({ length: 200 }, (_, i) => randomScenario(i).fault));
    expect([...seen].sort()).toEqual([...faultKinds].sort());
    for (let i = 0; i < 50; i++) expect(randomScenario(i).service).not.toBe('frontend');
  });
});
