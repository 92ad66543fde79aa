import type {
  AlertPolicyEvent,
  IncidentAction,
  RemediationDecision,
  VigilRole,
} from '@vigil/contracts';
import { may, refusal, type Permission } from '@vigil/access';

/** What a button on an incident card asks for; its `value` carries the plan or incident id. */
export type CardAction = 'approve' | 'reject' | 'acknowledge';

/** Slack user id (U…/W…) → Vigil role, from CHATOPS_USER_ROLES. */
export type SlackRoles = Readonly<Record<string, VigilRole>>;

export interface SlackUser {
  slackUserId: string;
  slackUserName: string;
}

export interface SlackClick extends SlackUser {
  action: CardAction;
  /** The plan id (approve/reject) or incident id (acknowledge). */
  subject: string;
  /**
   * The click's action_ts or the command's trigger_id. Slack repeats it when it retries a
   * request, so a retried request makes the same decision id and readers keep it once.
   */
  requestId: string;
}

export type ClickEffect =
  | { kind: 'decision'; decision: RemediationDecision }
  | { kind: 'acknowledgement'; action: IncidentAction }
  | { kind: 'policy'; event: AlertPolicyEvent };

export type ClickOutcome = ClickEffect | { kind: 'refused'; reason: string };

export type Authorization = { ok: true; role: VigilRole } | { ok: false; reason: string };

const PERMISSION: Readonly<Record<CardAction, Permission>> = {
  approve: 'approve',
  reject: 'reject',
  acknowledge: 'acknowledge',
};

export function roleOf(roles: SlackRoles, slackUserId: string): VigilRole | undefined {
  // own keys only: a user id such as "constructor" must not find Object.prototype's
  return Object.hasOwn(roles, slackUserId) ? roles[slackUserId] : undefined;
}

/** Whether this Slack user may do this; the refusal says what they are and what it takes. */
export function authorize(
  roles: SlackRoles,
  user: SlackUser,
  permission: Permission,
): Authorization {
  const role = roleOf(roles, user.slackUserId);
  if (!role)
    return {
      ok: false,
      reason: `Slack user ${user.slackUserName} (${user.slackUserId}) has no Vigil role: CHATOPS_USER_ROLES decides who may ${permission}`,
    };
  if (!may(role, permission))
    return { ok: false, reason: refusal(user.slackUserName, role, permission) };
  return { ok: true, role };
}

/**
 * A Slack user's click as a Vigil event. Only users the configuration maps to a role act, and
 * only as far as their role allows (@vigil/access). The executor's guardrails check the role
 * again against each step's risk, so chat can never approve more than the policy allows.
 */
export function decisionFromClick(click: SlackClick, roles: SlackRoles, at: string): ClickOutcome {
  const allowed = authorize(roles, click, PERMISSION[click.action]);
  if (!allowed.ok) return { kind: 'refused', reason: allowed.reason };
  const by = { user: click.slackUserName, role: allowed.role };
  const id = `slack-${click.subject}-${click.slackUserId}-${click.requestId}`.slice(0, 300);
  if (click.action === 'acknowledge')
    return {
      kind: 'acknowledgement',
      action: {
        schemaVersion: 1,
        actionId: id,
        incidentId: click.subject,
        action: 'acknowledge',
        by,
        via: 'slack',
        at,
      },
    };
  return {
    kind: 'decision',
    decision: {
      schemaVersion: 1,
      decisionId: id,
      planId: click.subject,
      decision: click.action,
      by,
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
  | { kind: 'silence'; text: string }
  | { kind: 'history'; text: string }
  | { kind: 'help'; error?: string };

/** `/vigil status | incidents | ack ID | approve ID | silence … | history … | help`; anything else gets the help with why. */
export function parseVigilCommand(text: string): VigilCommand {
  const [verb = '', arg, extra] = text.trim().split(/\s+/);
  // what follows the verb, as typed: silence and history parse it themselves
  const rest = () => text.trim().slice(verb.length).trim();
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
    case 'silence':
      return { kind: 'silence', text: rest() };
    case 'history':
      return { kind: 'history', text: rest() };
    case '':
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'help', error: `unknown command "${verb}"` };
  }
}
