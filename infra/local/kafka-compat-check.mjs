#!/usr/bin/env node
// Does kafkajs (the client @nestjs/microservices uses) work against the running broker?
//
//   node infra/local/kafka-compat-check.mjs            # broker from KAFKA_BROKERS or 127.0.0.1:KAFKA_PORT/9092
//
// 1. Prints, for every API kafkajs implements, the broker's version range and the version kafkajs
//    will send. kafkajs picks min(its newest, broker's newest) and never looks at the broker's
//    oldest, so an API whose pick is below the broker's minimum (KIP-896 raised minimums in
//    Kafka 4.0) fails with UNSUPPORTED_VERSION.
// 2. Runs what Vigil does with Kafka: create topics, produce (plain, gzip, idempotent,
//    transactional), auto-create on produce, consumer group subscribe+consume, explicit commit,
//    restart resumes from the committed offset, admin offset/group look-ups, delete topics.
// Exit code 0 when everything passed. Used to pick the pinned Kafka version (see README.md).
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from './lib/config.mjs';

const repoRequire = createRequire(path.join(REPO_ROOT, 'package.json'));
const { Kafka, logLevel, CompressionTypes } = repoRequire('kafkajs');
// kafkajs internals, only to print the protocol versions it negotiates.
const { requests } = repoRequire('kafkajs/src/protocol/requests');
const apiKeys = repoRequire('kafkajs/src/protocol/requests/apiKeys');
const Cluster = repoRequire('kafkajs/src/cluster');
const socketFactory = repoRequire('kafkajs/src/network/socketFactory');
const { createLogger, LEVELS } = repoRequire('kafkajs/src/loggers');

const brokers = (process.env.KAFKA_BROKERS || `127.0.0.1:${process.env.KAFKA_PORT || 9092}`).split(
  ',',
);
const run = Date.now().toString(36);
const kafka = new Kafka({
  clientId: 'vigil-compat',
  brokers,
  logLevel: logLevel.NOTHING,
  retry: { retries: 3 },
});
const results = [];

async function step(name, fn) {
  const t0 = Date.now();
  try {
    const note = await fn();
    results.push({ name, ok: true });
    console.log(`PASS ${name} (${Date.now() - t0} ms)${note ? `: ${note}` : ''}`);
  } catch (err) {
    results.push({ name, ok: false, err });
    console.log(`FAIL ${name}: ${err.name}: ${err.message}${err.type ? ` [${err.type}]` : ''}`);
  }
}

async function consumeN(groupId, topic, n, { commitManually = false } = {}) {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got = [];
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`got ${got.length}/${n} messages in 30 s`)),
        30000,
      );
      consumer
        .run({
          autoCommit: !commitManually,
          eachMessage: async ({ partition, message }) => {
            got.push(message.value.toString());
            if (commitManually) {
              await consumer.commitOffsets([
                { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
              ]);
            }
            if (got.length >= n) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect(); // commits the auto-commit offsets on the way out
  }
  return got;
}

async function main() {
  console.log(`kafkajs against ${brokers.join(',')}`);
  const topic = `compat-${run}`;
  const admin = kafka.admin();
  await admin.connect();

  await step('ApiVersions table (versions kafkajs sends)', async () => {
    const bad = await versionTableFromBroker();
    if (bad.length)
      throw new Error(
        `APIs kafkajs would send below the broker's minimum: ${bad.map((r) => `${r.api} v${r.sends} (broker ${r.broker})`).join(', ')}`,
      );
  });
  await step('admin.createTopics (3 partitions)', async () => {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    if (!created) throw new Error('createTopics returned false');
  });
  await step('admin.fetchTopicMetadata / listTopics', async () => {
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    if (md.topics[0].partitions.length !== 3)
      throw new Error(`expected 3 partitions, got ${md.topics[0].partitions.length}`);
    if (!(await admin.listTopics()).includes(topic)) throw new Error('topic not listed');
  });
  await step('admin.describeConfigs (topic)', async () => {
    const res = await admin.describeConfigs({
      resources: [{ type: 2, name: topic }],
      includeSynonyms: false,
    });
    return `${res.resources[0].configEntries.length} entries`;
  });

  const producer = kafka.producer();
  await producer.connect();
  await step('producer.send 10 messages (keys, headers)', async () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({
      key: `k${i}`,
      value: `m${i}`,
      headers: { traceparent: `00-${i}` },
    }));
    await producer.send({ topic, messages, acks: -1 });
  });
  await step(
    'producer.send gzip',
    async () =>
      void (await producer.send({
        topic: `${topic}-gzip`,
        compression: CompressionTypes.GZIP,
        messages: [{ value: 'z' }],
      })),
  );
  await step('auto-create topic on produce (auto.create.topics.enable)', async () => {
    await producer.send({ topic: `${topic}-auto`, messages: [{ value: 'a' }] });
    const md = await admin.fetchTopicMetadata({ topics: [`${topic}-auto`] });
    return `${md.topics[0].partitions.length} partitions`;
  });
  await step('idempotent producer', async () => {
    const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await p.connect();
    await p.send({ topic, messages: [{ value: 'idem' }], acks: -1 });
    await p.disconnect();
  });
  await step('transactional producer (commit)', async () => {
    const p = kafka.producer({
      transactionalId: `tx-${run}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await p.connect();
    const tx = await p.transaction();
    await tx.send({ topic: `${topic}-tx`, messages: [{ value: 'tx' }] });
    await tx.commit();
    await p.disconnect();
  });

  const group = `g-${run}`;
  await step('consumer group subscribe + consume 11 (autoCommit)', async () => {
    const got = await consumeN(group, topic, 11);
    return `${got.length} messages`;
  });
  await step('admin.fetchOffsets (committed = 11)', async () => {
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const sum = offsets[0].partitions.reduce((s, p) => s + Number(p.offset), 0);
    if (sum !== 11) throw new Error(`committed offsets add up to ${sum}`);
  });
  await step('consumer restart resumes after committed offset', async () => {
    await producer.send({
      topic,
      messages: [{ value: 'after-restart-1' }, { value: 'after-restart-2' }],
    });
    const got = await consumeN(group, topic, 2);
    await new Promise((r) => setTimeout(r, 500));
    if (got.some((v) => !v.startsWith('after-restart')))
      throw new Error(`re-delivered old messages: ${got.join(',')}`);
    return got.join(',');
  });
  const manualGroup = `gm-${run}`;
  await step('consumer.commitOffsets (manual) + restart', async () => {
    await consumeN(manualGroup, topic, 13, { commitManually: true });
    const offsets = await admin.fetchOffsets({ groupId: manualGroup, topics: [topic] });
    const sum = offsets[0].partitions.reduce((s, p) => s + Number(p.offset), 0);
    if (sum !== 13) throw new Error(`manually committed offsets add up to ${sum}`);
    await producer.send({ topic, messages: [{ value: 'after-restart-3' }] });
    const got = await consumeN(manualGroup, topic, 1, { commitManually: true });
    if (got[0] !== 'after-restart-3') throw new Error(`expected after-restart-3, got ${got}`);
  });
  await step('admin.listGroups / describeGroups', async () => {
    const { groups } = await admin.listGroups();
    if (!groups.some((g) => g.groupId === group)) throw new Error('group not listed');
    const d = await admin.describeGroups([group]);
    return `state ${d.groups[0].state}`;
  });
  await step('admin.resetOffsets + deleteGroups', async () => {
    await admin.resetOffsets({ groupId: group, topic, earliest: true });
    await admin.deleteGroups([group, manualGroup]);
  });
  await step('admin.deleteTopics', () =>
    admin.deleteTopics({ topics: [topic, `${topic}-gzip`, `${topic}-auto`, `${topic}-tx`] }),
  );

  await producer.disconnect();
  await admin.disconnect();
  const failed = results.filter((r) => !r.ok);
  console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length ? 1 : 0;
}

/** Asks the broker for its ApiVersions through kafkajs' own connection code. */
async function versionTableFromBroker() {
  const cluster = new Cluster({
    logger: createLogger({ level: LEVELS.NOTHING, logCreator: () => () => {} }),
    socketFactory: socketFactory(),
    brokers,
    clientId: 'vigil-compat-versions',
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { retries: 3 },
  });
  await cluster.connect();
  const serverVersions = cluster.brokerPool.versions;
  await cluster.disconnect();
  const rows = [];
  for (const [name, key] of Object.entries(apiKeys)) {
    const impl = requests[name]?.versions?.map(Number) ?? [];
    if (!impl.length) continue;
    const server = serverVersions[key];
    // kafkajs' lookup(): min(newest it implements, broker's newest); the broker's oldest is ignored.
    const sends = server ? Math.min(Math.max(...impl), server.maxVersion) : null;
    const status = !server ? 'API removed' : sends < server.minVersion ? 'UNSUPPORTED' : 'ok';
    rows.push({
      api: name,
      key,
      kafkajs: `${Math.min(...impl)}-${Math.max(...impl)}`,
      broker: server ? `${server.minVersion}-${server.maxVersion}` : '-',
      sends: sends ?? '-',
      status,
    });
  }
  console.table(rows);
  return rows.filter((r) => r.status !== 'ok');
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
