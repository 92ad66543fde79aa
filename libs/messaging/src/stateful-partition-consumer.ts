import type { LoggerService } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { decodeEvent, snapshotKey, type Topics, type TopicDefinition } from '@vigil/contracts';
import { handlerDuration, messagesConsumed } from '@vigil/telemetry';
import type { z } from 'zod';
import { readLatestByKey } from './changelog-reader';
import { sendToDeadLetter } from './dead-letter';
import type { EventPublisher } from './event-publisher';

export interface PartitionRecord<T> {
  event: T;
  offset: string;
}

/** The stateful work of one app, per input partition; state must be a deterministic function of input. */
export interface PartitionProcessor<T> {
  /** Called before the first batch of a newly assigned partition, with its last snapshot if any. */
  restore(partition: number, state: Record<string, unknown> | undefined): Promise<void> | void;
  /** Handles records in offset order and publishes what they produce. */
  process(partition: number, records: Array<PartitionRecord<T>>): Promise<void>;
  snapshot(partition: number): Record<string, unknown>;
  release(partition: number): void;
}

export interface StatefulPartitionConsumerOptions<S extends z.ZodType> {
  groupId: string;
  topic: TopicDefinition<S>;
  processor: PartitionProcessor<z.output<S>>;
  publisher: EventPublisher;
  logger: LoggerService;
  /** Snapshots (and offset commits) at most this often per partition. */
  snapshotIntervalMs: number;
  /** Where a group without committed offsets starts; default the beginning. */
  fromBeginning?: boolean;
  /** The compacted topic the snapshots go to, keyed `partition-N`. */
  changelog: typeof Topics.correlatorChangelog;
}

interface PartitionProgress {
  /** Offset of the last record in the latest snapshot; replayed records at or before it are skipped. */
  snapshotOffset: bigint;
  lastOffset: bigint;
  lastSnapshotAt: number;
}

/**
 * A consumer whose per-partition state survives crashes: after processing, the state is written to
 * a compacted changelog and only then is the input offset committed. A restarted or rebalanced
 * instance restores the snapshot and replays the input after it, which, with a deterministic
 * processor, reproduces exactly the output of an uninterrupted run (same ids, so consumers dedupe).
 */
export class StatefulPartitionConsumer<S extends z.ZodType> {
  private readonly consumer: Consumer;
  private readonly progress = new Map<number, PartitionProgress>();
  private snapshots?: Promise<Map<string, KafkaMessage>>;
  private queue: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: StatefulPartitionConsumerOptions<S>,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 2_000,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = new Set(payload.memberAssignment[options.topic.name] ?? []);
      this.serialized(async () => this.onAssignment(assigned));
    });
  }

  async start(): Promise<void> {
    await this.options.publisher.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({
      topic: this.options.topic.name,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: (payload) => this.serialized(() => this.onBatch(payload)),
    });
    this.timer = setInterval(
      () => this.serialized(() => this.snapshotDue(false)),
      this.options.snapshotIntervalMs,
    );
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.serialized(() => this.snapshotDue(true));
    await this.consumer.disconnect();
  }

  /** Batches, snapshots and rebalances run one at a time, so a snapshot never sees half a batch. */
  private serialized(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch((error: unknown) =>
      this.options.logger.error(error, 'StatefulPartitionConsumer'),
    );
    return next;
  }

  private async onAssignment(assigned: Set<number>): Promise<void> {
    // Whoever owned a partition before may have moved its state on: read the changelog again.
    this.snapshots = undefined;
    for (const partition of [...this.progress.keys()]) {
      if (assigned.has(partition)) continue;
      this.progress.delete(partition);
      this.options.processor.release(partition);
    }
    // Restore now rather than at the first batch: reading the changelog takes a while, and the
    // first alerts after a start or a rebalance should not wait for it.
    for (const partition of assigned) {
      if (!this.progress.has(partition)) await this.restore(partition);
    }
  }

  private async onBatch({ batch, heartbeat }: EachBatchPayload): Promise<void> {
    const { partition } = batch;
    const progress = this.progress.get(partition) ?? (await this.restore(partition));
    const records: Array<PartitionRecord<z.output<S>>> = [];
    for (const message of batch.messages) {
      const offset = BigInt(message.offset);
      if (offset <= progress.snapshotOffset) continue;
      const decoded = decodeEvent(this.options.topic, message.value);
      if (decoded.ok) records.push({ event: decoded.value, offset: message.offset });
      else await this.park(partition, message, decoded.kind, decoded.reason);
      progress.lastOffset = offset;
    }
    if (records.length > 0) {
      const stopTimer = handlerDuration.startTimer({ topic: batch.topic });
      await this.options.processor.process(partition, records);
      stopTimer();
      messagesConsumed.inc({ topic: batch.topic, outcome: 'ok' }, records.length);
    }
    await heartbeat();
    if (Date.now() - progress.lastSnapshotAt >= this.options.snapshotIntervalMs)
      await this.takeSnapshot(partition, progress);
  }

  private async restore(partition: number): Promise<PartitionProgress> {
    this.snapshots ??= readLatestByKey(this.kafka, this.options.changelog.name);
    const message = (await this.snapshots).get(snapshotKey(this.options.groupId, partition));
    const decoded = message ? decodeEvent(this.options.changelog, message.value) : undefined;
    const snapshot = decoded?.ok ? decoded.value : undefined;
    await this.options.processor.restore(partition, snapshot?.state);
    const offset = snapshot ? BigInt(snapshot.offset) : -1n;
    const progress = { snapshotOffset: offset, lastOffset: offset, lastSnapshotAt: Date.now() };
    this.progress.set(partition, progress);
    this.options.logger.log(
      { msg: 'partition restored', partition, fromOffset: snapshot?.offset ?? 'none' },
      'StatefulPartitionConsumer',
    );
    return progress;
  }

  private async snapshotDue(force: boolean): Promise<void> {
    for (const [partition, progress] of this.progress) {
      const due = force || Date.now() - progress.lastSnapshotAt >= this.options.snapshotIntervalMs;
      if (due) await this.takeSnapshot(partition, progress);
    }
  }

  /** State first, then the offset: a crash between the two only replays what the snapshot already holds. */
  private async takeSnapshot(partition: number, progress: PartitionProgress): Promise<void> {
    progress.lastSnapshotAt = Date.now();
    if (progress.lastOffset <= progress.snapshotOffset) return;
    await this.options.publisher.publish(
      this.options.changelog,
      {
        schemaVersion: 1,
        group: this.options.groupId,
        partition,
        offset: progress.lastOffset.toString(),
        takenAt: new Date().toISOString(),
        state: this.options.processor.snapshot(partition),
      },
      { compress: true },
    );
    await this.consumer.commitOffsets([
      { topic: this.options.topic.name, partition, offset: (progress.lastOffset + 1n).toString() },
    ]);
    progress.snapshotOffset = progress.lastOffset;
  }

  private async park(
    partition: number,
    message: KafkaMessage,
    errorKind: 'malformed-json' | 'schema-violation',
    reason: string,
  ): Promise<void> {
    await sendToDeadLetter(this.options.publisher, {
      topic: this.options.topic.name,
      partition,
      message,
      consumerGroup: this.options.groupId,
      errorKind,
      reason,
      attempts: 1,
    });
    messagesConsumed.inc({ topic: this.options.topic.name, outcome: 'dlq' });
  }
}
