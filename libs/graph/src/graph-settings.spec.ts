import { DEFAULT_QUERY_TIMEOUT_MS, graphSettingsFromEnv, neo4jEnvSchema } from './graph-settings';

describe('graphSettingsFromEnv', () => {
  it('gives every query a timeout of 10 s unless NEO4J_QUERY_TIMEOUT_MS says otherwise', () => {
    expect(graphSettingsFromEnv(neo4jEnvSchema.parse({})).queryTimeoutMs).toBe(10_000);
    expect(DEFAULT_QUERY_TIMEOUT_MS).toBe(10_000);
    const set = neo4jEnvSchema.parse({ NEO4J_QUERY_TIMEOUT_MS: '2500' });
    expect(graphSettingsFromEnv(set).queryTimeoutMs).toBe(2_500);
  });

  it('refuses a timeout that is no duration', () => {
    expect(() => neo4jEnvSchema.parse({ NEO4J_QUERY_TIMEOUT_MS: '0' })).toThrow(/at least 1 ms/);
    expect(() => neo4jEnvSchema.parse({ NEO4J_QUERY_TIMEOUT_MS: '10s' })).toThrow(/milliseconds/);
  });
});
