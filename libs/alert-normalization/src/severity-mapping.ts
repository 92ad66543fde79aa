import type { AlertSeverity } from '@vigil/contracts';

/**
 * The words producers use for severity, mapped onto Vigil's four levels. Beside the common
 * Prometheus/PagerDuty words there are a few syslog ones (crit, err, notice) that log-based
 * alerting tools pass through unchanged.
 */
const severityWords: Readonly<Record<string, AlertSeverity>> = {
  critical: 'critical',
  crit: 'critical',
  page: 'critical',
  high: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  error: 'error',
  err: 'error',
  major: 'error',
  warning: 'warning',
  warn: 'warning',
  minor: 'warning',
  info: 'info',
  informational: 'info',
  notice: 'info',
  low: 'info',
  none: 'info',
};

/** Used when an alert carries no severity, or only an unknown word in its labels. */
export const defaultSeverity: AlertSeverity = 'warning';

export const knownSeverityWords: readonly string[] = Object.keys(severityWords);

/** The level a severity word stands for, any case; undefined for a word Vigil does not know. */
export function severityFromText(text: string | undefined): AlertSeverity | undefined {
  if (text === undefined) return undefined;
  const word = text.trim().toLowerCase();
  return Object.hasOwn(severityWords, word) ? severityWords[word] : undefined;
}
