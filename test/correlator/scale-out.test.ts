import { join } from 'node:path';
import { AssignerProtocol, type Kafka } from 'kafkajs';
import { decodeEvent, Topics, type IncidentEvent } from '@vigil/contracts';
import { correlateAlerts } from '@vigil/correlation';
import { CachedEmbedder, SentenceEmbedder } from '@vigil/embeddings';
import { startGroupAtEnd } from '../support/group-offsets';
import { KafkaSuite, newRunId } from '../support/kafka-suite';
import { collectFromTopic, waitForCommittedOffsets } from '../support/kafka-test-kit';
import { projectRoot } from '../support/project-root';
import { startProcess, type ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';
import { fingerprintGroups, groupingFromEvents } from './incident-grouping';
import { scaleOutStorm } from './scale-out-storm';

const ports = [3971, 3972, 3973];
const runId = newRunId();
const { topology, rounds } = scaleOutStorm(runId);
const group = `vigil-correlator-scale-${runId}`;
const groups = [group, `${group}-router`];

/** The partitions each member of a group holds, once the group is stable with `members` members. */
async function assignments(kafka: Kafka, groupId: string, members: number): Promise<number[][]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let held: number[][] = [];
    await waitFor(
      `${groupId} to be stable with ${members} members`,
      async () => {
        const [described] = (await admin.describeGroups([groupId])).groups;
        if (described?.state !== 'Stable' || described.members.length !== members) return false;
        held = described.members.map((m) =>
          Object.values(
            AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {},
          ).flat(),
        );
        return held.every((partitions) => partitions.length > 0);
      },
      // A busy machine is slow to settle three members that each read the changelog at a join.
      120_000,
      250,
    );
    return held;
  } finally {
    await admin.disconnect();
  }
}

describe('correlator scale-out: three instances in one group, one killed mid-storm', () => {
  let suite: KafkaSuite;
  const instances: ServiceProcess[] = [];

  beforeAll(async () => {
    suite = await KafkaSuite.open(`c${runId}-`);
    const at = Date.now();
    const graph = suite.graph.topology;
    await Promise.all(
      topology.services.map((id) =>
        graph.upsertEntity({ id, kind: 'service', properties: {} }, at),
      ),
    );
    await Promise.all(topology.edges.map((edge) => graph.upsertEdge(edge, at)));
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await suite?.close();
  });

  // About a minute on a quiet machine; the time limit is for a busy one.
  it('groups the alerts exactly as one uninterrupted offline run of the same stream', async () => {
    const alerts = rounds.flat();
    const embedder = new CachedEmbedder(await SentenceEmbedder.load(), { embedText: 'normalized' });
    const offline = await correlateAlerts(alerts, { embed: (t) => embedder.embed(t), topology });
    const expected = fingerprintGroups(groupingFromEvents(offline.events));
    // Twelve tenants, two troubles each: the storm is not one big incident.
    expect(expected.length).toBeGreaterThanOrEqual(24);

    const streamTopics = [Topics.alertsRaw, Topics.correlatorScopedAlerts];
    for (const g of groups) await startGroupAtEnd(suite.kafka, g, streamTopics);
    const env = (port: number) => ({
      CORRELATOR_PORT: String(port),
      CORRELATOR_GROUP: group,
      CORRELATOR_SNAPSHOT_INTERVAL_MS: '300',
      CORRELATOR_START_AT: 'latest',
      LOG_LEVEL: 'warn',
    });
    instances.push(...(await Promise.all(ports.map((port) => startCorrelator(env(port), port)))));
    const held = await assignments(suite.kafka, group, 3);
    await assignments(suite.kafka, `${group}-router`, 3);
    expect(held.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);

    // The first half of the storm, until the clusterers have snapshotted and committed some of it.
    const half = Math.floor(rounds.length / 2);
    for (const round of rounds.slice(0, half))
      await suite.publisher.publishMany(Topics.alertsRaw, round);
    await readIncidentEvents(suite.kafka, (events) => events.length >= 10);
    await waitForCommittedOffsets(suite.kafka, group, Topics.correlatorScopedAlerts.name);

    // kill -9 mid-storm: the rest of the storm comes while its partitions are still its own.
    const victim = instances[1];
    const rest = rounds.slice(half);
    const sending = (async () => {
      for (const round of rest) {
        await suite.publisher.publishMany(Topics.alertsRaw, round);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await victim?.kill();
    await sending;
    // The survivors take the victim's partitions over from its snapshots.
    expect((await assignments(suite.kafka, group, 2)).flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);

    const same = (seen: IncidentEvent[]) =>
      JSON.stringify(fingerprintGroups(groupingFromEvents(seen))) === JSON.stringify(expected);
    let seen: IncidentEvent[] = [];
    const events = await readIncidentEvents(suite.kafka, (e) => same((seen = e))).catch(
      (error: unknown) => {
        // Timed out: show how the groups differ.
        expect(fingerprintGroups(groupingFromEvents(seen))).toEqual(expected);
        throw error;
      },
    );
    expect(fingerprintGroups(groupingFromEvents(events))).toEqual(expected);
    // Replays repeat events under their own ids: no incident is opened twice.
    const opened = events.filter((e) => e.type === 'opened');
    expect(new Set(opened.map((e) => e.incidentId)).size).toBe(
      new Set(opened.map((e) => e.eventId)).size,
    );
  }, 300_000);
});

/**
 * A correlator as its own process (ts-node, as startService runs it), given longer to answer than
 * one alone: three load the sentence model at once on a small machine.
 */
function startCorrelator(env: Record<string, string>, port: number): Promise<ServiceProcess> {
  const main = join('apps', 'correlator', 'src', 'main.ts');
  const tsNode = join(projectRoot, 'node_modules', 'ts-node', 'dist', 'bin.js');
  return startProcess(
    'correlator',
    [tsNode, main],
    env,
    `http://127.0.0.1:${port}/healthz`,
    180_000,
  );
}

/** This run's incident events, from the beginning of the topic, until `enough` holds. */
async function readIncidentEvents(
  kafka: Kafka,
  enough: (events: IncidentEvent[]) => boolean,
  timeoutMs = 60_000,
): Promise<IncidentEvent[]> {
  const decode = (value: Buffer | null) => decodeEvent(Topics.incidents, value);
  const ours = (event: IncidentEvent) =>
    event.incident.services.some((s) => s.startsWith(`c${runId}-`));
  const messages = await collectFromTopic(
    kafka,
    Topics.incidents.name,
    (m) => {
      const decoded = decode(m.value);
      return decoded.ok && ours(decoded.value);
    },
    (kept) => enough(kept.flatMap((m) => decodeOk(decode(m.value)))),
    timeoutMs,
  );
  return messages.flatMap((m) => decodeOk(decode(m.value)));
}

function decodeOk<T>(decoded: { ok: true; value: T } | { ok: false }): T[] {
  return decoded.ok ? [decoded.value] : [];
}
