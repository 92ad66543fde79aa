// Who approved, rejected or cancelled a plan, when, through what, and why.
import { formatTimestamp } from '../../lib/format';
import type { RemediationDecision } from '../../lib/types';

const DECIDED = { approve: 'approved', reject: 'rejected', cancel: 'cancelled' } as const;

export function PlanDecisions({ decisions }: { decisions: readonly RemediationDecision[] }) {
  if (decisions.length === 0) return null;
  return (
    <ul className="decisions">
      {decisions.map((d) => (
        <li key={d.decisionId} data-testid="plan-decision" className={`decision-${d.decision}`}>
          <strong>{DECIDED[d.decision] ?? d.decision}</strong> by {d.by.displayName ?? d.by.user}{' '}
          <span className="muted">
            ({d.by.role}) via {d.via} · <span title={d.at}>{formatTimestamp(d.at)}</span>
          </span>
          {d.reason && <span>: {d.reason}</span>}
        </li>
      ))}
    </ul>
  );
}
