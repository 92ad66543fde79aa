import type { ClickEffect, SlackUser } from '@vigil/chatops';

/** The audit key of a Slack user: the workspace's user id, which a rename does not change. */
export function slackAuditKey(user: SlackUser): string {
  return `slack:${user.slackUserId}`;
}

/**
 * The effect as audited: `by.user` is the Slack user id, the display name (which anyone can
 * change in their Slack profile) only rides along to be shown. Applied before signing, so the
 * signature covers both.
 */
export function withSlackIdentity(effect: ClickEffect, user: SlackUser): ClickEffect {
  const who = {
    user: slackAuditKey(user),
    ...(user.slackUserName ? { displayName: user.slackUserName.slice(0, 200) } : {}),
  };
  if (effect.kind === 'decision')
    return { ...effect, decision: { ...effect.decision, by: { ...effect.decision.by, ...who } } };
  if (effect.kind === 'acknowledgement')
    return { ...effect, action: { ...effect.action, by: { ...effect.action.by, ...who } } };
  return { ...effect, event: { ...effect.event, by: { ...effect.event.by, ...who } } };
}
