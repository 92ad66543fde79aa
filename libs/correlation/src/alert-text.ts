import type { Alert } from '@vigil/contracts';

// Labels that say what is wrong (not where): they help the text say the same thing in other words.
const meaningfulLabels = ['reason', 'mountpoint', 'device', 'container', 'job', 'phase', 'code'];

function splitIdentifier(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ');
}

/**
 * The text an alert is embedded by: its name in words, summary, description and the labels that
 * describe the symptom. Service and instance names are left out on purpose: where an alert is
 * comes from the topology, so two different problems on one host do not look alike by name.
 */
export function alertText(alert: Alert): string {
  const parts = [splitIdentifier(alert.alertname)];
  const summary = alert.summary ?? alert.annotations.summary;
  const description = alert.description ?? alert.annotations.description;
  if (summary) parts.push(summary);
  if (description && description !== summary) parts.push(description.slice(0, 300));
  for (const label of meaningfulLabels) {
    const value = alert.labels[label];
    if (value) parts.push(`${label} ${value}`);
  }
  return parts.join('. ');
}
