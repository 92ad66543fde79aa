import type { IncidentNotification } from './notification-event';
import type { Receiver } from './routing';

export interface OutboundRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

/**
 * Signs a webhook body: the `X-Vigil-Signature` value for `secret`, `timestamp` and `body`. Passed
 * in (the app gives `signatureHeaderValue` of `libs/executor-adapters`) because that lib is an
 * adapter lib, which a domain lib may not import, and so both webhooks sign the same way.
 */
export type WebhookSigner = (secret: string, timestamp: string, body: string) => string;

export interface RequestContext {
  /** Epoch ms, for the webhook's signed timestamp. */
  now: number;
  sign: WebhookSigner;
  /** The delivery's dedup key, sent as `Idempotency-Key` to the webhook. */
  deliveryKey: string;
}

const json = { 'content-type': 'application/json' };

function summaryOf(n: IncidentNotification): string {
  const service = n.services.length > 0 ? ` (${n.services.join(', ')})` : '';
  return `${n.title}${service}`;
}

/** Slack chat.postMessage: the bot token as a Bearer token, `channel` and `text` in JSON. */
function slackRequest(r: Extract<Receiver, { kind: 'slack' }>, n: IncidentNotification) {
  const verb = { trigger: 'opened', acknowledge: 'acknowledged', resolve: 'resolved' }[n.action];
  const by = n.by ? ` by ${n.by}` : '';
  const text = `[${n.severity}] Incident ${n.incidentId} ${verb}${by}: ${summaryOf(n)}`;
  return {
    url: new URL('chat.postMessage', r.apiUrl.endsWith('/') ? r.apiUrl : `${r.apiUrl}/`).href,
    method: 'POST' as const,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${r.token}`,
    },
    body: JSON.stringify({ channel: r.channel, text }),
  };
}

/**
 * PagerDuty Events API v2 (`POST /v2/enqueue`): `routing_key`, `event_action` and the incident id
 * as `dedup_key`, so acknowledge and resolve reach the alert the trigger opened. Only a trigger
 * carries `payload` (summary up to 1024 characters, source, severity in PagerDuty's four levels,
 * which are Vigil's).
 */
function pagerDutyRequest(r: Extract<Receiver, { kind: 'pagerduty' }>, n: IncidentNotification) {
  const event: Record<string, unknown> = {
    routing_key: r.routingKey,
    event_action: n.action,
    dedup_key: n.incidentId,
  };
  if (n.action === 'trigger')
    event['payload'] = {
      summary: summaryOf(n).slice(0, 1024),
      source: n.services[0] ?? 'vigil',
      severity: n.severity,
      timestamp: n.at,
      component: n.services[0],
      custom_details: { incidentId: n.incidentId, services: n.services, labels: n.labels },
    };
  return { url: r.url, method: 'POST' as const, headers: json, body: JSON.stringify(event) };
}

const opsgeniePriority = { critical: 'P1', error: 'P2', warning: 'P3', info: 'P5' } as const;

/**
 * Opsgenie Alerts API: create (`POST /v2/alerts`, `message` up to 130 characters, the incident id
 * as `alias`), then acknowledge and close by alias (`identifierType=alias`); `GenieKey` auth.
 */
function opsgenieRequest(r: Extract<Receiver, { kind: 'opsgenie' }>, n: IncidentNotification) {
  const base = r.apiUrl.replace(/\/+$/, '');
  const headers = { ...json, authorization: `GenieKey ${r.apiKey}` };
  if (n.action === 'trigger')
    return {
      url: `${base}/v2/alerts`,
      method: 'POST' as const,
      headers,
      body: JSON.stringify({
        message: summaryOf(n).slice(0, 130),
        alias: n.incidentId,
        description: summaryOf(n).slice(0, 15000),
        priority: opsgeniePriority[n.severity],
        tags: n.services.slice(0, 20),
        details: { incidentId: n.incidentId, ...n.labels },
        source: 'vigil',
      }),
    };
  const verb = n.action === 'acknowledge' ? 'acknowledge' : 'close';
  return {
    url: `${base}/v2/alerts/${encodeURIComponent(n.incidentId)}/${verb}?identifierType=alias`,
    method: 'POST' as const,
    headers,
    body: JSON.stringify({
      source: 'vigil',
      ...(n.by ? { user: n.by } : {}),
      ...(n.note ? { note: n.note } : {}),
    }),
  };
}

/** The generic webhook: the notification as JSON, signed over timestamp and body. */
function webhookRequest(
  r: Extract<Receiver, { kind: 'webhook' }>,
  n: IncidentNotification,
  ctx: RequestContext,
) {
  const body = JSON.stringify({ version: 1, ...n });
  const timestamp = String(ctx.now);
  return {
    url: r.url,
    method: 'POST' as const,
    headers: {
      ...json,
      'x-vigil-timestamp': timestamp,
      'x-vigil-signature': ctx.sign(r.secret, timestamp, body),
      'idempotency-key': ctx.deliveryKey,
    },
    body,
  };
}

/** The HTTP request that tells `receiver` about `n`, in the vendor's documented format. */
export function requestFor(
  receiver: Receiver,
  n: IncidentNotification,
  ctx: RequestContext,
): OutboundRequest {
  switch (receiver.kind) {
    case 'slack':
      return slackRequest(receiver, n);
    case 'pagerduty':
      return pagerDutyRequest(receiver, n);
    case 'opsgenie':
      return opsgenieRequest(receiver, n);
    case 'webhook':
      return webhookRequest(receiver, n, ctx);
  }
}
