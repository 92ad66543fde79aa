import { createHash } from 'node:crypto';

/**
 * Labels that change between evaluations of the same alert; they must not split one alert into
 * many. Everything else identifies the alert, as Alertmanager's own fingerprint does.
 */
export const defaultVolatileLabels: readonly string[] = [
  'value',
  'timestamp',
  'time',
  'observed_value',
];

/** A stable 16-hex-digit id of an alert from its identity labels, independent of label order. */
export function alertFingerprint(
  labels: Readonly<Record<string, string>>,
  volatile: readonly string[] = defaultVolatileLabels,
): string {
  const skip = new Set(volatile);
  // JSON pairs, so no label value can imitate a label boundary.
  const canonical = JSON.stringify(
    Object.keys(labels)
      .filter((name) => !skip.has(name))
      .sort()
      .map((name) => [name, labels[name]]),
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
