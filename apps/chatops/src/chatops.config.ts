import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { envLogLevel, envPort } from '@vigil/config';
import { parseUserRoles, type SlackRoles } from '@vigil/chatops';
import { kafkaEnvSchema } from '@vigil/messaging';

const optionalText = z.string().trim().min(1).optional();

const chatopsEnvFields = kafkaEnvSchema.extend({
  CHATOPS_PORT: envPort(3111),
  /** 127.0.0.1 unless Slack (or the proxy in front) reaches the app from another machine. */
  CHATOPS_HOST: z.string().min(1).default('127.0.0.1'),
  /** http: Slack posts to /slack/events on CHATOPS_PORT; socket: Socket Mode, no public URL. */
  CHATOPS_MODE: z.enum(['http', 'socket'], { error: 'must be http or socket' }).default('http'),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: z
    .string({ error: 'must be the Slack bot token (xoxb-…, OAuth & Permissions)' })
    .startsWith('xoxb-', 'must be the Slack bot token (xoxb-…, OAuth & Permissions)'),
  SLACK_APP_TOKEN: optionalText,
  /** Where incident cards go: a channel id (C0123ABC) or #name the bot is a member of. */
  SLACK_CHANNEL: z
    .string({ error: 'must name the channel for incident cards: its id (C0123ABC) or #name' })
    .trim()
    .min(1, 'must name the channel for incident cards: its id (C0123ABC) or #name'),
  /** Another base URL for the Slack Web API (a proxy, or the tests' recorder). */
  SLACK_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' })
    .optional(),
  /** JSON object: Slack user id -> viewer | responder | approver. */
  CHATOPS_USER_ROLES: optionalText,
  /** The same JSON object in a file. */
  CHATOPS_USER_ROLES_FILE: optionalText,
  CHATOPS_GROUP: z.string().min(1).default('vigil-chatops'),
  /** Where a new consumer group starts: `latest` shows incidents from now on, `earliest` replays. */
  CHATOPS_START_AT: z
    .enum(['earliest', 'latest'], { error: 'must be earliest or latest' })
    .default('latest'),
  /** At most one Slack call per incident card in this time; changes in between are coalesced. */
  CHATOPS_CARD_INTERVAL_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int()
    .min(100, 'must be at least 100 (Slack allows about one update a second)')
    .default(1000),
  /** Incidents whose last change is older get no card: a replay does not flood the channel. */
  CHATOPS_CARD_MAX_AGE_MINUTES: z.coerce
    .number({ error: 'must be a number of minutes' })
    .positive()
    .default(60),
  LOG_LEVEL: envLogLevel,
});

type ChatopsEnv = z.output<typeof chatopsEnvFields>;
type Issues = Array<{ variable: keyof ChatopsEnv; message: string }>;

/** What each mode needs: the signing secret for HTTP, the app-level token for Socket Mode. */
function modeIssues(env: ChatopsEnv): Issues {
  if (env.CHATOPS_MODE === 'http' && !env.SLACK_SIGNING_SECRET)
    return [
      {
        variable: 'SLACK_SIGNING_SECRET',
        message:
          'is required when CHATOPS_MODE=http: the Signing Secret of the Slack app (Basic Information)',
      },
    ];
  if (env.CHATOPS_MODE === 'socket' && !env.SLACK_APP_TOKEN?.startsWith('xapp-'))
    return [
      {
        variable: 'SLACK_APP_TOKEN',
        message:
          'is required when CHATOPS_MODE=socket: an app-level token (xapp-…) with connections:write',
      },
    ];
  return [];
}

function readRoles(env: ChatopsEnv): { roles: SlackRoles } | Issues[number] {
  if (env.CHATOPS_USER_ROLES && env.CHATOPS_USER_ROLES_FILE)
    return {
      variable: 'CHATOPS_USER_ROLES_FILE',
      message: 'set it or CHATOPS_USER_ROLES, not both',
    };
  let text = env.CHATOPS_USER_ROLES ?? '{}';
  const variable = env.CHATOPS_USER_ROLES_FILE ? 'CHATOPS_USER_ROLES_FILE' : 'CHATOPS_USER_ROLES';
  if (env.CHATOPS_USER_ROLES_FILE) {
    try {
      text = readFileSync(env.CHATOPS_USER_ROLES_FILE, 'utf8');
    } catch (error) {
      return { variable, message: `cannot be read: ${(error as Error).message}` };
    }
  }
  const parsed = parseUserRoles(text);
  return parsed.ok ? { roles: parsed.roles } : { variable, message: parsed.reason };
}

export const chatopsEnvSchema = chatopsEnvFields
  .superRefine((env, ctx) => {
    for (const issue of modeIssues(env))
      ctx.addIssue({ code: 'custom', path: [issue.variable], message: issue.message });
  })
  .transform((env, ctx) => {
    const read = readRoles(env);
    if ('roles' in read) return { ...env, userRoles: read.roles };
    ctx.addIssue({ code: 'custom', path: [read.variable], message: read.message });
    return z.NEVER;
  });
export type ChatopsConfig = z.output<typeof chatopsEnvSchema>;
