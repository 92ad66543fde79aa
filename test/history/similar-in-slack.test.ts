import { randomBytes } from 'node:crypto';
import { Topics, type IncidentEvent, type RemediationExecution } from '@vigil/contracts';
import { IncidentStoreRepository } from '@vigil/graph';
import {
  executionRecord,
  IncidentFoldCache,
  incidentRecord,
  planRecord,
  rcaRecord,
} from '@vigil/incident-view';
import { KafkaSuite, newRunId } from '../support/kafka-suite';
import { SlackRecorder, type RecordedSlackCall } from '../support/slack-recorder';
import { waitFor } from '../support/wait-for';
import { incidentStory } from '../console/console-fixtures';

// the topology-sync's way of storing: each incident's fold kept between its events
const folds = new IncidentFoldCache();

const runId = newRunId();
const PORT = 3953;
const prefix = `s${runId}`;
const blocksOf = (call: RecordedSlackCall) => JSON.stringify(call.body.blocks ?? []);

/**
 * "Have we seen this before?" in Slack: the card of a new incident lists the stored past incident
 * with the same root cause, how it ended and why it looks alike, read from the incident store.
 */
describe('a Slack card shows the past incidents like this one, from the incident store', () => {
  let suite: KafkaSuite;
  let recorder: SlackRecorder;
  let store: IncidentStoreRepository;
  const past = incidentStory(prefix, `inc-${prefix}-past`);
  const now = incidentStory(prefix, `inc-${prefix}-now`);
  const pastId = past.opened.incidentId;
  const later = (ms: number) => new Date(Date.parse(past.opened.at) + ms).toISOString();
  const completed: RemediationExecution = {
    schemaVersion: 1,
    eventId: `${prefix}-x1`,
    planId: past.plan.planId,
    incidentId: pastId,
    type: 'plan-completed',
    at: later(3_000),
    detail: {},
  };
  const resolved: IncidentEvent = {
    schemaVersion: 1,
    eventId: `${pastId}:2`,
    incidentId: pastId,
    at: later(4_000),
    type: 'resolved',
    incident: { ...past.opened.incident, status: 'resolved', updatedAt: later(4_000) },
  };

  beforeAll(async () => {
    suite = await KafkaSuite.open(`${prefix}-`);
    recorder = await SlackRecorder.start();
    store = new IncidentStoreRepository(suite.graph.connection);
    await store.applySchema();
    // as topology-sync's history writer would have stored it, long after its topics expired
    for (const record of [
      incidentRecord(past.opened),
      rcaRecord(past.rca),
      planRecord(past.plan),
      executionRecord(completed),
      incidentRecord(resolved),
    ])
      await store.record(record, folds);
    const group = `vigil-chatops-similar-it-${runId}`;
    await suite.startConsumer({
      app: 'chatops',
      env: {
        CHATOPS_PORT: String(PORT),
        CHATOPS_MODE: 'http',
        CHATOPS_GROUP: group,
        CHATOPS_START_AT: 'latest',
        SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
        SLACK_BOT_TOKEN: `xoxb-test-${runId}`,
        SLACK_CHANNEL: `C0${runId.toUpperCase()}`,
        SLACK_API_URL: recorder.url,
        LOG_LEVEL: 'warn',
      },
      port: PORT,
      groups: [group],
    });
  }, 120_000);

  afterAll(async () => {
    await store?.deleteIncidents([pastId]);
    await suite?.close();
    await recorder?.stop();
  });

  it('lists the past incident with the same root cause, its plan completed and resolved', async () => {
    await suite.publisher.publish(Topics.incidents, now.opened);
    await suite.publisher.publish(Topics.rca, now.rca);
    const shown = (c: RecordedSlackCall) =>
      blocksOf(c).includes(now.opened.incidentId) &&
      blocksOf(c).includes(`same root cause ${now.svc('payment-db')}`);
    // posted, or updated once the root cause came: whichever card shows it first
    let card: RecordedSlackCall | undefined;
    await waitFor(
      'a card of the new incident that shows the past one',
      () => {
        card = recorder.calls().find((c) => c.method.startsWith('chat.') && shown(c));
        return card !== undefined;
      },
      90_000,
    );
    const blocks = card ? blocksOf(card) : '';
    expect(blocks).toContain('*Seen before*');
    expect(blocks).toContain(`\`${pastId}\` · plan completed, resolved (same root cause`);
    expect(blocks).toContain(`shares ${now.svc('checkout')}`);
  }, 120_000);
});
