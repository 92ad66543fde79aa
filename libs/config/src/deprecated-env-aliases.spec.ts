import { z } from 'zod';
import { deprecatedEnvAliases, minutesAlias, secondsAlias } from './deprecated-env-aliases';
import { envDurationMs } from './env-duration';
import { ConfigError, loadConfig } from './load-config';

const aliases = [
  minutesAlias('LEAD_MINUTES', 'LEAD_MS'),
  secondsAlias('FLUSH_SECONDS', 'FLUSH_MS'),
];

function resolve(env: NodeJS.ProcessEnv) {
  const warnings: string[] = [];
  const result = deprecatedEnvAliases(env, aliases, (message) => warnings.push(message));
  return { result, warnings };
}

describe('deprecatedEnvAliases', () => {
  it('converts an old name to the new one and warns, naming the variable to set', () => {
    const { result, warnings } = resolve({ LEAD_MINUTES: '5', FLUSH_SECONDS: '0.5' });
    expect(result).toMatchObject({ LEAD_MS: '300000', FLUSH_MS: '500' });
    expect(warnings).toEqual([
      'LEAD_MINUTES is deprecated and will be removed in the next release: set LEAD_MS=300000 instead',
      'FLUSH_SECONDS is deprecated and will be removed in the next release: set FLUSH_MS=500 instead',
    ]);
  });

  it('lets the new name win when both are set, and warns that the old one is ignored', () => {
    const { result, warnings } = resolve({ LEAD_MINUTES: '5', LEAD_MS: '1000' });
    expect(result.LEAD_MS).toBe('1000');
    expect(warnings).toEqual([
      'LEAD_MINUTES is deprecated and ignored because LEAD_MS is also set; remove LEAD_MINUTES',
    ]);
  });

  it('says nothing and changes nothing when only new names are used', () => {
    const env = { LEAD_MS: '1000' };
    expect(resolve(env)).toEqual({ result: env, warnings: [] });
  });

  it('passes a value that is not a number on, so validation names it', () => {
    expect(resolve({ LEAD_MINUTES: 'soon' }).result.LEAD_MS).toBe('soon');
  });
});

describe('loadConfig with old names', () => {
  const schema = z.object({ LEAD_MS: envDurationMs(60_000, { min: 1 }) });

  it('reads the old name converted, through the warn callback', () => {
    const warnings: string[] = [];
    const config = loadConfig(
      'test',
      schema,
      { LEAD_MINUTES: '2' },
      {
        aliases,
        warn: (message) => warnings.push(message),
      },
    );
    expect(config.LEAD_MS).toBe(120_000);
    expect(warnings).toHaveLength(1);
    expect(loadConfig('test', schema, {}, { aliases }).LEAD_MS).toBe(60_000);
  });

  it('names the old variable when its value is wrong', () => {
    expect(() =>
      loadConfig('test', schema, { LEAD_MINUTES: 'soon' }, { aliases, warn: () => undefined }),
    ).toThrow(ConfigError);
    expect(() =>
      loadConfig('test', schema, { LEAD_MINUTES: 'soon' }, { aliases, warn: () => undefined }),
    ).toThrow(/LEAD_MS: must be a whole number of milliseconds \(got "soon", from LEAD_MINUTES\)/);
  });
});
