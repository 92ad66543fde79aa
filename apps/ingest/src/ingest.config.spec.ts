import { ConfigError, loadConfig } from '@vigil/config';
import { ingestEnvSchema } from './ingest.config';

const token = 'c2VjcmV0LXRva2VuLWZvci10ZXN0cw';

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig('ingest', ingestEnvSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('ingest configuration', () => {
  it('has working defaults once a token is set', () => {
    expect(loadConfig('ingest', ingestEnvSchema, { INGEST_TOKENS: ` ${token} ,, ` })).toMatchObject(
      {
        INGEST_PORT: 3101,
        INGEST_HOST: '127.0.0.1',
        INGEST_TOKENS: [token],
        INGEST_ALLOW_ANONYMOUS: false,
        INGEST_MAX_BODY_BYTES: 2 * 1024 * 1024,
        INGEST_MAX_IN_FLIGHT: 10_000,
        SERVICE_LABELS: ['service', 'app', 'app_kubernetes_io_name', 'k8s_app', 'job'],
        KAFKA_BROKERS: ['localhost:9092'],
      },
    );
  });

  it('refuses to start without tokens unless anonymous access is asked for', () => {
    expect(problemsOf({})).toMatch(
      /INGEST_TOKENS: no bearer token configured.*INGEST_ALLOW_ANONYMOUS=true/,
    );
    expect(
      loadConfig('ingest', ingestEnvSchema, { INGEST_ALLOW_ANONYMOUS: 'true' }).INGEST_TOKENS,
    ).toEqual([]);
  });

  it('names weak tokens, bad limits and bad label lists', () => {
    const message = problemsOf({
      INGEST_TOKENS: 'short',
      INGEST_MAX_BODY_BYTES: '10',
      INGEST_MAX_IN_FLIGHT: 'lots',
      SERVICE_LABELS: 'service,app.kubernetes.io/name',
      INGEST_ALLOW_ANONYMOUS: 'yes',
    });
    expect(message).toMatch(/INGEST_TOKENS: each comma-separated token must be at least 16/);
    expect(message).toMatch(/INGEST_MAX_BODY_BYTES: must be at least 1024 \(got "10"\)/);
    expect(message).toMatch(/INGEST_MAX_IN_FLIGHT: must be a number/);
    expect(message).toMatch(/SERVICE_LABELS: must be a comma-separated list of label names/);
    expect(message).toMatch(/INGEST_ALLOW_ANONYMOUS: must be true or false/);
  });
});
