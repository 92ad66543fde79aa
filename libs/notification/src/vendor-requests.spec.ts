import { createHmac } from 'node:crypto';
import type { IncidentNotification } from './notification-event';
import { receiverSchema, type Receiver } from './routing';
import { requestFor, type RequestContext } from './vendor-requests';

const n: IncidentNotification = {
  incidentId: 'inc-42',
  action: 'trigger',
  title: 'checkout errors',
  severity: 'critical',
  services: ['checkout'],
  labels: { alertname: 'HighErrorRate' },
  at: '2026-12-02T10:00:00.000Z',
};
const sign = (secret: string, ts: string, body: string) =>
  `v1=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
const ctx: RequestContext = { now: 1_700_000_000_000, sign, deliveryKey: 'hook|inc-42|trigger' };
const receiver = (input: unknown): Receiver => receiverSchema.parse(input);
const body = (r: Receiver, m = n) => JSON.parse(requestFor(r, m, ctx).body);

describe('requestFor: PagerDuty Events API v2', () => {
  const pd = receiver({ name: 'pd', kind: 'pagerduty', routingKey: 'R0UT1NGKEY' });

  it('triggers with routing_key, the incident id as dedup_key and the required payload fields', () => {
    const req = requestFor(pd, n, ctx);
    expect(req).toMatchObject({
      url: 'https://events.pagerduty.com/v2/enqueue',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(body(pd)).toMatchObject({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: 'inc-42',
      payload: { summary: 'checkout errors (checkout)', source: 'checkout', severity: 'critical' },
    });
  });

  it('acknowledges and resolves by dedup_key without a payload', () => {
    for (const action of ['acknowledge', 'resolve'] as const) {
      const sent = body(pd, { ...n, action });
      expect(sent).toEqual({
        routing_key: 'R0UT1NGKEY',
        event_action: action,
        dedup_key: 'inc-42',
      });
    }
  });

  it('keeps the summary within 1024 characters', () => {
    expect(body(pd, { ...n, title: 'x'.repeat(2000) }).payload.summary).toHaveLength(1024);
  });
});

describe('requestFor: Opsgenie Alerts API', () => {
  const og = receiver({ name: 'og', kind: 'opsgenie', apiKey: 'GK' });

  it('creates an alert with the incident id as alias, GenieKey auth, message within 130', () => {
    const req = requestFor(og, { ...n, title: 'y'.repeat(300) }, ctx);
    expect(req.url).toBe('https://api.opsgenie.com/v2/alerts');
    expect(req.headers['authorization']).toBe('GenieKey GK');
    const sent = JSON.parse(req.body);
    expect(sent).toMatchObject({ alias: 'inc-42', priority: 'P1' });
    expect(sent.message).toHaveLength(130);
  });

  it('acknowledges and closes by alias', () => {
    const ack = requestFor(og, { ...n, action: 'acknowledge', by: 'ana' }, ctx);
    expect(ack.url).toBe(
      'https://api.opsgenie.com/v2/alerts/inc-42/acknowledge?identifierType=alias',
    );
    expect(JSON.parse(ack.body)).toMatchObject({ user: 'ana', source: 'vigil' });
    const close = requestFor(og, { ...n, action: 'resolve' }, ctx);
    expect(close.url).toBe('https://api.opsgenie.com/v2/alerts/inc-42/close?identifierType=alias');
  });
});

describe('requestFor: Slack', () => {
  it('posts to chat.postMessage in the channel with the bot token', () => {
    const slack = receiver({ name: 's', kind: 'slack', channel: 'C0123', token: 'xoxb-9' });
    const req = requestFor(slack, { ...n, action: 'acknowledge', by: 'ana' }, ctx);
    expect(req.url).toBe('https://slack.com/api/chat.postMessage');
    expect(req.headers['authorization']).toBe('Bearer xoxb-9');
    const sent = JSON.parse(req.body);
    expect(sent.channel).toBe('C0123');
    expect(sent.text).toContain('inc-42 acknowledged by ana');
  });
});

describe('requestFor: signed webhook', () => {
  it('signs timestamp and body with HMAC-SHA256 and sends the delivery key', () => {
    const secret = 'a-secret-of-16-chars';
    const hook = receiver({ name: 'h', kind: 'webhook', url: 'http://127.0.0.1:9/x', secret });
    const req = requestFor(hook, n, ctx);
    const expected = createHmac('sha256', secret).update(`${ctx.now}.${req.body}`).digest('hex');
    expect(req.headers).toMatchObject({
      'x-vigil-timestamp': String(ctx.now),
      'x-vigil-signature': `v1=${expected}`,
      'idempotency-key': 'hook|inc-42|trigger',
    });
    expect(JSON.parse(req.body)).toMatchObject({ incidentId: 'inc-42', action: 'trigger' });
  });
});
