import {
  type StepCheck,
  type TargetState,
  actionCatalog,
  changesTarget,
  checkStep,
} from '@vigil/action-catalog';
import type { ActionName, RemediationDecision } from '@vigil/contracts';
import { checkApprovals, relevantDecisions, stopReasons, stricter } from './approvals';
import { CircuitBreaker, type CircuitState } from './circuit-breaker';
import { activeFreezes } from './freeze-windows';
import {
  type LimitInput,
  checkBlastRadius,
  checkConcurrency,
  checkRates,
  smallServiceMessage,
} from './limits';
import type { EnvironmentPolicy } from './policy';
import { type EarlierStep, type StepContext, type StepInput, ownValue } from './step-context';
import { firstMatch } from './target-patterns';
import { type CheckedValues, type Reason, type StepVerdict, reason, verdictOf } from './verdict';

type ValidStep = Extract<StepCheck, { ok: true }>;

/**
 * The policy verdict for one step, from plain data only: the same input gives the same verdict.
 * Every rule runs, so the verdict carries all the reasons, not only the first.
 * `earlier` are the same plan's steps before this one (see evaluatePlan).
 */
export function evaluateStep(
  step: StepInput,
  ctx: StepContext,
  earlier: readonly EarlierStep[] = [],
): StepVerdict {
  const circuit = CircuitBreaker.restore(ctx.circuit, ctx.policy.circuitBreaker).state(ctx.now);
  const checked: CheckedValues = {
    environment: ctx.environment,
    action: String(step.action),
    target: String(step.target),
    activeFreezes: [],
    approval: { required: 'none', approvedBy: [] },
    circuit,
    dryRun: { required: false, done: false },
  };
  const { decisions, notes } = relevantDecisions(ctx.decisions, ctx.planId, ctx.now);
  const env = ownValue(ctx.policy.environments, ctx.environment);
  const reasons: Reason[] = env
    ? environmentRules(step, ctx, env, earlier, checked, decisions)
    : [reason('unknown-environment', 'deny', `environment "${ctx.environment}" has no policy`)];
  reasons.push(...stopReasons(decisions), ...notes);
  return { stepId: step.stepId, verdict: verdictOf(reasons), reasons, checked };
}

function environmentRules(
  step: StepInput,
  ctx: StepContext,
  env: EnvironmentPolicy,
  earlier: readonly EarlierStep[],
  checked: CheckedValues,
  decisions: readonly RemediationDecision[],
): Reason[] {
  const valid = validStep(step, ctx, env, checked);
  const target = targetRules(step, ctx, env);
  const reasons = [...valid.reasons, ...target.reasons];
  const limits: LimitInput = { ...step, env, history: ctx.history, earlier, now: ctx.now };
  if (valid.step && target.state) {
    reasons.push(...limitRules(valid.step, target.state, limits, checked));
    reasons.push(...declaredFlagRules(valid.step, step.target, target.state));
  }
  reasons.push(...freezeRules(step, ctx, env, checked));
  reasons.push(...maintenanceRules(step, ctx));
  reasons.push(...approvalRules(valid.step, ctx, env, decisions, checked));
  if (valid.step) reasons.push(...dryRunRules(step, valid.step, ctx, env, checked));
  return reasons;
}

/** The action is in the catalog and allowed here, and its parameters are small and valid. */
function validStep(
  step: StepInput,
  ctx: StepContext,
  env: EnvironmentPolicy,
  checked: CheckedValues,
): { step?: ValidStep; reasons: Reason[] } {
  const bytes = paramsBytes(step.params);
  checked.paramsBytes = bytes;
  if (bytes > ctx.policy.maxParamsBytes) {
    const message = `parameters of ${bytes} bytes are above the limit of ${ctx.policy.maxParamsBytes}`;
    return { reasons: [reason('params-too-large', 'deny', message)] };
  }
  // checkStep looks the action up with [], so `constructor` would find Object's own: refuse first.
  if (ownValue(actionCatalog, String(step.action)) === undefined) {
    const message = `action "${String(step.action)}" is not in the catalog`;
    return { reasons: [reason('unknown-action', 'deny', message)] };
  }
  const check = checkStep({ action: step.action as ActionName, params: paramsRecord(step.params) });
  if (!check.ok) {
    const code = check.reason.startsWith('bad parameters') ? 'bad-params' : 'unknown-action';
    return { reasons: [reason(code, 'deny', check.reason)] };
  }
  checked.risk = check.definition.risk;
  checked.params = check.params;
  if (env.allowedActions.includes(check.definition.name)) return { step: check, reasons: [] };
  const message = `${step.action} is not allowed in ${ctx.environment}`;
  return { step: check, reasons: [reason('action-not-allowed', 'deny', message)] };
}

/** Parameters that cannot even be serialised (cycles, BigInt) count as infinitely large. */
function paramsBytes(params: unknown): number {
  try {
    const json = JSON.stringify(params ?? null) ?? '';
    return new TextEncoder().encode(json).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Anything that is not a plain object is handed over as-is so that zod names the problem. */
function paramsRecord(params: unknown): Record<string, string | number | boolean | null> {
  return params as Record<string, string | number | boolean | null>;
}

function targetRules(
  step: StepInput,
  ctx: StepContext,
  env: EnvironmentPolicy,
): { state?: TargetState; reasons: Reason[] } {
  const name = String(step.target);
  const state = ownValue(ctx.topology.targets, name);
  const reasons: Reason[] = [];
  if (!state) {
    reasons.push(
      reason(
        'unknown-target',
        'deny',
        `target "${name}" is not in the ${ctx.environment} topology`,
      ),
    );
  }
  const denied = firstMatch(name, env.deniedTargets);
  if (denied !== undefined) {
    reasons.push(
      reason(
        'target-denied',
        'deny',
        `target "${name}" is denied by "${denied}" in ${ctx.environment}`,
      ),
    );
  }
  if (env.allowedTargets && firstMatch(name, env.allowedTargets) === undefined) {
    reasons.push(
      reason(
        'target-not-allowed',
        'deny',
        `target "${name}" matches no allowed target in ${ctx.environment}`,
      ),
    );
  }
  return { state, reasons };
}

function limitRules(
  step: ValidStep,
  state: TargetState,
  input: LimitInput,
  checked: CheckedValues,
): Reason[] {
  const share = step.definition.blastRadius(step.params, state);
  const blast = checkBlastRadius(input, share, state);
  const rates = checkRates(input);
  const concurrency = checkConcurrency(input);
  checked.blastRadius = blast.value;
  checked.rate = rates.value;
  checked.concurrency = concurrency.value;
  return [...blast.reasons, ...rates.reasons, ...concurrency.reasons];
}

/**
 * A feature flag step may only name a flag its target declares (the flags the adapter reports
 * for it): a model that read untrusted text must not invent a flag, such as one that turns a
 * check off, that the service never meant to be switched.
 */
function declaredFlagRules(step: ValidStep, target: string, state: TargetState): Reason[] {
  if (step.definition.name !== 'toggle-feature-flag') return [];
  const flag = String(step.params['flag']);
  if (state.flags && Object.hasOwn(state.flags, flag)) return [];
  const declared = Object.keys(state.flags ?? {});
  const message =
    `flag "${flag}" is not declared by ${target}` +
    (declared.length > 0 ? ` (it declares ${declared.join(', ')})` : ' (it declares no flags)');
  return [reason('undeclared-flag', 'deny', message)];
}

function freezeRules(
  step: StepInput,
  ctx: StepContext,
  env: EnvironmentPolicy,
  checked: CheckedValues,
): Reason[] {
  const active = activeFreezes(env.freezes, ctx.now);
  checked.activeFreezes = active.map((w) => w.name);
  return active
    .filter((w) => !w.allowedActions.includes(step.action as ActionName))
    .map((w) => {
      const still =
        w.allowedActions.length > 0 ? `; only ${w.allowedActions.join(', ')} may run` : '';
      return reason('freeze', 'deny', `change freeze "${w.name}" is in force${still}`);
    });
}

/** People are working on the target: a step that changes it could undo or collide with theirs. */
function maintenanceRules(step: StepInput, ctx: StepContext): Reason[] {
  const target = String(step.target);
  const windowId = ctx.underMaintenance && ownValue(ctx.underMaintenance, target);
  if (windowId === undefined || !changesTarget(String(step.action))) return [];
  const message = `target "${target}" is under maintenance window ${windowId}: only diagnostics may run`;
  return [reason('maintenance', 'deny', message)];
}

function approvalRules(
  step: ValidStep | undefined,
  ctx: StepContext,
  env: EnvironmentPolicy,
  decisions: readonly RemediationDecision[],
  checked: CheckedValues,
): Reason[] {
  const risk = step?.definition.risk;
  const byRisk = risk ? env.approvals[risk] : 'none';
  const open = checked.circuit.status === 'open';
  const whileOpen = open ? ctx.policy.circuitBreaker.approvalWhileOpen : 'none';
  const smallService = checked.blastRadius?.approval ?? 'none';
  const required = stricter(stricter(byRisk, whileOpen), smallService);
  checked.approval.required = required;
  const why =
    byRisk === required
      ? `${step?.definition.name ?? 'a step'} (${risk} risk in ${ctx.environment})`
      : whileOpen === required
        ? 'every step while the circuit breaker is open'
        : `a step on the only instance of ${checked.target}, above the blast radius`;
  const result = checkApprovals(required, decisions, why);
  checked.approval.approvedBy = result.approvedBy;
  const approved = result.approvedBy.length > 0;
  return [
    ...circuitReasons(checked.circuit, approved),
    ...smallServiceReasons(checked, approved),
    ...result.reasons,
  ];
}

/** A small service's step over the blast radius: blocking until a person approves, then a note. */
function smallServiceReasons(checked: CheckedValues, approved: boolean): Reason[] {
  const blast = checked.blastRadius;
  if (!blast?.approval) return [];
  const message = smallServiceMessage(checked.action, checked.target, blast);
  return [reason('blast-radius', approved ? 'note' : 'needs-approval', message)];
}

function circuitReasons(circuit: CircuitState, approved: boolean): Reason[] {
  if (circuit.status !== 'open') return [];
  const message =
    `the circuit breaker is open since ${new Date(circuit.openedAt).toISOString()} after failed ` +
    `automatic remediations; until ${new Date(circuit.closesAt).toISOString()} every step needs a human approval`;
  return [reason('circuit-open', approved ? 'note' : 'needs-approval', message)];
}

/** A step whose adapter can dry-run goes live only after its own dry-run succeeded. */
function dryRunRules(
  step: StepInput,
  valid: ValidStep,
  ctx: StepContext,
  env: EnvironmentPolicy,
  checked: CheckedValues,
): Reason[] {
  const required = env.dryRunFirst && valid.definition.dryRun;
  const done = ctx.history.some(
    (r) =>
      r.mode === 'dry-run' &&
      r.outcome === 'succeeded' &&
      r.planId === ctx.planId &&
      r.stepId === step.stepId &&
      r.action === step.action &&
      r.target === step.target,
  );
  checked.dryRun = { required, done };
  if (!required || done) return [];
  const message = `${step.action} on ${step.target} needs a successful dry-run of step ${step.stepId} first`;
  return [reason('dry-run-required', 'needs-dry-run', message)];
}
