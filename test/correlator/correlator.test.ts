import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { decodeEvent, Topics, type IncidentEvent } from '@vigil/contracts';
import { correlateAlerts } from '@vigil/correlation';
import { CachedEmbedder, SentenceEmbedder } from '@vigil/embeddings';
import { GraphTestScope } from '@vigil/graph';
import type { EventPublisher } from '@vigil/messaging';
import {
  collectFromTopic,
  testKafka,
  testPublisher,
  endOffsets,
  waitForCommittedOffsets,
  waitForGroupCaughtUp,
  waitForGroupStable,
} from '../support/kafka-test-kit';
import { startGroupAtEnd } from '../support/group-offsets';
import { startService, type ServiceProcess } from '../support/service-process';
import { fingerprintGroups, groupingFromEvents } from './incident-grouping';
import { stormFixture } from './storm-fixture';

const port = 3902;
const runId = randomUUID().slice(0, 8);
const { topology, alerts } = stormFixture(runId);

describe('correlator: an alert storm through Kafka becomes incidents, and survives a crash', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let graph: GraphTestScope;
  let correlator: ServiceProcess | undefined;
  const env = {
    CORRELATOR_PORT: String(port),
    CORRELATOR_GROUP: `vigil-correlator-test-${runId}`,
    CORRELATOR_SNAPSHOT_INTERVAL_MS: '200',
    // A broker reused across runs holds earlier runs' alerts; this run's groups start at the end.
    CORRELATOR_START_AT: 'latest',
    LOG_LEVEL: 'warn',
  };
  const ours = (event: IncidentEvent) =>
    event.incident.services.some((s) => s.startsWith(`c${runId}-`));

  const readIncidentEvents = async (enough: (events: IncidentEvent[]) => boolean) => {
    const messages = await collectFromTopic(
      kafka,
      Topics.incidents.name,
      (m) => {
        const decoded = decodeEvent(Topics.incidents, m.value);
        return decoded.ok && ours(decoded.value);
      },
      (kept) => enough(kept.map((m) => JSON.parse(m.value?.toString() ?? '{}') as IncidentEvent)),
      60_000,
    );
    return messages.map((m) => JSON.parse(m.value?.toString() ?? '{}') as IncidentEvent);
  };

  beforeAll(async () => {
    kafka = testKafka();
    publisher = await testPublisher(kafka);
    graph = new GraphTestScope(`c${runId}-`);
    const repository = graph.topology;
    const at = Date.now();
    for (const id of topology.services)
      await repository.upsertEntity({ id, kind: 'service', properties: {} }, at);
    for (const edge of topology.edges) await repository.upsertEdge(edge, at);
  });

  afterAll(async () => {
    await correlator?.stop();
    await publisher.disconnect();
    await graph.close();
  });

  it('yields the same incidents after a kill -9 mid-storm as an uninterrupted run, with reasons', async () => {
    const embedder = new CachedEmbedder(await SentenceEmbedder.load(), { embedText: 'normalized' });
    const uninterrupted = await correlateAlerts(alerts, {
      embed: (t) => embedder.embed(t),
      topology,
    });
    const expected = fingerprintGroups(groupingFromEvents(uninterrupted.events));
    // The storm has three causes: the database and its callers, a disk, a certificate.
    expect(expected).toHaveLength(3);

    const half = Math.floor(alerts.length / 2);
    await startGroupAtEnd(kafka, env.CORRELATOR_GROUP);
    await startGroupAtEnd(kafka, `${env.CORRELATOR_GROUP}-router`);
    correlator = await startService('correlator', env, port);
    await waitForGroupStable(kafka, env.CORRELATOR_GROUP);
    await waitForGroupStable(kafka, `${env.CORRELATOR_GROUP}-router`);
    const before = await endOffsets(kafka, Topics.alertsRaw.name);
    await publisher.publishMany(Topics.alertsRaw, alerts.slice(0, half));
    // The router has passed the first half on (a group that starts at the end must have committed
    // before it restarts); the clusterer has snapshotted some of it: the kill comes mid-storm.
    const after = await endOffsets(kafka, Topics.alertsRaw.name);
    const routed = new Map(
      [...after].filter(([partition, end]) => end > (before.get(partition) ?? 0n)),
    );
    await waitForGroupCaughtUp(
      kafka,
      `${env.CORRELATOR_GROUP}-router`,
      Topics.alertsRaw.name,
      routed,
    );
    await readIncidentEvents((events) => events.length >= 2);
    await waitForCommittedOffsets(kafka, env.CORRELATOR_GROUP, Topics.correlatorScopedAlerts.name);
    await correlator.kill();

    correlator = await startService('correlator', env, port);
    await waitForGroupStable(kafka, env.CORRELATOR_GROUP);
    await waitForGroupStable(kafka, `${env.CORRELATOR_GROUP}-router`);
    await publisher.publishMany(Topics.alertsRaw, alerts.slice(half));

    // Waits until the incidents on the topic group the alerts as the uninterrupted run did
    // (a timeout here means they never did).
    const same = (seen: IncidentEvent[]) =>
      JSON.stringify(fingerprintGroups(groupingFromEvents(seen))) === JSON.stringify(expected);
    const events = await readIncidentEvents(same);
    expect(fingerprintGroups(groupingFromEvents(events))).toEqual(expected);

    // Replays may repeat an event, but never under another id: no incident is duplicated.
    const opened = events.filter((e) => e.type === 'opened');
    expect(new Set(opened.map((e) => e.incidentId)).size).toBe(
      new Set(opened.map((e) => e.eventId)).size,
    );
    const reasons = events.flatMap((e) => (e.type === 'alert-attached' ? [e.reason.kind] : []));
    expect(reasons).toContain('topology-neighbour');
    expect(events.every((e) => e.incident.services.every((s) => s.startsWith(`c${runId}-`)))).toBe(
      true,
    );
  });

  it('sends a malformed raw alert to the DLQ and goes on', async () => {
    const key = `bad-${runId}`;
    await publisher.sendRaw(Topics.alertsRaw.name, [{ key, value: '{"fingerprint": 42' }]);
    const parked = await collectFromTopic(
      kafka,
      Topics.dlq.name,
      (m) => m.key?.toString() === key,
      (kept) => kept.length >= 1,
    );
    const record = decodeEvent(Topics.dlq, parked[0].value);
    expect(record.ok && record.value).toMatchObject({
      errorKind: 'malformed-json',
      originalTopic: Topics.alertsRaw.name,
    });
  });
});
