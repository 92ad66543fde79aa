import type { Alert, AlertmanagerAlert, AlertmanagerWebhook } from '@vigil/contracts';
import { alertFingerprint } from '@vigil/correlation';
import {
  fieldLimits,
  isGoZeroTime,
  optionalText,
  optionalUrl,
  toUtcIso,
  truncateText,
} from './alert-fields';
import type { NormalizationOptions } from './normalization-options';
import { defaultSeverity, severityFromText } from './severity-mapping';
import { resolveService } from './service-resolution';

export const alertmanagerSource = 'alertmanager';

/** Alertmanager does not require an alertname label; the contract needs a name. */
const unnamedAlert = 'unnamed';

/** Every alert of one Alertmanager notification as a `vigil.alerts.raw.v1` alert, in order. */
export function normalizeAlertmanagerWebhook(
  webhook: AlertmanagerWebhook,
  options: NormalizationOptions,
): Alert[] {
  const receivedAt = options.now().toISOString();
  return webhook.alerts.map((alert) => normalizeAlertmanagerAlert(alert, receivedAt, options));
}

function normalizeAlertmanagerAlert(
  alert: AlertmanagerAlert,
  receivedAt: string,
  options: NormalizationOptions,
): Alert {
  const { labels, annotations } = alert;
  return {
    schemaVersion: 1,
    // Alertmanager's own fingerprint keeps Vigil's id equal to the one in Alertmanager's UI and API.
    fingerprint: alert.fingerprint || alertFingerprint(labels),
    source: alertmanagerSource,
    status: alert.status,
    alertname: truncateText(labels.alertname || unnamedAlert, fieldLimits.alertname),
    severity: severityFromText(labels.severity) ?? defaultSeverity,
    service: resolveService(labels, options.serviceLabels),
    // kube-prometheus rules used `message` before they moved to summary/description.
    summary: optionalText(annotations.summary ?? annotations.message, fieldLimits.summary),
    description: optionalText(annotations.description, fieldLimits.description),
    labels,
    annotations,
    startsAt: isGoZeroTime(alert.startsAt) ? receivedAt : toUtcIso(alert.startsAt),
    endsAt: resolvedAt(alert),
    receivedAt,
    generatorUrl: optionalUrl(alert.generatorURL),
  };
}

/**
 * The end of a resolved alert. A firing alert's endsAt is only when Alertmanager will consider it
 * stale if Prometheus stops re-sending it, not an end, so it is not carried.
 */
function resolvedAt(alert: AlertmanagerAlert): string | undefined {
  if (alert.status !== 'resolved' || !alert.endsAt || isGoZeroTime(alert.endsAt)) return undefined;
  return toUtcIso(alert.endsAt);
}
