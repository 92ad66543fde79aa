// One remediation plan: what it would do, what the guardrails said about each step, how it went,
// who decided, and the executor's audit trail.
import type { PlanView } from '../../lib/types';
import { ActionFeedback, type ActionMessage } from '../ActionFeedback';
import { AuditTrail } from './AuditTrail';
import { DecisionForm } from './DecisionForm';
import { PlanDecisions } from './PlanDecisions';
import { PlanHeader } from './PlanHeader';
import { PlanSteps } from './PlanSteps';

interface PlanCardProps {
  view: PlanView;
  index: number;
  busy: boolean;
  message: ActionMessage | null;
  onDecide: (planId: string, decision: 'approve' | 'reject', reason: string) => void;
}

export function PlanCard({ view, index, busy, message, onDecide }: PlanCardProps) {
  const { plan, state } = view;
  const decidable = state === 'drafted' || state === 'awaiting-approval';
  return (
    <article className={`plan plan-card-${state}`} data-testid="plan" data-plan-id={plan.planId}>
      <PlanHeader view={view} index={index} />
      {plan.headline && <p className="plan-headline">{plan.headline}</p>}
      {plan.summary && (
        <p className="plan-summary">
          {plan.headline && !plan.provenance.fallbackUsed && (
            <span className="muted small">the model's summary: </span>
          )}
          {plan.summary}
        </p>
      )}
      <PlanSteps steps={view.steps} />
      <PlanDecisions decisions={view.decisions} />
      {decidable && (
        <DecisionForm
          busy={busy}
          onDecide={(decision, reason) => onDecide(plan.planId, decision, reason)}
        />
      )}
      <ActionFeedback message={message} />
      <AuditTrail audit={view.audit} />
    </article>
  );
}
