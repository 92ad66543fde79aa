import type { VigilRole } from '@vigil/contracts';

/** What a person may do in the console, in Slack or through the API. */
export type Permission =
  | 'view'
  | 'acknowledge'
  | 'resolve'
  | 'reject'
  | 'approve'
  | 'silence'
  | 'regroup';

const LEVEL: Readonly<Record<VigilRole, number>> = { viewer: 0, responder: 1, approver: 2 };

// Anyone on call may stop a plan; only approvers may let one run. The executor's guardrails
// check the approver's role again against each step's risk.
const NEEDS: Readonly<Record<Permission, VigilRole>> = {
  view: 'viewer',
  acknowledge: 'responder',
  resolve: 'responder',
  reject: 'responder',
  approve: 'approver',
  // silences and maintenance windows: anyone on call may quiet planned work or known noise
  silence: 'responder',
  // merging and splitting incidents: the correlator learns from it, so not for viewers
  regroup: 'responder',
};

export function may(role: VigilRole, permission: Permission): boolean {
  return LEVEL[role] >= LEVEL[NEEDS[permission]];
}

/** The sentence a refused person sees: what they are, and what it takes. */
export function refusal(user: string, role: VigilRole, permission: Permission): string {
  return `${user} is a ${role}: ${permission} needs the ${NEEDS[permission]} role or higher`;
}

/** The highest role any of a person's groups gives; undefined when none gives one. */
export function roleFromGroups(
  groups: readonly string[],
  roleMap: Readonly<Record<string, VigilRole>>,
): VigilRole | undefined {
  let best: VigilRole | undefined;
  for (const group of groups) {
    const role = Object.hasOwn(roleMap, group) ? roleMap[group] : undefined;
    if (role && (!best || LEVEL[role] > LEVEL[best])) best = role;
  }
  return best;
}
