import type { RemediationDecision, VigilRole } from '@vigil/contracts';
import type { ApprovalRequirement } from './policy';
import { type Reason, reason } from './verdict';

const RANK: Record<VigilRole | ApprovalRequirement, number> = {
  none: 0,
  viewer: 0,
  responder: 1,
  approver: 2,
};

/** The stricter of two requirements. */
export function stricter(a: ApprovalRequirement, b: ApprovalRequirement): ApprovalRequirement {
  return RANK[b] > RANK[a] ? b : a;
}

const who = (d: RemediationDecision): string => `${d.by.user} (${d.by.role})`;
const aRole = (r: ApprovalRequirement): string => (r === 'approver' ? 'an approver' : `a ${r}`);

/** The decisions that concern this plan and have happened by `now`; the others, with notes. */
export function relevantDecisions(
  decisions: readonly RemediationDecision[],
  planId: string,
  now: number,
): { decisions: RemediationDecision[]; notes: Reason[] } {
  const notes: Reason[] = [];
  const relevant = decisions.filter((d) => {
    if (d.planId !== planId) {
      notes.push(ignored(d, `it is for plan ${d.planId}, not ${planId}`));
      return false;
    }
    const at = Date.parse(d.at);
    if (!(at <= now)) {
      notes.push(ignored(d, `it is dated ${d.at}, after the evaluation time`));
      return false;
    }
    return true;
  });
  return { decisions: relevant, notes };
}

function ignored(d: RemediationDecision, why: string): Reason {
  return reason('decision-ignored', 'note', `${d.decision} by ${who(d)} ignored: ${why}`);
}

/** A reject or cancel by anyone stops the plan: stopping is always the safe direction. */
export function stopReasons(decisions: readonly RemediationDecision[]): Reason[] {
  return decisions
    .filter((d) => d.decision !== 'approve')
    .map((d) =>
      reason(
        d.decision === 'reject' ? 'rejected' : 'cancelled',
        'deny',
        `plan ${d.decision === 'reject' ? 'rejected' : 'cancelled'} by ${who(d)} at ${d.at}` +
          (d.reason ? `: ${d.reason}` : ''),
      ),
    );
}

export interface ApprovalCheck {
  approvedBy: string[];
  reasons: Reason[];
}

/** Whether approvals of roles that may approve meet the requirement; the others are named. */
export function checkApprovals(
  required: ApprovalRequirement,
  decisions: readonly RemediationDecision[],
  why: string,
): ApprovalCheck {
  const approvals = decisions.filter((d) => d.decision === 'approve');
  if (required === 'none') return { approvedBy: approvals.map(who), reasons: [] };
  const counted = approvals.filter((d) => RANK[d.by.role] >= RANK[required]);
  const notCounted = approvals
    .filter((d) => RANK[d.by.role] < RANK[required])
    .map((d) =>
      reason(
        'approval-not-counted',
        'note',
        d.by.role === 'viewer'
          ? `approval by ${who(d)} does not count: a viewer never approves`
          : `approval by ${who(d)} does not count: ${why} needs ${aRole(required)} or above`,
      ),
    );
  if (counted.length > 0) {
    const note = reason('approved', 'note', `approved by ${counted.map(who).join(', ')}`);
    return { approvedBy: counted.map(who), reasons: [...notCounted, note] };
  }
  const missing = reason(
    'approval-required',
    'needs-approval',
    `${why} needs an approval by ${aRole(required)} or above` +
      (notCounted.length > 0 ? `; ${notCounted.length} approval(s) given do not count` : ''),
  );
  return { approvedBy: [], reasons: [missing, ...notCounted] };
}
