import type { Alert, AlertSeverity, GenericAlert } from '@vigil/contracts';
import { alertFingerprint } from '@vigil/correlation';
import { fieldLimits, optionalText, optionalUrl, toUtcIso, truncateText } from './alert-fields';
import type { NormalizationOptions } from './normalization-options';
import { defaultSeverity, knownSeverityWords, severityFromText } from './severity-mapping';
import { resolveService, toEntityName } from './service-resolution';

export const genericSource = 'generic';

/** What is wrong with one alert of a batch, beyond what its schema can say. */
export interface NormalizationProblem {
  /** Position of the alert in the batch (0 for a single alert). */
  index: number;
  field: string;
  message: string;
}

export type GenericNormalization =
  | { ok: true; alerts: Alert[] }
  | { ok: false; problems: NormalizationProblem[] };

/**
 * Generic JSON alerts (already checked against `genericAlertSchema`) as `vigil.alerts.raw.v1`
 * alerts. All or nothing: one alert with an unknown severity word refuses the batch, so the
 * producer learns about it instead of a "critcal" page arriving as a warning.
 */
export function normalizeGenericAlerts(
  inputs: readonly GenericAlert[],
  options: NormalizationOptions,
): GenericNormalization {
  const receivedAt = options.now().toISOString();
  const alerts: Alert[] = [];
  const problems: NormalizationProblem[] = [];
  inputs.forEach((input, index) => {
    const severity = explicitSeverity(input);
    if (severity === 'unknown') {
      problems.push({
        index,
        field: 'severity',
        message: `unknown severity "${input.severity}"; expected one of ${knownSeverityWords.join(', ')}`,
      });
      return;
    }
    alerts.push(normalizeGenericAlert(input, severity, receivedAt, options));
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, alerts };
}

/** The top-level severity is the producer's explicit word and must be known; labels are free-form. */
function explicitSeverity(input: GenericAlert): AlertSeverity | 'unknown' {
  if (input.severity === undefined)
    return severityFromText(input.labels.severity) ?? defaultSeverity;
  return severityFromText(input.severity) ?? 'unknown';
}

function normalizeGenericAlert(
  input: GenericAlert,
  severity: AlertSeverity,
  receivedAt: string,
  options: NormalizationOptions,
): Alert {
  // The schema guarantees a name; `||` because an empty labels.alertname is no name.
  const name = input.alertname || input.labels.alertname || input.title || 'unnamed';
  const alertname = truncateText(name, fieldLimits.alertname);
  const explicitService = input.service === undefined ? undefined : toEntityName(input.service);
  const service = explicitService ?? resolveService(input.labels, options.serviceLabels);
  const labels = identityLabels(input.labels, alertname, explicitService);
  const resolved = input.status === 'resolved';
  return {
    schemaVersion: 1,
    fingerprint: input.fingerprint ?? alertFingerprint(labels),
    source: input.source ?? genericSource,
    status: input.status,
    alertname,
    severity,
    service,
    summary: optionalText(
      input.summary ?? input.annotations.summary ?? input.title,
      fieldLimits.summary,
    ),
    description: optionalText(
      input.description ?? input.annotations.description,
      fieldLimits.description,
    ),
    labels,
    annotations: input.annotations,
    startsAt: input.startsAt ? toUtcIso(input.startsAt) : receivedAt,
    endsAt: resolved ? (input.endsAt ? toUtcIso(input.endsAt) : receivedAt) : undefined,
    receivedAt,
    generatorUrl: optionalUrl(input.generatorUrl ?? input.generatorURL),
  };
}

/**
 * The labels plus the name and the explicit service, which identify a generic alert as they do a
 * Prometheus one: without them, two alerts with no labels would share one fingerprint.
 * Labels the producer set are never overwritten.
 */
function identityLabels(
  labels: Readonly<Record<string, string>>,
  alertname: string,
  service: string | undefined,
): Record<string, string> {
  return {
    alertname,
    ...(service === undefined ? {} : { service }),
    ...labels,
  };
}
