import { loadEnvConfig } from '@vigil/config';
import { appEnvConfigs } from './config-docs';

// The defaults of the variables renamed to _MS, in their old units, before the rename.
const oldDefaults: Record<string, string> = {
  INGEST_RETRY_AFTER_SECONDS: '5',
  TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS: '10',
  CORRELATION_WINDOW_MINUTES: '30',
  CORRELATION_REOPEN_MINUTES: '2',
  CORRELATION_RELATED_GAP_MINUTES: '5',
  CORRELATOR_OBSERVED_EDGE_MAX_AGE_MINUTES: '1440',
  SIGNALS_LOG_WARMUP_SECONDS: '300',
  RCA_MAX_AGE_MINUTES: '60',
  RCA_HISTORY_MINUTES: '60',
  RCA_LEAD_MINUTES: '5',
  RCA_SUSTAIN_SECONDS: '60',
  CONSOLE_SESSION_TTL_MINUTES: '480',
  CHATOPS_CARD_MAX_AGE_MINUTES: '60',
};

// What some apps require before they load at all.
const required = {
  INGEST_TOKENS: 'unit-test-token-0123456789',
  RULER_INGEST_TOKEN: 'unit-test-token-0123456789',
  EXECUTOR_ADAPTERS_FILE: 'adapters.json',
  SLACK_SIGNING_SECRET: 'secret',
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_CHANNEL: 'C0123ABC',
  VIGIL_SERVICE: 'checkout',
};

const renamed = appEnvConfigs.flatMap((config) =>
  (config.aliases ?? []).map((alias) => ({ config, alias })),
);

describe('variables renamed to _MS', () => {
  it('are all listed here with their old default', () => {
    expect(renamed.map(({ alias }) => alias.name).sort()).toEqual(Object.keys(oldDefaults).sort());
  });

  it.each(renamed.map(({ config, alias }) => [alias.name, config, alias] as const))(
    '%s at its old default gives the settings of the new default',
    (name, config) => {
      const quiet = () => undefined;
      const defaults = loadEnvConfig(config, required, quiet);
      expect(loadEnvConfig(config, { ...required, [name]: oldDefaults[name] }, quiet)).toEqual(
        defaults,
      );
      // and it is read: another value gives other settings
      const doubled = String(Number(oldDefaults[name]) * 2);
      expect(loadEnvConfig(config, { ...required, [name]: doubled }, quiet)).not.toEqual(defaults);
    },
  );
});
