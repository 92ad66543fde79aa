import type { RemediationDecision, RemediationExecution, RemediationPlan } from '@vigil/contracts';
import { CLOSED_CIRCUIT, type StepContext, evaluateStep, parsePolicy } from '@vigil/guardrails';
import type { EngineCommand, EngineResult } from './commands';
import { executionRecords } from './execution-records';
import { next } from './next-command';
import type { PlanRun } from './plan-run';
import { startRun } from './rebuild';
import { record } from './record-result';
import { BEFORE, PLAN, T0, decision } from './testing/engine-fixtures';

/** The loop an executor runs, here with the real guardrails and an adapter that always works. */
function execute(plan: RemediationPlan, incoming: RemediationDecision[]) {
  let run: PlanRun = startRun(plan);
  const log: RemediationExecution[] = [];
  const kinds: string[] = [];
  const decisions: RemediationDecision[] = [];
  for (let now = T0 + 60_000; ; now += 1000) {
    const command = next(run, { decisions });
    if (!command) return { log, kinds };
    kinds.push(command.kind);
    if (command.kind === 'await-approval') {
      if (incoming.length === 0) return { log, kinds };
      decisions.push(...incoming.splice(0));
      continue;
    }
    for (const result of results(command, run, decisions, now)) {
      const recorded = record(run, result, now);
      run = recorded.state;
      log.push(...recorded.events);
    }
  }
}

function results(
  command: EngineCommand,
  run: PlanRun,
  decisions: RemediationDecision[],
  now: number,
): EngineResult[] {
  switch (command.kind) {
    case 'evaluate': {
      const ctx: StepContext = {
        policy: parsePolicy({ environments: { production: {} } }),
        environment: 'production',
        topology: { targets: BEFORE },
        history: executionRecords(run),
        planId: run.planId,
        decisions,
        circuit: CLOSED_CIRCUIT,
        now,
      };
      const verdict = evaluateStep(command.input, ctx);
      return [{ kind: 'verdict', verdict, decisionIds: decisions.map((d) => d.decisionId) }];
    }
    case 'dry-run':
    case 'apply': {
      const mode = command.kind === 'apply' ? 'live' : 'dry-run';
      const before = BEFORE[command.step.target];
      return [
        { kind: 'started', stepId: command.stepId, mode, before },
        { kind: 'finished', stepId: command.stepId, mode, outcome: 'succeeded' },
      ];
    }
    case 'verify':
      return [{ kind: 'verified', stepId: command.stepId, passed: true }];
    case 'rollback':
      return [
        { kind: 'rollback-started', stepId: command.stepId },
        { kind: 'rollback-finished', stepId: command.stepId, outcome: 'succeeded' },
      ];
    case 'complete':
    case 'abort':
      return [{ kind: command.kind }];
    case 'await-approval':
      return [];
  }
}

const onlyS1: RemediationPlan = { ...PLAN, steps: [PLAN.steps[0]] };

describe('with the real guardrails', () => {
  it('dry-runs, waits for a responder, then applies, verifies and completes', () => {
    const { log, kinds } = execute(onlyS1, [decision('approve', 'responder')]);
    expect(kinds).toEqual([
      'evaluate',
      'dry-run',
      'evaluate',
      'await-approval',
      'evaluate',
      'apply',
      'verify',
      'complete',
    ]);
    expect(log.filter((e) => e.type === 'verdict').map((e) => e.detail['verdict'])).toEqual([
      'needs-dry-run',
      'needs-approval',
      'allow',
    ]);
    expect(log.at(-1)).toEqual(
      expect.objectContaining({
        type: 'plan-completed',
        detail: expect.objectContaining({ humanApproved: true }),
      }),
    );
  });

  it('does not move on an approval by a viewer', () => {
    const { kinds, log } = execute(onlyS1, [decision('approve', 'viewer')]);
    expect(kinds.slice(-2)).toEqual(['evaluate', 'await-approval']);
    expect(log.at(-1)?.detail['reason.2.message']).toMatch(/a viewer never approves/);
  });

  it("aborts on a reject, with the guardrails' reason in the log", () => {
    const { kinds, log } = execute(onlyS1, [decision('reject', 'viewer')]);
    expect(kinds.slice(-2)).toEqual(['evaluate', 'abort']);
    expect(log.at(-1)).toEqual(
      expect.objectContaining({
        type: 'plan-aborted',
        detail: expect.objectContaining({
          cause: 'denied',
          reason: expect.stringMatching(/rejected by viewer-user/),
        }),
      }),
    );
  });
});
