import type { EngineResult } from './commands';
import { next } from './next-command';
import type { PlanRun } from './plan-run';
import { rebuild, startRun } from './rebuild';
import { EngineError, record } from './record-result';
import { BEFORE, PLAN, T0, decision, newWorld, drive, verdict } from './testing/engine-fixtures';

/** Records results one after the other, as an executor would. */
function play(results: EngineResult[], run: PlanRun = startRun(PLAN)): PlanRun {
  return results.reduce((r, result, i) => record(r, result, T0 + i * 1000).state, run);
}

const allow = (stepId: string): EngineResult => ({
  kind: 'verdict',
  verdict: verdict(stepId, 'allow'),
  decisionIds: [],
});
const live = (stepId: string, target: string): EngineResult[] => [
  { kind: 'started', stepId, mode: 'live', before: BEFORE[target] },
  { kind: 'finished', stepId, mode: 'live', outcome: 'succeeded' },
];

describe('next', () => {
  it('evaluates the first step of a new plan, with the step as the guardrails take it', () => {
    expect(next(startRun(PLAN))).toEqual({
      kind: 'evaluate',
      stepId: 's1',
      attempt: 1,
      input: { stepId: 's1', action: 'scale', target: 'checkout', params: { replicas: 6 } },
    });
  });

  it('applies an allowed step with its stable key', () => {
    expect(next(play([allow('s1')]))).toEqual(
      expect.objectContaining({
        kind: 'apply',
        stepId: 's1',
        idempotencyKey: 'vigil:plan-1:s1:apply',
        resumed: false,
      }),
    );
  });

  it("verifies an applied step with the plan's checks, then moves on", () => {
    const applied = play([allow('s1'), ...live('s1', 'checkout')]);
    expect(next(applied)).toEqual(
      expect.objectContaining({ kind: 'verify', stepId: 's1', checks: ['healthy-instances'] }),
    );
    const verified = play([{ kind: 'verified', stepId: 's1', passed: true }], applied);
    expect(next(verified)).toEqual(expect.objectContaining({ kind: 'evaluate', stepId: 's2' }));
  });

  it('does not verify a step without checks, and completes after the last step', () => {
    const run = play([
      allow('s1'),
      ...live('s1', 'checkout'),
      { kind: 'verified', stepId: 's1', passed: true },
      allow('s2'),
      ...live('s2', 'cart'),
      { kind: 'verified', stepId: 's2', passed: true },
      allow('s3'),
      ...live('s3', 'frontend'),
    ]);
    expect(next(run)).toEqual({ kind: 'complete' });
    const done = play([{ kind: 'complete' }], run);
    expect(done.ended?.type).toBe('plan-completed');
    expect(next(done)).toBeUndefined();
  });

  it('dry-runs on needs-dry-run, then evaluates again', () => {
    const run = play([
      { kind: 'verdict', verdict: verdict('s1', 'needs-dry-run'), decisionIds: [] },
    ]);
    expect(next(run)).toEqual(
      expect.objectContaining({
        kind: 'dry-run',
        idempotencyKey: 'vigil:plan-1:s1:dry-run',
        resumed: false,
      }),
    );
    const dryRun = play(
      [
        { kind: 'started', stepId: 's1', mode: 'dry-run' },
        { kind: 'finished', stepId: 's1', mode: 'dry-run', outcome: 'succeeded' },
      ],
      run,
    );
    expect(next(dryRun)).toEqual(
      expect.objectContaining({ kind: 'evaluate', stepId: 's1', attempt: 2 }),
    );
  });

  it('aborts instead of looping when the guardrails still want a dry-run after one succeeded', () => {
    const dry: EngineResult = {
      kind: 'verdict',
      verdict: verdict('s1', 'needs-dry-run'),
      decisionIds: [],
    };
    const run = play([
      dry,
      { kind: 'started', stepId: 's1', mode: 'dry-run' },
      { kind: 'finished', stepId: 's1', mode: 'dry-run', outcome: 'succeeded' },
      dry,
    ]);
    expect(next(run)).toEqual(
      expect.objectContaining({ kind: 'abort', cause: 'stuck', stepId: 's1' }),
    );
  });

  it('aborts a denied step with its reasons, running nothing after it', () => {
    const run = play([{ kind: 'verdict', verdict: verdict('s1', 'deny'), decisionIds: [] }]);
    expect(next(run)).toEqual({
      kind: 'abort',
      cause: 'denied',
      stepId: 's1',
      reason: 'step s1 denied: blast-radius for s1',
    });
    const aborted = record(run, { kind: 'abort' }, T0);
    expect(aborted.events).toEqual([
      expect.objectContaining({
        type: 'plan-aborted',
        eventId: 'plan-1:plan:ended',
        detail: expect.objectContaining({ cause: 'denied', outcome: 'none' }),
      }),
    ]);
    expect(next(aborted.state)).toBeUndefined();
  });

  describe('approvals', () => {
    const waiting = play([
      { kind: 'verdict', verdict: verdict('s1', 'needs-approval'), decisionIds: [] },
    ]);

    it('waits with the blocking reasons', () => {
      expect(next(waiting)).toEqual({
        kind: 'await-approval',
        stepId: 's1',
        reasons: [
          {
            code: 'approval-required',
            effect: 'needs-approval',
            message: 'approval-required for s1',
          },
        ],
      });
    });

    it.each(['approve', 'reject', 'cancel'] as const)(
      'evaluates again when a %s arrives',
      (kind) => {
        expect(next(waiting, { decisions: [decision(kind)] })).toEqual(
          expect.objectContaining({ kind: 'evaluate', attempt: 2 }),
        );
      },
    );

    it('keeps waiting on decisions already seen or for other plans', () => {
      const seen = play([
        { kind: 'verdict', verdict: verdict('s1', 'needs-approval'), decisionIds: ['d-approve'] },
      ]);
      expect(next(seen, { decisions: [decision('approve')] })?.kind).toBe('await-approval');
      const other = { ...decision('approve', 'approver', 'd-x'), planId: 'plan-2' };
      expect(next(waiting, { decisions: [other] })?.kind).toBe('await-approval');
    });

    it('evaluates an allowed step again before applying it when a reject or cancel arrives', () => {
      const allowed = play([allow('s1')]);
      expect(next(allowed, { decisions: [decision('cancel')] })?.kind).toBe('evaluate');
      expect(next(allowed, { decisions: [decision('approve')] })?.kind).toBe('apply');
    });

    it('counts a plan approved by a person as human-approved at its end', () => {
      const world = newWorld();
      drive(
        startRun(PLAN),
        { verdicts: { s1: ['needs-approval', 'allow'] }, decisions: [decision('approve')] },
        world,
      );
      expect(world.log.at(-1)).toEqual(
        expect.objectContaining({
          type: 'plan-completed',
          detail: expect.objectContaining({ humanApproved: true }),
        }),
      );
    });
  });
});

describe('record', () => {
  it('emits a verdict event with every reason and a deterministic id per attempt', () => {
    const { events } = record(
      startRun(PLAN),
      { kind: 'verdict', verdict: verdict('s1', 'needs-approval'), decisionIds: ['d-1'] },
      T0,
    );
    expect(events).toEqual([
      {
        schemaVersion: 1,
        eventId: 'plan-1:s1:verdict:1',
        planId: 'plan-1',
        incidentId: 'inc-1',
        type: 'verdict',
        stepId: 's1',
        at: '2025-06-04T12:00:00.000Z',
        detail: {
          action: 'scale',
          target: 'checkout',
          verdict: 'needs-approval',
          environment: 'production',
          attempt: 1,
          reasons: 1,
          'reason.1.code': 'approval-required',
          'reason.1.effect': 'needs-approval',
          'reason.1.message': 'approval-required for s1',
          approvedBy: '[]',
          decisionIds: '["d-1"]',
          afterDryRun: false,
        },
      },
    ]);
  });

  it('fixes the inverse from the state before the live start', () => {
    const { events } = record(play([allow('s1')]), live('s1', 'checkout')[0], T0);
    expect(events[0].detail).toEqual(
      expect.objectContaining({
        mode: 'live',
        idempotencyKey: 'vigil:plan-1:s1:apply',
        undoable: true,
        'inverse.action': 'scale',
        'inverse.params.replicas': 4,
        'before.replicas': 4,
      }),
    );
  });

  it('records a repeated start or finish as nothing new', () => {
    const started = play([allow('s1'), live('s1', 'checkout')[0]]);
    expect(
      record(started, { kind: 'started', stepId: 's1', mode: 'live', before: { replicas: 6 } }, T0)
        .events,
    ).toEqual([]);
    const finished = play(live('s1', 'checkout').slice(1), started);
    expect(
      record(finished, { kind: 'finished', stepId: 's1', mode: 'live', outcome: 'failed' }, T0)
        .events,
    ).toEqual([]);
    expect(finished.facts['s1'].apply?.outcome).toBe('succeeded');
  });

  it('refuses results that do not fit the plan', () => {
    const run = startRun(PLAN);
    expect(() => record(run, allow('s2'), T0)).toThrow(EngineError);
    expect(() => record(run, live('s1', 'checkout')[0], T0)).toThrow(/without a allow verdict/);
    expect(() =>
      record(run, { kind: 'finished', stepId: 's1', mode: 'live', outcome: 'succeeded' }, T0),
    ).toThrow(EngineError);
    expect(() => record(run, { kind: 'verified', stepId: 's1', passed: true }, T0)).toThrow(
      EngineError,
    );
    expect(() => record(run, { kind: 'complete' }, T0)).toThrow(EngineError);
    expect(() => record(run, { kind: 'rollback-started', stepId: 's1' }, T0)).toThrow(EngineError);
  });

  it('records nothing after the plan ended', () => {
    const ended = play([
      { kind: 'verdict', verdict: verdict('s1', 'deny'), decisionIds: [] },
      { kind: 'abort' },
    ]);
    expect(record(ended, allow('s1'), T0).events).toEqual([]);
  });
});

describe('rebuild', () => {
  it("ignores other plans' events", () => {
    const world = newWorld();
    drive(startRun(PLAN), {}, world);
    const foreign = world.log.map((e) => ({ ...e, planId: 'plan-2' }));
    expect(rebuild(PLAN, foreign)).toEqual(startRun(PLAN));
  });

  it('aborts, touching nothing, on events it cannot place', () => {
    const stray = {
      schemaVersion: 1 as const,
      eventId: 'x',
      planId: 'plan-1',
      incidentId: 'inc-1',
      type: 'step-succeeded' as const,
      stepId: 's9',
      at: new Date(T0).toISOString(),
      detail: {},
    };
    const run = rebuild(PLAN, [stray]);
    expect(next(run)).toEqual(expect.objectContaining({ kind: 'abort', cause: 'inconsistent' }));
    expect(record(run, { kind: 'abort' }, T0).events[0].detail).toEqual(
      expect.objectContaining({ outcome: 'none' }),
    );
  });
});
