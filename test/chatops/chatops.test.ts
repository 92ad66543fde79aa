import { randomBytes } from 'node:crypto';
import {
  decodeEvent,
  Topics,
  type IncidentEvent,
  type RcaResult,
  type RemediationDecision,
  type RemediationPlan,
} from '@vigil/contracts';
import { planContentHash } from '@vigil/remediation-engine';
import { KafkaSuite, newRunId } from '../support/kafka-suite';
import { collectFromTopic } from '../support/kafka-test-kit';
import type { ServiceProcess } from '../support/service-process';
import { postSignedToSlackApp, slashCommand } from '../support/slack-commands';
import { SlackRecorder, type RecordedSlackCall } from '../support/slack-recorder';

const runId = newRunId();
const PORT = 3921;
const SECRET = randomBytes(16).toString('hex');
const BOT_TOKEN = `xoxb-test-${runId}`;
const CHANNEL = `C0${runId.toUpperCase()}`;
const incidentId = `inc-c${runId}`;
const planId = `plan-c${runId}`;
const APPROVER = { id: 'U0APPROVER', username: 'ann.approver' };
const VIEWER = { id: 'U0VIEWER', username: 'vic.viewer' };
const now = () => new Date().toISOString();

function openedIncident(id: string): IncidentEvent {
  const at = now();
  return {
    schemaVersion: 1,
    eventId: `${id}:1`,
    incidentId: id,
    at,
    type: 'opened',
    fingerprint: `${id}-f1`,
    reason: { kind: 'first-alert' },
    alert: {
      alertname: 'NoFreeConnections',
      service: 'catalog-db',
      severity: 'critical',
      startsAt: at,
    },
    incident: {
      title: `catalog-db has no free connections (${runId})`,
      severity: 'critical',
      status: 'open',
      services: ['catalog-db', 'catalog'],
      alertCount: 1,
      openedAt: at,
      updatedAt: at,
    },
  };
}

const rootCause = (): RcaResult => ({
  schemaVersion: 1,
  incidentId,
  revision: 0,
  generatedAt: now(),
  method: 'test',
  candidates: [
    {
      service: `catalog-db-${runId}`,
      rank: 1,
      score: 0.87,
      path: [`catalog-db-${runId}`, 'catalog'],
      evidence: { metrics: [], logTemplates: [], alerts: [] },
    },
  ],
});

const remediationPlan = (): RemediationPlan => ({
  schemaVersion: 1,
  planId,
  incidentId,
  createdAt: now(),
  faultClass: 'crash',
  summary: 'restart catalog-db',
  steps: [{ stepId: 's1', action: 'restart', target: 'catalog-db', params: {}, verification: [] }],
  provenance: { model: 'gemma-3-270m', promptHash: 'abc', fallbackUsed: true },
});

function postToApp(
  body: string,
  options: { secret?: string; ageSeconds?: number; contentType?: string } = {},
): Promise<Response> {
  return postSignedToSlackApp(PORT, options.secret ?? SECRET, body, options);
}

/** A button click as Slack's interactivity request sends it. */
function click(
  action: 'approve' | 'reject' | 'acknowledge',
  value: string,
  user: { id: string; username: string },
  actionTs: string,
): string {
  const payload = {
    type: 'block_actions',
    user: { id: user.id, username: user.username, name: user.username, team_id: 'T0VIGIL' },
    api_app_id: 'A0VIGIL',
    token: 'verification-token',
    container: {
      type: 'message',
      message_ts: '1.000001',
      channel_id: CHANNEL,
      is_ephemeral: false,
    },
    trigger_id: `${actionTs}.trigger`,
    team: { id: 'T0VIGIL', domain: 'vigil-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: CHANNEL, name: 'vigil' },
    message: { type: 'message', ts: '1.000001', text: 'card' },
    response_url: 'https://hooks.slack.com/actions/T0VIGIL/1/x',
    actions: [
      {
        action_id: action,
        block_id: `vigil-${incidentId}`,
        text: { type: 'plain_text', text: action, emoji: true },
        value,
        type: 'button',
        action_ts: actionTs,
      },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function command(text: string, user: { id: string; username: string }): string {
  return slashCommand(text, user, CHANNEL);
}

const blocksOf = (call: RecordedSlackCall) => JSON.stringify(call.body.blocks ?? []);

describe('chatops: incident cards in Slack, and decisions from Slack onto Kafka', () => {
  let suite: KafkaSuite;
  let recorder: SlackRecorder;
  let service: ServiceProcess;
  let card: { channel: string; ts: string };
  let markers = 0;
  const group = `vigil-chatops-it-${runId}`;

  const decisionsOfPlan = async (upToDecisionId: string): Promise<RemediationDecision[]> => {
    const messages = await collectFromTopic(
      suite.kafka,
      Topics.remediationDecisions.name,
      (m) => m.key?.toString() === planId,
      (kept) => kept.some((m) => m.value?.toString().includes(upToDecisionId)),
    );
    return messages.map((m) => {
      const decoded = decodeEvent(Topics.remediationDecisions, m.value);
      if (!decoded.ok) throw new Error(decoded.reason);
      return decoded.value;
    });
  };

  /**
   * Everything published about the plan up to a marker published now: keyed by the plan id, the
   * marker lands on the same partition after anything the app published before it.
   */
  const decisionsBeforeMarker = async (): Promise<RemediationDecision[]> => {
    const decisionId = `marker-${runId}-${++markers}`;
    await suite.publisher.publish(Topics.remediationDecisions, {
      schemaVersion: 1,
      decisionId,
      planId,
      decision: 'approve',
      by: { user: 'test-marker', role: 'approver' },
      via: 'api',
      at: now(),
    });
    return decisionsOfPlan(decisionId);
  };

  const withServiceOutput = async <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: Error) => {
      throw new Error(`${error.message}\nchatops said:\n${service.output.join('').slice(-6000)}`);
    });

  beforeAll(async () => {
    suite = await KafkaSuite.open();
    recorder = await SlackRecorder.start();
    service = await suite.startConsumer({
      app: 'chatops',
      env: {
        CHATOPS_PORT: String(PORT),
        CHATOPS_MODE: 'http',
        CHATOPS_GROUP: group,
        CHATOPS_START_AT: 'latest',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_CHANNEL: CHANNEL,
        SLACK_API_URL: recorder.url,
        CHATOPS_USER_ROLES: JSON.stringify({ [APPROVER.id]: 'approver', [VIEWER.id]: 'viewer' }),
        LOG_LEVEL: 'info',
      },
      port: PORT,
      groups: [group],
    });
  }, 120_000);

  afterAll(async () => {
    await suite?.close();
    await recorder?.stop();
  });

  it('posts the card of a new incident to the configured channel, with the bot token', async () => {
    await suite.publisher.publish(Topics.incidents, openedIncident(incidentId));
    const posted = await withServiceOutput(
      recorder.waitForCall('chat.postMessage', (c) => blocksOf(c).includes(incidentId)),
    );
    expect(posted.body.channel).toBe(CHANNEL);
    expect(posted.token).toBe(BOT_TOKEN);
    expect(posted.body.text).toBe(
      `[critical] catalog-db has no free connections (${runId}) (open)`,
    );
    expect(blocksOf(posted)).toContain(`"action_id":"acknowledge","value":"${incidentId}"`);
    card = { channel: String(posted.answer.channel), ts: String(posted.answer.ts) };
  });

  it('updates that same message (channel and ts) with the root cause', async () => {
    await suite.publisher.publish(Topics.rca, rootCause());
    const updated = await withServiceOutput(
      recorder.waitForCall('chat.update', (c) => blocksOf(c).includes(`catalog-db-${runId}`)),
    );
    expect(updated.body).toMatchObject({ channel: card.channel, ts: card.ts });
    expect(blocksOf(updated)).toContain('*Root cause* (revision 0)');
    expect(blocksOf(updated)).toContain(
      `1. *catalog-db-${runId}* (0.87): catalog-db-${runId} → catalog`,
    );
    const cards = recorder
      .calls('chat.postMessage')
      .filter((c) => blocksOf(c).includes(incidentId));
    expect(cards).toHaveLength(1);
  });

  it('puts an approver’s signed approve click on the decisions topic, via slack', async () => {
    const plan = remediationPlan();
    await suite.publisher.publish(Topics.remediationPlans, plan);
    await withServiceOutput(
      recorder.waitForCall(
        'chat.update',
        (c) => c.body.ts === card.ts && blocksOf(c).includes(`"value":"${planId}"`),
      ),
    );
    const actionTs = `${Math.floor(Date.now() / 1000)}.100001`;
    const response = await postToApp(click('approve', planId, APPROVER, actionTs));
    expect(response.status).toBe(200);
    const decisions = await withServiceOutput(
      decisionsOfPlan(`slack-${planId}-${APPROVER.id}-${actionTs}`),
    );
    expect(decisions.find((d) => d.via === 'slack')).toEqual({
      schemaVersion: 1,
      decisionId: `slack-${planId}-${APPROVER.id}-${actionTs}`,
      planId,
      decision: 'approve',
      // the Slack user id is who acted; the name is only shown
      by: { user: `slack:${APPROVER.id}`, role: 'approver', displayName: APPROVER.username },
      via: 'slack',
      at: expect.any(String),
      // bound to the plan the card showed, signed with the Slack app's key
      contentHash: planContentHash(plan),
      signer: 'chatops',
      signature: expect.any(String),
    });
    // and the card says so
    await withServiceOutput(
      recorder.waitForCall(
        'chat.update',
        (c) =>
          c.body.ts === card.ts &&
          blocksOf(c).includes('approved by ann.approver (approver) via slack'),
      ),
    );
  });

  it('refuses a viewer’s click in a message only they see, and publishes nothing', async () => {
    const actionTs = `${Math.floor(Date.now() / 1000)}.200002`;
    const response = await postToApp(click('approve', planId, VIEWER, actionTs));
    expect(response.status).toBe(200);
    const told = await withServiceOutput(
      recorder.waitForCall('chat.postEphemeral', (c) => c.body.user === VIEWER.id),
    );
    expect(told.body.channel).toBe(CHANNEL);
    expect(told.body.text).toContain(
      'vic.viewer is a viewer: approve needs the approver role or higher',
    );
    const decisions = await decisionsBeforeMarker();
    expect(
      decisions.filter(
        (d) => d.decisionId.includes(VIEWER.id) || d.by.user === `slack:${VIEWER.id}`,
      ),
    ).toEqual([]);
  });

  it('answers 401 to a click signed with another secret, and publishes nothing', async () => {
    const actionTs = `${Math.floor(Date.now() / 1000)}.300003`;
    const response = await postToApp(click('approve', planId, APPROVER, actionTs), {
      secret: 'not-the-signing-secret',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      message: expect.stringMatching(/signature does not match/),
    });
    const decisions = await decisionsBeforeMarker();
    expect(decisions.filter((d) => d.decisionId.includes(actionTs))).toEqual([]);
  });

  it('answers 401 to a correctly signed request older than five minutes, and publishes nothing', async () => {
    const actionTs = `${Math.floor(Date.now() / 1000)}.400004`;
    const response = await postToApp(click('approve', planId, APPROVER, actionTs), {
      ageSeconds: 6 * 60,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      message: expect.stringMatching(/stale request/),
    });
    const decisions = await decisionsBeforeMarker();
    expect(decisions.filter((d) => d.decisionId.includes(actionTs))).toEqual([]);
  });

  it('answers a signed /vigil incidents with the incident, from the board', async () => {
    const response = await postToApp(command('incidents', VIEWER));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain(
      `\`${incidentId}\` [critical] catalog-db has no free connections (${runId})`,
    );
    expect(answer.text).toContain(`root cause catalog-db-${runId} (0.87)`);
  });

  it('turns an acknowledge click into an IncidentAction via slack, and the card shows who', async () => {
    const actionTs = `${Math.floor(Date.now() / 1000)}.500005`;
    const response = await postToApp(click('acknowledge', incidentId, APPROVER, actionTs));
    expect(response.status).toBe(200);
    const [message] = await withServiceOutput(
      collectFromTopic(
        suite.kafka,
        Topics.incidentActions.name,
        (m) => m.key?.toString() === incidentId,
        (kept) => kept.length >= 1,
      ),
    );
    expect(JSON.parse(message.value?.toString() ?? '{}')).toEqual({
      schemaVersion: 1,
      actionId: `slack-${incidentId}-${APPROVER.id}-${actionTs}`,
      incidentId,
      action: 'acknowledge',
      // the Slack user id is who acted; the name is only shown
      by: { user: `slack:${APPROVER.id}`, role: 'approver', displayName: APPROVER.username },
      via: 'slack',
      at: expect.any(String),
    });
    const updated = await withServiceOutput(
      recorder.waitForCall(
        'chat.update',
        (c) => c.body.ts === card.ts && blocksOf(c).includes('acknowledged by ann.approver'),
      ),
    );
    expect(blocksOf(updated)).not.toContain('"action_id":"acknowledge"');
  });

  it('retries a card update Slack failed, ending with the latest state', async () => {
    const since = recorder.calls().length;
    recorder.failNext('chat.update', 'internal_error');
    await suite.publisher.publish(Topics.remediationExecutions, {
      schemaVersion: 1,
      eventId: `${planId}:done`,
      planId,
      incidentId,
      type: 'plan-completed',
      at: now(),
      detail: {},
    });
    const retried = await withServiceOutput(
      recorder.waitForCall(
        'chat.update',
        (c) => c.ok && c.body.ts === card.ts && blocksOf(c).includes('*completed*'),
        30_000,
        since,
      ),
    );
    const failed = recorder
      .calls()
      .slice(since)
      .filter((c) => c.method === 'chat.update' && !c.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0].at).toBeLessThan(retried.at);
  });

  it('keeps consuming after a malformed message: the next incident still gets its card', async () => {
    const next = `${incidentId}-next`;
    await suite.publisher.sendRaw(Topics.incidents.name, [
      { key: next, value: '{"not": "an incident"' },
    ]);
    await suite.publisher.publish(Topics.incidents, openedIncident(next));
    await withServiceOutput(
      recorder.waitForCall('chat.postMessage', (c) => blocksOf(c).includes(next)),
    );
  });
});
