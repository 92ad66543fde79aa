import { ConfigError, loadEnvConfig } from '@vigil/config';
import { topologySyncEnv } from './topology-sync.config';

describe('topology-sync configuration', () => {
  it('writes each observed CALLS edge at most every 10 s unless told otherwise', () => {
    expect(loadEnvConfig(topologySyncEnv, {})).toMatchObject({ spanFlushMs: 10_000 });
    expect(loadEnvConfig(topologySyncEnv, { TOPOLOGY_SYNC_SPAN_FLUSH_MS: '500' })).toMatchObject({
      spanFlushMs: 500,
    });
  });

  it.each(['soon', '0', '-1', '86400000', '0.5'])(
    'names the variable when the window is %s',
    (value) => {
      const load = () => loadEnvConfig(topologySyncEnv, { TOPOLOGY_SYNC_SPAN_FLUSH_MS: value });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(new RegExp(`TOPOLOGY_SYNC_SPAN_FLUSH_MS: .*\\(got "${value}"\\)`));
    },
  );

  it('still reads TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS (fractions too) for one release', () => {
    const warnings: string[] = [];
    const settings = loadEnvConfig(
      topologySyncEnv,
      { TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS: '0.5' },
      (message) => warnings.push(message),
    );
    expect(settings.spanFlushMs).toBe(500);
    expect(warnings).toEqual([
      expect.stringMatching(
        /TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS is deprecated.*set TOPOLOGY_SYNC_SPAN_FLUSH_MS=500/,
      ),
    ]);
    // out of range in the old unit: the message names the new variable and where it came from
    expect(() =>
      loadEnvConfig(
        topologySyncEnv,
        { TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS: '86400' },
        () => undefined,
      ),
    ).toThrow(
      /TOPOLOGY_SYNC_SPAN_FLUSH_MS: must be at most 3600000 ms \(got "86400000", from TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS\)/,
    );
  });
});
