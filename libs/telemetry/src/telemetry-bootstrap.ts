import { NodeSDK } from '@opentelemetry/sdk-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

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
 * Starts the OpenTelemetry SDK before anything else is loaded. With an exporter configured through
 * the standard OTEL_* variables, spans are exported; without one, a tracer provider still runs so
 * trace ids exist, travel in Kafka headers and appear in the JSON logs.
 */
export function startTelemetry(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): TelemetryHandle {
  const spanProcessors: SpanProcessor[] | undefined = exporterConfigured(env)
    ? undefined
    : [new NoopSpanProcessor()];
  const sdk = new NodeSDK({
    serviceName,
    resource: resourceFromAttributes({ 'service.namespace': 'vigil' }),
    spanProcessors,
    instrumentations: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
