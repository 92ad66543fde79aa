import { mergeTargets, regroupState } from './regroup';

describe('regroup controls', () => {
  it('reads the incident ids a person typed, without this incident or repeats', () => {
    expect(mergeTargets(' inc-b, inc-c inc-b,inc-a ', 'inc-a')).toEqual(['inc-b', 'inc-c']);
    expect(mergeTargets('  ', 'inc-a')).toEqual([]);
  });

  it('lets a responder merge once an id is typed, and split some but not all alerts', () => {
    expect(regroupState('responder', undefined, false, ['inc-b'], 0, 3)).toEqual({
      canMerge: true,
      canSplit: false,
    });
    expect(regroupState('responder', undefined, false, [], 2, 3).canSplit).toBe(true);
    expect(regroupState('responder', undefined, false, [], 3, 3).canSplit).toBe(false);
    expect(regroupState('approver', undefined, true, ['inc-b'], 1, 3)).toEqual({
      canMerge: false,
      canSplit: false,
    });
  });

  it('says why a viewer or a merged incident cannot be regrouped', () => {
    expect(regroupState('viewer', undefined, false, ['inc-b'], 1, 3)).toEqual({
      refusal: 'merging and splitting needs the responder role',
      canMerge: false,
      canSplit: false,
    });
    expect(regroupState('responder', 'inc-z', false, ['inc-b'], 1, 3).refusal).toBe(
      'merged into inc-z: regroup that one',
    );
  });
});
