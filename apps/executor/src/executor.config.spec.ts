import { loadEnvConfig } from '@vigil/config';
import { executorEnv } from './executor.config';

const load = (env: Record<string, string>) =>
  loadEnvConfig(executorEnv, { EXECUTOR_ADAPTERS_FILE: 'adapters.json', ...env }, () => undefined);

describe('executor settings: decision keys', () => {
  it('reads KEY_ID=PEM_FILE pairs, and none by default (local development)', () => {
    expect(load({}).decisionKeys).toEqual([]);
    expect(
      load({ EXECUTOR_DECISION_KEYS: 'console=/k/console.pub.pem, chatops=/k/chatops.pub.pem' })
        .decisionKeys,
    ).toEqual([
      { keyId: 'console', file: '/k/console.pub.pem' },
      { keyId: 'chatops', file: '/k/chatops.pub.pem' },
    ]);
  });

  it('refuses an entry without a key id', () => {
    expect(() => load({ EXECUTOR_DECISION_KEYS: '/k/console.pub.pem' })).toThrow(
      /EXECUTOR_DECISION_KEYS.*is not KEY_ID=PEM_FILE/s,
    );
  });
});
