import type { ExecutionRecord } from '@vigil/guardrails';
import { factsOf } from './plan-progress';
import type { PhaseFacts, PlanRun } from './plan-run';

/**
 * The plan's dry-runs and live steps as the guardrails count them (rates, concurrency, blast
 * radius, "dry-run done"): rebuilt from the audit log, so a restart loses none of them. The
 * executor adds them to `StepContext.history`.
 */
export function executionRecords(run: PlanRun): ExecutionRecord[] {
  return run.steps.flatMap((step) => {
    const f = factsOf(run, step.stepId);
    const base = {
      planId: run.planId,
      stepId: step.stepId,
      action: step.action,
      target: step.target,
      params: step.params,
    };
    const records: ExecutionRecord[] = [];
    if (f.dryRun)
      records.push({
        ...base,
        mode: 'dry-run',
        ...timing(f.dryRun),
        outcome: f.dryRun.outcome ?? 'running',
      });
    if (f.apply) {
      const undone = f.rollback?.outcome === 'succeeded';
      const outcome = undone ? 'rolled-back' : (f.apply.outcome ?? 'running');
      records.push({ ...base, mode: 'live', ...timing(f.apply), outcome });
    }
    return records;
  });
}

function timing(p: PhaseFacts): { startedAt: number; finishedAt?: number } {
  return p.finishedAt === undefined
    ? { startedAt: p.startedAt }
    : { startedAt: p.startedAt, finishedAt: p.finishedAt };
}
