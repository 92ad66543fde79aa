import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@vigil/config';
import { kafkaEnvSchema, kafkaSettingsFromEnv } from './kafka-settings';

const dir = mkdtempSync(join(tmpdir(), 'vigil-kafka-settings-'));
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const passwordFile = join(dir, 'ingest.password');
writeFileSync(passwordFile, 's3cret\n');

const settings = (env: Record<string, string>) =>
  kafkaSettingsFromEnv(kafkaEnvSchema.parse(env), 'ingest');

function problemsOf(env: Record<string, string>): string[] {
  try {
    settings(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a configuration error');
}

const secured = {
  KAFKA_BROKERS: 'kafka-1:9094,kafka-2:9094',
  KAFKA_SSL: 'true',
  KAFKA_SSL_CA_FILE: caFile,
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'ingest',
  KAFKA_SASL_PASSWORD_FILE: passwordFile,
};

describe('Kafka settings from the environment', () => {
  it('stays plaintext without SASL when nothing asks for more', () => {
    expect(settings({})).toStrictEqual({ brokers: ['localhost:9092'], clientId: 'vigil-ingest' });
  });

  it('takes plaintext to a broker on this machine without being asked', () => {
    for (const KAFKA_BROKERS of ['127.0.0.1:19092', 'localhost:9092,127.0.0.2:9093'])
      expect(settings({ KAFKA_BROKERS }).ssl).toBeUndefined();
  });

  it('refuses plaintext to a broker elsewhere unless it is chosen', () => {
    expect(problemsOf({ KAFKA_BROKERS: 'localhost:9092,kafka-1:9092' })).toEqual([
      'KAFKA_BROKERS: kafka-1:9092 is not on this machine and KAFKA_SSL is false: set KAFKA_SSL=true (with SASL, docs/kafka-security.md), or KAFKA_PLAINTEXT=true to choose plaintext',
    ]);
    expect(settings({ KAFKA_BROKERS: 'kafka-1:9092', KAFKA_PLAINTEXT: 'true' }).brokers).toEqual([
      'kafka-1:9092',
    ]);
    expect(problemsOf({ ...secured, KAFKA_PLAINTEXT: 'true' })).toEqual([
      'KAFKA_PLAINTEXT: set together with KAFKA_SSL=true (use one)',
    ]);
  });

  it('reads the CA and the password file once, at start', () => {
    const s = settings(secured);
    expect(s.ssl).toEqual({ ca: expect.stringContaining('BEGIN CERTIFICATE'), caFile });
    expect(s.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'ingest', password: 's3cret' });
  });

  it('takes TLS with the system CAs when no CA file is named', () => {
    expect(settings({ KAFKA_SSL: 'true' }).ssl).toEqual({});
  });

  it('names the variable of a file it cannot read', () => {
    expect(problemsOf({ ...secured, KAFKA_SASL_PASSWORD_FILE: join(dir, 'missing') })).toEqual([
      `KAFKA_SASL_PASSWORD_FILE: cannot read ${join(dir, 'missing')} (ENOENT)`,
    ]);
    expect(problemsOf({ ...secured, KAFKA_SSL_CA_FILE: passwordFile })).toEqual([
      `KAFKA_SSL_CA_FILE: ${passwordFile} holds no PEM certificate`,
    ]);
  });

  it('refuses half a SASL configuration', () => {
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SSL: 'true' })).toEqual([
      'KAFKA_SASL_USERNAME: needed with KAFKA_SASL_MECHANISM=scram-sha-256',
      'KAFKA_SASL_PASSWORD_FILE: needed (or KAFKA_SASL_PASSWORD) with KAFKA_SASL_MECHANISM=scram-sha-256',
    ]);
    expect(problemsOf({ KAFKA_SASL_USERNAME: 'ingest', KAFKA_SASL_PASSWORD: 'x' })).toEqual([
      'KAFKA_SASL_MECHANISM: not set, but KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD is (set the mechanism)',
    ]);
    expect(problemsOf({ ...secured, KAFKA_SASL_PASSWORD: 'x' })).toEqual([
      'KAFKA_SASL_PASSWORD_FILE: set together with KAFKA_SASL_PASSWORD (use one)',
    ]);
  });

  it('refuses a password in clear text: plain SASL without TLS, a CA file without TLS', () => {
    expect(
      problemsOf({
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      }),
    ).toEqual([
      'KAFKA_SASL_MECHANISM: plain sends the password in clear text; it needs KAFKA_SSL=true',
    ]);
    expect(problemsOf({ KAFKA_SSL_CA_FILE: caFile })).toEqual([
      'KAFKA_SSL_CA_FILE: set, but KAFKA_SSL is false (set KAFKA_SSL=true)',
    ]);
  });

  it('says which values the mechanism may take', () => {
    expect(() => kafkaEnvSchema.parse({ KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(
      'must be one of scram-sha-256, scram-sha-512, plain',
    );
  });
});
