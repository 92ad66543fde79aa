import type { HumanStatus, PlanState, Role, Severity, StepView, Verdict } from '../lib/types';
import { humanize } from '../lib/format';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span
      className={`sev sev-${severity}`}
      data-severity={severity}
      title={`severity: ${severity}`}
    >
      {severity}
    </span>
  );
}

export function StatusBadge({ status, testId }: { status: HumanStatus; testId?: string }) {
  return (
    <span className={`status status-${status}`} data-testid={testId} data-status={status}>
      {status}
    </span>
  );
}

export function PlanStateBadge({ state }: { state: PlanState }) {
  return (
    <span className={`pill plan-${state}`} data-state={state}>
      {humanize(state)}
    </span>
  );
}

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return (
    <span className={`pill verdict-${verdict}`} data-testid="step-verdict" data-verdict={verdict}>
      {verdict}
    </span>
  );
}

export function OutcomeBadge({ outcome }: { outcome: NonNullable<StepView['outcome']> }) {
  return (
    <span className={`pill outcome-${outcome}`} data-outcome={outcome}>
      {outcome}
    </span>
  );
}

export function RoleBadge({ role }: { role: Role }) {
  return <span className={`pill role role-${role}`}>{role}</span>;
}
