import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, envBoolean, envHostPortList } from '@vigil/config';

const SASL_MECHANISMS = ['scram-sha-256', 'scram-sha-512', 'plain'] as const;
export type KafkaSaslMechanism = (typeof SASL_MECHANISMS)[number];

/** Environment of every Kafka-using app. */
export const kafkaEnvSchema = z.object({
  KAFKA_BROKERS: envHostPortList('localhost:9092').describe(
    'Kafka bootstrap brokers, a comma-separated list of host:port.',
  ),
  KAFKA_CLIENT_ID: z.string().min(1).optional().describe('Kafka client id; default vigil-<app>.'),
  KAFKA_SSL: envBoolean(false).describe(
    'Connect to Kafka over TLS (the broker certificate is checked against KAFKA_SSL_CA_FILE, else the system CAs). Plaintext is for local development only (docs/kafka-security.md).',
  ),
  KAFKA_PLAINTEXT: envBoolean(false).describe(
    'Allow plaintext to brokers on other machines (no TLS: records cross the network readable); without it a broker that is not on localhost needs KAFKA_SSL=true.',
  ),
  KAFKA_SSL_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'PEM file of the CA certificates that signed the broker certificates; needs KAFKA_SSL=true.',
    ),
  KAFKA_SASL_MECHANISM: z
    .enum(SASL_MECHANISMS, { error: `must be one of ${SASL_MECHANISMS.join(', ')}` })
    .optional()
    .describe(
      'SASL mechanism to authenticate to Kafka with: scram-sha-256, scram-sha-512 or plain (plain only with KAFKA_SSL=true); unset = no SASL.',
    ),
  KAFKA_SASL_USERNAME: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The app's Kafka user (its principal in the broker's ACLs); needs KAFKA_SASL_MECHANISM.",
    ),
  KAFKA_SASL_PASSWORD: z
    .string()
    .min(1)
    .optional()
    .describe('Password of KAFKA_SASL_USERNAME; prefer KAFKA_SASL_PASSWORD_FILE.'),
  KAFKA_SASL_PASSWORD_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'File holding the password of KAFKA_SASL_USERNAME (trailing newline ignored), instead of KAFKA_SASL_PASSWORD.',
    ),
});

export type KafkaEnv = z.output<typeof kafkaEnvSchema>;

export interface KafkaSaslSettings {
  mechanism: KafkaSaslMechanism;
  username: string;
  password: string;
}

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** TLS to the brokers: `ca` is the PEM text to trust instead of the system CAs. */
  ssl?: { ca?: string; caFile?: string };
  sasl?: KafkaSaslSettings;
  /**
   * How long an unreachable broker is retried: a service rides out a broker restart (the
   * default), a command someone is waiting on says within seconds that Kafka is not there.
   */
  patience?: 'service' | 'command';
}

/**
 * The Kafka settings of `appName`: brokers, client id, and TLS and SASL when asked for. The
 * password and CA files are read here, once, so a wrong path stops the app at start with the
 * variable's name rather than at its first connection. Throws ConfigError.
 */
export function kafkaSettingsFromEnv(env: KafkaEnv, appName: string): KafkaSettings {
  const problems: string[] = [];
  const ssl = tlsSettings(env, problems);
  const sasl = saslSettings(env, problems);
  if (sasl?.mechanism === 'plain' && !ssl)
    problems.push(
      'KAFKA_SASL_MECHANISM: plain sends the password in clear text; it needs KAFKA_SSL=true',
    );
  problems.push(...plaintextProblems(env));
  if (problems.length > 0) throw new ConfigError(appName, problems);
  return {
    brokers: env.KAFKA_BROKERS,
    clientId: env.KAFKA_CLIENT_ID ?? `vigil-${appName}`,
    ...(ssl ? { ssl } : {}),
    ...(sasl ? { sasl } : {}),
  };
}

/** Hosts that never leave this machine: plaintext to them is local development. */
function isLoopback(hostPort: string): boolean {
  const host = hostPort
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Plaintext is for local development, chosen on purpose: a deployment that forgot KAFKA_SSL must
 * not quietly send decisions and passwords unprotected to a broker on the network.
 */
function plaintextProblems(env: KafkaEnv): string[] {
  if (env.KAFKA_SSL)
    return env.KAFKA_PLAINTEXT
      ? ['KAFKA_PLAINTEXT: set together with KAFKA_SSL=true (use one)']
      : [];
  const remote = env.KAFKA_BROKERS.filter((b) => !isLoopback(b));
  if (remote.length === 0 || env.KAFKA_PLAINTEXT) return [];
  return [
    `KAFKA_BROKERS: ${remote.join(', ')} is not on this machine and KAFKA_SSL is false: set KAFKA_SSL=true (with SASL, docs/kafka-security.md), or KAFKA_PLAINTEXT=true to choose plaintext`,
  ];
}

function readFileText(variable: string, file: string, problems: string[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
    return undefined;
  }
}

function tlsSettings(env: KafkaEnv, problems: string[]): KafkaSettings['ssl'] {
  const caFile = env.KAFKA_SSL_CA_FILE;
  if (!env.KAFKA_SSL) {
    if (caFile)
      problems.push(`KAFKA_SSL_CA_FILE: set, but KAFKA_SSL is false (set KAFKA_SSL=true)`);
    return undefined;
  }
  if (!caFile) return {};
  const ca = readFileText('KAFKA_SSL_CA_FILE', caFile, problems);
  if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----'))
    problems.push(`KAFKA_SSL_CA_FILE: ${caFile} holds no PEM certificate`);
  return { ca, caFile };
}

function saslSettings(env: KafkaEnv, problems: string[]): KafkaSaslSettings | undefined {
  const mechanism = env.KAFKA_SASL_MECHANISM;
  const username = env.KAFKA_SASL_USERNAME;
  const given = [
    username && 'KAFKA_SASL_USERNAME',
    env.KAFKA_SASL_PASSWORD && 'KAFKA_SASL_PASSWORD',
    env.KAFKA_SASL_PASSWORD_FILE && 'KAFKA_SASL_PASSWORD_FILE',
  ].filter(Boolean);
  if (!mechanism) {
    if (given.length > 0)
      problems.push(
        `KAFKA_SASL_MECHANISM: not set, but ${given.join(' and ')} is (set the mechanism)`,
      );
    return undefined;
  }
  if (!username)
    problems.push(`KAFKA_SASL_USERNAME: needed with KAFKA_SASL_MECHANISM=${mechanism}`);
  const password = saslPassword(env, mechanism, problems);
  if (!username || password === undefined) return undefined;
  return { mechanism, username, password };
}

function saslPassword(
  env: KafkaEnv,
  mechanism: KafkaSaslMechanism,
  problems: string[],
): string | undefined {
  if (env.KAFKA_SASL_PASSWORD && env.KAFKA_SASL_PASSWORD_FILE) {
    problems.push('KAFKA_SASL_PASSWORD_FILE: set together with KAFKA_SASL_PASSWORD (use one)');
    return undefined;
  }
  if (env.KAFKA_SASL_PASSWORD) return env.KAFKA_SASL_PASSWORD;
  const file = env.KAFKA_SASL_PASSWORD_FILE;
  if (!file) {
    problems.push(
      `KAFKA_SASL_PASSWORD_FILE: needed (or KAFKA_SASL_PASSWORD) with KAFKA_SASL_MECHANISM=${mechanism}`,
    );
    return undefined;
  }
  const text = readFileText('KAFKA_SASL_PASSWORD_FILE', file, problems)?.replace(/\r?\n$/, '');
  if (text === '') problems.push(`KAFKA_SASL_PASSWORD_FILE: ${file} is empty`);
  return text || undefined;
}
