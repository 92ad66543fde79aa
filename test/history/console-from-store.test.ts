import { randomUUID } from 'node:crypto';
import { Topics, type IncidentEvent } from '@vigil/contracts';
import { GraphTestScope, IncidentStoreRepository } from '@vigil/graph';
import {
  IncidentFoldCache,
  type HistoryRecord,
  incidentRecord,
  type IncidentReport,
  type IncidentView,
  planRecord,
  rcaRecord,
} from '@vigil/incident-view';
import { acknowledgement } from '@vigil/incident-view/testing';
import type { EventPublisher } from '@vigil/messaging';
import { testKafka, testPublisher } from '../support/kafka-test-kit';
import { startService, type ServiceProcess } from '../support/service-process';
import { vigil } from '../support/vigil-cli';
import { waitFor } from '../support/wait-for';
import { ConsoleClient } from '../console/console-client';
import { incidentStory, PASSWORD, writeUsersFile } from '../console/console-fixtures';

// the topology-sync's way of storing: each incident's fold kept between its events
const folds = new IncidentFoldCache();

const runId = randomUUID().slice(0, 8);
const CONSOLE_PORT = 3949;
const base = `http://127.0.0.1:${CONSOLE_PORT}`;

/**
 * The console starts from the incident store and reads the topics only from a short look-back:
 * an incident whose events are on no topic (their retention dropped them) is shown from the store
 * alone, one that is both in the store and on the topics is folded once, and live events still
 * arrive after a restart.
 */
describe('a restarted console shows the history from the store, not from replaying topics', () => {
  let publisher: EventPublisher;
  let graph: GraphTestScope;
  let store: IncidentStoreRepository;
  let usersFile: string;
  let console_: ServiceProcess | undefined;
  const prefix = `c${runId}`;
  // on the topics (and in the store, as topology-sync writes it)
  const live = incidentStory(prefix, `inc-${prefix}-live`);
  // in the store only: its topics expired long ago
  const expired = incidentStory(prefix, `inc-${prefix}-expired`);
  const liveId = live.opened.incidentId;
  const expiredId = expired.opened.incidentId;

  const ack = (incidentId: string, n: number) =>
    acknowledgement(new Date().toISOString(), { actionId: `${incidentId}-a${n}`, incidentId });
  const resolved = (story: typeof live): IncidentEvent => ({
    schemaVersion: 1,
    eventId: `${story.opened.incidentId}:2`,
    incidentId: story.opened.incidentId,
    at: new Date(Date.parse(story.opened.at) + 4_000).toISOString(),
    type: 'resolved',
    incident: { ...story.opened.incident, status: 'resolved' },
  });

  async function store_(records: HistoryRecord[]): Promise<void> {
    for (const record of records) await store.record(record, folds);
  }

  async function startConsole(): Promise<ConsoleClient> {
    console_ = await startService(
      'console',
      { CONSOLE_PORT: String(CONSOLE_PORT), CONSOLE_USERS_FILE: usersFile, LOG_LEVEL: 'warn' },
      CONSOLE_PORT,
    );
    return ConsoleClient.signIn(base, 'vic', PASSWORD);
  }

  async function shown(client: ConsoleClient, id: string): Promise<IncidentView | undefined> {
    const response = await client.get(`/api/v1/incidents/${id}`);
    return response.status === 200 ? ((await response.json()) as IncidentView) : undefined;
  }

  async function stored(id: string): Promise<IncidentView> {
    return JSON.parse((await store.get(id))?.view ?? '{}') as IncidentView;
  }

  beforeAll(async () => {
    publisher = await testPublisher(testKafka());
    graph = new GraphTestScope(`${prefix}-`);
    store = new IncidentStoreRepository(graph.connection);
    await store.applySchema();
    usersFile = await writeUsersFile();
    await store_([
      incidentRecord(expired.opened),
      rcaRecord(expired.rca),
      planRecord(expired.plan),
      incidentRecord(resolved(expired)),
    ]);
  }, 60_000);

  afterAll(async () => {
    await console_?.stop();
    await publisher?.disconnect();
    await store?.deleteIncidents([liveId, expiredId]);
    await graph?.close();
  });

  it('shows an incident whose topics expired from the store, and one on the topics once', async () => {
    const first = await startConsole();
    expect(await shown(first, expiredId)).toEqual(await stored(expiredId));

    const events = [live.opened, live.rca, live.plan, resolved(live)] as const;
    // One at a time: the live board notes events as they come, and these share one instant, so
    // on four topics read at once their order on the first console would be a race.
    const shows = (what: string, seen: (view: IncidentView) => boolean) =>
      waitFor(
        `the first console to show the live incident ${what}`,
        async () => {
          const view = await shown(first, liveId);
          return view !== undefined && seen(view);
        },
        60_000,
      );
    await publisher.publish(Topics.incidents, live.opened);
    await shows('opened', () => true);
    await publisher.publish(Topics.rca, live.rca);
    await shows('with its root cause', (view) => view.rootCause !== undefined);
    await publisher.publish(Topics.remediationPlans, live.plan);
    await shows('with its plan', (view) => view.plans.length === 1);
    await publisher.publish(Topics.incidents, events[3]);
    await shows('resolved', (view) => view.status === 'resolved');
    await store_([
      incidentRecord(live.opened),
      rcaRecord(live.rca),
      planRecord(live.plan),
      incidentRecord(events[3]),
    ]);
    const before = await shown(first, liveId);
    await console_?.stop();

    // the restart reads the store, then the topics' look-back holds the live incident's events again
    const second = await startConsole();
    expect(await shown(second, expiredId)).toEqual(await stored(expiredId));
    const after = await shown(second, liveId);
    expect(after).toEqual(before);
    expect(after?.timeline.map((e) => e.kind)).toEqual(['incident', 'rca', 'plan', 'incident']);
  }, 180_000);

  // before anyone acknowledges: a writer of the store on the same broker may store that any time
  it('reports over the store, the console and vigil report with the same figures', async () => {
    const client = await ConsoleClient.signIn(base, 'vic', PASSWORD);
    const service = live.svc('checkout');
    const response = await client.get(`/api/v1/reports?since=1h&service=${service}`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as IncidentReport;
    expect(report.incidents).toMatchObject({ total: 2, resolved: 2 });
    expect(report.plans.byProvenance).toEqual([
      { provenance: 'known-good runbook', plans: 2, completed: 0 },
    ]);
    expect(report.mttr).toMatchObject({ count: 2, meanMs: 4_000 });
    const printed = JSON.parse(
      await vigil(
        'report',
        '--since',
        report.scope.since,
        '--until',
        report.scope.until,
        '--service',
        service,
        '--json',
      ),
    ) as IncidentReport;
    expect(printed).toEqual(report);
    const text = await vigil('report', '--since', '1h', '--service', service);
    expect(text).toContain('incidents    2 (critical 2), 2 resolved');

    const bad = await client.get('/api/v1/reports?since=lastweek');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('query.since');
  }, 90_000);

  it('finds the other incident as a similar past incident: same root cause, same alerts', async () => {
    const client = await ConsoleClient.signIn(base, 'vic', PASSWORD);
    const response = await client.get(`/api/v1/history/incidents/${expiredId}/similar`);
    expect(response.status).toBe(200);
    const { similar } = (await response.json()) as { similar: Array<Record<string, unknown>> };
    expect(similar.find((s) => s.id === liveId)).toMatchObject({
      reasons: expect.arrayContaining([`same root cause ${live.svc('payment-db')}`]),
    });
    expect(similar.find((s) => s.id === expiredId)).toBeUndefined();
    expect((await client.get(`/api/v1/history/incidents/${expiredId}-none/similar`)).status).toBe(
      404,
    );
  });

  it('follows the live topics after the restart', async () => {
    const client = await ConsoleClient.signIn(base, 'rita', PASSWORD);
    await publisher.publish(Topics.incidentActions, ack(expiredId, 1));
    await waitFor(
      'the restarted console to show the acknowledgement made after it started',
      async () => (await shown(client, expiredId))?.acknowledgedBy?.user === 'rita',
      60_000,
    );
    const list = (await (await client.get('/api/v1/incidents')).json()) as {
      incidents?: Array<{ incidentId: string }>;
    };
    expect(JSON.stringify(list)).toContain(expiredId);
  }, 90_000);
});
