import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadEnvConfig } from '@vigil/config';
import { notifierEnv } from './notifier.config';
import { loadRoutes } from './notifier.service';

describe('notifier configuration', () => {
  it('needs a routes file, and has working defaults otherwise', () => {
    expect(() => loadEnvConfig(notifierEnv, {})).toThrow(ConfigError);
    expect(() => loadEnvConfig(notifierEnv, {})).toThrow(/NOTIFIER_ROUTES/);
    expect(loadEnvConfig(notifierEnv, { NOTIFIER_ROUTES: 'routes.yaml' })).toMatchObject({
      port: 3113,
      group: 'vigil-notifier',
      startAt: 'latest',
      ledgerDir: '.vigil/notifier',
      timeoutMs: 10_000,
      retry: { attempts: 5, baseMs: 1_000, maxMs: 30_000 },
    });
  });
});

describe('loadRoutes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-routes-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('reads YAML and JSON', () => {
    const yaml = file(
      'routes.yaml',
      'receivers:\n  - name: pd\n    kind: pagerduty\n    routingKey: R1\nroutes:\n  - receiver: pd\n',
    );
    expect(loadRoutes(yaml).receivers[0]).toMatchObject({ name: 'pd', kind: 'pagerduty' });
    const json = file(
      'routes.json',
      JSON.stringify({ receivers: [{ name: 'o', kind: 'opsgenie', apiKey: 'k' }] }),
    );
    expect(loadRoutes(json).receivers[0]?.kind).toBe('opsgenie');
  });

  it('names the file and the field at fault', () => {
    const bad = file(
      'bad.yaml',
      'receivers:\n  - name: hook\n    kind: webhook\n    url: ftp://x\n    secret: s\n',
    );
    expect(() => loadRoutes(bad)).toThrow(
      new RegExp(`NOTIFIER_ROUTES ${bad}: routes file: receivers\\.0\\.url`),
    );
  });
});

describe('routes.example.yaml', () => {
  it('is a valid routes file', () => {
    const config = loadRoutes(join(__dirname, '..', 'routes.example.yaml'));
    expect(config.receivers.map((r) => r.kind)).toEqual([
      'slack',
      'pagerduty',
      'opsgenie',
      'webhook',
    ]);
  });
});
