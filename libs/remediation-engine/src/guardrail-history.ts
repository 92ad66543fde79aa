import type { RemediationExecution, RemediationPlan } from '@vigil/contracts';
import type { ExecutionRecord, GuardrailPolicy } from '@vigil/guardrails';
import { executionRecords } from './execution-records';
import type { PlanRun } from './plan-run';
import { rebuild } from './rebuild';

type PlanShape = Pick<RemediationPlan, 'planId' | 'incidentId' | 'steps'>;

/**
 * Every plan's run from the whole executions topic, for a restart: the rate limits, concurrency
 * and blast radius count what every plan did, not only what this process saw, so a crash loop
 * cannot reset them. Only plans with events and run in `environment` are kept (a plan whose
 * verdicts name another environment spent that one's budget, not this one's). Events of a plan
 * not among `plans` cannot be read (a started event names a step, not its target) and are left
 * out. Pure: the same events give the same runs, in the order of the plans.
 */
export function rebuildRuns(
  plans: Iterable<PlanShape>,
  events: readonly RemediationExecution[],
  environment?: string,
): Map<string, PlanRun> {
  const byPlan = new Map<string, RemediationExecution[]>();
  for (const event of events) {
    const trail = byPlan.get(event.planId) ?? [];
    trail.push(event);
    byPlan.set(event.planId, trail);
  }
  const runs = new Map<string, PlanRun>();
  for (const plan of plans) {
    const trail = byPlan.get(plan.planId);
    if (!trail || runs.has(plan.planId) || ranElsewhere(trail, environment)) continue;
    runs.set(plan.planId, rebuild(plan, trail));
  }
  return runs;
}

/** The executions the guardrails count (StepContext.history), from every run. */
export function guardrailHistory(runs: Iterable<PlanRun>): ExecutionRecord[] {
  return [...runs].flatMap((run) => executionRecords(run));
}

function ranElsewhere(trail: readonly RemediationExecution[], environment?: string): boolean {
  if (environment === undefined) return false;
  return trail.some((e) => {
    const named = e.type === 'verdict' ? e.detail['environment'] : undefined;
    return typeof named === 'string' && named !== environment;
  });
}

/**
 * Whether a run may be forgotten at `now`: it ended more than `retainMs` ago. The bound must
 * outlast every guardrail window (rates, settling, the circuit breaker) so that forgetting a run
 * changes no verdict.
 */
export function runForgettable(run: PlanRun, now: number, retainMs: number): boolean {
  return run.ended !== undefined && now - run.ended.at > retainMs;
}

/**
 * How long an ended run must be kept so that forgetting it changes no verdict: `wantedMs`, or the
 * longest window of the policy (rate limits, settling, the circuit breaker, plan expiry) if longer.
 */
export function planRetainMs(policy: GuardrailPolicy, wantedMs: number): number {
  const seconds = [policy.planTtlSeconds, policy.circuitBreaker.windowSeconds];
  for (const env of Object.values(policy.environments)) {
    const { perTarget, perAction } = env.rateLimits;
    seconds.push(env.blastRadius.settleSeconds, perTarget.windowSeconds);
    for (const limit of Object.values(perAction)) if (limit) seconds.push(limit.windowSeconds);
  }
  return Math.max(wantedMs, ...seconds.map((s) => s * 1000));
}

/**
 * When a plan whose drive failed with an error (a broker or adapter outage) is driven again: the
 * wait doubles with each failure in a row, from `baseMs` up to `maxMs`, so an outage is not
 * hammered and a plan is not left until some other event arrives.
 */
export function stalledRetryDelayMs(failures: number, baseMs = 5_000, maxMs = 300_000): number {
  const doublings = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(maxMs, baseMs * 2 ** doublings);
}
