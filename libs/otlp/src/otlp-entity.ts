import { entityName } from '@vigil/contracts';
import type { OtlpResource } from './otlp-model';

/** What the OpenTelemetry SDKs call a service that did not set `service.name`. */
export const unknownService = 'unknown_service';

/**
 * The entity a resource's telemetry belongs to: its `service.name`, with characters an entity
 * name cannot hold (spaces, quotes, ...) turned into `-`, so `checkout service` is `checkout-service`.
 */
export function entityOfResource(resource: OtlpResource): string {
  return entityOrUndefined(resource.serviceName) ?? unknownService;
}

/** A name as an entity, or undefined when nothing of it is left. */
export function entityOrUndefined(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const cleaned = name
    .replace(/[^A-Za-z0-9._:/@-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 200);
  return entityName.safeParse(cleaned).success ? cleaned : undefined;
}
