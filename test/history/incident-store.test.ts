import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { Topics, type IncidentEvent } from '@vigil/contracts';
import { GraphTestScope, IncidentStoreRepository } from '@vigil/graph';
import {
  actionRecord,
  decisionRecord,
  executionRecord,
  IncidentFoldCache,
  incidentRecord,
  type IncidentView,
  planRecord,
  type Postmortem,
  rcaRecord,
} from '@vigil/incident-view';
import type { EventPublisher } from '@vigil/messaging';
import {
  endOffsets,
  testKafka,
  testPublisher,
  waitForGroupCaughtUp,
} from '../support/kafka-test-kit';
import { startService, type ServiceProcess } from '../support/service-process';
import { vigil } from '../support/vigil-cli';
import { waitFor } from '../support/wait-for';
import { ConsoleClient } from '../console/console-client';
import { PASSWORD, writeUsersFile } from '../console/console-fixtures';
import { handledIncident, historyTopics, startHistoryWriter } from './history-fixtures';

// the topology-sync's way of storing: each incident's fold kept between its events
const folds = new IncidentFoldCache();

const runId = randomUUID().slice(0, 8);
const SYNC_PORT = 3947;
const CONSOLE_PORT = 3948;
const base = `http://127.0.0.1:${CONSOLE_PORT}`;
const historyGroup = `vigil-history-it-${runId}`;
const topologyGroup = `vigil-topology-sync-history-it-${runId}`;

describe('the incident store keeps incidents in Neo4j, searchable and exportable', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let graph: GraphTestScope;
  let store: IncidentStoreRepository;
  let sync: ServiceProcess | undefined;
  let console_: ServiceProcess | undefined;
  let vic: ConsoleClient;
  const prefix = `h${runId}`;
  const { story, incidentId, planId, decision, completed, ack, resolved } = handledIncident(prefix);

  // The decision before its plan and the root cause before its incident: the store keeps them.
  async function publishAll(): Promise<void> {
    await publisher.publish(Topics.remediationDecisions, decision);
    await publisher.publish(Topics.rca, story.rca);
    await publisher.publish(Topics.incidentActions, ack);
    await publisher.publish(Topics.incidents, story.opened);
    await publisher.publish(Topics.remediationPlans, story.plan);
    await publisher.publish(Topics.remediationExecutions, completed);
    await publisher.publish(Topics.incidents, resolved);
  }

  async function caughtUp(): Promise<void> {
    for (const topic of historyTopics)
      await waitForGroupCaughtUp(
        kafka,
        historyGroup,
        topic.name,
        await endOffsets(kafka, topic.name),
      );
  }

  beforeAll(async () => {
    kafka = testKafka();
    publisher = await testPublisher(kafka);
    graph = new GraphTestScope(`${prefix}-`);
    store = new IncidentStoreRepository(graph.connection);
    // the service the incident is on, in the topology: the incident links to it
    await graph.topology.apply({
      schemaVersion: 1,
      eventId: `${prefix}-topo-1`,
      source: 'integration-test',
      occurredAt: new Date().toISOString(),
      op: 'entity.upsert',
      entity: {
        id: story.svc('checkout'),
        kind: 'service',
        name: story.svc('checkout'),
        properties: {},
      },
    });
    sync = await startHistoryWriter(kafka, SYNC_PORT, {
      history: historyGroup,
      topology: topologyGroup,
    });
    console_ = await startService(
      'console',
      {
        CONSOLE_PORT: String(CONSOLE_PORT),
        CONSOLE_USERS_FILE: await writeUsersFile(),
        LOG_LEVEL: 'warn',
      },
      CONSOLE_PORT,
    );
    vic = await ConsoleClient.signIn(base, 'vic', PASSWORD);
    await publishAll();
    // each topic's records come in their own fetches: the root cause, published first, may well
    // be folded in last
    await waitFor(
      'the store to hold the resolved incident with its root cause and its plan decided',
      async () => {
        const stored = await store.get(incidentId);
        const view = stored && (JSON.parse(stored.view) as IncidentView);
        const plan = view?.plans.find((p) => p.plan.planId === planId);
        return (
          view?.status === 'resolved' && view.rca !== undefined && plan?.decisions.length === 1
        );
      },
      90_000,
    );
  }, 240_000);

  afterAll(async () => {
    await console_?.stop();
    await sync?.stop();
    await publisher?.disconnect();
    await store?.deleteIncidents([incidentId]);
    await graph?.close();
  });

  it('lists the incident by service, severity, status and words, linked to its service', async () => {
    const query = new URLSearchParams({
      service: story.svc('checkout'),
      severity: 'critical',
      status: 'resolved',
      q: 'checkout 5xx',
    });
    const response = await vic.get(`/api/v1/history/incidents?${query.toString()}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { incidents: Array<Record<string, unknown>> };
    expect(page.incidents).toEqual([
      expect.objectContaining({
        id: incidentId,
        status: 'resolved',
        rootCause: story.svc('payment-db'),
        resolvedAt: resolved.at,
      }),
    ]);
    const none = await vic.get(
      `/api/v1/history/incidents?service=${story.svc('checkout')}&q=nothinglikethis`,
    );
    expect(((await none.json()) as { incidents: unknown[] }).incidents).toEqual([]);
    const affects = await graph.connection.read(
      'MATCH (:Incident {id: $id})-[:AFFECTS]->(s:Service) RETURN s.id AS id',
      { id: incidentId },
    );
    expect(affects.records.map((r) => r.get('id') as string)).toEqual([story.svc('checkout')]);
  });

  it('refuses a malformed search with a 400 that names the field', async () => {
    const words = await vic.get('/api/v1/history/incidents?q=%28%20%29');
    expect(words.status).toBe(400);
    expect(await words.text()).toContain('query.q');
    const time = await vic.get('/api/v1/history/incidents?since=yesterday');
    expect(time.status).toBe(400);
    expect(await time.text()).toContain('query.since');
  });

  // A planner running on the same broker may add plans of its own: only this run's events count.
  it('keeps each event once when the topics are replayed', async () => {
    const ours = new Set(
      [
        incidentRecord(story.opened),
        incidentRecord(resolved),
        rcaRecord(story.rca),
        planRecord(story.plan),
        decisionRecord(decision),
        executionRecord(completed),
        actionRecord(ack),
      ].map((r) => r.key),
    );
    const mine = async () => {
      const keys = (await store.events(incidentId)).map((e) => e.key);
      const view = JSON.parse((await store.get(incidentId))?.view ?? '{}') as IncidentView;
      const plan = view.plans.find((p) => p.plan.planId === planId);
      return {
        keys: keys.filter((k) => ours.has(k)).sort(),
        timeline: view.timeline
          .filter((e) => ['incident', 'rca', 'decision', 'action'].includes(e.kind))
          .map((e) => `${e.at} ${e.text}`),
        alerts: view.alerts.length,
        decisions: plan?.decisions.length,
        audit: plan?.audit.length,
      };
    };
    const before = await mine();
    expect(before.keys).toEqual([...ours].sort());
    await publishAll();
    await caughtUp();
    expect(await mine()).toEqual(before);
    expect(before).toMatchObject({ alerts: 1, decisions: 1, audit: 1 });
  });

  it('exports the postmortem as Markdown and JSON', async () => {
    const md = await vic.get(`/api/v1/history/incidents/${incidentId}/postmortem`);
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toContain('text/markdown');
    const text = await md.text();
    expect(text).toContain(`# Postmortem: ${story.opened.incident.title}`);
    expect(text).toContain(`1. **${story.svc('payment-db')}** (score 0.91)`);
    expect(text).toContain('log error-burst: `connection pool exhausted`');
    expect(text).toContain('ann (approver) approve via console');
    expect(text).toContain('rita acknowledged via slack: looking at the pool');
    const json = await vic.get(`/api/v1/history/incidents/${incidentId}/postmortem?format=json`);
    const pm = (await json.json()) as Postmortem;
    expect(pm).toMatchObject({
      incidentId,
      resolvedAt: resolved.at,
      acknowledgedBy: { user: 'rita' },
    });
    expect(pm.plans.find((p) => p.planId === planId)).toMatchObject({
      state: 'completed',
      decisions: [{ user: 'ann', decision: 'approve' }],
    });
    expect((await vic.get(`/api/v1/history/incidents/${incidentId}-none`)).status).toBe(404);
  });

  it('is re-created from the topics by vigil store rebuild, and vigil postmortem prints it', async () => {
    const before = JSON.parse((await store.get(incidentId))?.view ?? '{}') as IncidentView;
    await store.deleteIncidents([incidentId]);
    expect(await store.get(incidentId)).toBeUndefined();
    expect(await vigil('store', 'rebuild', '--incident', incidentId)).toMatch(/folded 1 incidents/);
    const after = JSON.parse((await store.get(incidentId))?.view ?? '{}') as IncidentView;
    expect(after).toMatchObject({ status: 'resolved', acknowledgedBy: { user: 'rita' } });
    expect(after.plans.find((p) => p.plan.planId === planId)?.decisions).toHaveLength(1);
    expect(after.timeline.filter((e) => e.kind === 'action')).toEqual(
      before.timeline.filter((e) => e.kind === 'action'),
    );
    const md = await vigil('postmortem', incidentId);
    expect(md).toContain(`# Postmortem: ${story.opened.incident.title}`);
    const json = JSON.parse(await vigil('postmortem', incidentId, '--json')) as Postmortem;
    expect(json.incidentId).toBe(incidentId);
  }, 120_000);

  // Back in 2001, so the sweep touches nothing any other run wrote.
  it('deletes resolved incidents older than the retention, with their events and orphans', async () => {
    const oldId = `${incidentId}-2001`;
    const at = (s: number) => new Date(Date.UTC(2001, 0, 1, 0, 0, s)).toISOString();
    const summary = { ...story.opened.incident, openedAt: at(0), updatedAt: at(0) };
    const opened: IncidentEvent = {
      ...story.opened,
      eventId: `${oldId}:1`,
      incidentId: oldId,
      at: at(0),
      incident: summary,
    };
    const ended: IncidentEvent = {
      ...resolved,
      eventId: `${oldId}:2`,
      incidentId: oldId,
      at: at(5),
      incident: { ...summary, status: 'resolved', updatedAt: at(5) },
    };
    const orphan = rcaRecord({ ...story.rca, incidentId: `${oldId}-never`, generatedAt: at(1) });
    for (const record of [incidentRecord(opened), incidentRecord(ended), orphan])
      await store.record(record, folds);
    expect(await store.get(oldId)).toMatchObject({ resolvedAt: at(5) });

    expect(await store.deleteResolvedBefore(Date.UTC(2001, 0, 2))).toBe(1);
    expect(await store.get(oldId)).toBeUndefined();
    expect(await store.events(oldId)).toEqual([]);
    expect(await store.events(`${oldId}-never`)).toEqual([]);
    expect(await store.get(incidentId)).toBeDefined();
  });
});
