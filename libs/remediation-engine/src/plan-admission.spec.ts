import { next } from './next-command';
import { planExpired, planHalt, planRefusedEvent } from './plan-admission';
import { rebuild, startRun } from './rebuild';
import { record } from './record-result';
import { BEFORE, PLAN, T0, verdict } from './testing/engine-fixtures';

const TTL = 30 * 60_000;
const closed = { cause: 'incident-closed' as const, reason: 'incident inc-1 is resolved' };

describe('planHalt', () => {
  it('halts a plan whose incident is resolved (one under way only by a person), and one older than its time to live', () => {
    expect(planHalt(PLAN, T0, TTL, { closed: false })).toBeUndefined();
    expect(planHalt(PLAN, T0, TTL, { closed: true, why: 'resolved by ann (console)' })).toEqual({
      cause: 'incident-closed',
      reason:
        'incident inc-1 is resolved (resolved by ann (console)): plan plan-1 no longer applies',
    });
    const cleared = { closed: true, why: 'resolved by the correlator' };
    expect(planHalt(PLAN, T0, TTL, cleared, true)).toBeUndefined();
    expect(planHalt(PLAN, T0, TTL, { ...cleared, byPerson: true }, true)).toMatchObject({
      cause: 'incident-closed',
    });
    const created = Date.parse(PLAN.createdAt);
    expect(planHalt(PLAN, created + TTL, TTL, undefined)).toBeUndefined();
    expect(planHalt(PLAN, created + TTL + 1, TTL, undefined)).toMatchObject({ cause: 'expired' });
    expect(planExpired(PLAN.createdAt, created + TTL + 1, TTL)).toBe(true);
    expect(planExpired('not a time', created, TTL)).toBe(true);
  });
});

describe('a halted plan', () => {
  it('is aborted before its next step is evaluated, with the cause on record', () => {
    expect(next(startRun(PLAN), { halt: closed })).toEqual({ kind: 'abort', ...closed });
    const { state, events } = record(startRun(PLAN), { kind: 'abort', halt: closed }, T0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'plan-aborted',
      detail: { cause: 'incident-closed', reason: closed.reason, outcome: 'none' },
    });
    expect(state.ended?.type).toBe('plan-aborted');
  });

  it('finishes a step already under way first', () => {
    const run = [
      { kind: 'verdict', verdict: verdict('s1', 'allow'), decisionIds: [] } as const,
      { kind: 'started', stepId: 's1', mode: 'live', before: BEFORE['checkout'] } as const,
    ].reduce((r, result) => record(r, result, T0).state, startRun(PLAN));
    expect(next(run, { halt: closed })).toMatchObject({ kind: 'apply', resumed: true });
    const done = record(
      run,
      { kind: 'finished', stepId: 's1', mode: 'live', outcome: 'succeeded' },
      T0,
    ).state;
    expect(next(done, { halt: closed })?.kind).toBe('verify');
  });
});

describe('planRefusedEvent', () => {
  it('names the refused content, and changes nothing of the run it is folded into', () => {
    const event = planRefusedEvent(
      { plan: PLAN, code: 'altered-plan', reason: 'other content', at: T0 },
      'b'.repeat(64),
      'a'.repeat(64),
    );
    expect(event.eventId).toBe(`plan-1:plan-refused:${'b'.repeat(64)}`);
    const run = rebuild(PLAN, [event]);
    expect(run.anomalies).toEqual([]);
    expect(next(run)?.kind).toBe('evaluate');
  });
});
