import { changesTarget, type TargetState, checkStep } from '@vigil/action-catalog';
import type { ActionName } from '@vigil/contracts';
import type { EnvironmentPolicy } from './policy';
import type { EarlierStep, ExecutionRecord } from './step-context';
import { type CheckedValues, type RateCount, type Reason, percent, reason } from './verdict';

type BlastValue = NonNullable<CheckedValues['blastRadius']>;

/** Shares are sums of fractions like 1/3; this keeps "exactly at the limit" within it. */
const EPSILON = 1e-9;

export interface LimitInput {
  action: string;
  target: string;
  env: EnvironmentPolicy;
  history: readonly ExecutionRecord[];
  earlier: readonly EarlierStep[];
  now: number;
}

const live = (history: readonly ExecutionRecord[]) => history.filter((r) => r.mode === 'live');

/**
 * Instances touched at once: this step's share plus the shares of live steps on the same
 * target that are still running or settling, and of the plan's earlier steps on it.
 */
export function checkBlastRadius(
  input: LimitInput,
  share: number,
  state: TargetState,
): { value: BlastValue; reasons: Reason[] } {
  const { env, target, action } = input;
  const limit = env.blastRadius.perAction[action as ActionName] ?? env.blastRadius.max;
  const others = touchingOthers(input, state);
  const total = Math.min(1, share + others);
  const value: BlastValue = { step: share, others, total, limit, instances: state.replicas };
  if (share <= 0 || total <= limit + EPSILON) return { value, reasons: [] };
  const smallService = env.blastRadius.smallServices;
  if (smallService !== 'deny' && smallestStepOnSmallService(share, others, limit, state))
    return { value: { ...value, approval: smallService }, reasons: [] };
  const mine = `${action} touches ${count(share, state)} of ${state.replicas} instances of ${target} (${percent(share)})`;
  const busy =
    others > 0
      ? ` while other steps still touch ${count(others, state)}: ${percent(total)} in all,`
      : ',';
  return {
    value,
    reasons: [
      reason('blast-radius', 'deny', `${mine}${busy} above the limit of ${percent(limit)}`),
    ],
  };
}

const count = (share: number, state: TargetState): number => Math.round(share * state.replicas);

/**
 * The only instance of a one-instance service, with nothing else in flight on it: no smaller step
 * exists, so the limit alone would leave the service untreatable. (One of two instances is not
 * such a case: it halves the service, and the limit holds, approved or not.)
 */
function smallestStepOnSmallService(
  share: number,
  others: number,
  limit: number,
  state: TargetState,
): boolean {
  return others <= EPSILON && state.replicas === 1 && share > limit;
}

/** Why a step on a small service needs a person: the text of its blast-radius reason. */
export function smallServiceMessage(action: string, target: string, value: BlastValue): string {
  return (
    `${action} touches the only instance of ${target} (${percent(value.step)}), above the limit ` +
    `of ${percent(value.limit)}; a one-instance service cannot be treated within it`
  );
}

function touchingOthers(input: LimitInput, state: TargetState): number {
  const settledBefore = input.now - input.env.blastRadius.settleSeconds * 1000;
  const records = live(input.history).filter(
    (r) =>
      r.target === input.target &&
      (r.outcome === 'running' || (r.finishedAt ?? input.now) > settledBefore),
  );
  const fromHistory = records.reduce((sum, r) => sum + recordedShare(r, state), 0);
  const fromPlan = input.earlier
    .filter((s) => s.target === input.target)
    .reduce((sum, s) => sum + s.blastRadius, 0);
  return fromHistory + fromPlan;
}

/** A record without its share is sized from its parameters, or as the whole target if it cannot be. */
function recordedShare(r: ExecutionRecord, state: TargetState): number {
  if (r.blastRadius !== undefined) return r.blastRadius;
  const check = r.params
    ? checkStep({ action: r.action as ActionName, params: r.params })
    : undefined;
  return check?.ok ? check.definition.blastRadius(check.params, state) : 1;
}

/**
 * Rate limits: live steps started within the window (an execution `windowSeconds` ago no longer
 * counts) plus the plan's earlier steps. At `max` already, this step would exceed it.
 */
export function checkRates(input: LimitInput): {
  value: { target: RateCount; action?: RateCount };
  reasons: Reason[];
} {
  const { env, action, target } = input;
  const perTarget = env.rateLimits.perTarget;
  const perAction = env.rateLimits.perAction[action as ActionName];
  const targetCount = started(input, perTarget.windowSeconds, (x) => x.target === target);
  const reasons: Reason[] = [];
  // a diagnostic changes nothing: it spends no change budget and is never refused for one
  if (!changesTarget(action))
    return { value: { target: { count: targetCount, ...perTarget } }, reasons };
  if (targetCount >= perTarget.max) {
    reasons.push(
      reason(
        'rate-limit-target',
        'deny',
        `${target} already had ${targetCount} step(s) within ${perTarget.windowSeconds} s; the limit is ${perTarget.max}`,
      ),
    );
  }
  const value: { target: RateCount; action?: RateCount } = {
    target: { count: targetCount, ...perTarget },
  };
  if (!perAction) return { value, reasons };
  const actionCount = started(input, perAction.windowSeconds, (x) => x.action === action);
  value.action = { count: actionCount, ...perAction };
  if (actionCount >= perAction.max) {
    reasons.push(
      reason(
        'rate-limit-action',
        'deny',
        `${action} already ran ${actionCount} time(s) within ${perAction.windowSeconds} s in this environment; the limit is ${perAction.max}`,
      ),
    );
  }
  return { value, reasons };
}

function started(
  input: LimitInput,
  windowSeconds: number,
  matches: (x: { action: string; target: string }) => boolean,
): number {
  const from = input.now - windowSeconds * 1000;
  const counts = (x: { action: string; target: string }) => changesTarget(x.action) && matches(x);
  const inWindow = live(input.history).filter(
    (r) => r.startedAt > from && r.startedAt <= input.now && counts(r),
  );
  return inWindow.length + input.earlier.filter(counts).length;
}

/** At most `maxConcurrentPerTarget` live steps run on a target at a time. */
export function checkConcurrency(input: LimitInput): {
  value: { running: number; max: number };
  reasons: Reason[];
} {
  const max = input.env.maxConcurrentPerTarget;
  const running = live(input.history).filter(
    (r) => r.target === input.target && r.outcome === 'running',
  ).length;
  const value = { running, max };
  if (running < max) return { value, reasons: [] };
  const message = `${running} step(s) already running on ${input.target}; at most ${max} at a time`;
  return { value, reasons: [reason('concurrency', 'deny', message)] };
}
