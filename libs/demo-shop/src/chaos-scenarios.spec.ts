import {
  allFaultKinds,
  defaultTargets,
  faultHeldIn,
  faultKinds,
  novelFaultKinds,
  randomScenario,
  restartProofFaultKinds,
  scenario,
} from './chaos-scenarios';
import { persistedFaultSchema } from './persisted-state';

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
    // the restart-proof kinds came later: a seed still draws what it drew before them
    expect([...seen].sort()).toEqual([...faultKinds].sort());
    for (let i = 0; i < 50; i++) expect(randomScenario(i).service).not.toBe('frontend');
  });

  it('writes each restart-proof fault into the data dir of its service, or spikes its load', () => {
    for (const fault of restartProofFaultKinds) {
      const chosen = scenario(fault, defaultTargets[fault]);
      expect(faultHeldIn[fault]).not.toBe('process');
      if (chosen.action.kind === 'persist')
        expect(persistedFaultSchema.parse(chosen.action.fault)).toEqual(chosen.action.fault);
      else expect(chosen.action).toEqual({ kind: 'load-spike', rps: 120, seconds: 600 });
    }
    expect(scenario('wrong-downstream-url', 'catalog').action).toEqual({
      kind: 'persist',
      fault: { kind: 'config', patch: { downstreams: { 'catalog-db': 'http://127.0.0.1:9' } } },
    });
    expect(scenario('expired-credentials', 'cart').action).toEqual({
      kind: 'persist',
      fault: { kind: 'expire-credentials', dependency: 'cache' },
    });
  });

  it('refuses a restart-proof fault where it cannot be, saying where it can', () => {
    expect(() => scenario('poisoned-cache-key', 'catalog-db')).toThrow(/in a cache: cache/);
    expect(() => scenario('timeout-too-low', 'payment')).toThrow(/calls another: .*catalog/);
    expect(() => scenario('expired-credentials', 'currency')).toThrow(/calls another/);
    expect(() => scenario('degraded-dependency', 'cart')).toThrow(/a store: cache or catalog-db/);
  });

  it('names at least five novel kinds, each held outside the process', () => {
    expect(novelFaultKinds.length).toBeGreaterThanOrEqual(5);
    for (const fault of novelFaultKinds) {
      expect(allFaultKinds).toContain(fault);
      expect(faultHeldIn[fault]).not.toBe('process');
    }
  });
});
