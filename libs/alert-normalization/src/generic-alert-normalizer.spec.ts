import { alertSchema, genericAlertBatchSchema, genericAlertSchema } from '@vigil/contracts';
import { alertFingerprint } from '@vigil/correlation';
import { normalizeGenericAlerts } from './generic-alert-normalizer';
import type { NormalizationOptions } from './normalization-options';
import { defaultServiceLabels } from './service-resolution';

const receivedAt = '2026-11-27T10:05:00.000Z';
const options: NormalizationOptions = {
  now: () => new Date(receivedAt),
  serviceLabels: defaultServiceLabels,
};

function normalize(...inputs: unknown[]) {
  return normalizeGenericAlerts(genericAlertBatchSchema.parse(inputs), options);
}

function alertsOf(...inputs: unknown[]) {
  const result = normalize(...inputs);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  for (const alert of result.alerts) expect(alertSchema.safeParse(alert).success).toBe(true);
  return result.alerts;
}

describe('normalizeGenericAlerts', () => {
  it('normalizes a fully described alert', () => {
    const [alert] = alertsOf({
      alertname: 'BackupFailed',
      service: 'orders-db',
      severity: 'MAJOR',
      status: 'Firing',
      labels: { env: 'prod', attempt: 3, retried: true },
      annotations: { runbook: 'https://runbooks.example.com/backup' },
      summary: 'nightly backup of orders-db failed',
      description: 'pg_dump exited with 1',
      startsAt: '2026-11-27T03:00:00+02:00',
      fingerprint: 'backup-orders-db',
      source: 'cron',
    });
    expect(alert).toEqual({
      schemaVersion: 1,
      fingerprint: 'backup-orders-db',
      source: 'cron',
      status: 'firing',
      alertname: 'BackupFailed',
      severity: 'error',
      service: 'orders-db',
      summary: 'nightly backup of orders-db failed',
      description: 'pg_dump exited with 1',
      labels: {
        alertname: 'BackupFailed',
        service: 'orders-db',
        env: 'prod',
        attempt: '3',
        retried: 'true',
      },
      annotations: { runbook: 'https://runbooks.example.com/backup' },
      startsAt: '2026-11-27T01:00:00.000Z',
      receivedAt,
    });
  });

  it('needs only a title: the rest is filled in, and the fingerprint follows the identity', () => {
    const [alert] = alertsOf({ title: 'Disk almost full' });
    expect(alert).toMatchObject({
      alertname: 'Disk almost full',
      summary: 'Disk almost full',
      severity: 'warning',
      service: 'unknown',
      status: 'firing',
      source: 'generic',
      startsAt: receivedAt,
      labels: { alertname: 'Disk almost full' },
      fingerprint: alertFingerprint({ alertname: 'Disk almost full' }),
    });
  });

  it('gives alerts without labels different fingerprints when their name or service differ', () => {
    const fingerprints = alertsOf(
      { alertname: 'Down', service: 'cart' },
      { alertname: 'Down', service: 'checkout' },
      { alertname: 'Slow', service: 'cart' },
    ).map((a) => a.fingerprint);
    expect(new Set(fingerprints).size).toBe(3);
  });

  it('keeps the fingerprint of a resolve equal to the fire, and stamps its end', () => {
    const [fired, resolved, resolvedAt] = alertsOf(
      { alertname: 'Down', labels: { service: 'cart', severity: 'page' } },
      { alertname: 'Down', labels: { service: 'cart' }, status: 'resolved' },
      {
        alertname: 'Down',
        labels: { service: 'cart' },
        status: 'resolved',
        endsAt: '2026-11-27T10:04:00Z',
      },
    );
    expect(fired).toMatchObject({ service: 'cart', severity: 'critical', status: 'firing' });
    expect(fired.endsAt).toBeUndefined();
    expect(resolved.fingerprint).toBe(alertFingerprint({ alertname: 'Down', service: 'cart' }));
    expect(resolved.endsAt).toBe(receivedAt);
    expect(resolvedAt.endsAt).toBe('2026-11-27T10:04:00.000Z');
  });

  it('prefers the explicit service, cleaned, over the labels', () => {
    const [alert] = alertsOf({ alertname: 'X', service: 'Payment Gateway', labels: { app: 'pg' } });
    expect(alert.service).toBe('Payment-Gateway');
    expect(alert.labels).toEqual({ alertname: 'X', service: 'Payment-Gateway', app: 'pg' });
  });

  it('does not overwrite labels the producer set', () => {
    const [alert] = alertsOf({
      alertname: 'X',
      service: 'cart',
      labels: { alertname: 'Y', service: 'cart-v2' },
    });
    expect(alert).toMatchObject({ alertname: 'X', service: 'cart' });
    expect(alert.labels).toEqual({ alertname: 'Y', service: 'cart-v2' });
  });

  it('refuses an unknown explicit severity, naming the alert and the words it knows', () => {
    const result = normalize({ alertname: 'A' }, { alertname: 'B', severity: 'critcal' });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          index: 1,
          field: 'severity',
          message: expect.stringMatching(/unknown severity "critcal"; expected one of critical,/),
        },
      ],
    });
  });

  it('takes an unknown severity label as the default instead of refusing', () => {
    const [alert] = alertsOf({ alertname: 'A', labels: { severity: 'P3' } });
    expect(alert.severity).toBe('warning');
    expect(alert.labels.severity).toBe('P3');
  });

  it('accepts the Alertmanager spelling of the generator URL', () => {
    const [alert] = alertsOf({ alertname: 'A', generatorURL: 'http://prometheus/graph' });
    expect(alert.generatorUrl).toBe('http://prometheus/graph');
  });
});

describe('genericAlertSchema', () => {
  const issues = (input: unknown) =>
    genericAlertSchema.safeParse(input).error?.issues.map((i) => [i.path.join('.'), i.message]);

  it('asks for a name when there is none', () => {
    expect(issues({ service: 'cart' })).toEqual([
      ['alertname', 'an alert needs a name: set alertname, title or labels.alertname'],
    ]);
  });

  it('names unknown fields instead of dropping them', () => {
    expect(issues({ alertname: 'A', host: 'db-1' })).toEqual([
      ['', 'unknown field(s) host; put extra data in labels or annotations'],
    ]);
  });

  it('says what a field should be', () => {
    const found = issues({ alertname: 'A', status: 'burning', startsAt: 'yesterday', labels: [] });
    expect(found?.map(([path]) => path)).toEqual(['status', 'labels', 'startsAt']);
  });
});
