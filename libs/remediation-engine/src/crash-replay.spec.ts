import type { RemediationExecution } from '@vigil/contracts';
import { rebuild, startRun } from './rebuild';
import { PLAN, type Script, decision, drive, essence, newWorld } from './testing/engine-fixtures';

/** Runs that together pass through every kind of event the engine emits. */
const SCRIPTS: Record<string, Script> = {
  'all allowed': {},
  'dry-run then approval': {
    verdicts: { s1: ['needs-dry-run', 'needs-approval', 'allow'] },
    decisions: [decision('approve')],
  },
  'verification fails at s2': { verify: { s2: false } },
  'apply fails at s3, a rollback fails': { apply: { s3: 'failed' }, rollback: { s1: 'failed' } },
  'denied at s2': { verdicts: { s2: ['deny'] } },
  'rejected while waiting': {
    verdicts: { s1: ['needs-approval', 'deny'] },
    decisions: [decision('reject')],
  },
  'dry-run fails at s3': { verdicts: { s3: ['needs-dry-run'] }, dryRun: { s3: 'failed' } },
};

const ids = (log: readonly RemediationExecution[]) => log.map((e) => `${e.type} ${e.eventId}`);

/** The commands of two runs joined: the command the executor died in is asked for again. */
function joined(before: unknown[], after: unknown[]): unknown[] {
  const seam = before.length > 0 && after.length > 0;
  const repeated = seam && JSON.stringify(before.at(-1)) === JSON.stringify(after[0]);
  return [...before, ...(repeated ? after.slice(1) : after)];
}

describe.each(Object.entries(SCRIPTS))('crash and restart: %s', (_name, script) => {
  const full = newWorld();
  const uninterrupted = drive(startRun(PLAN), script, full);
  const cuts = Array.from({ length: full.log.length }, (_, i) => i + 1);

  it('ends the plan', () => {
    expect(uninterrupted.run.ended).toBeDefined();
    expect(full.log.at(-1)?.type).toMatch(/^plan-(completed|aborted)$/);
  });

  describe.each([false, true])('the adapter acted before the crash: %s', (adapterActs) => {
    it.each(cuts)('continues exactly after a crash at event %i', (cut) => {
      const world = newWorld();
      const first = drive(startRun(PLAN), script, world, {
        crashAt: cut,
        adapterActsBeforeCrash: adapterActs,
      });
      const restarted = rebuild(PLAN, world.log);
      expect(restarted).toEqual(first.run);
      const second = drive(restarted, script, world);

      // The same facts, each once, in the same order; with no adapter surprise, the same events.
      expect(ids(world.log)).toEqual(ids(full.log));
      if (!adapterActs) expect(world.log).toEqual(full.log);
      // The same commands, but for the one in flight, asked for again with the same key.
      const commands = joined(first.commands.map(essence), second.commands.map(essence));
      expect(commands).toEqual(uninterrupted.commands.map(essence));
      // Every step phase acted on its target at most once.
      expect([...world.effects.values()].every((n) => n === 1)).toBe(true);
      expect([...world.effects.keys()]).toEqual([...full.effects.keys()]);
    });
  });

  it('rebuilds the same state from a log delivered twice', () => {
    const twice = [...full.log, ...full.log];
    expect(rebuild(PLAN, twice)).toEqual(rebuild(PLAN, full.log));
  });

  it('is deterministic: the same script gives the same log', () => {
    const again = newWorld();
    drive(startRun(PLAN), script, again);
    expect(again.log).toEqual(full.log);
  });
});

describe('a resumed command', () => {
  it('applies again with the same idempotency key after a crash during the call', () => {
    const world = newWorld();
    drive(startRun(PLAN), {}, world, { crashAt: 2, adapterActsBeforeCrash: true });
    expect(world.log.map((e) => e.type)).toEqual(['verdict', 'step-started']);
    const resumed = drive(rebuild(PLAN, world.log), {}, world, { crashAt: 3 });
    expect(resumed.commands[0]).toEqual(
      expect.objectContaining({
        kind: 'apply',
        stepId: 's1',
        idempotencyKey: 'vigil:plan-1:s1:apply',
        resumed: true,
      }),
    );
    expect(world.log[2]).toEqual(
      expect.objectContaining({
        type: 'step-succeeded',
        detail: expect.objectContaining({ alreadyApplied: true }),
      }),
    );
    // The inverse stays the one from before the first start, not from the half-changed target.
    expect(rebuild(PLAN, world.log).facts['s1'].apply?.inverse).toEqual({
      action: 'scale',
      params: { replicas: 4 },
    });
  });

  it('verifies a step that succeeded before the crash, never skipping to the next', () => {
    const world = newWorld();
    drive(startRun(PLAN), {}, world, { crashAt: 3 });
    expect(world.log.at(-1)?.type).toBe('step-succeeded');
    const resumed = drive(rebuild(PLAN, world.log), {}, world, { crashAt: 4 });
    expect(resumed.commands[0]).toEqual(expect.objectContaining({ kind: 'verify', stepId: 's1' }));
  });

  it('gives no command for an ended plan, and records nothing more', () => {
    const world = newWorld();
    drive(startRun(PLAN), {}, world);
    const ended = rebuild(PLAN, world.log);
    const again = drive(ended, {}, world);
    expect(again.commands).toEqual([]);
  });
});
