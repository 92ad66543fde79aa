import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface TelemetryHandle {
  shutdown(): Promise<void>;
}

function exporterConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    env.OTEL_EXPORTER_OTLP_ENDPOINT ||
      env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ||
      env.OTEL_TRACES_EXPORTER,
  );
}

/**
 * Starts OpenTelemetry before the app is built.
 *
 * With an exporter configured through the standard OTEL_* variables, the full NodeSDK runs and
 * spans are exported. Without one, only a tracer provider runs, so trace ids still exist, travel
 * in Kafka headers and appear in the JSON logs. The NodeSDK is loaded only in the first case: its
 * exporters (gRPC, HTTP, protobuf) cost every process about 15 MiB and 0.1 s of start-up.
 */
export function startTelemetry(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): TelemetryHandle {
  const resource = resourceFromAttributes({
    'service.name': serviceName,
    'service.namespace': 'vigil',
  });
  if (!exporterConfigured(env)) return startLocalTracing(resource);
  // Loaded a microtask later: spans are only made while handling messages, long after this.
  const exporting = import('./telemetry-export').then(({ startExportingSdk }) =>
    startExportingSdk(serviceName, resource),
  );
  return { shutdown: async () => (await exporting).shutdown() };
}

/** A tracer provider that keeps no span: ids and context propagation only. */
function startLocalTracing(resource: Resource): TelemetryHandle {
  const provider = new NodeTracerProvider({ resource, spanProcessors: [] });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}
