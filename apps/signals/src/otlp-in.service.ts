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
import type { SignalsSettings } from './signals.config';

/**
 * OTLP in: the topics the OpenTelemetry Collector's Kafka exporter writes, turned into Vigil's
 * trace spans (vigil.traces.v1, read by RCA), call spans (vigil.spans.v1) and log records
 * (vigil.logs.v1), which topology-sync, RCA and the log detectors read like any other. A message that is not OTLP of the configured encoding goes to
 * the DLQ with the reason; a record the decoder drops (a span dated past 9999) is said in a warning
 * and its message's other records go on. Runs in its own group (`<SIGNALS_GROUP>.otlp`) beside
 * the detectors.
 */
@Injectable()
export class OtlpInService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;
  private readonly joiner = new CallSpanJoiner();

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
          return this.publishSpans(batch.records);
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

  /** Every span as it is (vigil.traces.v1, for RCA), and the calls between services it completes. */
  private async publishSpans(spans: OtlpSpan[]): Promise<void> {
    const traced = spans.flatMap((span) => toTraceSpan(span) ?? []);
    if (traced.length > 0) await this.publisher.publishMany(Topics.traces, traced);
    const calls = this.joiner.observe(spans);
    if (calls.length > 0) await this.publisher.publishMany(Topics.spans, calls);
  }

  private async publishLogs(logs: OtlpLog[]): Promise<void> {
    const receivedAt = new Date();
    const records = logs.map((log) => toLogRecord(log, receivedAt));
    if (records.length > 0) await this.publisher.publishMany(Topics.logs, records);
  }
}
