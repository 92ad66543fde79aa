import type { TargetState } from '@vigil/action-catalog';
import type { RemediationDecision, RemediationExecution, RemediationPlan } from '@vigil/contracts';
import type { ExecutionAdapter, StepOutcome } from '@vigil/executor-adapters';
import {
  evaluatePlan,
  evaluateStep,
  planRefusalReasons,
  type CircuitSnapshot,
  type ExecutionRecord,
  type GuardrailPolicy,
} from '@vigil/guardrails';
import {
  next,
  record,
  type EngineCommand,
  type EngineResult,
  type Halt,
  type PlanRun,
  type AdapterOutcome,
} from '@vigil/remediation-engine';

/** What a plan run needs from the executor around it. */
export interface DriverContext {
  adapter: ExecutionAdapter;
  policy: GuardrailPolicy;
  environment: string;
  /** Known targets (the topology) and the history of every plan, for the guardrails. */
  knownTarget: (target: string) => Promise<boolean>;
  /** Every plan's executions, this one's as `current` shows them (its dry-runs count). */
  history: (current: PlanRun) => readonly ExecutionRecord[];
  circuit: () => CircuitSnapshot;
  decisions: () => readonly RemediationDecision[];
  /** The active maintenance window over a target, if any: only diagnostics run there. */
  maintenanceOf?: (target: string) => string | undefined;
  /** Why the plan may take no further step (expired, incident resolved, refused as a whole). */
  halt?: Halt;
  /** Publishes audit events and resolves once Kafka has them: state moves on only after that. */
  publish: (events: RemediationExecution[]) => Promise<void>;
  verifyDeadlineMs: number;
  /** What "error rate below" and "latency below" mean when a plan gives no number. */
  thresholds: { errorRate: number; latencyMs: number };
  now: () => number;
}

const outcomeOf = (outcome: StepOutcome): AdapterOutcome =>
  outcome === 'failed' ? 'failed' : outcome === 'already-applied' ? 'already-applied' : 'succeeded';

/**
 * Runs a plan from where its audit trail says it is until it ends or waits for a person. The
 * engine decides; this only carries out its commands and reports back, audit first.
 */
export async function drivePlan(
  plan: RemediationPlan,
  start: PlanRun,
  ctx: DriverContext,
): Promise<PlanRun> {
  let run = start;
  const commit = async (result: EngineResult) => {
    const { state, events } = record(run, result, ctx.now());
    if (events.length > 0) await ctx.publish(events);
    run = state;
  };
  const inputs = () => ({ decisions: ctx.decisions(), ...(ctx.halt ? { halt: ctx.halt } : {}) });
  for (let command = next(run, inputs()); command; command = next(run, inputs())) {
    if (command.kind === 'await-approval') break;
    for (const result of await carryOut(command, plan, run, ctx, commit)) await commit(result);
  }
  return run;
}

async function carryOut(
  command: EngineCommand,
  plan: RemediationPlan,
  run: PlanRun,
  ctx: DriverContext,
  commit: (result: EngineResult) => Promise<void>,
): Promise<EngineResult[]> {
  switch (command.kind) {
    case 'evaluate':
      return [await evaluate(command.input, plan, run, ctx)];
    case 'dry-run':
    case 'apply': {
      const mode = command.kind === 'apply' ? 'live' : 'dry-run';
      const before = command.resumed ? undefined : await describe(ctx, command.step.target);
      await commit({ kind: 'started', stepId: command.stepId, mode, before });
      const result = await ctx.adapter.apply({
        planId: plan.planId,
        stepId: command.stepId,
        action: command.step.action,
        target: command.step.target,
        params: command.step.params,
        idempotencyKey: command.idempotencyKey,
        dryRun: mode === 'dry-run',
      });
      return [
        {
          kind: 'finished',
          stepId: command.stepId,
          mode,
          outcome: outcomeOf(result.outcome),
          message: result.detail,
        },
      ];
    }
    case 'verify':
      return [await verify(command.stepId, command.step.target, command.checks, ctx)];
    case 'rollback': {
      await commit({ kind: 'rollback-started', stepId: command.stepId });
      const result = await ctx.adapter.apply({
        planId: plan.planId,
        stepId: `${command.stepId}-undo`,
        action: command.inverse.action,
        target: command.target,
        params: command.inverse.params,
        idempotencyKey: command.idempotencyKey,
        dryRun: false,
      });
      return [
        {
          kind: 'rollback-finished',
          stepId: command.stepId,
          outcome: outcomeOf(result.outcome),
          message: result.detail,
        },
      ];
    }
    case 'complete':
      return [{ kind: 'complete' }];
    case 'abort':
      return [{ kind: 'abort', ...(ctx.halt ? { halt: ctx.halt } : {}) }];
    case 'await-approval':
      return [];
  }
}

async function describe(ctx: DriverContext, target: string): Promise<TargetState | undefined> {
  try {
    return await ctx.adapter.describe(target);
  } catch {
    return undefined;
  }
}

async function evaluate(
  input: Parameters<typeof evaluateStep>[0],
  plan: RemediationPlan,
  run: PlanRun,
  ctx: DriverContext,
): Promise<EngineResult> {
  const targets: Record<string, TargetState> = {};
  if (await ctx.knownTarget(input.target)) {
    const state = await describe(ctx, input.target);
    if (state) targets[input.target] = state;
  }
  const decisions = ctx.decisions();
  const windowId = ctx.maintenanceOf?.(input.target);
  const verdict = evaluateStep(input, {
    policy: ctx.policy,
    environment: ctx.environment,
    topology: { targets },
    history: ctx.history(run),
    planId: plan.planId,
    decisions,
    circuit: ctx.circuit(),
    now: ctx.now(),
    ...(windowId !== undefined && { underMaintenance: { [input.target]: windowId } }),
  });
  return { kind: 'verdict', verdict, decisionIds: decisions.map((d) => d.decisionId) };
}

/** Every check the step names that the adapter can make; `alerts-resolved` is not one of them yet. */
async function verify(
  stepId: string,
  target: string,
  checks: readonly string[],
  ctx: DriverContext,
): Promise<EngineResult> {
  const failed: string[] = [];
  const notes: string[] = [];
  for (const check of checks) {
    if (!(ctx.adapter.verificationKinds as readonly string[]).includes(check)) {
      notes.push(`${check}: not checkable by ${ctx.adapter.name}`);
      continue;
    }
    const threshold =
      check === 'error-rate-below'
        ? ctx.thresholds.errorRate
        : check === 'latency-below'
          ? ctx.thresholds.latencyMs
          : undefined;
    const result = await ctx.adapter.verify({
      kind: check as (typeof ctx.adapter.verificationKinds)[number],
      target,
      threshold,
      deadlineMs: ctx.verifyDeadlineMs,
    });
    notes.push(`${check}: ${result.detail}`);
    if (!result.passed) failed.push(check);
  }
  return {
    kind: 'verified',
    stepId,
    passed: failed.length === 0,
    failedChecks: failed,
    message: notes.join('; ').slice(0, 1000),
  };
}

/** What the plan-level guardrails need: the targets as the adapters describe them now. */
export interface PlanCheckContext {
  policy: GuardrailPolicy;
  environment: string;
  describe: (target: string) => Promise<TargetState | undefined>;
  history: readonly ExecutionRecord[];
  circuit: CircuitSnapshot;
  now: number;
}

/**
 * The whole plan through `evaluatePlan` before its first step: too many steps, duplicate step
 * ids, or a step that would be denied once the plan's earlier steps count (rates, blast radius)
 * refuse it as a whole. Approvals and dry-runs are asked for step by step, as the plan runs.
 */
export async function planGuardrails(
  plan: RemediationPlan,
  ctx: PlanCheckContext,
): Promise<Halt | undefined> {
  const targets: Record<string, TargetState> = {};
  for (const target of new Set(plan.steps.map((s) => s.target))) {
    const state = await ctx.describe(target);
    if (state) targets[target] = state;
  }
  const verdict = evaluatePlan(plan, {
    policy: ctx.policy,
    environment: ctx.environment,
    topology: { targets },
    history: ctx.history,
    decisions: [],
    circuit: ctx.circuit,
    now: ctx.now,
  });
  if (verdict.verdict !== 'deny') return undefined;
  const why = planRefusalReasons(verdict)
    .filter((r) => r.effect === 'deny')
    .map((r) => `${r.code}: ${r.message}`)
    .join('; ');
  return { cause: 'plan-refused', reason: `plan ${plan.planId} refused by the guardrails: ${why}` };
}
