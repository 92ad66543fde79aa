import { alertmanagerWebhookSchema, alertSchema } from '@vigil/contracts';
import { alertFingerprint } from '@vigil/correlation';
import {
  firingGroup,
  resolvedNotification,
  sparseNotification,
} from './__fixtures__/alertmanager-payloads';
import { normalizeAlertmanagerWebhook } from './alertmanager-normalizer';
import type { NormalizationOptions } from './normalization-options';
import { defaultServiceLabels } from './service-resolution';

const receivedAt = '2026-11-27T10:05:00.000Z';
const options: NormalizationOptions = {
  now: () => new Date(receivedAt),
  serviceLabels: defaultServiceLabels,
};

function normalize(payload: unknown, opts = options) {
  return normalizeAlertmanagerWebhook(alertmanagerWebhookSchema.parse(payload), opts);
}

describe('normalizeAlertmanagerWebhook', () => {
  it('turns every alert of a firing group into a contract alert, in order', () => {
    const alerts = normalize(firingGroup);
    expect(alerts).toHaveLength(2);
    for (const alert of alerts) expect(alertSchema.safeParse(alert).success).toBe(true);

    expect(alerts[0]).toEqual({
      schemaVersion: 1,
      fingerprint: '5c8e1c7b1f0e6b3a',
      source: 'alertmanager',
      status: 'firing',
      alertname: 'HighErrorRate',
      severity: 'critical',
      service: 'checkout',
      summary: 'checkout 5xx ratio above 5%',
      description: 'checkout answers 7.3% of requests with 5xx (threshold 5%).',
      labels: firingGroup.alerts[0].labels,
      annotations: firingGroup.alerts[0].annotations,
      startsAt: '2026-11-27T10:02:31.482Z',
      receivedAt,
      generatorUrl: firingGroup.alerts[0].generatorURL,
    });
  });

  it('takes the Kubernetes app label before the scrape job, and maps severity in any case', () => {
    const crashLoop = normalize(firingGroup)[1];
    expect(crashLoop).toMatchObject({
      fingerprint: 'a1f09c3de2b47718',
      alertname: 'KubePodCrashLooping',
      service: 'payment',
      severity: 'warning',
      // An offset and one fraction digit become UTC milliseconds.
      startsAt: '2026-11-27T10:03:00.100Z',
    });
    // A firing alert's endsAt is Alertmanager's staleness deadline, not an end.
    expect(crashLoop.endsAt).toBeUndefined();
  });

  it('follows a configured label order', () => {
    const byContainer = normalize(firingGroup, { ...options, serviceLabels: ['container', 'job'] });
    expect(byContainer.map((a) => a.service)).toEqual(['checkout', 'payment']);
  });

  it('carries the end of a resolved alert and keeps the fingerprint of its firing notification', () => {
    const [firing] = normalize(firingGroup);
    const [resolved] = normalize(resolvedNotification);
    expect(resolved).toMatchObject({
      status: 'resolved',
      fingerprint: firing.fingerprint,
      endsAt: '2026-11-27T10:17:31.482Z',
      startsAt: firing.startsAt,
    });
    expect(alertSchema.safeParse(resolved).success).toBe(true);
  });

  it('fills what a sparse notification leaves out', () => {
    const [watchdog, nameless] = normalize(sparseNotification);
    expect(watchdog).toMatchObject({
      fingerprint: alertFingerprint({ alertname: 'Watchdog', instance: 'node-a:9100' }),
      alertname: 'Watchdog',
      severity: 'warning',
      service: 'unknown',
      annotations: {},
      startsAt: '2026-11-27T10:00:00.000Z',
    });
    expect(watchdog.summary).toBeUndefined();
    expect(watchdog.generatorUrl).toBeUndefined();
    expect(nameless).toMatchObject({
      alertname: 'unnamed',
      fingerprint: alertFingerprint({ instance: 'node-b:9100' }),
      // Go's zero time is no start: the time of receipt stands in.
      startsAt: receivedAt,
    });
    for (const alert of [watchdog, nameless])
      expect(alertSchema.safeParse(alert).success).toBe(true);
  });

  it('shortens text over the contract limits and leaves out a URL too long to be a link', () => {
    const long = {
      version: '4',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'A'.repeat(400), service: 'pay ment!' },
          annotations: { summary: 's'.repeat(3000), description: 'd'.repeat(9000) },
          startsAt: '2026-11-27T10:00:00Z',
          generatorURL: `http://p/graph?g0.expr=${'x'.repeat(2100)}`,
        },
      ],
    };
    const [alert] = normalize(long);
    expect(alertSchema.safeParse(alert).success).toBe(true);
    expect(alert.alertname).toHaveLength(300);
    expect(alert.summary).toHaveLength(2000);
    expect(alert.description?.endsWith('…')).toBe(true);
    expect(alert.generatorUrl).toBeUndefined();
    expect(alert.service).toBe('pay-ment-');
  });

  it('stamps every alert of a notification with one receipt time from the clock', () => {
    let calls = 0;
    const alerts = normalize(firingGroup, {
      ...options,
      now: () => new Date(Date.UTC(2026, 10, 27, 12, 0, calls++)),
    });
    expect(calls).toBe(1);
    expect(new Set(alerts.map((a) => a.receivedAt))).toEqual(new Set(['2026-11-27T12:00:00.000Z']));
  });

  it('accepts an empty notification', () => {
    expect(normalize({ ...firingGroup, alerts: [] })).toEqual([]);
  });
});

describe('alertmanagerWebhookSchema', () => {
  it('names the field and what was expected', () => {
    const broken = structuredClone(firingGroup) as Record<string, unknown>;
    (broken.alerts as Array<Record<string, unknown>>)[1].status = 'burning';
    const result = alertmanagerWebhookSchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['alerts', 1, 'status']);
  });

  it('refuses another payload version instead of misreading it', () => {
    const result = alertmanagerWebhookSchema.safeParse({ ...firingGroup, version: '5' });
    expect(result.error?.issues[0]).toMatchObject({
      path: ['version'],
      message: expect.stringContaining('"4"'),
    });
  });

  it('ignores fields a newer Alertmanager may add', () => {
    expect(alertmanagerWebhookSchema.safeParse({ ...firingGroup, tenant: 'x' }).success).toBe(true);
  });
});
