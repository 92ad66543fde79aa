/* eslint-disable @nx/enforce-module-boundaries --
 * Spec fixtures only (`@vigil/otlp/testing`): the specs make their Kafka payloads with the
 * OpenTelemetry SDK and its official OTLP serializers, as a Collector or an SDK exporter would.
 * The lib itself (`src/index.ts`) imports none of them.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import type { OtlpEncoding } from '../otlp-model';

export { SeverityNumber, SpanKind, SpanStatusCode };

/** One service's tracer, as the SDK in that service would have it. */
export class ServiceTracer {
  private readonly exporter = new InMemorySpanExporter();
  private readonly provider: BasicTracerProvider;

  constructor(resource: Record<string, string>) {
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes(resource),
      spanProcessors: [new SimpleSpanProcessor(this.exporter)],
    });
  }

  /** A started span; `parent` may belong to another service's tracer (context propagated). */
  start(
    name: string,
    options: { kind?: SpanKind; parent?: Span; attributes?: Record<string, string> } = {},
    startTime = Date.now(),
  ): Span {
    const context = options.parent
      ? trace.setSpanContext(ROOT_CONTEXT, options.parent.spanContext())
      : ROOT_CONTEXT;
    return this.provider
      .getTracer('vigil-spec')
      .startSpan(name, { kind: options.kind, attributes: options.attributes, startTime }, context);
  }

  /** The spans ended so far, as the SDK hands them to an exporter. */
  finished(): ReadableSpan[] {
    return this.exporter.getFinishedSpans();
  }
}

/** One service's logger. */
export class ServiceLogger {
  private readonly exporter = new InMemoryLogRecordExporter();
  private readonly provider: LoggerProvider;

  constructor(resource: Record<string, string>) {
    this.provider = new LoggerProvider({
      resource: resourceFromAttributes(resource),
      processors: [new SimpleLogRecordProcessor(this.exporter)],
    });
  }

  emit(record: Parameters<ReturnType<LoggerProvider['getLogger']>['emit']>[0]): void {
    this.provider.getLogger('vigil-spec').emit(record);
  }

  finished(): ReadableLogRecord[] {
    return this.exporter.getFinishedLogRecords();
  }
}

/** The bytes the Collector's Kafka exporter (or an SDK exporter) writes for these spans. */
export function tracePayload(spans: ReadableSpan[], encoding: OtlpEncoding): Buffer {
  const serializer = encoding === 'otlp_json' ? JsonTraceSerializer : ProtobufTraceSerializer;
  const bytes = serializer.serializeRequest(spans);
  if (!bytes) throw new Error('the serializer returned nothing');
  return Buffer.from(bytes);
}

/** The bytes the Collector's Kafka exporter (or an SDK exporter) writes for these log records. */
export function logsPayload(records: ReadableLogRecord[], encoding: OtlpEncoding): Buffer {
  const serializer = encoding === 'otlp_json' ? JsonLogsSerializer : ProtobufLogsSerializer;
  const bytes = serializer.serializeRequest(records);
  if (!bytes) throw new Error('the serializer returned nothing');
  return Buffer.from(bytes);
}
