import { normalizeAlertmanagerWebhook, defaultServiceLabels } from '@vigil/alert-normalization';
import { alertSchema, alertmanagerWebhookSchema } from '@vigil/contracts';
import type { AlertRule } from './alert-rule';
import { goZeroTime, toAlertmanagerWebhook, toAlertmanagerWebhooks } from './alertmanager-webhook';
import { type AlertInstance, RuleEvaluator } from './rule-evaluator';
import { metricBatch, t0 } from './testing/metric-batches';

const memoryHigh: AlertRule = {
  alert: 'MemoryHigh',
  expr: {
    kind: 'threshold',
    value: { kind: 'range', fn: 'last', select: { metric: 'rss' }, windowMs: 10_000 },
    op: '>',
    threshold: 100,
  },
  for: 0,
  severity: 'critical',
  labels: { team: 'shop' },
  annotations: { summary: '{{service}} at {{value}}', description: 'on {{instance}}' },
  unit: 'bytes',
};

/** Firing alerts for two instances of cart, then one of them resolved. */
function alertsOfCart(): { firing: AlertInstance[]; resolved: AlertInstance[] } {
  const evaluator = new RuleEvaluator([memoryHigh]);
  for (const instance of ['cart-1', 'cart-2'])
    evaluator.ingest(metricBatch({ service: 'cart', instance }, t0, [['rss', 2048]]));
  const firing = evaluator.evaluate(t0).notifications;
  evaluator.ingest(metricBatch({ service: 'cart', instance: 'cart-1' }, t0 + 5_000, [['rss', 50]]));
  evaluator.ingest(
    metricBatch({ service: 'cart', instance: 'cart-2' }, t0 + 5_000, [['rss', 4096]]),
  );
  const resolved = evaluator
    .evaluate(t0 + 5_000)
    .notifications.filter((alert) => alert.state === 'resolved');
  return { firing, resolved };
}

const options = { receiver: 'demo-shop', externalURL: 'http://demo-shop.local/rules' };

describe('toAlertmanagerWebhook', () => {
  it('builds a v4 payload the ingest contract accepts, unchanged by its defaults', () => {
    const { firing } = alertsOfCart();
    const webhook = toAlertmanagerWebhook(firing, options);
    const parsed = alertmanagerWebhookSchema.safeParse(webhook);
    expect(parsed.error).toBeUndefined();
    expect(parsed.data).toEqual(webhook);
    expect(webhook).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'demo-shop',
      externalURL: 'http://demo-shop.local/rules',
      groupLabels: { alertname: 'MemoryHigh' },
      groupKey: '{}:{alertname="MemoryHigh"}',
      commonLabels: {
        alertname: 'MemoryHigh',
        severity: 'critical',
        service: 'cart',
        team: 'shop',
      },
      commonAnnotations: { summary: 'cart at 2 KiB' },
      truncatedAlerts: 0,
    });
    expect(webhook.alerts.map((alert) => alert.labels.instance)).toEqual(['cart-1', 'cart-2']);
    expect(webhook.alerts[0]).toEqual({
      status: 'firing',
      labels: {
        alertname: 'MemoryHigh',
        severity: 'critical',
        service: 'cart',
        instance: 'cart-1',
        team: 'shop',
      },
      annotations: { summary: 'cart at 2 KiB', description: 'on cart-1' },
      startsAt: '2025-03-01T12:00:00.000Z',
      endsAt: goZeroTime,
      generatorURL: '',
      fingerprint: firing[0].fingerprint,
    });
  });

  it('marks resolved alerts with their end time', () => {
    const { resolved } = alertsOfCart();
    const webhook = toAlertmanagerWebhook(resolved, options);
    expect(alertmanagerWebhookSchema.safeParse(webhook).success).toBe(true);
    expect(webhook.status).toBe('resolved');
    expect(webhook.alerts).toEqual([
      expect.objectContaining({
        status: 'resolved',
        startsAt: '2025-03-01T12:00:00.000Z',
        endsAt: '2025-03-01T12:00:05.000Z',
      }),
    ]);
  });

  it('becomes the alerts ingest publishes: service, severity, fingerprint, texts and times', () => {
    const { firing, resolved } = alertsOfCart();
    const webhook = alertmanagerWebhookSchema.parse(
      toAlertmanagerWebhook([...firing, ...resolved], options),
    );
    const now = () => new Date(t0 + 6_000);
    const alerts = normalizeAlertmanagerWebhook(webhook, {
      now,
      serviceLabels: defaultServiceLabels,
    });
    for (const alert of alerts) expect(alertSchema.safeParse(alert).error).toBeUndefined();
    expect(alerts.map((a) => [a.status, a.service, a.severity, a.alertname, a.summary])).toEqual([
      ['firing', 'cart', 'critical', 'MemoryHigh', 'cart at 2 KiB'],
      ['firing', 'cart', 'critical', 'MemoryHigh', 'cart at 2 KiB'],
      ['resolved', 'cart', 'critical', 'MemoryHigh', 'cart at 2 KiB'],
    ]);
    expect(alerts.map((a) => a.fingerprint)).toEqual([
      firing[0].fingerprint,
      firing[1].fingerprint,
      resolved[0].fingerprint,
    ]);
    expect(alerts[2].fingerprint).toBe(alerts[0].fingerprint); // cart-1 fired, then resolved
    expect(alerts[2].endsAt).toBe('2025-03-01T12:00:05.000Z');
    expect(alerts[0].endsAt).toBeUndefined();
  });

  it('leaves pending alerts out: Alertmanager never hears of them', () => {
    const evaluator = new RuleEvaluator([{ ...memoryHigh, for: 60_000 }]);
    evaluator.ingest(metricBatch({ service: 'cart' }, t0, [['rss', 2048]]));
    evaluator.evaluate(t0);
    const webhook = toAlertmanagerWebhook(evaluator.activeAlerts());
    expect(webhook.alerts).toEqual([]);
    expect(webhook.receiver).toBe('vigil-alert-rules');
  });
});

describe('toAlertmanagerWebhooks', () => {
  it('sends one payload per group, as an Alertmanager route with group_by would', () => {
    const { firing } = alertsOfCart();
    const other = { ...firing[0], labels: { ...firing[0].labels, service: 'web' } };
    const webhooks = toAlertmanagerWebhooks([...firing, other], { groupBy: ['service'] });
    expect(webhooks.map((w) => [w.groupKey, w.alerts.length])).toEqual([
      ['{}:{service="cart"}', 2],
      ['{}:{service="web"}', 1],
    ]);
    for (const webhook of webhooks)
      expect(alertmanagerWebhookSchema.safeParse(webhook).success).toBe(true);
  });

  it('sends nothing for nothing', () => {
    expect(toAlertmanagerWebhooks([])).toEqual([]);
  });
});
