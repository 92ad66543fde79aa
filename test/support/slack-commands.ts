import { createHmac } from 'node:crypto';

export interface SlackTestUser {
  id: string;
  username: string;
}

/** A `/vigil` slash command as Slack posts it (form-encoded), typed by `user` in `channel`. */
export function slashCommand(text: string, user: SlackTestUser, channel: string): string {
  return new URLSearchParams({
    token: 'verification-token',
    team_id: 'T0VIGIL',
    team_domain: 'vigil-test',
    channel_id: channel,
    channel_name: 'vigil',
    user_id: user.id,
    user_name: user.username,
    command: '/vigil',
    text,
    api_app_id: 'A0VIGIL',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0VIGIL/1/x',
    trigger_id: `${Date.now()}.trigger`,
  }).toString();
}

/**
 * Posts a form body to the app's /slack/events with Slack's v0 signature, computed here
 * independently of the app's code; the app's immediate answer is the response. `ageSeconds`
 * dates the request back (a replay), `contentType` replaces the form type.
 */
export function postSignedToSlackApp(
  port: number,
  secret: string,
  body: string,
  options: { ageSeconds?: number; contentType?: string } = {},
): Promise<Response> {
  const timestamp = String(Math.floor(Date.now() / 1000) - (options.ageSeconds ?? 0));
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': `v0=${signature}`,
    },
    body,
  });
}
