import { vigilRole } from '@vigil/contracts';
import type { SlackRoles } from './slack-decisions';

// Slack user ids, not display names: names can be changed by their owner, ids cannot.
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

export type RolesParse = { ok: true; roles: SlackRoles } | { ok: false; reason: string };

/** CHATOPS_USER_ROLES (or the file it names): `{"U0123ABC": "approver", ...}`. */
export function parseUserRoles(text: string): RolesParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `is not JSON: ${(error as Error).message}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return {
      ok: false,
      reason: 'must be a JSON object of Slack user id -> viewer|responder|approver',
    };
  const roles: Record<string, SlackRoles[string]> = {};
  const problems: string[] = [];
  for (const [id, value] of Object.entries(json)) {
    const role = vigilRole.safeParse(value);
    if (!SLACK_USER_ID.test(id)) problems.push(`"${id}" is not a Slack user id (U… or W…)`);
    else if (!role.success) problems.push(`"${id}" must be viewer, responder or approver`);
    else roles[id] = role.data;
  }
  return problems.length > 0
    ? { ok: false, reason: problems.join('; ') }
    : { ok: true, roles: Object.freeze(roles) };
}
