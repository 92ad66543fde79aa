import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { LogRecord } from '@vigil/contracts';
import type { OtlpEncoding } from '@vigil/otlp';
import {
  KafkaOtlpLogExporter,
  KafkaOtlpSpanExporter,
  type OtlpRecordSender,
} from '@vigil/telemetry/kafka-export';

/** Incoming request headers, as node:http gives them. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface ShopOtelOptions {
  service: string;
  instance: string;
  version: string;
  encoding: OtlpEncoding;
  tracesTopic: string;
  logsTopic: string;
  /** How long the SDK's batch processors hold spans and logs before exporting them. */
  exportDelayMs: number;
}

const severity: Record<LogRecord['level'], SeverityNumber> = {
  trace: SeverityNumber.TRACE,
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
  fatal: SeverityNumber.FATAL,
};

/**
 * The shop's traces and logs through the OpenTelemetry JS SDK, written to Kafka as the
 * Collector's Kafka exporter writes them (`otlp_spans`, `otlp_logs`): a SERVER span per request
 * and a CLIENT span per call to another service (`peer.service` names it), each log record with
 * the trace it belongs to. A call carries its CLIENT span's context in the W3C `traceparent`
 * header, and the callee's SERVER span is its child: one request is one trace across services. Vigil's signals turns them into call spans and log records, exactly
 * as it would a real service's Collector output (docs/otlp.md).
 */
export class ShopOtel {
  private readonly tracerProvider: BasicTracerProvider;
  private readonly loggerProvider: LoggerProvider;
  private readonly tracer;
  private readonly logger;
  private readonly propagator = new W3CTraceContextPropagator();

  constructor(sender: OtlpRecordSender, options: ShopOtelOptions) {
    const resource = resourceFromAttributes({
      'service.name': options.service,
      'service.instance.id': options.instance,
      'service.version': options.version,
      'service.namespace': 'demo-shop',
    });
    const batch = { scheduledDelayMillis: options.exportDelayMs };
    this.tracerProvider = new BasicTracerProvider({
      resource,
      spanProcessors: [
        new BatchSpanProcessor(
          new KafkaOtlpSpanExporter({
            producer: sender,
            encoding: options.encoding,
            topic: options.tracesTopic,
          }),
          batch,
        ),
      ],
    });
    this.loggerProvider = new LoggerProvider({
      resource,
      processors: [
        new BatchLogRecordProcessor(
          new KafkaOtlpLogExporter({
            producer: sender,
            encoding: options.encoding,
            topic: options.logsTopic,
          }),
          batch,
        ),
      ],
    });
    this.tracer = this.tracerProvider.getTracer('vigil-demo-shop', options.version);
    this.logger = this.loggerProvider.getLogger('vigil-demo-shop', options.version);
  }

  /**
   * The SERVER span of one request to `route`, started when the request came in: a child of the
   * caller's CLIENT span when the request's `traceparent` names one, else a trace's root.
   */
  request(route: string, startedMs: number, headers: RequestHeaders = {}): Span {
    const caller = this.propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    return this.tracer.startSpan(
      `GET /api/${route}`,
      {
        kind: SpanKind.SERVER,
        startTime: startedMs,
        attributes: { 'http.request.method': 'GET', 'url.path': `/api/${route}` },
      },
      caller,
    );
  }

  /**
   * A CLIENT span, child of `parent`, for a call to `callee` starting now, with the headers that
   * carry it to the callee. End it with {@link endCall}.
   */
  beginCall(
    parent: Span,
    call: { callee: string; route: string; startedMs: number },
  ): { span: Span; headers: Record<string, string> } {
    const span = this.tracer.startSpan(
      `GET /api/${call.route}`,
      {
        kind: SpanKind.CLIENT,
        startTime: call.startedMs,
        attributes: {
          'peer.service': call.callee,
          'server.address': call.callee,
          'http.request.method': 'GET',
        },
      },
      trace.setSpan(ROOT_CONTEXT, parent),
    );
    const headers: Record<string, string> = {};
    this.propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
    return { span, headers };
  }

  endCall(span: Span, ok: boolean, endedMs: number): void {
    if (!ok) span.setStatus({ code: SpanStatusCode.ERROR, message: 'call failed' });
    span.end(endedMs);
  }

  /** Ends a request's span with its HTTP status (5xx is an error, as the conventions say). */
  respond(span: Span, status: number, endedMs: number): void {
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(endedMs);
  }

  log(
    level: LogRecord['level'],
    body: string,
    attributes: LogRecord['attributes'],
    span?: Span,
  ): void {
    this.logger.emit({
      severityNumber: severity[level],
      severityText: level.toUpperCase(),
      body,
      attributes,
      ...(span ? { context: trace.setSpan(context.active(), span) } : {}),
    });
  }

  /** Exports what is still held, then stops. */
  async shutdown(): Promise<void> {
    await Promise.all([this.tracerProvider.shutdown(), this.loggerProvider.shutdown()]);
  }
}
