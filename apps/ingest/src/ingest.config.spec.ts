import { ConfigError, loadEnvConfig } from '@vigil/config';
import { ingestEnv } from './ingest.config';

const token = 'c2VjcmV0LXRva2VuLWZvci10ZXN0cw';

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadEnvConfig(ingestEnv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('ingest configuration', () => {
  it('has working defaults once a token is set', () => {
    expect(loadEnvConfig(ingestEnv, { INGEST_TOKENS: ` ${token} ,, ` })).toMatchObject({
      port: 3101,
      host: '127.0.0.1',
      tokens: [token],
      maxBodyBytes: 2 * 1024 * 1024,
      maxInFlightAlerts: 10_000,
      stallMs: 5_000,
      retryAfterMs: 5_000,
      serviceLabels: ['service', 'app', 'app_kubernetes_io_name', 'k8s_app', 'job'],
      kafka: { brokers: ['localhost:9092'], clientId: 'vigil-ingest' },
    });
  });

  it('still reads INGEST_RETRY_AFTER_SECONDS for one release, with a warning', () => {
    const warnings: string[] = [];
    const settings = loadEnvConfig(
      ingestEnv,
      { INGEST_TOKENS: token, INGEST_RETRY_AFTER_SECONDS: '7' },
      (message) => warnings.push(message),
    );
    expect(settings.retryAfterMs).toBe(7_000);
    expect(warnings).toEqual([expect.stringContaining('set INGEST_RETRY_AFTER_MS=7000 instead')]);
  });

  it('refuses to start without tokens unless anonymous access is asked for', () => {
    expect(problemsOf({})).toMatch(
      /INGEST_TOKENS: no bearer token configured.*INGEST_ALLOW_ANONYMOUS=true/,
    );
    expect(loadEnvConfig(ingestEnv, { INGEST_ALLOW_ANONYMOUS: 'true' }).tokens).toEqual([]);
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
