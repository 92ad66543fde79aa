import type { MissingStepEvidence, StepTransitionCount } from './rca-case';
import { calleeOfStep, LAST_STEP } from './telemetry/step-transitions';

export interface MissingStepOptions {
  /** A step counts as usual after another when it followed it in at least this share of requests. */
  minUsual: number;
  /** ... and at least this many times before the anomalous period: one burst is no habit. */
  minReferenceCount: number;
  /** Fewer expected occurrences since cannot tell a missing step from a quiet minute. */
  minExpected: number;
  /** A step is missing when it came at most this share of the times expected. */
  maxObservedShare: number;
  /**
   * The part of a missing step after a call that goes to the service called: its answer may be
   * what changed (a wrong value, an error the caller handles), or the caller's handling of it.
   */
  calleeShare: number;
}

export const defaultMissingStepOptions: MissingStepOptions = {
  minUsual: 0.1,
  minReferenceCount: 5,
  minExpected: 3,
  maxObservedShare: 0.25,
  calleeShare: 0.5,
};

/**
 * Steps of the services' work that stopped following the steps they used to follow (see
 * StepTransitionCounter): for each service and step, the share of requests in which each next
 * step came before `anomalyStart` is what is expected after it; a step that then came at most a
 * quarter as often as expected is missing, and how surely is the binomial chance of so few. Counts
 * are per bin of the requests' start: the bin `anomalyStart` falls in is reference, so a few
 * seconds of the anomalous period may be in it (a bin is 10 s; the reference is many). Every
 * step of every service is a test, and among hundreds one looks missing by luck: each surprise
 * is reduced by log10 of the number of tests (Bonferroni's correction). Evidence whose corrected
 * surprise is positive is returned, for the service and, for a step after a call, for the callee.
 */
export function missingSteps(
  transitions: readonly StepTransitionCount[],
  anomalyStart: number,
  end = Infinity,
  options: MissingStepOptions = defaultMissingStepOptions,
): MissingStepEvidence[] {
  const [before, after] = countsByStep(transitions, anomalyStart, end);
  const found: Array<
    Omit<MissingStepEvidence, 'surprise' | 'share'> & { raw: number; callee?: string }
  > = [];
  let tests = 0;
  for (const [key, usual] of before) {
    const since = after.get(key);
    if (!since) continue;
    const [service, from] = splitKey(key);
    for (const [to, count] of usual.next) {
      const share = count / usual.total;
      if (share < options.minUsual || count < options.minReferenceCount) continue;
      const expected = since.total * share;
      if (expected < options.minExpected) continue;
      tests++;
      const observed = since.next.get(to) ?? 0;
      if (observed > options.maxObservedShare * expected) continue;
      // Laplace's rule of succession: a step that followed every time before is not certain to
      // (else one request without it would be infinitely surprising)
      const chance = count / (usual.total + 1);
      const raw = -binomialLog10AtMost(observed, since.total, chance);
      const callee = answeringService(from, to, service);
      found.push({
        service,
        from,
        to,
        usual: share,
        expected,
        observed,
        raw,
        ...(callee && { callee }),
      });
    }
  }
  const correction = Math.log10(Math.max(1, tests));
  const out: MissingStepEvidence[] = [];
  for (const { raw, callee, ...step } of found) {
    const surprise = raw - correction;
    if (!(surprise > 0)) continue;
    const share = callee ? 1 - options.calleeShare : 1;
    out.push({ ...step, surprise, share });
    if (callee)
      out.push({
        ...step,
        service: callee,
        witness: step.service,
        surprise,
        share: options.calleeShare,
      });
  }
  return out.sort((a, b) => b.surprise * b.share - a.surprise * a.share);
}

/**
 * The service whose answer a missing step may be: the one `from` called, unless that is the
 * service itself (its own work, wholly its own), or `to` was a call to another service: then the
 * call that stopped may be that other service gone (its entry span missing makes its caller's
 * call an unanswered span), and which of the two it is cannot be told.
 */
function answeringService(from: string, to: string, service: string): string | undefined {
  const callee = calleeOfStep(from);
  if (callee === undefined || callee === service) return undefined;
  const next = calleeOfStep(to);
  return next === undefined || next === callee ? callee : undefined;
}

interface NextSteps {
  total: number;
  next: Map<string, number>;
}

/** What followed each step of each service, before `anomalyStart` and from it to `end`. */
function countsByStep(
  transitions: readonly StepTransitionCount[],
  anomalyStart: number,
  end: number,
): [Map<string, NextSteps>, Map<string, NextSteps>] {
  const before = new Map<string, NextSteps>();
  const after = new Map<string, NextSteps>();
  for (const t of transitions) {
    // nothing follows the end
    if (t.from === LAST_STEP) continue;
    const out = t.at < anomalyStart ? before : t.at <= end ? after : undefined;
    if (!out) continue;
    const key = `${t.service}\u0000${t.from}`;
    let steps = out.get(key);
    if (!steps) out.set(key, (steps = { total: 0, next: new Map() }));
    steps.total += t.count;
    steps.next.set(t.to, (steps.next.get(t.to) ?? 0) + t.count);
  }
  return [before, after];
}

function splitKey(key: string): [string, string] {
  const cut = key.indexOf('\u0000');
  return [key.slice(0, cut), key.slice(cut + 1)];
}

/** log10 of P(K <= k) for K ~ Binomial(n, p), summed in log space (n may be thousands). */
export function binomialLog10AtMost(k: number, n: number, p: number): number {
  if (k >= n || p <= 0) return 0;
  if (p >= 1) return -Infinity;
  // term i+1 = term i * (n - i) / (i + 1) * p / (1 - p), from term 0 = (1 - p)^n
  let logTerm = n * Math.log1p(-p);
  let logSum = logTerm;
  const odds = Math.log(p) - Math.log1p(-p);
  for (let i = 0; i < k; i++) {
    logTerm += Math.log(n - i) - Math.log(i + 1) + odds;
    const high = Math.max(logSum, logTerm);
    logSum = high + Math.log(Math.exp(logSum - high) + Math.exp(logTerm - high));
  }
  return Math.min(0, logSum / Math.LN10);
}
