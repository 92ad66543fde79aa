import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ForeignTopics, Topics } from '@vigil/contracts';
import {
  type ContractConsumer,
  ensureTopics,
  EventPublisher,
  KAFKA,
  type MessageMeta,
  ServiceConsumers,
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import {
  CallSpanJoiner,
  otlpLogsPayload,
  otlpTopic,
  otlpTracesPayload,
  toLogRecord,
  toTraceSpan,
  type OtlpBatch,
  type OtlpLog,
  type OtlpSpan,
} from '@vigil/otlp';
import type { Kafka } from 'kafkajs';
import { publishOwn } from './publish-own';
import type { SignalsSettings } from './signals.config';

/**
 * OTLP in: the topics the OpenTelemetry Collector's Kafka exporter writes, turned into Vigil's
 * trace spans (vigil.traces.v1, read by RCA), call spans (vigil.spans.v1) and log records
 * (vigil.logs.v1), which topology-sync, RCA and the log detectors read like any other. A message that is not OTLP of the configured encoding goes to
 * the DLQ with the reason; a record the decoder drops (a span dated past 9999) is said in a warning
 * and its message's other records go on. Runs in its own group (`<SIGNALS_GROUP>.otlp`) beside
 * the detectors.
 *
 * A handler tried again (a broker error while publishing) publishes what its first try would have:
 * the joiner takes a message's spans in only once its calls are published, and trace spans a
 * try published are not published again by the next try of the same message. Output that breaks
 * its topic's contract parks the message on the DLQ with the reason, at once.
 */
@Injectable()
export class OtlpInService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;
  private readonly joiner = new CallSpanJoiner();
  /**
   * Per partition of the traces topic, the offset of the message whose trace spans are published
   * while its handler has not succeeded yet (its calls' publish failed): its next try skips them.
   */
  private readonly tracesPublished = new Map<string, string>();

  constructor(
    @Inject(ServiceConsumers) private readonly consumers: ServiceConsumers,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(VIGIL_SETTINGS) private readonly settings: SignalsSettings,
    @Inject(KAFKA) private readonly kafka: Kafka,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const otlp = this.settings.otlp;
    if (!otlp) return;
    const traces = otlpTopic(
      ForeignTopics.otlpSpans,
      otlp.traces.topic,
      otlpTracesPayload(otlp.traces.encoding),
    );
    const logs = otlpTopic(
      ForeignTopics.otlpLogs,
      otlp.logs.topic,
      otlpLogsPayload(otlp.logs.encoding),
    );
    // The Collector may not have written yet: the topics exist before the group subscribes.
    await ensureTopics(this.kafka, [traces, logs]);
    this.consumer = await this.consumers.start(
      [
        subscription(traces, (batch, meta) => {
          this.warnDropped(batch, meta);
          return this.publishSpans(batch.records, meta);
        }),
        subscription(logs, (batch, meta) => {
          this.warnDropped(batch, meta);
          return this.publishLogs(batch.records);
        }),
      ],
      { groupId: `${this.settings.group}.otlp` },
    );
    this.logger.log(
      { msg: 'reading OTLP from the Collector topics', traces: otlp.traces, logs: otlp.logs },
      'OtlpInService',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  /** Records of a message the decoder left out: how many, and why (the first few). */
  private warnDropped(batch: OtlpBatch<unknown>, meta: MessageMeta): void {
    if (batch.dropped.length === 0) return;
    this.logger.warn(
      {
        msg: 'OTLP records dropped',
        topic: meta.topic,
        partition: meta.partition,
        offset: meta.offset,
        dropped: batch.dropped.length,
        reasons: batch.dropped.slice(0, 5),
      },
      'OtlpInService',
    );
  }

  /**
   * Every span as it is (vigil.traces.v1, for RCA), and the calls between services it completes
   * (vigil.spans.v1): one send each. Trace spans first: a copy of one is harmless (RCA keeps a
   * trace's span once, by trace and span id) where a copy of a call is not (calls are counted), so
   * only the last send may fail after the other went out. The joiner takes the spans in only
   * after both are published.
   */
  private async publishSpans(spans: OtlpSpan[], meta: MessageMeta): Promise<void> {
    const partition = `${meta.topic}/${meta.partition}`;
    const prepared = this.joiner.prepare(spans);
    if (this.tracesPublished.get(partition) !== meta.offset) {
      const traced = spans.flatMap((span) => toTraceSpan(span) ?? []);
      if (traced.length > 0) await publishOwn(this.publisher, Topics.traces, traced);
      this.tracesPublished.set(partition, meta.offset);
    }
    if (prepared.calls.length > 0) await publishOwn(this.publisher, Topics.spans, prepared.calls);
    prepared.commit();
    this.tracesPublished.delete(partition);
  }

  private async publishLogs(logs: OtlpLog[]): Promise<void> {
    const receivedAt = new Date();
    const records = logs.map((log) => toLogRecord(log, receivedAt));
    if (records.length > 0) await publishOwn(this.publisher, Topics.logs, records);
  }
}
