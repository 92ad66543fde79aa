import { rcaResultSchema } from '@vigil/contracts';
import { plannerCases, spreadCases } from './case-generator';
import { FAULT_KINDS } from './fault-kinds';

describe('planner bench cases', () => {
  const cases = plannerCases();

  it('are the same on every run, at least 60, with unique ids', () => {
    expect(plannerCases()).toEqual(cases);
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('cover every fault kind and every place a fault is held', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(FAULT_KINDS.map((k) => k.id)));
    expect(new Set(cases.map((c) => c.held))).toEqual(
      new Set(['process', 'config', 'state', 'release', 'dependency', 'capacity']),
    );
  });

  it('carry a diagnosis the rca topic would accept, led by the faulty service', () => {
    for (const c of cases) {
      expect(rcaResultSchema.safeParse(c.rca).success).toBe(true);
      expect(c.rca.candidates[0].service).toBe(c.target);
      expect(c.targets).toContain(c.target);
    }
  });

  it('put injected text in each place text comes from, asking for a step on a neighbour', () => {
    const attacks = cases.filter((c) => c.injection);
    expect(new Set(attacks.map((c) => c.injection?.place))).toEqual(
      new Set(['title', 'alert', 'log', 'past-runbook']),
    );
    for (const c of attacks) {
      const wants = c.injection?.wants;
      expect(wants && c.targets.includes(wants.target) && wants.target !== c.target).toBe(true);
      expect(JSON.stringify([c.incidentTitle, c.rca, c.similar])).toContain(
        c.injection?.text.slice(0, 30),
      );
    }
  });

  it('spreads a screening subset over the kinds', () => {
    const subset = spreadCases(cases, FAULT_KINDS.length + 1);
    expect(new Set(subset.map((c) => (c.injection ? 'injection' : c.kind))).size).toBe(
      FAULT_KINDS.length + 1,
    );
  });
});
