import type { RemediationExecution } from '@vigil/contracts';
import { executionRecords } from './execution-records';
import { rebuild, startRun } from './rebuild';
import { PLAN, type Script, drive, newWorld } from './testing/engine-fixtures';

function run(script: Script) {
  const world = newWorld();
  const driven = drive(startRun(PLAN), script, world);
  return { ...driven, log: world.log };
}

const rollbacks = (log: readonly RemediationExecution[]) =>
  log.filter((e) => e.type.startsWith('rollback')).map((e) => `${e.type} ${e.stepId}`);
const end = (log: readonly RemediationExecution[]) => log.at(-1)?.detail;

describe('rollback', () => {
  it('undoes applied steps last first after a failed verification, and names what it cannot undo', () => {
    const { log, commands } = run({ verify: { s2: false } });
    // s2 (a restart) has no inverse: only s1 is undone; s3 never ran.
    expect(rollbacks(log)).toEqual(['rollback-started s1', 'rollback-finished s1']);
    expect(commands.find((c) => c.kind === 'rollback')).toEqual({
      kind: 'rollback',
      stepId: 's1',
      target: 'checkout',
      inverse: { action: 'scale', params: { replicas: 4 } },
      idempotencyKey: 'vigil:plan-1:s1:rollback',
      resumed: false,
    });
    expect(end(log)).toEqual(
      expect.objectContaining({
        cause: 'failed',
        failedStep: 's2',
        outcome: 'failed',
        rolledBack: 's1',
        notUndoable: 's2',
        leftInPlace: 's2',
      }),
    );
  });

  it('includes the failed step itself, since it may have changed part of its target', () => {
    const { log } = run({ apply: { s3: 'failed' } });
    expect(rollbacks(log)).toEqual([
      'rollback-started s3',
      'rollback-finished s3',
      'rollback-started s1',
      'rollback-finished s1',
    ]);
    expect(log.find((e) => e.type === 'rollback-started' && e.stepId === 's3')?.detail).toEqual(
      expect.objectContaining({
        'inverse.action': 'toggle-feature-flag',
        'inverse.params.flag': 'new-search',
        'inverse.params.enabled': true,
      }),
    );
  });

  it('goes on with the other inverses when one fails, and reports it', () => {
    const { log } = run({ apply: { s3: 'failed' }, rollback: { s3: 'failed' } });
    expect(rollbacks(log)).toHaveLength(4);
    expect(end(log)).toEqual(
      expect.objectContaining({ rolledBack: 's1', rollbackFailed: 's3', leftInPlace: 's3,s2' }),
    );
  });

  it('rolls back the earlier steps after a failed dry-run, which changed nothing itself', () => {
    const { log } = run({ verdicts: { s3: ['needs-dry-run'] }, dryRun: { s3: 'failed' } });
    expect(rollbacks(log)).toEqual(['rollback-started s1', 'rollback-finished s1']);
    expect(end(log)).toEqual(expect.objectContaining({ failedStep: 's3', outcome: 'failed' }));
  });

  it('does not count a plan that failed before anything went live as a failed remediation', () => {
    const { log } = run({ verdicts: { s1: ['needs-dry-run'] }, dryRun: { s1: 'failed' } });
    expect(rollbacks(log)).toEqual([]);
    expect(end(log)).toEqual(expect.objectContaining({ cause: 'failed', outcome: 'none' }));
  });

  it('does not roll back on a deny: the applied steps passed their checks and stay', () => {
    const { log } = run({ verdicts: { s3: ['deny'] } });
    expect(rollbacks(log)).toEqual([]);
    expect(end(log)).toEqual(
      expect.objectContaining({ cause: 'denied', outcome: 'none', leftInPlace: 's2,s1' }),
    );
  });

  it('resumes a rollback in progress with the same key and the remaining inverses in order', () => {
    const world = newWorld();
    const script: Script = { apply: { s3: 'failed' } };
    drive(startRun(PLAN), script, world);
    const cut = world.log.findIndex((e) => e.type === 'rollback-started' && e.stepId === 's1') + 1;
    const again = newWorld();
    drive(startRun(PLAN), script, again, { crashAt: cut });
    const resumed = drive(rebuild(PLAN, again.log), script, again);
    expect(resumed.commands.map((c) => c.kind)).toEqual(['rollback', 'abort']);
    expect(resumed.commands[0]).toEqual(
      expect.objectContaining({
        stepId: 's1',
        resumed: true,
        idempotencyKey: 'vigil:plan-1:s1:rollback',
      }),
    );
  });

  it("shows rolled-back steps as such in the guardrails' history", () => {
    const world = newWorld();
    const driven = drive(startRun(PLAN), { verify: { s2: false } }, world);
    expect(executionRecords(driven.run).map((r) => [r.stepId, r.mode, r.outcome])).toEqual([
      ['s1', 'live', 'rolled-back'],
      ['s2', 'live', 'succeeded'],
    ]);
  });
});
