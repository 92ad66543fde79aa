/**
 * Labels that name the service, most specific first. `job` comes last: it names the scrape job,
 * which on Kubernetes is often shared by every pod ("kubernetes-pods") rather than the service.
 */
export const defaultServiceLabels: readonly string[] = [
  'service',
  'app',
  'app_kubernetes_io_name',
  'k8s_app',
  'job',
];

export const unknownService = 'unknown';

const entityNameMaxLength = 200;

/**
 * Makes a label value usable as a service name (a graph id, metric label and Kafka key): runs of
 * other characters become "-", leading punctuation goes. Undefined when nothing usable is left.
 */
export function toEntityName(value: string): string | undefined {
  const cleaned = value
    .trim()
    .replace(/[^A-Za-z0-9._:/@-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, entityNameMaxLength);
  return cleaned.length > 0 ? cleaned : undefined;
}

/** The first usable service name among the labels, in the configured order, else "unknown". */
export function resolveService(
  labels: Readonly<Record<string, string>>,
  labelOrder: readonly string[],
): string {
  for (const name of labelOrder) {
    const value = Object.hasOwn(labels, name) ? labels[name] : undefined;
    const service = value === undefined ? undefined : toEntityName(value);
    if (service) return service;
  }
  return unknownService;
}
