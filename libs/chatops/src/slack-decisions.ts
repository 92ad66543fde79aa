import type { RemediationDecision, VigilRole } from '@vigil/contracts';

/** What a button on an incident card asks for; its `value` carries the plan or incident id. */
export type CardAction = 'approve' | 'reject' | 'acknowledge';

export interface SlackClick {
  action: CardAction;
  /** The plan id (approve/reject) or incident id (acknowledge). */
  subject: string;
  slackUserId: string;
  slackUserName: string;
  actionTs: string;
}

export type ClickOutcome =
  | { kind: 'decision'; decision: RemediationDecision }
  | { kind: 'acknowledgement'; incidentId: string; user: string; role: VigilRole }
  | { kind: 'refused'; reason: string };

/**
 * A Slack user's click as a Vigil decision. Only users the configuration maps to a role act; a
 * viewer can acknowledge but never decide on a plan (the executor's guardrails check the role
 * again against the step's risk, so chat can never approve more than the policy allows).
 */
export function decisionFromClick(
  click: SlackClick,
  roles: Readonly<Record<string, VigilRole>>,
  at: string,
): ClickOutcome {
  const role = Object.hasOwn(roles, click.slackUserId) ? roles[click.slackUserId] : undefined;
  if (!role)
    return { kind: 'refused', reason: `Slack user ${click.slackUserName} has no Vigil role` };
  if (click.action === 'acknowledge')
    return { kind: 'acknowledgement', incidentId: click.subject, user: click.slackUserName, role };
  if (role === 'viewer')
    return {
      kind: 'refused',
      reason: `${click.slackUserName} is a viewer: only responders and approvers decide on plans`,
    };
  return {
    kind: 'decision',
    decision: {
      schemaVersion: 1,
      decisionId: `slack-${click.subject}-${click.slackUserId}-${click.actionTs}`,
      planId: click.subject,
      decision: click.action,
      by: { user: click.slackUserName, role },
      via: 'slack',
      at,
    },
  };
}

export type VigilCommand =
  | { kind: 'status' }
  | { kind: 'incidents' }
  | { kind: 'ack'; incidentId: string }
  | { kind: 'approve'; planId: string }
  | { kind: 'help'; error?: string };

/** `/vigil status | incidents | ack ID | approve ID`; anything else gets the help text with why. */
export function parseVigilCommand(text: string): VigilCommand {
  const [verb = '', arg, extra] = text.trim().split(/\s+/);
  const needsId = (kind: 'ack' | 'approve'): VigilCommand =>
    !arg || extra
      ? { kind: 'help', error: `${kind} takes exactly one id` }
      : kind === 'ack'
        ? { kind, incidentId: arg }
        : { kind, planId: arg };
  switch (verb.toLowerCase()) {
    case 'status':
      return { kind: 'status' };
    case 'incidents':
      return { kind: 'incidents' };
    case 'ack':
      return needsId('ack');
    case 'approve':
      return needsId('approve');
    case '':
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'help', error: `unknown command "${verb}"` };
  }
}
