import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  decisionSigningEnvFields,
  decisionSigningSettingsFromEnv,
  defineEnvConfig,
  envDurationMs,
  envLogLevel,
  envPort,
  MINUTE_MS,
  minutesAlias,
} from '@vigil/config';
import { parseUserRoles, type SlackRoles } from '@vigil/chatops';
import { graphSettingsFromEnv, neo4jEnvSchema } from '@vigil/graph';
import {
  consumerEnvFields,
  consumerSettingsFromEnv,
  kafkaEnvSchema,
  serviceSettingsFromEnv,
} from '@vigil/messaging';

const optionalText = () => z.string().trim().min(1).optional();

// Neo4j: the incident store, for the past incidents a card shows (a card goes without them when
// the store cannot be read) and for /vigil history.
const chatopsEnvFields = kafkaEnvSchema.extend(neo4jEnvSchema.shape).extend({
  CHATOPS_PORT: envPort(3111).describe(
    'HTTP port (/slack/events in http mode, /metrics, /healthz).',
  ),
  CHATOPS_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe(
      '127.0.0.1 unless Slack (or the proxy in front) reaches the app from another machine.',
    ),
  CHATOPS_MODE: z
    .enum(['http', 'socket'], { error: 'must be http or socket' })
    .default('http')
    .describe(
      'http: Slack posts to /slack/events on CHATOPS_PORT; socket: Socket Mode, no public URL.',
    ),
  SLACK_SIGNING_SECRET: optionalText().describe(
    'Signing Secret of the Slack app (Basic Information); required in http mode.',
  ),
  SLACK_BOT_TOKEN: z
    .string({ error: 'must be the Slack bot token (xoxb-…, OAuth & Permissions)' })
    .startsWith('xoxb-', 'must be the Slack bot token (xoxb-…, OAuth & Permissions)')
    .describe('The Slack bot token (xoxb-…, OAuth & Permissions).'),
  SLACK_APP_TOKEN: optionalText().describe(
    'App-level token (xapp-…) with connections:write; required in socket mode.',
  ),
  SLACK_CHANNEL: z
    .string({ error: 'must name the channel for incident cards: its id (C0123ABC) or #name' })
    .trim()
    .min(1, 'must name the channel for incident cards: its id (C0123ABC) or #name')
    .describe('Where incident cards go: a channel id (C0123ABC) or #name the bot is a member of.'),
  SLACK_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' })
    .optional()
    .describe(
      "Another base URL for the Slack Web API (a proxy, or the tests' recorder); unset: https://slack.com/api/.",
    ),
  CHATOPS_USER_ROLES: optionalText().describe(
    'JSON object: Slack user id -> viewer | responder | approver.',
  ),
  CHATOPS_USER_ROLES_FILE: optionalText().describe(
    'The same JSON object in a file (set it or CHATOPS_USER_ROLES, not both).',
  ),
  ...consumerEnvFields('chatops', 'shows incidents from now on'),
  CHATOPS_CARD_INTERVAL_MS: z.coerce
    .number({ error: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(100, 'must be at least 100 (Slack allows about one update a second)')
    .default(1000)
    .meta({ unit: 'ms' })
    .describe(
      'At most one Slack call per incident card in this time; changes in between are coalesced.',
    ),
  CHATOPS_CARD_MAX_AGE_MS: envDurationMs(60 * MINUTE_MS, { min: 1 }).describe(
    'Incidents whose last change is older get no card: a replay does not flood the channel.',
  ),
  ...decisionSigningEnvFields('chatops', { signs: 'made in Slack', whose: "The Slack app's" }),
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

export const chatopsSettingsSchema = chatopsEnvFields
  .superRefine((env, ctx) => {
    for (const issue of modeIssues(env))
      ctx.addIssue({ code: 'custom', path: [issue.variable], message: issue.message });
  })
  .transform((env, ctx) => {
    const read = readRoles(env);
    if ('roles' in read) return settingsOf(env, read.roles);
    ctx.addIssue({ code: 'custom', path: [read.variable], message: read.message });
    return z.NEVER;
  });
export type ChatopsSettings = z.output<typeof chatopsSettingsSchema>;

/** What chatops runs with: read once from the environment. */
function settingsOf(env: ChatopsEnv, userRoles: SlackRoles) {
  return {
    ...serviceSettingsFromEnv(env, 'chatops'),
    ...consumerSettingsFromEnv(env, 'chatops'),
    host: env.CHATOPS_HOST,
    mode: env.CHATOPS_MODE,
    slack: {
      signingSecret: env.SLACK_SIGNING_SECRET,
      botToken: env.SLACK_BOT_TOKEN,
      appToken: env.SLACK_APP_TOKEN,
      channel: env.SLACK_CHANNEL,
      apiUrl: env.SLACK_API_URL,
    },
    userRoles,
    cardIntervalMs: env.CHATOPS_CARD_INTERVAL_MS,
    cardMaxAgeMs: env.CHATOPS_CARD_MAX_AGE_MS,
    graph: graphSettingsFromEnv(env),
    ...decisionSigningSettingsFromEnv(env, 'chatops'),
  };
}

export const chatopsEnv = defineEnvConfig({
  app: 'chatops',
  schema: chatopsSettingsSchema,
  aliases: [minutesAlias('CHATOPS_CARD_MAX_AGE_MINUTES', 'CHATOPS_CARD_MAX_AGE_MS')],
});
