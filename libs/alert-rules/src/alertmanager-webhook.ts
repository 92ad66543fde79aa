import type { AlertmanagerAlert, AlertmanagerWebhook } from '@vigil/contracts';
import type { AlertInstance } from './rule-evaluator';

/** What Alertmanager writes as the end of an alert that has not ended (Go's zero time). */
export const goZeroTime = '0001-01-01T00:00:00Z';

export interface AlertmanagerWebhookOptions {
  /** The receiver name of the webhook config; shows up in Vigil as the sender. */
  receiver: string;
  /** Where the "Alertmanager" can be reached; the demo has none, so a link to the rule source. */
  externalURL: string;
  /** Alertmanager's route group_by: one webhook per distinct value of these labels. */
  groupBy: readonly string[];
}

export const defaultWebhookOptions: AlertmanagerWebhookOptions = {
  receiver: 'vigil-alert-rules',
  externalURL: '',
  groupBy: ['alertname'],
};

const iso = (ms: number): string => new Date(ms).toISOString();

function toAlertmanagerAlert(alert: AlertInstance): AlertmanagerAlert {
  const resolved = alert.state === 'resolved';
  return {
    status: resolved ? 'resolved' : 'firing',
    labels: { ...alert.labels },
    annotations: { ...alert.annotations },
    startsAt: iso(alert.startsAt),
    endsAt: resolved && alert.endsAt !== undefined ? iso(alert.endsAt) : goZeroTime,
    generatorURL: alert.generatorURL,
    fingerprint: alert.fingerprint,
  };
}

/** The pairs every map has with the same value: Alertmanager's commonLabels/commonAnnotations. */
function common(maps: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const [first, ...rest] = maps;
  const shared: Record<string, string> = {};
  for (const [name, value] of Object.entries(first))
    if (rest.every((map) => Object.hasOwn(map, name) && map[name] === value)) shared[name] = value;
  return shared;
}

/** Alertmanager's group key of the root route: `{}:{alertname="HighErrorRatio"}`. */
function groupKey(groupLabels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(groupLabels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(groupLabels[name])}`);
  return `{}:{${pairs.join(', ')}}`;
}

function pick(
  labels: Readonly<Record<string, string>>,
  names: readonly string[],
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) if (Object.hasOwn(labels, name)) picked[name] = labels[name];
  return picked;
}

/**
 * One Alertmanager v4 webhook body for alerts of one group, as ingest's
 * `POST /api/v1/alerts/alertmanager` takes it. Pending alerts are left out: Alertmanager never
 * hears of them.
 */
export function toAlertmanagerWebhook(
  alerts: readonly AlertInstance[],
  options: Partial<AlertmanagerWebhookOptions> = {},
): AlertmanagerWebhook {
  const { receiver, externalURL, groupBy } = { ...defaultWebhookOptions, ...options };
  const sent = alerts.filter((alert) => alert.state !== 'pending');
  const commonLabels = common(sent.map((alert) => alert.labels));
  const groupLabels = pick(commonLabels, groupBy);
  return {
    version: '4',
    groupKey: groupKey(groupLabels),
    truncatedAlerts: 0,
    status: sent.some((alert) => alert.state === 'firing') ? 'firing' : 'resolved',
    receiver,
    groupLabels,
    commonLabels,
    commonAnnotations: common(sent.map((alert) => alert.annotations)),
    externalURL,
    alerts: sent.map(toAlertmanagerAlert),
  };
}

/** The alerts split by `groupBy` as Alertmanager's route would, one webhook body per group. */
export function toAlertmanagerWebhooks(
  alerts: readonly AlertInstance[],
  options: Partial<AlertmanagerWebhookOptions> = {},
): AlertmanagerWebhook[] {
  const groupBy = options.groupBy ?? defaultWebhookOptions.groupBy;
  const groups = new Map<string, AlertInstance[]>();
  for (const alert of alerts) {
    if (alert.state === 'pending') continue;
    const key = JSON.stringify(
      groupBy.map((name) => (Object.hasOwn(alert.labels, name) ? alert.labels[name] : null)),
    );
    const group = groups.get(key);
    if (group) group.push(alert);
    else groups.set(key, [alert]);
  }
  return [...groups.values()].map((group) => toAlertmanagerWebhook(group, options));
}
