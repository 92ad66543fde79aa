import { randomUUID } from 'node:crypto';
import { type Admin, ConfigResourceTypes, ConfigSource, type Kafka } from 'kafkajs';
import { Topics } from '@vigil/contracts';
import { GraphTestScope, IncidentStoreRepository } from '@vigil/graph';
import type { IncidentView } from '@vigil/incident-view';
import type { EventPublisher } from '@vigil/messaging';
import { endOffsets, testKafka, testPublisher } from '../support/kafka-test-kit';
import { startService, type ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';
import { ConsoleClient } from '../console/console-client';
import { PASSWORD, writeUsersFile } from '../console/console-fixtures';
import { handledIncident, historyTopics, startHistoryWriter } from './history-fixtures';

const runId = randomUUID().slice(0, 8);
const SYNC_PORT = 3951;
const CONSOLE_PORT = 3952;
const base = `http://127.0.0.1:${CONSOLE_PORT}`;
const historyGroup = `vigil-history-retention-it-${runId}`;
const topologyGroup = `vigil-topology-sync-retention-it-${runId}`;
// Short, not zero: a record another run published in the last seconds keeps its segment (a
// segment goes only when its newest record is older than this), so a run beside this one on the
// same broker loses nothing it is still reading.
const SHORT_RETENTION_MS = '5000';
// The broker looks for expired segments every log.retention.check.interval.ms: 10 s on the local
// launcher's broker, 5 min by Kafka's default (a broker given through VIGIL_TEST_KAFKA_BROKERS).
const EXPIRY_WAIT_MS = 7 * 60_000;

/** What the test read of the console: the board's view, the stored one, the postmortem, a search. */
interface Seen {
  board: IncidentView | undefined;
  stored: unknown;
  postmortem: unknown;
  found: unknown;
}

/**
 * Nothing is lost when a topic's retention expires: the incident store (topology-sync's history
 * writer) takes every event of an incident, the topics' retention is cut until the records are
 * gone (their low watermarks pass them), and a restarted console shows the same history as before.
 */
describe('history outlives the topics: records expired by retention are not lost', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let graph: GraphTestScope;
  let store: IncidentStoreRepository;
  let sync: ServiceProcess | undefined;
  let console_: ServiceProcess | undefined;
  let usersFile: string;
  /** Each topic's own overrides before the test, put back afterwards. */
  const overrides = new Map<string, Array<{ name: string; value: string }>>();
  const prefix = `r${runId}`;
  const { story, incidentId, planId, decision, completed, ack, resolved } = handledIncident(prefix);

  async function withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await use(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /** Sets each topic's overrides (AlterConfigs replaces all of a topic's overrides at once). */
  async function setTopicConfigs(
    configs: Map<string, Array<{ name: string; value: string }>>,
  ): Promise<void> {
    await withAdmin((admin) =>
      admin.alterConfigs({
        validateOnly: false,
        resources: [...configs].map(([name, configEntries]) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configEntries,
        })),
      }),
    );
  }

  async function readOverrides(): Promise<void> {
    const described = await withAdmin((admin) =>
      admin.describeConfigs({
        includeSynonyms: false,
        resources: historyTopics.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name })),
      }),
    );
    for (const resource of described.resources)
      overrides.set(
        resource.resourceName,
        resource.configEntries
          // a value set on the topic itself, not a default
          .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG)
          .map((e) => ({ name: e.configName, value: e.configValue })),
      );
  }

  async function startConsole(): Promise<ConsoleClient> {
    console_ = await startService(
      'console',
      { CONSOLE_PORT: String(CONSOLE_PORT), CONSOLE_USERS_FILE: usersFile, LOG_LEVEL: 'warn' },
      CONSOLE_PORT,
    );
    return ConsoleClient.signIn(base, 'vic', PASSWORD);
  }

  async function json(client: ConsoleClient, path: string): Promise<unknown> {
    const response = await client.get(path);
    return response.status === 200 ? response.json() : `${response.status}`;
  }

  async function seen(client: ConsoleClient): Promise<Seen> {
    const search = new URLSearchParams({ service: story.svc('checkout'), q: 'checkout 5xx' });
    return {
      board: (await json(client, `/api/v1/incidents/${incidentId}`)) as IncidentView | undefined,
      stored: await json(client, `/api/v1/history/incidents/${incidentId}`),
      postmortem: await json(
        client,
        `/api/v1/history/incidents/${incidentId}/postmortem?format=json`,
      ),
      found: await json(client, `/api/v1/history/incidents?${search.toString()}`),
    };
  }

  beforeAll(async () => {
    kafka = testKafka();
    publisher = await testPublisher(kafka);
    graph = new GraphTestScope(`${prefix}-`);
    store = new IncidentStoreRepository(graph.connection);
    usersFile = await writeUsersFile();
    await readOverrides();
    sync = await startHistoryWriter(kafka, SYNC_PORT, {
      history: historyGroup,
      topology: topologyGroup,
    });
  }, 120_000);

  afterAll(async () => {
    // the topics keep their own retention again, whatever happened
    if (overrides.size > 0) await setTopicConfigs(overrides);
    await console_?.stop();
    await sync?.stop();
    await publisher?.disconnect();
    await store?.deleteIncidents([incidentId]);
    await graph?.close();
  });

  type Offsets = Map<string, Map<number, bigint>>;

  async function endsOfAll(): Promise<Offsets> {
    const ends: Offsets = new Map();
    for (const topic of historyTopics) ends.set(topic.name, await endOffsets(kafka, topic.name));
    return ends;
  }

  /** Publishes the incident's story; returns where its records end on the partitions they took. */
  async function publishStory(): Promise<Offsets> {
    const before = await endsOfAll();
    await publisher.publish(Topics.incidents, story.opened);
    await publisher.publish(Topics.rca, story.rca);
    await publisher.publish(Topics.incidentActions, ack);
    await publisher.publish(Topics.remediationPlans, story.plan);
    await publisher.publish(Topics.remediationDecisions, decision);
    await publisher.publish(Topics.remediationExecutions, completed);
    await publisher.publish(Topics.incidents, resolved);
    const written: Offsets = new Map();
    for (const [topic, ends] of await endsOfAll())
      written.set(
        topic,
        new Map([...ends].filter(([p, end]) => end > (before.get(topic)?.get(p) ?? 0n))),
      );
    return written;
  }

  function storedInFull(): Promise<void> {
    return waitFor(
      'the store to hold the resolved incident with its decided, completed plan and the ack',
      async () => {
        const stored = await store.get(incidentId);
        const view = stored && (JSON.parse(stored.view) as IncidentView);
        const plan = view?.plans.find((p) => p.plan.planId === planId);
        return (
          view?.status === 'resolved' &&
          view.acknowledgedBy?.user === 'rita' &&
          plan?.state === 'completed' &&
          plan.decisions.length === 1
        );
      },
      // a history writer on a busy shared machine takes seconds an event
      180_000,
    );
  }

  /** Cuts the topics' retention until every record in `written` is below its low watermark. */
  async function expire(written: Offsets): Promise<void> {
    const short = historyTopics.map((t) => [
      t.name,
      [
        ...(overrides.get(t.name) ?? []).filter((e) => e.name !== 'retention.ms'),
        { name: 'retention.ms', value: SHORT_RETENTION_MS },
      ],
    ]) as Array<[string, Array<{ name: string; value: string }>]>;
    await setTopicConfigs(new Map(short));
    try {
      await waitFor(
        "the topics' low watermarks to pass this run's records",
        () =>
          withAdmin(async (admin) => {
            for (const [topic, partitions] of written) {
              const offsets = await admin.fetchTopicOffsets(topic);
              for (const [partition, end] of partitions) {
                const low = offsets.find((o) => o.partition === partition)?.low;
                if (low === undefined || BigInt(low) < end) return false;
              }
            }
            return true;
          }),
        EXPIRY_WAIT_MS,
        2_000,
      );
    } finally {
      await setTopicConfigs(overrides);
    }
  }

  it(
    'shows the same history after the topics dropped every record of the incident',
    async () => {
      const written = await publishStory();
      expect([...written.values()].every((partitions) => partitions.size > 0)).toBe(true);
      await storedInFull();
      const first = await startConsole();
      await waitFor(
        'the console to show the incident as the store has it',
        async () => (await seen(first)).board?.plans[0]?.state === 'completed',
        60_000,
      );
      const shown = await seen(first);
      expect(shown.board).toMatchObject({ status: 'resolved', acknowledgedBy: { user: 'rita' } });
      await console_?.stop();
      console_ = undefined;

      await expire(written);

      // the restart has nothing of the incident on any topic: only the store
      const second = await startConsole();
      expect(await seen(second)).toEqual(shown);
    },
    15 * 60_000,
  );
});
