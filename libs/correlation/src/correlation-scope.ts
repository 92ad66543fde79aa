import type { Alert } from '@vigil/contracts';

/**
 * Alerts from different clusters or environments never share an incident; the scope is also the
 * Kafka key the correlator partitions its work by.
 */
export function correlationScope(alert: Alert, scopeLabels: readonly string[]): string {
  for (const label of scopeLabels) {
    const value = alert.labels[label];
    if (value) return `${label}=${value}`;
  }
  return 'default';
}

/** The host an alert is about, if a label names one. */
export function alertHost(alert: Alert, hostLabels: readonly string[]): string | undefined {
  for (const label of hostLabels) {
    const value = alert.labels[label];
    if (value) return value;
  }
  return undefined;
}
