import type { LoggerService } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import {
  decodeEvent,
  MAX_PARKED_OFFSETS,
  snapshotKey,
  type Topics,
  type TopicDefinition,
} from '@vigil/contracts';
import { handlerDuration, messagesConsumed } from '@vigil/telemetry';
import type { z } from 'zod';
import { readLatestByKey } from './changelog-reader';
import { restartAfterFatalCrash } from './consumer-restart';
import { sendToDeadLetter } from './dead-letter';
import type { EventPublisher } from './event-publisher';
import { whileBeating } from './heartbeats';
import { classifyFailure } from './retry-policy';

type BadRecordKind = 'malformed-json' | 'schema-violation';

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
  /**
   * Work on a partition's state by time rather than by input (ending what expired), run every
   * `tickIntervalMs` between batches. A failure is handled as a failed batch: the partition is
   * restored before anything else touches it.
   */
  tick?(partition: number): Promise<void>;
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
  /** How often the processor's `tick` runs on every partition held (if it has one). */
  tickIntervalMs?: number;
  /**
   * Failures of the same batch (not an outage: see classifyFailure) before its records are taken
   * one at a time to find the one that fails, and that one's failures before it is parked. Default 3.
   */
  poisonAttempts?: number;
}

interface PartitionProgress {
  /** Offset of the last record in the latest snapshot. */
  snapshotOffset: bigint;
  /** Offset of the last record whose effects are in the state and published; replays skip to after it. */
  lastOffset: bigint;
  /** Where a replay onto the restored state starts: after the snapshot, or the first record it saw. */
  replayFrom?: bigint;
  lastSnapshotAt: number;
  /** The parked offsets the partition's snapshot in the changelog holds. */
  parkedWritten: ReadonlySet<string>;
}

/**
 * The offset a partition's restored state stands at: its snapshot's, or, without one, just before
 * the first record its replay starts from; undefined when neither is known.
 */
function restoredAt(progress: PartitionProgress): bigint | undefined {
  if (progress.snapshotOffset >= 0n) return progress.snapshotOffset;
  return progress.replayFrom === undefined ? undefined : progress.replayFrom - 1n;
}

/**
 * A consumer whose per-partition state survives crashes: after processing, the state is written to
 * a compacted changelog and only then is the input offset committed. A restarted or rebalanced
 * instance restores the snapshot and replays the input after it, which, with a deterministic
 * processor, reproduces exactly the output of an uninterrupted run (same ids, so consumers dedupe).
 *
 * A batch or tick that fails after it may have changed the state (its events could not be
 * published, say) is not retried on that state: the partition is restored from its snapshot in the
 * changelog and the input is replayed from the snapshot's offset, as after a rebalance. Until the
 * restore succeeds (Kafka may be the thing that is down) the partition takes no snapshot, commits
 * nothing and processes nothing.
 */
export class StatefulPartitionConsumer<S extends z.ZodType> {
  private readonly consumer: Consumer;
  private readonly progress = new Map<number, PartitionProgress>();
  /** Partitions whose state a failure left untrusted: restored before any more work on them. */
  private readonly untrusted = new Set<number>();
  /** Failures in a row (no outage) of the work that started at `partition:offset`. */
  private readonly failures = new Map<string, number>();
  /**
   * Partitions whose records go one at a time, to find the one that keeps failing, with the last
   * offset of the batch that failed: until the partition is past it (a replay may fetch the records
   * before it in batches of their own).
   */
  private readonly isolating = new Map<number, bigint>();
  /** Per partition, the offsets of records parked for failing every time: replays skip them. */
  private readonly poisoned = new Map<number, Set<string>>();
  /**
   * Where the replay of a partition without a snapshot starts (the first record this instance
   * saw), kept while a rewind's restore fails: the next rewind still knows where to seek.
   */
  private readonly pendingReplay = new Map<number, bigint>();
  private snapshots?: Promise<Map<string, KafkaMessage>>;
  private queue: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private tickTimer?: NodeJS.Timeout;
  private tickQueued = false;
  private stopRestarts: () => void = () => undefined;

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
    const run = () =>
      this.consumer.run({
        autoCommit: false,
        // Heartbeats go on while the batch waits behind a restore (the changelog is read on every
        // assignment) and while it runs: a slow one must not cost the member its partitions.
        eachBatch: (payload) =>
          whileBeating(payload.heartbeat, () => this.serialized(() => this.onBatch(payload))),
      });
    // started again, the consumer joins again, and the assignment it gets is restored as any other
    this.stopRestarts = restartAfterFatalCrash(this.consumer, run, {
      name: this.options.groupId,
      logger: this.options.logger,
    });
    await run();
    this.timer = setInterval(
      () => this.serialized(() => this.snapshotDue(false)),
      this.options.snapshotIntervalMs,
    );
    const { tickIntervalMs } = this.options;
    if (this.options.processor.tick && tickIntervalMs !== undefined)
      this.tickTimer = setInterval(() => this.tickSoon(), tickIntervalMs);
  }

  async stop(): Promise<void> {
    this.stopRestarts();
    if (this.timer) clearInterval(this.timer);
    if (this.tickTimer) clearInterval(this.tickTimer);
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
    for (const partition of [...this.progress.keys(), ...this.untrusted]) {
      if (assigned.has(partition)) continue;
      this.progress.delete(partition);
      this.untrusted.delete(partition);
      // the next owner reads what was parked from the changelog
      this.poisoned.delete(partition);
      this.pendingReplay.delete(partition);
      this.options.processor.release(partition);
    }
    // Restore now rather than at the first batch: reading the changelog takes a while, and the
    // first alerts after a start or a rebalance should not wait for it.
    for (const partition of assigned) {
      if (!this.progress.has(partition)) await this.restore(partition);
    }
  }

  private async onBatch({ batch, heartbeat, isStale }: EachBatchPayload): Promise<void> {
    const { partition } = batch;
    // Fetched before a seek back to a snapshot: the records after the seek come next.
    if (isStale?.()) return;
    if (this.untrusted.has(partition)) return this.rewind(partition);
    const progress = this.progress.get(partition) ?? (await this.restore(partition));
    const records: Array<PartitionRecord<z.output<S>>> = [];
    const bad: Array<{ message: KafkaMessage; kind: BadRecordKind; reason: string }> = [];
    const byOffset = new Map<string, KafkaMessage>();
    const poisoned = this.poisoned.get(partition);
    let last = progress.lastOffset;
    for (const message of batch.messages) {
      const offset = BigInt(message.offset);
      // Already in the state: kafkajs refetches from its last commit after it restarts a consumer.
      if (offset <= progress.lastOffset) continue;
      progress.replayFrom ??= offset;
      last = offset;
      // parked for failing every time: a replay passes over it, as the first run did in the end
      if (poisoned?.has(message.offset)) continue;
      const decoded = decodeEvent(this.options.topic, message.value);
      if (decoded.ok) records.push({ event: decoded.value, offset: message.offset });
      else bad.push({ message, kind: decoded.kind, reason: decoded.reason });
      byOffset.set(message.offset, message);
    }
    // one at a time while a record that keeps failing is being looked for
    const groups = this.isolating.has(partition) ? records.map((r) => [r]) : [records];
    for (const group of groups) {
      if (group.length === 0) continue;
      await this.processFailingAtMostSo(partition, group, byOffset.get(group[0].offset));
      if (group.length === 1) progress.lastOffset = BigInt(group[0].offset);
    }
    const isolatedUntil = this.isolating.get(partition);
    if (isolatedUntil !== undefined && last >= isolatedUntil) this.isolating.delete(partition);
    await this.changingState(partition, async () => {
      // Parked after the state took the batch, so a replay after a failure parks no one twice;
      // and passed over by a replay after a later failure, before the next snapshot
      for (const { message, kind, reason } of bad) {
        await this.park(partition, message, kind, reason);
        this.parkedOffsets(partition).add(message.offset);
      }
    });
    progress.lastOffset = last;
    await heartbeat();
    if (Date.now() - progress.lastSnapshotAt >= this.options.snapshotIntervalMs)
      await this.takeSnapshot(partition, progress);
  }

  /**
   * Processes records on the partition's state. A failure that is no outage is counted against
   * the first record: after `poisonAttempts` the partition's records go one at a time, and a lone
   * record that fails as often is parked with the reason and passed over from then on. Without
   * this a record the processor cannot take (a bug, an event its own contract refuses) would
   * restore and replay the partition for ever, and nothing after it would be processed.
   */
  private async processFailingAtMostSo(
    partition: number,
    records: Array<PartitionRecord<z.output<S>>>,
    first: KafkaMessage | undefined,
  ): Promise<void> {
    const key = `${partition}:${records[0].offset}`;
    try {
      await this.changingState(partition, async () => {
        const stopTimer = handlerDuration.startTimer({ topic: this.options.topic.name });
        await this.options.processor.process(partition, records);
        stopTimer();
        messagesConsumed.inc({ topic: this.options.topic.name, outcome: 'ok' }, records.length);
      });
      this.failures.delete(key);
    } catch (error) {
      if (classifyFailure(error) === 'transient') throw error;
      const failed = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failed);
      const limit = this.options.poisonAttempts ?? 3;
      if (failed < limit) throw error;
      this.failures.delete(key);
      if (records.length > 1 || !first) {
        this.isolating.set(partition, BigInt(records[records.length - 1].offset));
        throw error;
      }
      const reason = `processing failed ${failed} times: ${error instanceof Error ? error.message : String(error)}`;
      await this.park(partition, first, 'processing-failed', reason, failed);
      this.parkedOffsets(partition).add(first.offset);
      await this.rememberParked(partition);
      this.options.logger.warn(
        {
          msg: 'a record that failed every time was parked',
          partition,
          offset: first.offset,
          reason,
        },
        'StatefulPartitionConsumer',
      );
      throw error; // the partition was restored: its replay starts again, passing over this one
    }
  }

  /** Queues a tick unless one waits already: slow batches must not pile ticks up behind them. */
  private tickSoon(): void {
    if (this.tickQueued) return;
    this.tickQueued = true;
    void this.serialized(() => {
      this.tickQueued = false;
      return this.tickAll();
    });
  }

  /** Each partition's tick; a failed one leaves only its own partition to restore. */
  private async tickAll(): Promise<void> {
    const tick = this.options.processor.tick?.bind(this.options.processor);
    if (!tick) return;
    for (const partition of [...this.progress.keys()]) {
      if (this.untrusted.has(partition)) continue;
      await this.changingState(partition, () => tick(partition)).catch(() => undefined);
    }
  }

  /**
   * Runs work that may change a partition's state. When it fails, the state may hold what was
   * never published: the partition is restored from the changelog and replayed before it is used
   * again (at once, or at its next batch if the restore fails too). Rethrows the failure, so kafkajs
   * waits before it fetches again.
   */
  private async changingState(partition: number, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.untrusted.add(partition);
      this.options.logger.warn(
        {
          msg: 'processing failed after the state may have changed: the partition is restored from its snapshot and replayed',
          partition,
          error: error instanceof Error ? error.message : String(error),
        },
        'StatefulPartitionConsumer',
      );
      await this.rewind(partition).catch((restoreError: unknown) =>
        this.options.logger.warn(
          {
            msg: 'the partition could not be restored yet: tried again at its next batch',
            partition,
            error: restoreError instanceof Error ? restoreError.message : String(restoreError),
          },
          'StatefulPartitionConsumer',
        ),
      );
      throw error;
    }
  }

  /** The partition as a rebalance would hand it over: its latest snapshot, and the input after it. */
  private async rewind(partition: number): Promise<void> {
    const replayFrom =
      this.progress.get(partition)?.replayFrom ?? this.pendingReplay.get(partition);
    if (replayFrom !== undefined) this.pendingReplay.set(partition, replayFrom);
    this.progress.delete(partition);
    this.options.processor.release(partition);
    // This instance has snapshotted since the changelog was last read.
    this.snapshots = undefined;
    const progress = await this.restore(partition);
    this.pendingReplay.delete(partition);
    // Without a snapshot the state began at the first record this instance saw.
    progress.replayFrom ??= replayFrom;
    if (progress.replayFrom !== undefined)
      this.consumer.seek({
        topic: this.options.topic.name,
        partition,
        offset: progress.replayFrom.toString(),
      });
    this.untrusted.delete(partition);
    // parked while the partition could not be restored: written now
    await this.rememberParked(partition);
  }

  private async restore(partition: number): Promise<PartitionProgress> {
    const reading = (this.snapshots ??= readLatestByKey(this.kafka, this.options.changelog.name));
    const latest = await reading.catch((error: unknown) => {
      // a failed read is not kept: the next restore reads again
      if (this.snapshots === reading) this.snapshots = undefined;
      throw error;
    });
    const message = latest.get(snapshotKey(this.options.groupId, partition));
    const decoded = message ? decodeEvent(this.options.changelog, message.value) : undefined;
    const snapshot = decoded?.ok ? decoded.value : undefined;
    await this.options.processor.restore(partition, snapshot?.state);
    const offset = snapshot ? BigInt(snapshot.offset) : -1n;
    // parked before a restart: passed over as the instance that parked them did
    for (const parked of snapshot?.parked ?? []) this.parkedOffsets(partition).add(parked);
    const progress: PartitionProgress = {
      snapshotOffset: offset,
      lastOffset: offset,
      replayFrom: snapshot ? offset + 1n : undefined,
      lastSnapshotAt: Date.now(),
      parkedWritten: new Set(snapshot?.parked),
    };
    this.progress.set(partition, progress);
    this.options.logger.log(
      { msg: 'partition restored', partition, fromOffset: snapshot?.offset ?? 'none' },
      'StatefulPartitionConsumer',
    );
    return progress;
  }

  private async snapshotDue(force: boolean): Promise<void> {
    for (const [partition, progress] of this.progress) {
      if (this.untrusted.has(partition)) continue;
      const due = force || Date.now() - progress.lastSnapshotAt >= this.options.snapshotIntervalMs;
      if (due) await this.takeSnapshot(partition, progress);
    }
  }

  /** State first, then the offset: a crash between the two only replays what the snapshot already holds. */
  private async takeSnapshot(partition: number, progress: PartitionProgress): Promise<void> {
    progress.lastSnapshotAt = Date.now();
    if (progress.lastOffset <= progress.snapshotOffset) return;
    await this.publishSnapshot(partition, progress.lastOffset);
    await this.consumer.commitOffsets([
      { topic: this.options.topic.name, partition, offset: (progress.lastOffset + 1n).toString() },
    ]);
    progress.snapshotOffset = progress.lastOffset;
  }

  /**
   * The partition's state as of `offset` to the changelog, with the offsets after it parked for
   * failing every time; once written, those before it are forgotten (never replayed again).
   */
  private async publishSnapshot(partition: number, offset: bigint): Promise<void> {
    const after = [...this.parkedOffsets(partition)].filter((o) => BigInt(o) > offset);
    // the contract's bound: a flood of bad records keeps the first ones, the others may be
    // parked again after a restart
    const parked = after
      .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
      .slice(0, MAX_PARKED_OFFSETS);
    if (parked.length < after.length)
      this.options.logger.warn(
        {
          msg: 'more parked offsets than a snapshot holds: the rest are kept in memory only',
          partition,
          parked: after.length,
        },
        'StatefulPartitionConsumer',
      );
    await this.options.publisher.publish(
      this.options.changelog,
      {
        schemaVersion: 1,
        group: this.options.groupId,
        partition,
        offset: offset.toString(),
        takenAt: new Date().toISOString(),
        state: this.options.processor.snapshot(partition),
        ...(parked.length > 0 && { parked }),
      },
      { compress: true },
    );
    this.poisoned.set(partition, new Set(after));
    const progress = this.progress.get(partition);
    if (progress) progress.parkedWritten = new Set(parked);
  }

  /**
   * Writes the parked offsets the changelog's snapshot lacks. Called after a record was parked
   * and after every rewind: the partition has just been restored from its snapshot, so its state
   * is the snapshot's, written again with the parked offsets and its offset committed again. A
   * restart before the next snapshot then passes over those records rather than failing on them
   * and parking them a second time. Without a snapshot, the restored state is the empty one the
   * replay started from, just before the first record this instance saw. While the partition
   * cannot be restored, or when the write fails, the offsets stay in memory and the next rewind
   * tries again; the next snapshot is past them.
   */
  private async rememberParked(partition: number): Promise<void> {
    const progress = this.progress.get(partition);
    const base = progress?.snapshotOffset ?? -1n;
    const unwritten = [...this.parkedOffsets(partition)].filter(
      (o) => !progress?.parkedWritten.has(o) && BigInt(o) > base,
    );
    if (unwritten.length === 0) return;
    const asOf = progress && restoredAt(progress);
    if (!progress || asOf === undefined || this.untrusted.has(partition)) {
      this.warnUnwritten(partition, unwritten, 'the partition is not restored yet');
      return;
    }
    try {
      await this.publishSnapshot(partition, asOf);
      progress.snapshotOffset = asOf;
      if (progress.lastOffset < asOf) progress.lastOffset = asOf;
      // the group's offset agrees with the snapshot (without one before, nothing was committed)
      await this.consumer.commitOffsets([
        { topic: this.options.topic.name, partition, offset: (asOf + 1n).toString() },
      ]);
    } catch (error) {
      this.warnUnwritten(
        partition,
        unwritten,
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  private warnUnwritten(partition: number, offsets: string[], why: string): void {
    this.options.logger.warn(
      {
        msg: 'parked offsets not written with the snapshot yet: kept in memory, tried at the next rewind',
        partition,
        offsets,
        why,
      },
      'StatefulPartitionConsumer',
    );
  }

  private parkedOffsets(partition: number): Set<string> {
    let parked = this.poisoned.get(partition);
    if (!parked) this.poisoned.set(partition, (parked = new Set()));
    return parked;
  }

  private async park(
    partition: number,
    message: KafkaMessage,
    errorKind: BadRecordKind | 'processing-failed',
    reason: string,
    attempts = 1,
  ): Promise<void> {
    await sendToDeadLetter(this.options.publisher, {
      topic: this.options.topic.name,
      partition,
      message,
      consumerGroup: this.options.groupId,
      errorKind,
      reason,
      attempts,
    });
    messagesConsumed.inc({ topic: this.options.topic.name, outcome: 'dlq' });
  }
}
