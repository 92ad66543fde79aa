import { NodeSDK } from '@opentelemetry/sdk-node';
import type { Resource } from '@opentelemetry/resources';
import type { TelemetryHandle } from './telemetry-bootstrap';

/**
 * The OpenTelemetry NodeSDK with the exporters the OTEL_* variables choose. Kept out of
 * telemetry-bootstrap so a process that exports nothing never loads it.
 */
export function startExportingSdk(serviceName: string, resource: Resource): TelemetryHandle {
  const sdk = new NodeSDK({ serviceName, resource, instrumentations: [] });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
