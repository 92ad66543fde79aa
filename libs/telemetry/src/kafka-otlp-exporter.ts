import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ForeignTopics } from '@vigil/contracts';

/** What the exporters need of a Kafka producer (a connected kafkajs `Producer` is one). */
export interface OtlpRecordSender {
  send(record: {
    topic: string;
    messages: Array<{ key: string | null; value: Buffer }>;
  }): Promise<unknown>;
}

export interface KafkaOtlpExporterOptions {
  producer: OtlpRecordSender;
  /** The Collector Kafka exporter's defaults: `otlp_spans` for traces, `otlp_logs` for logs. */
  topic?: string;
  /** `otlp_proto` (the Collector's default) or `otlp_json`. */
  encoding?: 'otlp_proto' | 'otlp_json';
}

/**
 * Sends each export as a Kafka message and reports the result to the SDK; `forceFlush` and
 * `shutdown` wait for what is in flight, and nothing is sent after `shutdown`.
 */
class KafkaRecordQueue {
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly producer: OtlpRecordSender) {}

  send(
    topic: string,
    messages: Array<{ key: string | null; value: Buffer }>,
    done: (result: ExportResult) => void,
  ): void {
    if (this.stopped) {
      done({ code: ExportResultCode.FAILED, error: new Error('the exporter is shut down') });
      return;
    }
    if (messages.length === 0) {
      done({ code: ExportResultCode.SUCCESS });
      return;
    }
    const sent = this.producer.send({ topic, messages }).then(
      () => done({ code: ExportResultCode.SUCCESS }),
      (error: unknown) =>
        done({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent));
  }

  async flush(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.flush();
  }
}

/**
 * Writes the SDK's spans to Kafka exactly as the OpenTelemetry Collector's Kafka exporter does with
 * `partition_traces_by_id: true`: one OTLP `ExportTraceServiceRequest` per trace, made by the
 * official serializer, keyed by the trace id, on `otlp_spans`. Vigil's signals reads them (docs/otlp.md).
 */
export class KafkaOtlpSpanExporter implements SpanExporter {
  private readonly queue: KafkaRecordQueue;
  private readonly topic: string;
  private readonly json: boolean;

  constructor(options: KafkaOtlpExporterOptions) {
    this.queue = new KafkaRecordQueue(options.producer);
    this.topic = options.topic ?? ForeignTopics.otlpSpans.name;
    this.json = options.encoding === 'otlp_json';
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const byTrace = new Map<string, ReadableSpan[]>();
    for (const span of spans) {
      const traceId = span.spanContext().traceId;
      byTrace.set(traceId, [...(byTrace.get(traceId) ?? []), span]);
    }
    const serializer = this.json ? JsonTraceSerializer : ProtobufTraceSerializer;
    const messages = [...byTrace].map(([traceId, ofTrace]) => ({
      key: traceId,
      value: Buffer.from(serializer.serializeRequest(ofTrace) ?? new Uint8Array()),
    }));
    this.queue.send(this.topic, messages, resultCallback);
  }

  forceFlush(): Promise<void> {
    return this.queue.flush();
  }

  shutdown(): Promise<void> {
    return this.queue.shutdown();
  }
}

/**
 * Writes the SDK's log records to Kafka as the Collector's Kafka exporter does: one OTLP
 * `ExportLogsServiceRequest` per export, made by the official serializer, on `otlp_logs`.
 */
export class KafkaOtlpLogExporter implements LogRecordExporter {
  private readonly queue: KafkaRecordQueue;
  private readonly topic: string;
  private readonly json: boolean;

  constructor(options: KafkaOtlpExporterOptions) {
    this.queue = new KafkaRecordQueue(options.producer);
    this.topic = options.topic ?? ForeignTopics.otlpLogs.name;
    this.json = options.encoding === 'otlp_json';
  }

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    const serializer = this.json ? JsonLogsSerializer : ProtobufLogsSerializer;
    const messages =
      logs.length === 0
        ? []
        : [
            {
              key: null,
              value: Buffer.from(serializer.serializeRequest(logs) ?? new Uint8Array()),
            },
          ];
    this.queue.send(this.topic, messages, resultCallback);
  }

  forceFlush(): Promise<void> {
    return this.queue.flush();
  }

  shutdown(): Promise<void> {
    return this.queue.shutdown();
  }
}
