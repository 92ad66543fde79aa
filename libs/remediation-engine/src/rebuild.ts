import type { RemediationExecution, RemediationPlan } from '@vigil/contracts';
import { readInverse, readMode, readVerdict } from './event-detail';
import type { PlanRun, StepFacts } from './plan-run';

/** The state of a plan that has not started: every step without facts. */
export function startRun(plan: Pick<RemediationPlan, 'planId' | 'incidentId' | 'steps'>): PlanRun {
  const facts: Record<string, StepFacts> = {};
  for (const step of plan.steps) facts[step.stepId] = { verdicts: [] };
  return {
    planId: plan.planId,
    incidentId: plan.incidentId,
    steps: plan.steps,
    facts,
    eventIds: [],
    anomalies: [],
  };
}

/**
 * The plan's state from its audit events, in log order. Other plans' events and events already
 * seen (Kafka delivers at least once) are skipped; `record` folds its own events the same way, so
 * a rebuilt state equals the state the executor had before it died.
 */
export function rebuild(
  plan: Pick<RemediationPlan, 'planId' | 'incidentId' | 'steps'>,
  events: readonly RemediationExecution[],
): PlanRun {
  return events.reduce(foldEvent, startRun(plan));
}

export function foldEvent(run: PlanRun, event: RemediationExecution): PlanRun {
  if (event.planId !== run.planId || run.eventIds.includes(event.eventId)) return run;
  const seen: PlanRun = { ...run, eventIds: [...run.eventIds, event.eventId] };
  const at = Date.parse(event.at);
  if (event.type === 'plan-completed' || event.type === 'plan-aborted')
    return { ...seen, ended: { type: event.type, at } };
  // The circuit is shared by all plans (see circuit.ts): not part of one plan's state.
  if (event.type === 'circuit-opened' || event.type === 'circuit-closed') return seen;
  // Refused input (another plan under this id, a bad decision) changes nothing of the run.
  if (event.type === 'plan-refused' || event.type === 'decision-refused') return seen;
  const facts = event.stepId === undefined ? undefined : seen.facts[event.stepId];
  if (!facts || event.stepId === undefined)
    return anomaly(seen, event, 'names no step of the plan');
  const next = stepFacts(facts, event, at);
  if (typeof next === 'string') return anomaly(seen, event, next);
  return { ...seen, facts: { ...seen.facts, [event.stepId]: next } };
}

function anomaly(run: PlanRun, event: RemediationExecution, why: string): PlanRun {
  return { ...run, anomalies: [...run.anomalies, `${event.type} ${event.eventId}: ${why}`] };
}

/** The step's facts with the event applied, or why it cannot be applied. */
function stepFacts(f: StepFacts, event: RemediationExecution, at: number): StepFacts | string {
  switch (event.type) {
    case 'verdict': {
      const v = readVerdict(event.detail);
      return v ? { ...f, verdicts: [...f.verdicts, { ...v, at }] } : 'unreadable verdict';
    }
    case 'step-started':
      return started(f, event, at);
    case 'step-succeeded':
    case 'step-failed':
      return finished(f, event, at);
    case 'verification-passed':
    case 'verification-failed':
      if (f.apply?.outcome !== 'succeeded') return 'verification of a step that did not succeed';
      return { ...f, verification: { passed: event.type === 'verification-passed', at } };
    case 'rollback-started':
      if (!f.apply) return 'rollback of a step that never started';
      return { ...f, rollback: { startedAt: at } };
    default:
      return rollbackFinished(f, event, at);
  }
}

function started(f: StepFacts, event: RemediationExecution, at: number): StepFacts | string {
  const mode = readMode(event.detail);
  if (mode === 'dry-run') return { ...f, dryRun: { startedAt: at } };
  if (mode === 'live')
    return { ...f, apply: { startedAt: at, inverse: readInverse(event.detail) } };
  return 'no mode (dry-run or live)';
}

function finished(f: StepFacts, event: RemediationExecution, at: number): StepFacts | string {
  const mode = readMode(event.detail);
  const outcome = event.type === 'step-succeeded' ? 'succeeded' : 'failed';
  if (mode === 'dry-run' && f.dryRun)
    return { ...f, dryRun: { ...f.dryRun, finishedAt: at, outcome } };
  if (mode === 'live' && f.apply) return { ...f, apply: { ...f.apply, finishedAt: at, outcome } };
  return `a ${mode ?? 'step'} that never started`;
}

function rollbackFinished(
  f: StepFacts,
  event: RemediationExecution,
  at: number,
): StepFacts | string {
  if (!f.rollback) return 'a rollback that never started';
  const outcome = event.detail['outcome'] === 'failed' ? 'failed' : 'succeeded';
  return { ...f, rollback: { ...f.rollback, finishedAt: at, outcome } };
}
