import { checkStep } from './action-catalog';
import { faultClasses, fittingActions, runbookFor } from './known-good-runbooks';

describe('known-good runbooks', () => {
  it('has a runbook for every fault class whose steps pass the catalog', () => {
    for (const faultClass of faultClasses) {
      const steps = runbookFor(faultClass, 'checkout', 3);
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) expect(checkStep(step).ok).toBe(true);
    }
  });

  it('binds the target: a saturated service gets one more replica, a bad deploy a rollback', () => {
    expect(runbookFor('cpu-saturation', 'checkout', 3)[0]).toMatchObject({
      action: 'scale',
      target: 'checkout',
      params: { replicas: 4 },
    });
    expect(runbookFor('bad-deploy', 'cart', 2).map((s) => s.action)).toEqual([
      'rollback-deployment',
    ]);
  });

  it('rolls a bad config back and scales an overload, never restarting an overloaded service', () => {
    expect(runbookFor('bad-config', 'catalog', 1).map((s) => s.action)).toEqual([
      'rollback-config',
    ]);
    const overload = runbookFor('overload', 'catalog', 2);
    expect(overload).toEqual([
      expect.objectContaining({ action: 'scale', params: { replicas: 3 } }),
    ]);
    expect(fittingActions.overload).not.toContain('restart');
  });
});
