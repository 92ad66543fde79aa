// The incident's remediation plans, newest ranking first as the server lists them.
import type { ActionMessage } from '../../components/ActionFeedback';
import { PlanCard } from '../../components/plan/PlanCard';
import type { PlanView } from '../../lib/types';
import { CountedSection } from './CountedSection';

interface Props {
  plans: readonly PlanView[];
  busy: boolean;
  /** The outcome of the last action; each plan shows the one it started. */
  message: ActionMessage | null;
  onDecide: (planId: string, decision: 'approve' | 'reject', reason: string) => void;
}

export function RemediationSection({ plans, busy, message, onDecide }: Props) {
  return (
    <CountedSection
      title="Remediation"
      count={plans.length}
      empty="No remediation plan has been drafted."
    >
      <div className="plans">
        {plans.map((p, i) => (
          <PlanCard
            key={p.plan.planId}
            view={p}
            index={i}
            busy={busy}
            message={message?.scope === p.plan.planId ? message : null}
            onDecide={onDecide}
          />
        ))}
      </div>
    </CountedSection>
  );
}
