import type { RemediationDecision, RemediationExecution, RemediationPlan } from '@vigil/contracts';
import { readVerdict } from '@vigil/remediation-engine';
import type { PlanState, PlanView, StepView } from './incident-view.types';

const OUTCOME: Partial<Record<RemediationExecution['type'], StepView['outcome']>> = {
  'step-started': 'started',
  'step-succeeded': 'succeeded',
  'step-failed': 'failed',
  'rollback-finished': 'rolled-back',
};

/** A plan as people see it: each step with the guardrails' last word on it and how it went. */
export function planView(
  plan: RemediationPlan,
  decisions: readonly RemediationDecision[],
  audit: readonly RemediationExecution[],
): PlanView {
  const steps: StepView[] = plan.steps.map((step) => ({ step }));
  const byId = new Map(steps.map((s) => [s.step.stepId, s]));
  for (const event of audit) {
    const view = event.stepId ? byId.get(event.stepId) : undefined;
    if (!view) continue;
    if (event.type === 'verdict') {
      const verdict = readVerdict(event.detail);
      if (verdict) view.verdict = { verdict: verdict.verdict, reasons: verdict.reasons };
    }
    const outcome = OUTCOME[event.type];
    // a rolled-back step stays rolled back: later events are about other steps
    if (outcome && view.outcome !== 'rolled-back') view.outcome = outcome;
  }
  return {
    plan,
    state: planState(decisions, audit),
    steps,
    decisions: [...decisions],
    audit: [...audit],
  };
}

function planState(
  received: readonly RemediationDecision[],
  audit: readonly RemediationExecution[],
): PlanState {
  // a decision the executor refused (forged, unsigned, made on other content) does not count
  const refused = new Set(
    audit.filter((e) => e.type === 'decision-refused').map((e) => String(e.detail['decisionId'])),
  );
  const decisions = received.filter((d) => !refused.has(d.decisionId));
  const types = new Set(audit.map((e) => e.type));
  if (types.has('plan-completed')) return 'completed';
  if (types.has('plan-aborted')) return 'aborted';
  if (decisions.some((d) => d.decision === 'reject' || d.decision === 'cancel')) return 'rejected';
  // refused input (a forged decision, an altered plan) changes nothing of where the plan stands
  const last = audit
    .filter((e) => e.type !== 'plan-refused' && e.type !== 'decision-refused')
    .at(-1);
  if (!last) return 'drafted';
  if (last.type === 'verdict' && readVerdict(last.detail)?.verdict === 'needs-approval')
    return 'awaiting-approval';
  return 'running';
}
