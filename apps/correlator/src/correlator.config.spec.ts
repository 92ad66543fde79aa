import { loadEnvConfig } from '@vigil/config';
import { correlatorEnv } from './correlator.config';

const load = (env: NodeJS.ProcessEnv) => loadEnvConfig(correlatorEnv, env, () => undefined);

describe('correlator settings: alert lifecycle', () => {
  it('resolves unrefreshed alerts after 5 minutes and closes incidents after a day by default', () => {
    const { correlation } = load({});
    expect(correlation.resolveTimeoutMs).toBe(300_000);
    expect(correlation.resolveTimeouts).toEqual([]);
    expect(correlation.incidentMaxAgeMs).toBe(86_400_000);
  });

  it('reads resolve timeouts per source or label as JSON', () => {
    const { correlation } = load({
      CORRELATION_RESOLVE_TIMEOUTS:
        '[{"match": {"source": "ids"}, "timeoutMs": 900000}, {"match": {"team": "data"}, "timeoutMs": 1800000}]',
      CORRELATION_INCIDENT_MAX_AGE_MS: '43200000',
    });
    expect(correlation.resolveTimeouts).toEqual([
      { match: { source: 'ids' }, timeoutMs: 900_000 },
      { match: { team: 'data' }, timeoutMs: 1_800_000 },
    ]);
    expect(correlation.incidentMaxAgeMs).toBe(43_200_000);
  });

  it('refuses resolve timeouts that are not a list of matchers with a timeout, naming the variable', () => {
    for (const bad of ['{"source": "ids"}', '[{"match": {"source": "ids"}}]', 'not json']) {
      expect(() => load({ CORRELATION_RESOLVE_TIMEOUTS: bad })).toThrow(
        /CORRELATION_RESOLVE_TIMEOUTS: must be a JSON array/,
      );
    }
  });
});
