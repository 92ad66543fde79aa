import { z } from 'zod';
import { envDurationMs, MINUTE_MS } from './env-duration';
import { envPrefix, type EnvPrefix, type OwnEnv } from './env-prefix';

const keyFile = (app: string, signs: string) =>
  z
    .string()
    .min(1)
    .default(`.vigil/secrets/${app}-decision-key.pem`)
    .describe(
      `Ed25519 private key (PEM) that signs every decision ${signs}; made at first start when missing, with its public key beside it (.pub.pem) for EXECUTOR_DECISION_KEYS.`,
    );

const keyId = (app: string, whose: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits and . _ - only')
    .default(app)
    .describe(`${whose} key id in EXECUTOR_DECISION_KEYS.`);

const planTtlMs = () =>
  envDurationMs(30 * MINUTE_MS, { min: 1 }).describe(
    "How long a plan can be approved after it was drafted: the executor policy's planTtlSeconds.",
  );

type DecisionSigningFields<App extends string> = {
  [K in `${EnvPrefix<App>}_DECISION_KEY_FILE`]: ReturnType<typeof keyFile>;
} & { [K in `${EnvPrefix<App>}_DECISION_KEY_ID`]: ReturnType<typeof keyId> } & {
  [K in `${EnvPrefix<App>}_PLAN_TTL_MS`]: ReturnType<typeof planTtlMs>;
};

/**
 * `<APP>_DECISION_KEY_FILE` (default `.vigil/secrets/<app>-decision-key.pem`),
 * `<APP>_DECISION_KEY_ID` (default `<app>`) and `<APP>_PLAN_TTL_MS`: the fields of an app where
 * people decide on plans, for its env schema. `signs` ends "signs every decision ...", `whose`
 * begins "... key id in EXECUTOR_DECISION_KEYS".
 */
export function decisionSigningEnvFields<App extends string>(
  app: App,
  texts: { signs: string; whose: string },
): DecisionSigningFields<App> {
  const prefix = envPrefix(app);
  return {
    [`${prefix}_DECISION_KEY_FILE`]: keyFile(app, texts.signs),
    [`${prefix}_DECISION_KEY_ID`]: keyId(app, texts.whose),
    [`${prefix}_PLAN_TTL_MS`]: planTtlMs(),
  } as DecisionSigningFields<App>;
}

export interface DecisionSigningSettings {
  /** The key the app signs its decisions with, and the id the executor knows it by. */
  decisionKey: { file: string; keyId: string };
  planTtlMs: number;
}

/** The settings from the fields `decisionSigningEnvFields(app, ...)` adds. */
export function decisionSigningSettingsFromEnv<App extends string>(
  env: OwnEnv<App, 'DECISION_KEY_FILE' | 'DECISION_KEY_ID', string> &
    OwnEnv<App, 'PLAN_TTL_MS', number>,
  app: App,
): DecisionSigningSettings {
  const prefix = envPrefix(app);
  const text: OwnEnv<App, 'DECISION_KEY_FILE' | 'DECISION_KEY_ID', string> = env;
  const number: OwnEnv<App, 'PLAN_TTL_MS', number> = env;
  return {
    decisionKey: {
      file: text[`${prefix}_DECISION_KEY_FILE`],
      keyId: text[`${prefix}_DECISION_KEY_ID`],
    },
    planTtlMs: number[`${prefix}_PLAN_TTL_MS`],
  };
}
