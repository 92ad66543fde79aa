import { z } from 'zod';
import { vigilRole } from '@vigil/contracts';
import { envBoolean, envLogLevel, envPort } from '@vigil/config';
import { neo4jEnvSchema } from '@vigil/graph';
import { kafkaEnvSchema } from '@vigil/messaging';

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
  CONSOLE_PORT: envPort(3110),
  /** 127.0.0.1 unless the console is meant to be reached from other machines. */
  CONSOLE_HOST: z.string().min(1).default('127.0.0.1'),
  /** JSON file `{ "users": [{ "username", "passwordHash", "role" }] }`; see `vigil users`. */
  CONSOLE_USERS_FILE: z.string().min(1).optional(),
  CONSOLE_SESSION_TTL_MINUTES: z.coerce
    .number({ error: 'must be a number of minutes' })
    .int()
    .positive()
    .default(480),
  /** Mark the session cookie Secure: on whenever the console is served over HTTPS. */
  CONSOLE_SECURE_COOKIES: envBoolean(false),
  /** The built web UI (`npm run console:build`). */
  CONSOLE_UI_DIR: z.string().min(1).default('dist/console-web'),
  CONSOLE_OIDC_ISSUER: z.url({ error: 'must be the OIDC issuer URL' }).optional(),
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  CONSOLE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where the provider sends people back: https://console.example/api/v1/auth/oidc/callback */
  CONSOLE_OIDC_REDIRECT_URL: z.url({ error: 'must be the callback URL' }).optional(),
  CONSOLE_OIDC_NAME: z.string().min(1).default('single sign-on'),
  /** Scopes asked for; some providers name a groups scope, others put groups in `profile`. */
  CONSOLE_OIDC_SCOPES: z.string().min(1).default('openid profile email groups'),
  /** The ID-token claim holding the user's groups. */
  CONSOLE_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  /** Which group gives which role; the highest role a user's groups give wins. */
  CONSOLE_OIDC_ROLE_MAP: roleMap,
  LOG_LEVEL: envLogLevel,
});
export type ConsoleConfig = z.output<typeof consoleEnvSchema>;

/** OIDC is on when all of it is configured, and a half-configured provider is an error. */
export function oidcSettings(config: ConsoleConfig) {
  const parts = {
    CONSOLE_OIDC_ISSUER: config.CONSOLE_OIDC_ISSUER,
    CONSOLE_OIDC_CLIENT_ID: config.CONSOLE_OIDC_CLIENT_ID,
    CONSOLE_OIDC_CLIENT_SECRET: config.CONSOLE_OIDC_CLIENT_SECRET,
    CONSOLE_OIDC_REDIRECT_URL: config.CONSOLE_OIDC_REDIRECT_URL,
  };
  const missing = Object.entries(parts).filter(([, v]) => !v);
  if (missing.length === 4) return undefined;
  if (missing.length > 0)
    throw new Error(
      `console: OIDC is half configured; also set ${missing.map(([k]) => k).join(', ')}`,
    );
  return {
    issuer: config.CONSOLE_OIDC_ISSUER ?? '',
    clientId: config.CONSOLE_OIDC_CLIENT_ID ?? '',
    clientSecret: config.CONSOLE_OIDC_CLIENT_SECRET ?? '',
    redirectUrl: config.CONSOLE_OIDC_REDIRECT_URL ?? '',
    name: config.CONSOLE_OIDC_NAME,
    groupsClaim: config.CONSOLE_OIDC_GROUPS_CLAIM,
    scopes: config.CONSOLE_OIDC_SCOPES,
    roleMap: config.CONSOLE_OIDC_ROLE_MAP,
  };
}
export type OidcSettings = NonNullable<ReturnType<typeof oidcSettings>>;
