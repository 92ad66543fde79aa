import { z } from 'zod';
import { vigilRole } from '@vigil/contracts';
import {
  decisionSigningEnvFields,
  decisionSigningSettingsFromEnv,
  defineEnvConfig,
  envBoolean,
  envDurationMs,
  envLogLevel,
  envPort,
  MINUTE_MS,
  minutesAlias,
} from '@vigil/config';
import { graphSettingsFromEnv, neo4jEnvSchema } from '@vigil/graph';
import { kafkaEnvSchema, serviceSettingsFromEnv } from '@vigil/messaging';

const roleMap = z
  .string()
  .default('{}')
  .transform((text, ctx) => {
    try {
      return z.record(z.string(), vigilRole).parse(JSON.parse(text));
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON object from group names to viewer|responder|approver',
      });
      return z.NEVER;
    }
  });

export const consoleEnvSchema = kafkaEnvSchema.extend(neo4jEnvSchema.shape).extend({
  CONSOLE_PORT: envPort(3110).describe('HTTP port of the console (UI and API).'),
  CONSOLE_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('127.0.0.1 unless the console is meant to be reached from other machines.'),
  CONSOLE_USERS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Local users: JSON file { "users": [{ "username", "passwordHash", "role" }] } (see vigil users).',
    ),
  CONSOLE_SESSION_TTL_MS: envDurationMs(480 * MINUTE_MS, { min: 1 }).describe(
    'How long a session lasts after sign-in.',
  ),
  CONSOLE_BOARD_MAX_INCIDENTS: z.coerce
    .number()
    .int()
    .min(1)
    .default(5_000)
    .describe(
      'Incidents the live board holds in memory, resolved ones forgotten first (older ones stay in the history).',
    ),
  CONSOLE_SECURE_COOKIES: envBoolean(false).describe(
    'Mark the session cookie Secure: on whenever the console is served over HTTPS.',
  ),
  CONSOLE_UI_DIR: z
    .string()
    .min(1)
    .default('dist/console-web')
    .describe('The built web UI (npm run console:build).'),
  CONSOLE_OIDC_ISSUER: z
    .url({ error: 'must be the OIDC issuer URL' })
    .optional()
    .describe(
      'OIDC issuer URL; OIDC sign-in is on when the four CONSOLE_OIDC_ISSUER..._REDIRECT_URL are set.',
    ),
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional().describe('OIDC client id.'),
  CONSOLE_OIDC_CLIENT_SECRET: z.string().min(1).optional().describe('OIDC client secret.'),
  CONSOLE_OIDC_REDIRECT_URL: z
    .url({ error: 'must be the callback URL' })
    .optional()
    .describe(
      'Where the provider sends people back: https://console.example/api/v1/auth/oidc/callback',
    ),
  CONSOLE_OIDC_NAME: z
    .string()
    .min(1)
    .default('single sign-on')
    .describe('The name of the sign-in button.'),
  CONSOLE_OIDC_SCOPES: z
    .string()
    .min(1)
    .default('openid profile email groups')
    .describe(
      'Scopes asked for; some providers name a groups scope, others put groups in profile.',
    ),
  CONSOLE_OIDC_GROUPS_CLAIM: z
    .string()
    .min(1)
    .default('groups')
    .describe("The ID-token claim holding the user's groups."),
  CONSOLE_OIDC_ROLE_MAP: roleMap.describe(
    "JSON: which group gives which role (viewer|responder|approver); the highest role a user's groups give wins.",
  ),
  ...decisionSigningEnvFields('console', {
    signs: 'the console publishes',
    whose: "The console's",
  }),
  LOG_LEVEL: envLogLevel,
});
type ConsoleEnv = z.output<typeof consoleEnvSchema>;

const oidcParts = [
  'CONSOLE_OIDC_ISSUER',
  'CONSOLE_OIDC_CLIENT_ID',
  'CONSOLE_OIDC_CLIENT_SECRET',
  'CONSOLE_OIDC_REDIRECT_URL',
] as const;

/** OIDC is on when all of it is configured, and a half-configured provider is an error. */
export const consoleSettingsSchema = consoleEnvSchema.transform((env, ctx) => {
  const missing = oidcParts.filter((name) => !env[name]);
  if (missing.length > 0 && missing.length < oidcParts.length) {
    ctx.addIssue({
      code: 'custom',
      path: [missing[0]],
      message: `OIDC is half configured; also set ${missing.join(', ')}`,
    });
    return z.NEVER;
  }
  return {
    ...serviceSettingsFromEnv(env, 'console'),
    graph: graphSettingsFromEnv(env),
    host: env.CONSOLE_HOST,
    usersFile: env.CONSOLE_USERS_FILE,
    sessionTtlMs: env.CONSOLE_SESSION_TTL_MS,
    boardMaxIncidents: env.CONSOLE_BOARD_MAX_INCIDENTS,
    secureCookies: env.CONSOLE_SECURE_COOKIES,
    uiDir: env.CONSOLE_UI_DIR,
    ...decisionSigningSettingsFromEnv(env, 'console'),
    oidc: missing.length === 0 ? oidcSettings(env) : undefined,
  };
});
export type ConsoleSettings = z.output<typeof consoleSettingsSchema>;

function oidcSettings(env: ConsoleEnv) {
  return {
    issuer: env.CONSOLE_OIDC_ISSUER ?? '',
    clientId: env.CONSOLE_OIDC_CLIENT_ID ?? '',
    clientSecret: env.CONSOLE_OIDC_CLIENT_SECRET ?? '',
    redirectUrl: env.CONSOLE_OIDC_REDIRECT_URL ?? '',
    name: env.CONSOLE_OIDC_NAME,
    groupsClaim: env.CONSOLE_OIDC_GROUPS_CLAIM,
    scopes: env.CONSOLE_OIDC_SCOPES,
    roleMap: env.CONSOLE_OIDC_ROLE_MAP,
  };
}
export type OidcSettings = ReturnType<typeof oidcSettings>;

export const consoleEnv = defineEnvConfig({
  app: 'console',
  schema: consoleSettingsSchema,
  aliases: [minutesAlias('CONSOLE_SESSION_TTL_MINUTES', 'CONSOLE_SESSION_TTL_MS')],
});
