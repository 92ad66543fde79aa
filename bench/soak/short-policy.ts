import type { GuardrailPolicy } from '@vigil/guardrails';

/**
 * The policy with every window that keeps ended plans in the executor (plan expiry, rate limits,
 * settling, the circuit breaker) cut to at most `maxSeconds`: the soak's short retention for the
 * executor, whose plans stay as long as the policy's longest window whatever
 * EXECUTOR_PLAN_RETAIN_MS says. The limits themselves (how many, which actions) stay as they are.
 */
export function withWindowsAtMost(policy: GuardrailPolicy, maxSeconds: number): GuardrailPolicy {
  const cap = (seconds: number) => Math.min(seconds, maxSeconds);
  const capLimit = <L extends { windowSeconds: number }>(limit: L): L => ({
    ...limit,
    windowSeconds: cap(limit.windowSeconds),
  });
  const environments = Object.fromEntries(
    Object.entries(policy.environments).map(([name, env]) => [
      name,
      {
        ...env,
        blastRadius: { ...env.blastRadius, settleSeconds: cap(env.blastRadius.settleSeconds) },
        rateLimits: {
          perTarget: capLimit(env.rateLimits.perTarget),
          perAction: Object.fromEntries(
            Object.entries(env.rateLimits.perAction).map(([action, limit]) => [
              action,
              limit && capLimit(limit),
            ]),
          ),
        },
      },
    ]),
  );
  return {
    ...policy,
    planTtlSeconds: cap(policy.planTtlSeconds),
    circuitBreaker: {
      ...policy.circuitBreaker,
      windowSeconds: cap(policy.circuitBreaker.windowSeconds),
      coolDownSeconds: cap(policy.circuitBreaker.coolDownSeconds),
    },
    environments,
  };
}
