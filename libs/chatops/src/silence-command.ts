import { formatMatchers, MatcherError, PolicyError, silenceFromRequest } from '@vigil/alert-policy';
import type { AlertPolicyEvent } from '@vigil/contracts';
import { authorize, type ClickEffect } from './slack-decisions';
import { plain } from './slack-text';
import type { CommandAnswer, CommandContext } from './vigil-command-answers';

const usage =
  'Write it as /vigil silence MATCHERS for DURATION COMMENT, e.g. /vigil silence {service="db", env="prod"} for 2h database upgrade';

// "for" then a duration such as 90m, 2h or 1h30m; the matchers are what comes before
const shape = /^(.+?)\s+for\s+((?:\d+(?:ms|s|m|h|d|w))+)(?:\s+(.*))?$/s;

/**
 * `/vigil silence <matchers> for <duration> <comment>` from a responder: a silence starting now,
 * published on the policy topic. Its id comes from the command's trigger_id, so a request Slack
 * repeats makes the same silence.
 */
export function answerSilence(text: string, ctx: CommandContext): CommandAnswer {
  const allowed = authorize(ctx.roles, ctx.user, 'silence');
  if (!allowed.ok) return { text: allowed.reason };
  // Slack turns typed quotes into curly ones on some keyboards
  const match = shape.exec(text.replace(/[\u201c\u201d]/g, '"').trim());
  if (!match) return { text: usage };
  const [, matchers = '', duration = '', comment = ''] = match;
  try {
    const silence = silenceFromRequest(
      {
        id: `slack-${ctx.requestId}`.slice(0, 200),
        matchers,
        duration,
        comment,
        createdBy: ctx.user.slackUserName,
      },
      Date.parse(ctx.at),
    );
    const event: AlertPolicyEvent = {
      schemaVersion: 1,
      eventId: `slack-${ctx.requestId}`.slice(0, 300),
      type: 'silence.created',
      at: ctx.at,
      by: { user: ctx.user.slackUserName },
      via: 'slack',
      silence,
    };
    const effect: ClickEffect = { kind: 'policy', event };
    return {
      text: `Silenced ${plain(formatMatchers(silence.matchers))} until ${silence.endsAt} (\`${plain(silence.id)}\`).`,
      effect,
    };
  } catch (error) {
    if (error instanceof MatcherError || error instanceof PolicyError)
      return { text: `${plain(error.message)}\n${usage}` };
    throw error;
  }
}
