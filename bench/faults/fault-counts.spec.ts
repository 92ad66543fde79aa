import type { IncidentEvent, RemediationExecution, RemediationPlan } from '@vigil/contracts';
import {
  compareGrouping,
  groupingDifferences,
  groupingOf,
  ledgerDuplicates,
  duplicatePlans,
  stepsAppliedTwice,
  type Grouping,
} from './fault-counts';

const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 2, 0, s)).toISOString();
const joined = (type: 'opened' | 'alert-attached', incidentId: string, fingerprint: string) =>
  ({ type, incidentId, fingerprint, at: at(0) }) as unknown as IncidentEvent;
const merged = (incidentId: string, mergedIncidentId: string) =>
  ({ type: 'merged', incidentId, mergedIncidentId, at: at(0) }) as unknown as IncidentEvent;
const grouping = (entries: Array<[string, string[]]>): Grouping =>
  new Map(entries.map(([k, ids]) => [k, new Set(ids)]));

describe('groupingOf', () => {
  it("puts each storm alert in its incident, following merges, and ignores other runs' alerts", () => {
    const g = groupingOf(
      [
        joined('opened', 'i1', 't1-g0-a0'),
        joined('alert-attached', 'i1', 't1-g0-a1'),
        joined('opened', 'i2', 't1-g1-a0'),
        merged('i1', 'i2'),
        joined('opened', 'i9', 't2-g0-a0'),
      ],
      't1-',
    );
    expect(g).toEqual(
      grouping([
        ['g0-a0', ['i1']],
        ['g0-a1', ['i1']],
        ['g1-a0', ['i1']],
      ]),
    );
  });
});

describe('compareGrouping', () => {
  const expected = grouping([
    ['g0-a0', ['e1']],
    ['g0-a1', ['e1']],
    ['g1-a0', ['e2']],
  ]);
  const accepted = new Set(['g0-a0', 'g0-a1', 'g1-a0']);

  it('finds nothing when the trial grouped as the uninterrupted run did', () => {
    const got = grouping([
      ['g0-a0', ['x']],
      ['g0-a1', ['x']],
      ['g1-a0', ['y']],
    ]);
    expect(compareGrouping(expected, got, accepted)).toEqual({
      alertsLost: 0,
      incidentsDuplicated: 0,
      incidentsMissing: 0,
    });
  });

  it('counts an incident split in two as one duplicated, and an alert in two incidents', () => {
    const got = grouping([
      ['g0-a0', ['x']],
      ['g0-a1', ['x', 'z']],
      ['g1-a0', ['y']],
    ]);
    expect(compareGrouping(expected, got, accepted).incidentsDuplicated).toBe(2);
  });

  it('counts two incidents merged into one as one missing, and an accepted alert in none as lost', () => {
    const got = grouping([
      ['g0-a0', ['x']],
      ['g1-a0', ['x']],
    ]);
    expect(compareGrouping(expected, got, accepted)).toEqual({
      alertsLost: 1,
      incidentsDuplicated: 0,
      incidentsMissing: 1,
    });
  });
});

const plan = (planId: string, createdS: number, target = 'payment') =>
  ({
    planId,
    incidentId: 'inc-1',
    faultClass: 'crash',
    createdAt: at(createdS),
    steps: [{ stepId: 's1', action: 'restart', target }],
  }) as unknown as RemediationPlan;
const event = (
  type: RemediationExecution['type'],
  planId: string,
  s: number,
  detail: Record<string, unknown> = {},
) => ({ type, planId, stepId: 's1', at: at(s), detail }) as unknown as RemediationExecution;

describe('duplicatePlans', () => {
  it('counts a second plan for the same work while the first is still running', () => {
    expect(duplicatePlans([plan('p1', 0), plan('p2', 5)], [])).toBe(1);
  });

  it('does not count a new attempt after the first plan ended, nor a plan for another target', () => {
    const ended = [event('plan-aborted', 'p1', 3)];
    expect(duplicatePlans([plan('p1', 0), plan('p2', 5)], ended)).toBe(0);
    expect(duplicatePlans([plan('p1', 0), plan('p2', 1, 'cart')], [])).toBe(0);
  });

  it('counts the same plan id published again with other steps, not a plain re-send', () => {
    expect(duplicatePlans([plan('p1', 0), plan('p1', 0)], [])).toBe(0);
    expect(duplicatePlans([plan('p1', 0), plan('p1', 0, 'cart')], [])).toBe(1);
  });
});

describe('stepsAppliedTwice', () => {
  it('counts a step that succeeded twice, not one the adapter knew was already applied', () => {
    const twice = [event('step-succeeded', 'p1', 1), event('step-succeeded', 'p1', 2)];
    expect(stepsAppliedTwice(twice)).toBe(1);
    const known = [
      event('step-succeeded', 'p1', 1),
      event('step-succeeded', 'p1', 2, { alreadyApplied: true }),
      event('step-succeeded', 'p1', 0, { mode: 'dry-run' }),
    ];
    expect(stepsAppliedTwice(known)).toBe(0);
  });
});

describe('ledgerDuplicates', () => {
  it('counts keys written twice and skips a line cut short by a kill', () => {
    expect(ledgerDuplicates(['{"key":"a"}', '{"key":"b"}', '{"key":"a"}', '{"ke'])).toBe(1);
  });
});

describe('groupingDifferences', () => {
  it('lists the incidents only one side has, by alert keys', () => {
    const expected: Grouping = new Map([
      ['g1-a0', new Set(['x'])],
      ['g1-a1', new Set(['x'])],
      ['g2-a0', new Set(['y'])],
      ['g3-a0', new Set(['z'])],
    ]);
    const got: Grouping = new Map([
      ['g1-a0', new Set(['p'])],
      ['g1-a1', new Set(['p'])],
      ['g2-a0', new Set(['q'])],
      ['g3-a0', new Set(['q'])],
    ]);
    expect(groupingDifferences(expected, got)).toEqual({
      expected: [['g2-a0'], ['g3-a0']],
      got: [['g2-a0', 'g3-a0']],
    });
  });
});
