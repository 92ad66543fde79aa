import type { EachBatchPayload, Kafka, KafkaMessage, Message } from 'kafkajs';
import { Topics, type IncidentEvent, type ScopedAlert } from '@vigil/contracts';
import {
  EventPublisher,
  InMemoryKafka,
  quietLogger,
  StatefulPartitionConsumer,
  type PartitionProcessor,
  type PartitionRecord,
  until,
} from '@vigil/messaging';
import type { IncidentClusterProcessor } from './incident-cluster.processor';
import { criticalAlert, keywordEmbedder, specClusterer } from './testing/clusterer-kit';
const group = 'vigil-correlator-retry-spec';
const scopedTopic = Topics.correlatorScopedAlerts.name;
const snapshotIntervalMs = 60_000;

/** One axis per kind of trouble a text names: texts about the same trouble are alike. */
const embedder = keywordEmbedder([
  /error|5xx/i,
  /latency|slow/i,
  /unavailable|not answering/i,
  /disk/i,
]);

const t0 = Date.parse('2026-11-27T09:00:00Z');
function scoped(name: string, service: string, summary: string, second: number): ScopedAlert {
  const at = new Date(t0 + second * 1000).toISOString();
  const alert = criticalAlert({ alertname: name, service }, summary, at);
  return { schemaVersion: 1, scope: 'default', alert, origin: { partition: 0, offset: '0' } };
}

/** Five batches: a database and its callers, and two full disks on services of their own. */
const batches: ScopedAlert[][] = [
  [scoped('PostgresDown', 'orders-db', 'orders-db is not answering', 0)],
  [scoped('HighErrorRate', 'orders', '5xx error ratio above 10% on orders', 10)],
  [scoped('DiskAlmostFull', 'search', 'disk /var on search is 95% full', 20)],
  [
    scoped('HighLatency', 'frontend', 'requests to frontend are slow', 30),
    scoped('DiskAlmostFull', 'search-2', 'disk /data on search-2 is 97% full', 31),
  ],
  [scoped('HighErrorRate', 'frontend', '5xx error ratio above 5% on frontend', 40)],
];

/**
 * Kafka in memory (InMemoryKafka) under the real publisher and stateful consumer, with the
 * clusterer's consumer fetching as kafkajs does: batches from its position, which a seek moves;
 * a batch whose handler throws is fetched again. `failNextSend` makes the next send to a topic fail.
 */
class FetchingKafka {
  readonly memory = new InMemoryKafka();
  failNextSend?: string;
  /** Says, before each read of the changelog (an admin session), whether it fails. */
  changelogReadFails: () => boolean = () => false;
  /** At most this many records a fetch (kafkajs caps a fetch by bytes): a replay comes in pieces. */
  perFetch = Number.POSITIVE_INFINITY;
  private position = 0;
  /** The group's committed offset: where a consumer that joins starts, as in kafkajs. */
  private committed = 0;
  private seekTo?: number;
  private eachBatch?: (payload: EachBatchPayload) => Promise<void>;

  /** A seek is waiting for the next fetch. */
  get seeking(): boolean {
    return this.seekTo !== undefined;
  }

  get client(): Kafka {
    const memory = this.memory;
    return {
      admin: () => {
        if (this.changelogReadFails()) throw new Error('the broker did not answer');
        return memory.admin();
      },
      producer: () => ({
        ...memory.producer(),
        send: async (record: { topic: string; messages: Message[] }) => {
          if (this.failNextSend === record.topic) {
            this.failNextSend = undefined;
            throw new Error(`the broker did not acknowledge ${record.topic}`);
          }
          return memory.producer().send(record);
        },
      }),
      consumer: (options: { groupId: string }) =>
        options.groupId === group ? this.clustererConsumer() : memory.consumer(options),
    } as unknown as Kafka;
  }

  /** Hands the scoped alerts sent since the last fetch to the clusterer, as kafkajs' fetch loop would. */
  async fetch(): Promise<void> {
    for (let failures = 0; ; ) {
      if (this.seekTo !== undefined) [this.position, this.seekTo] = [this.seekTo, undefined];
      const messages = this.memory
        .messages(scopedTopic)
        .slice(this.position, this.position + this.perFetch);
      if (messages.length === 0 || !this.eachBatch) return;
      try {
        await this.eachBatch(this.payload(messages));
        this.position = Number(messages[messages.length - 1]?.offset) + 1;
      } catch (error) {
        if (++failures > 12) throw error;
      }
    }
  }

  private payload(messages: KafkaMessage[]): EachBatchPayload {
    const batch = { topic: scopedTopic, partition: 0, messages };
    return {
      batch,
      heartbeat: async () => undefined,
      isStale: () => this.seekTo !== undefined,
    } as unknown as EachBatchPayload;
  }

  private clustererConsumer() {
    const joined: Array<(event: unknown) => void> = [];
    return {
      events: { GROUP_JOIN: 'consumer.group_join' },
      on: (_event: string, listener: (event: unknown) => void) => joined.push(listener),
      connect: async () => undefined,
      disconnect: async () => undefined,
      subscribe: async () => undefined,
      run: async ({ eachBatch }: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) => {
        this.eachBatch = eachBatch;
        this.position = this.committed;
        for (const listener of joined)
          listener({ payload: { memberAssignment: { [scopedTopic]: [0] } } });
      },
      commitOffsets: async ([{ offset }]: Array<{ offset: string }>) => {
        this.committed = Number(offset);
      },
      seek: ({ offset }: { offset: string }) => {
        this.seekTo = Number(offset);
      },
    };
  }
}

interface Clusterer {
  kafka: FetchingKafka;
  processor: IncidentClusterProcessor;
  consumer: StatefulPartitionConsumer<typeof Topics.correlatorScopedAlerts.schema>;
}

describe('correlator: a failure after the state changed is retried on the restored state', () => {
  /** The clock snapshots are timed by: a test moves it to have one taken. */
  let now = t0;
  let wall = t0;
  const running: Clusterer[] = [];

  beforeEach(() => {
    now = t0;
    wall = t0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });

  afterEach(async () => {
    for (const { consumer } of running.splice(0)) await consumer.stop();
    jest.restoreAllMocks();
  });

  async function startClusterer(
    tickIntervalMs?: number,
    failsOn?: (records: Array<PartitionRecord<ScopedAlert>>) => boolean,
    // the Kafka of a clusterer that crashed: its topics, changelog and DLQ as it left them
    kafka = new FetchingKafka(),
  ): Promise<Clusterer> {
    const publisher = new EventPublisher(kafka.client);
    const { processor } = await specClusterer(
      publisher,
      embedder,
      ['search', 'search-2'],
      () => wall,
    );
    // a processor that cannot take some record, as a bug would: the same error every time
    const failing: PartitionProcessor<ScopedAlert> = {
      restore: (p, state) => processor.restore(p, state),
      snapshot: (p) => processor.snapshot(p),
      release: (p) => processor.release(p),
      tick: (p) => processor.tick(p),
      process: async (p, records) => {
        if (failsOn?.(records))
          throw new TypeError("Cannot read properties of undefined (reading 'id')");
        await processor.process(p, records);
      },
    };
    const consumer = new StatefulPartitionConsumer(kafka.client, {
      groupId: group,
      topic: Topics.correlatorScopedAlerts,
      changelog: Topics.correlatorChangelog,
      processor: failing,
      publisher,
      logger: quietLogger,
      snapshotIntervalMs,
      tickIntervalMs,
      poisonAttempts: 2,
    });
    await consumer.start();
    const clusterer = { kafka, processor, consumer };
    running.push(clusterer);
    return clusterer;
  }

  /** Sends one batch and lets the clusterer fetch it; `snapshot` makes a snapshot due after it. */
  async function feed(kafka: FetchingKafka, batch: ScopedAlert[], snapshot = false) {
    if (snapshot) now += snapshotIntervalMs;
    await kafka.memory.send(Topics.correlatorScopedAlerts, batch);
    await kafka.fetch();
  }

  /** The incident events published, each once: a replay may publish one again, under its id. */
  const incidents = (kafka: FetchingKafka): IncidentEvent[] => {
    const seen = new Set<string>();
    return kafka.memory
      .published(Topics.incidents)
      .filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
  };

  const poison = scoped('Poison', 'orders', 'an alert the processor cannot take', 12);
  const isPoison = (records: Array<PartitionRecord<ScopedAlert>>) =>
    records.some((r) => r.event.alert.alertname === 'Poison');

  /** A clusterer that fails on the poison, has taken two alerts and snapshotted after them. */
  async function snapshottedBeforePoison(): Promise<Clusterer> {
    const clusterer = await startClusterer(undefined, isPoison);
    await feed(clusterer.kafka, batches[0] ?? []);
    await feed(clusterer.kafka, [batches[1]?.[0] as ScopedAlert], true);
    return clusterer;
  }

  async function uninterrupted(): Promise<IncidentEvent[]> {
    const { kafka } = await startClusterer();
    for (const batch of batches) await feed(kafka, batch);
    return incidents(kafka);
  }

  it('publishes, after the incidents could not be published once, what an uninterrupted run does', async () => {
    const expected = await uninterrupted();
    expect(expected.map((e) => e.type)).toEqual([
      'opened',
      'alert-attached',
      'opened',
      'alert-attached',
      'opened',
      'alert-attached',
    ]);

    const { kafka } = await startClusterer();
    await feed(kafka, batches[0] ?? []);
    // Snapshotted after the second batch; the third is in the state only.
    await feed(kafka, batches[1] ?? [], true);
    await feed(kafka, batches[2] ?? []);
    // The fourth batch's incident events fail once, after the correlator took its alerts.
    kafka.failNextSend = Topics.incidents.name;
    await feed(kafka, batches[3] ?? []);
    expect(kafka.failNextSend).toBeUndefined();
    await feed(kafka, batches[4] ?? []);

    expect(incidents(kafka)).toEqual(expected);
    // The replay started after the snapshot: the third batch's event went out again, same id.
    expect(kafka.memory.published(Topics.incidents)).toHaveLength(expected.length + 1);
  });

  it('restores the partition when the resolves an expiry tick ended could not be published', async () => {
    const expiring = async (fail: boolean): Promise<IncidentEvent[]> => {
      const { kafka } = await startClusterer(20);
      await feed(kafka, batches[0] ?? [], true);
      await feed(kafka, batches[1] ?? []);
      // Both alerts are past their resolve deadline at the next tick.
      if (fail) kafka.failNextSend = Topics.incidents.name;
      wall += 10 * 60_000;
      if (fail) {
        await until('the restore after the failed tick', () => kafka.seeking);
        await kafka.fetch();
        // A restored partition's clock starts again from its latest alert.
        wall += 10 * 60_000;
      }
      await until('the resolve', () => incidents(kafka).some((e) => e.type === 'resolved'));
      return incidents(kafka);
    };
    const expected = await expiring(false);
    expect(expected.map((e) => e.type)).toContain('resolved');
    expect(await expiring(true)).toEqual(expected);
  });

  it.each([
    ['whole', Number.POSITIVE_INFINITY],
    ['two records at a time', 2],
  ])(
    'parks a record the processor fails on every time, fetched %s, and correlates the rest as if it never came',
    async (_how, perFetch) => {
      const expected = await uninterrupted();
      const { kafka } = await startClusterer(undefined, isPoison);
      kafka.perFetch = perFetch;
      // all of it on the topic before the first fetch: the record after the poisoned one comes in
      // its fetch, and a replay's first fetches end before it
      for (const [i, batch] of batches.entries())
        await kafka.memory.send(
          Topics.correlatorScopedAlerts,
          i === 1 ? [batch[0], poison] : batch,
        );
      await kafka.fetch();
      expect(incidents(kafka)).toEqual(expected);
      const parked = kafka.memory.published(Topics.dlq);
      expect(parked).toHaveLength(1);
      expect(parked[0]).toMatchObject({ errorKind: 'processing-failed', offset: '2' });
      expect(parked[0].reason).toContain('processing failed 2 times');
    },
  );

  it('replays from the first record it saw after a restore failed, when there is no snapshot yet', async () => {
    const expected = await uninterrupted();
    const { kafka } = await startClusterer();
    await feed(kafka, batches[0] ?? []);
    // the second batch's events fail, and the restore after it cannot read the changelog once
    kafka.failNextSend = Topics.incidents.name;
    let reads = 0;
    kafka.changelogReadFails = () => ++reads === 1;
    await feed(kafka, batches[1] ?? []);
    expect(reads).toBeGreaterThan(1);
    for (const batch of batches.slice(2)) await feed(kafka, batch);
    expect(incidents(kafka)).toEqual(expected);
  });

  it('passes over a record parked before a crash, after the restart, and parks it no second time', async () => {
    const expected = await uninterrupted();
    const first = await snapshottedBeforePoison();
    await feed(first.kafka, [poison]);
    expect(first.kafka.memory.published(Topics.dlq)).toHaveLength(1);
    // killed before its next snapshot (stopped only after the test): the restarted one replays
    // from the snapshot before the poison
    const restarted = await startClusterer(undefined, isPoison, first.kafka);
    await restarted.kafka.fetch();
    for (const batch of batches.slice(2)) await feed(restarted.kafka, batch);
    expect(incidents(restarted.kafka)).toEqual(expected);
    expect(restarted.kafka.memory.published(Topics.dlq)).toHaveLength(1);
  });

  it('writes what it parked while the changelog could not be read once it can, so a restart parks it no second time', async () => {
    const first = await snapshottedBeforePoison();
    // the restore after the failure that parks the poison cannot read the changelog
    let reads = 0;
    first.kafka.changelogReadFails = () => ++reads === 2;
    await feed(first.kafka, [poison]);
    expect(reads).toBeGreaterThan(2);
    expect(first.kafka.memory.published(Topics.dlq)).toHaveLength(1);
    const restarted = await startClusterer(undefined, isPoison, first.kafka);
    await restarted.kafka.fetch();
    expect(restarted.kafka.memory.published(Topics.dlq)).toHaveLength(1);
  });
});
