import { ConfigError, loadConfig } from '@vigil/config';
import { topologySyncEnvSchema } from './topology-sync.config';

describe('topology-sync configuration', () => {
  it('writes each observed CALLS edge at most every 10 s unless told otherwise', () => {
    expect(loadConfig('topology-sync', topologySyncEnvSchema, {})).toMatchObject({
      TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS: 10,
    });
    expect(
      loadConfig('topology-sync', topologySyncEnvSchema, {
        TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS: '0.5',
      }),
    ).toMatchObject({ TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS: 0.5 });
  });

  it.each(['soon', '0', '-1', '86400'])('names the variable when the window is %s', (value) => {
    const load = () =>
      loadConfig('topology-sync', topologySyncEnvSchema, {
        TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS: value,
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      new RegExp(
        `TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS: must be a number of seconds from 0.1 to 3600 \\(got "${value}"\\)`,
      ),
    );
  });
});
