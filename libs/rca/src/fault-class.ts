import type { FaultClass } from '@vigil/action-catalog';
import type { RankedRootCause } from './rca-case';
import { goneAlertPattern, metricMeaning } from './service-anomaly';

// beyond the alerts that say the target is gone: those that say it is going or coming back
const downAlerts = (name: string) =>
  goneAlertPattern.test(name) || /Unavailable|Down\b|Restart/i.test(name);
const deployAlerts = /Deploy|Rollout|Version|ArgoCd|Release/i;

/**
 * What kind of fault the leading candidate shows, from its evidence alone: what a runbook is
 * chosen by. The order of the checks is the order of confidence: a process that is gone is gone
 * whatever else moved; a never-seen log template next to errors is a new version.
 */
/**
 * Whether a new version went out: the platform's word when it reports releases, else a deploy
 * alert, else never-seen log lines (the only hint where nobody reports releases; where they are
 * reported, new lines are just as often new failures).
 */
function released(cause: RankedRootCause): boolean {
  const { logs, alerts, deploys } = cause.evidence;
  if (alerts.some((a) => deployAlerts.test(a.alertname))) return true;
  if (deploys) return deploys.length > 0;
  return logs.some((l) => l.pattern === 'new-template');
}

/**
 * A resource's rise names the fault only when it is at least this share of the strongest change
 * the cause shows. A process's memory wanders as it warms up: in bench:loop such a wander (a score
 * of 3.3) beside a p99 latency of 99 named a latency fault a memory leak.
 */
const minShareOfStrongest = 0.25;

export function classifyFault(cause: RankedRootCause): FaultClass {
  const { metrics, logs, alerts } = cause.evidence;
  /** Scores of the metrics read as `meaning` that moved `direction`, named like `pattern`. */
  const scores = (meaning: string, direction: 'up' | 'down', pattern?: RegExp) =>
    metrics
      .filter(
        (m) =>
          metricMeaning(m.metric) === meaning &&
          m.direction === direction &&
          (!pattern || pattern.test(m.metric)),
      )
      .map((m) => m.score);
  const moved = (meaning: string, direction: 'up' | 'down', pattern?: RegExp) =>
    scores(meaning, direction, pattern).length > 0;
  // the strongest rise of a resource, leaving out a bystander's (see minShareOfStrongest)
  const bystanderBelow = minShareOfStrongest * Math.max(0, ...metrics.map((m) => m.score));
  const rise = (pattern: RegExp) =>
    Math.max(0, ...scores('resource', 'up', pattern).filter((s) => s >= bystanderBelow));
  const failing = moved('failing', 'up') || logs.some((l) => l.pattern === 'error-burst');
  const slow = moved('slow', 'up');
  if (
    alerts.some((a) => downAlerts(a.alertname)) ||
    (moved('traffic', 'down') && moved('resource', 'down', /mem/i))
  )
    return 'crash';
  // a reported deploy with alerts on the service is enough: its metrics may not have moved yet
  const deployedAndAlerting = (cause.evidence.deploys?.length ?? 0) > 0 && alerts.length > 0;
  if (released(cause) && (failing || slow || deployedAndAlerting)) return 'bad-deploy';
  // likewise a new config version: nothing in the process changed, so a restart reads it again
  const reconfigured = (cause.evidence.configChanges?.length ?? 0) > 0;
  if (reconfigured && (failing || slow || alerts.length > 0)) return 'bad-config';
  // more requests than usual, and the service failing or slow under them: capacity, not a bug (a
  // restart only drops capacity; the CPU it burns serving them is the load, not a hot loop)
  if (moved('traffic', 'up') && (failing || slow)) return 'overload';
  // Memory and CPU both up: the stronger change says which. A process still warming up grows its
  // memory for minutes, so a CPU hog in a young process shows a little memory growth as well.
  const memory = rise(/mem|heap/i);
  const cpu = rise(/cpu|event.?loop/i);
  if (memory > 0 && memory >= cpu) return 'memory-leak';
  if (cpu > 0) return 'cpu-saturation';
  if (failing) return 'errors';
  if (slow) return 'latency';
  return classifyByAlertNames(alerts.map((a) => a.alertname));
}

/**
 * When the metrics and logs have not shown it yet (the first ranking often has only the alerts),
 * what the alerts say they are about.
 */
function classifyByAlertNames(names: readonly string[]): FaultClass {
  const said = (pattern: RegExp) => names.some((n) => pattern.test(n));
  if (said(/Memory|OOM|Heap/i)) return 'memory-leak';
  if (said(/CPU|Saturat|Throttl/i)) return 'cpu-saturation';
  if (said(/Error|5xx|Fail/i)) return 'errors';
  if (said(/Latency|Slow|P9\d|Duration/i)) return 'latency';
  return 'unknown';
}
