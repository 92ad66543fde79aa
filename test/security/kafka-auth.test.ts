import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { allTopics, ForeignTopics, Topics } from '@vigil/contracts';
import {
  createKafka,
  ensureTopics,
  kafkaEnvSchema,
  kafkaSettingsFromEnv,
  type KafkaSettings,
} from '@vigil/messaging';
import { projectRoot } from '../support/project-root';
import { SecuredKafka } from './secured-kafka';

/**
 * Kafka as a trust boundary, against a real broker with TLS, SCRAM-SHA-512 and ACLs that the
 * local launcher starts for this file alone: each service is its own principal and may write
 * only its own topics.
 */
const broker = new SecuredKafka();
const readText = (file: string) => readFileSync(file, 'utf8');

const settingsOf = (user: string, overrides: Record<string, string> = {}): KafkaSettings =>
  kafkaSettingsFromEnv(kafkaEnvSchema.parse({ ...broker.clientEnv(user), ...overrides }), user);

const kafkaAs = (user: string, overrides?: Record<string, string>) =>
  createKafka(settingsOf(user, overrides));

/** What an attacker without TLS or without credentials gets: no retries, short timeouts. */
const bareClient = (extra: Partial<ConstructorParameters<typeof Kafka>[0]>) =>
  new Kafka({
    clientId: 'vigil-test-stranger',
    brokers: [broker.brokers],
    connectionTimeout: 3_000,
    authenticationTimeout: 3_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
    ...extra,
  });

async function endOffsets(topic: string): Promise<string[]> {
  const admin = kafkaAs('admin').admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).map((p) => p.high);
  } finally {
    await admin.disconnect();
  }
}

async function send(user: string, topic: string, value: string): Promise<void> {
  const producer = kafkaAs(user).producer({ idempotent: true, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key: 'k', value }] });
  } finally {
    await producer.disconnect();
  }
}

async function readOne(user: string, topic: string, group: string): Promise<KafkaMessage> {
  const consumer = kafkaAs(user).consumer({ groupId: group });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<KafkaMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing read from ${topic}`)), 30_000);
      void consumer
        .run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve(message);
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

beforeAll(async () => {
  await broker.start();
  // as a service does at start: every topic of the registry, created under its own principal
  await ensureTopics(kafkaAs('executor'), allTopics);
}, 120_000);

afterAll(async () => {
  await broker.stop();
}, 60_000);

describe('a secured Kafka (TLS, SCRAM-SHA-512, ACLs)', () => {
  it('lets a service write its own topic and read it back in its own group', async () => {
    const value = `execution-${randomUUID()}`;
    await send('executor', Topics.remediationExecutions.name, value);
    const read = await readOne(
      'executor',
      Topics.remediationExecutions.name,
      `vigil-executor-${randomUUID()}`,
    );
    expect(read.value?.toString()).toBe(value);
  });

  it('refuses a wrong password, and says for which user', async () => {
    const wrong = kafkaAs('executor', { KAFKA_SASL_PASSWORD_FILE: __filename });
    const producer = wrong.producer();
    await expect(producer.connect()).rejects.toThrow(
      'Kafka authentication failed for user "executor" with SCRAM-SHA-512',
    );
  });

  it.each([
    ['ingest', Topics.remediationDecisions.name, 'a forged approval from an alert producer'],
    ['ingest', Topics.remediationPlans.name, 'a plan from an alert producer'],
    ['planner', Topics.remediationDecisions.name, 'a plan approved by its own author'],
    ['console', Topics.remediationExecutions.name, 'an audit event not from the executor'],
  ])('refuses %s writing %s (%s), and names the missing ACL', async (user, topic) => {
    const before = await endOffsets(topic);
    await expect(send(user, topic, 'forged')).rejects.toThrow(
      `the broker has no ACL allowing User:${user} WRITE on Topic:${topic}`,
    );
    expect(await endOffsets(topic)).toEqual(before);
  });

  it('refuses a plaintext client on the TLS listener', async () => {
    const admin = bareClient({}).admin();
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow();
    await admin.disconnect().catch(() => undefined);
  });

  it('refuses a TLS client without SASL credentials', async () => {
    const admin = bareClient({ ssl: { ca: [readText(broker.caFile())] } }).admin();
    // the listener answers ApiVersions before authentication, and nothing else
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow();
    await admin.disconnect().catch(() => undefined);
  });

  it('refuses a client that does not trust the broker certificate', async () => {
    const admin = bareClient({
      ssl: true,
      sasl: {
        mechanism: 'scram-sha-512',
        username: 'admin',
        password: readText(broker.passwordFile('admin')).trim(),
      },
    }).admin();
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow();
    await admin.disconnect().catch(() => undefined);
  });
});

describe('the ACL table of the launcher', () => {
  it('covers exactly the topics of the registry, the OTLP ones included', async () => {
    const table = await aclTable();
    const named = new Set(Object.values(table).flatMap((a) => [...a.writes, ...a.reads]));
    const registry = [...allTopics, ...Object.values(ForeignTopics)].map((t) => t.name);
    expect([...named].sort()).toEqual(registry.sort());
  });

  it('gives the audit trail one writer and decisions only to the console and Slack', async () => {
    const table = await aclTable();
    const writers = (topic: string) =>
      Object.entries(table)
        .filter(([name, a]) => name !== 'all-in-one' && a.writes.includes(topic))
        .map(([name]) => name)
        .sort();
    expect(writers(Topics.remediationExecutions.name)).toEqual(['executor']);
    expect(writers(Topics.remediationDecisions.name)).toEqual(['chatops', 'console']);
    expect(writers(Topics.remediationPlans.name)).toEqual(['planner']);
  });
});

type Access = { writes: string[]; reads: string[]; groups: string[] };

/** The launcher's table with its derived rules applied, read from the .mjs by a child node. */
async function aclTable(): Promise<Record<string, Access>> {
  const module = join(projectRoot, 'infra', 'local', 'lib', 'kafka-security-acls.mjs');
  const script = `const m = await import(${JSON.stringify(module)});
const names = m.principals().filter((p) => p !== m.ADMIN_PRINCIPAL);
console.log(JSON.stringify(Object.fromEntries(names.map((n) => [n, m.effectiveAccess(n)]))));`;
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--input-type=module',
    '-e',
    script,
  ]);
  return JSON.parse(stdout) as Record<string, Access>;
}
