import { randomBytes } from 'node:crypto';
import type { AlertSeverity, IncidentEvent } from '@vigil/contracts';
import { IncidentStoreRepository } from '@vigil/graph';
import { IncidentFoldCache, incidentRecord } from '@vigil/incident-view';
import { KafkaSuite, newRunId } from '../support/kafka-suite';
import { postSignedToSlackApp, slashCommand } from '../support/slack-commands';
import { SlackRecorder } from '../support/slack-recorder';

// the topology-sync's way of storing: each incident's fold kept between its events
const folds = new IncidentFoldCache();

const runId = newRunId();
// outside the ports benchmarks take (bench:faults from 3950, bench:startup from 3960)
const PORT = 3941;
const SECRET = randomBytes(16).toString('hex');
const CHANNEL = `C0${runId.toUpperCase()}`;
const VIEWER = { id: 'U0VIEWER', username: 'vic.viewer' };
// one word no other run's incident holds: every search below stays within this run
const word = `y${runId}`;
const svc = (name: string) => `${word}-${name}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

interface Story {
  id: string;
  title: string;
  service: string;
  severity: AlertSeverity;
  openedAt: string;
  resolved: boolean;
}

/** Eleven checkout incidents a minute apart (the three oldest resolved) and one on payment. */
const stories: Story[] = [
  ...Array.from({ length: 11 }, (_, i) => ({
    id: `inc-${word}-c${String(i).padStart(2, '0')}`,
    title: `checkout timeouts ${word}`,
    service: svc('checkout'),
    severity: 'critical' as const,
    openedAt: minutesAgo(40 - i),
    resolved: i < 3,
  })),
  {
    id: `inc-${word}-p`,
    title: `payment card declines ${word}`,
    service: svc('payment'),
    severity: 'warning',
    openedAt: minutesAgo(20),
    resolved: false,
  },
];
const checkoutIds = stories.filter((s) => s.service === svc('checkout')).map((s) => s.id);

function events(story: Story): IncidentEvent[] {
  const incident = {
    title: story.title,
    severity: story.severity,
    status: 'open' as const,
    services: [story.service],
    alertCount: 1,
    openedAt: story.openedAt,
    updatedAt: story.openedAt,
  };
  const opened: IncidentEvent = {
    schemaVersion: 1,
    eventId: `${story.id}:1`,
    incidentId: story.id,
    at: story.openedAt,
    type: 'opened',
    fingerprint: `${story.id}-f1`,
    reason: { kind: 'first-alert' },
    alert: {
      alertname: 'CheckoutTimeouts',
      service: story.service,
      severity: story.severity,
      startsAt: story.openedAt,
    },
    incident,
  };
  if (!story.resolved) return [opened];
  const at = new Date(Date.parse(story.openedAt) + 30_000).toISOString();
  return [
    opened,
    {
      schemaVersion: 1,
      eventId: `${story.id}:2`,
      incidentId: story.id,
      at,
      type: 'resolved',
      incident: { ...incident, status: 'resolved', updatedAt: at },
    },
  ];
}

/** The ids in the order an answer lists them. */
const idsIn = (text: string) => [...text.matchAll(/^• `([^`]+)`/gm)].map((m) => m[1]);

/**
 * `/vigil history` reads months of incidents from the incident store (Neo4j), not the live board:
 * the incidents here were stored as topology-sync's history writer stores them, and chatops
 * started after them with its consumer at the topics' end never saw them on Kafka.
 */
describe('/vigil history in Slack searches the incident store', () => {
  let suite: KafkaSuite;
  let recorder: SlackRecorder;
  let store: IncidentStoreRepository;

  async function history(args: string): Promise<string> {
    const response = await postSignedToSlackApp(
      PORT,
      SECRET,
      slashCommand(`history ${args}`, VIEWER, CHANNEL),
    );
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    return answer.text;
  }

  beforeAll(async () => {
    suite = await KafkaSuite.open(`${word}-`);
    recorder = await SlackRecorder.start();
    store = new IncidentStoreRepository(suite.graph.connection);
    await store.applySchema();
    for (const story of stories)
      for (const event of events(story)) await store.record(incidentRecord(event), folds);
    const group = `vigil-chatops-history-it-${runId}`;
    await suite.startConsumer({
      app: 'chatops',
      env: {
        CHATOPS_PORT: String(PORT),
        CHATOPS_MODE: 'http',
        CHATOPS_GROUP: group,
        CHATOPS_START_AT: 'latest',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: `xoxb-test-${runId}`,
        SLACK_CHANNEL: CHANNEL,
        SLACK_API_URL: recorder.url,
        CHATOPS_USER_ROLES: JSON.stringify({ [VIEWER.id]: 'viewer' }),
        LOG_LEVEL: 'warn',
      },
      port: PORT,
      groups: [group],
    });
  }, 120_000);

  afterAll(async () => {
    await store?.deleteIncidents(stories.map((s) => s.id));
    await suite?.close();
    await recorder?.stop();
  });

  it('finds incidents by their words, with status, severity, service, title and opening time', async () => {
    const text = await history(`declines ${word}`);
    const payment = stories.find((s) => s.service === svc('payment'));
    expect(text.split('\n')).toEqual([
      `• \`inc-${word}-p\` open [warning] payment card declines ${word} · ${svc('payment')} · opened ${payment?.openedAt.slice(0, 16).replace('T', ' ')} UTC`,
      'page 1 of 1',
    ]);
  });

  it('filters by service, newest first, in pages of ten with the command for the next', async () => {
    const first = await history(`service=${svc('checkout')}`);
    const newestFirst = [...checkoutIds].reverse();
    expect(idsIn(first)).toEqual(newestFirst.slice(0, 10));
    expect(first.split('\n').at(-1)).toBe(
      `page 1; more: /vigil history service=${svc('checkout')} page=2`,
    );
    const second = await history(`service=${svc('checkout')} page=2`);
    expect(idsIn(second)).toEqual(newestFirst.slice(10));
    expect(second.split('\n').at(-1)).toBe('page 2 of 2');
  });

  it('pages a word search through every match once', async () => {
    const first = await history(word);
    expect(first).toContain(`more: /vigil history ${word} page=2`);
    const second = await history(`${word} page=2`);
    const seen = [...idsIn(first), ...idsIn(second)];
    expect(idsIn(first)).toHaveLength(10);
    expect(seen.sort()).toEqual(stories.map((s) => s.id).sort());
  });

  it('filters by status and since', async () => {
    const resolved = await history(`${word} status=resolved since=1h`);
    expect(idsIn(resolved)).toEqual(checkoutIds.slice(0, 3).reverse());
    expect(resolved).toContain(' resolved [critical] checkout timeouts ');
    const open = await history(`checkout ${word} status=open severity=critical`);
    expect(idsIn(open).sort()).toEqual(checkoutIds.slice(3).sort());
  });

  it('says when nothing is found, and what is wrong with a command', async () => {
    expect(await history(`${word} status=acknowledged`)).toBe(
      `Nothing found for ${word} status=acknowledged.`,
    );
    const bad = await history(`${word} severity=fatal`);
    expect(bad.split('\n')[0]).toBe('bad severity "fatal": use critical, error, warning or info');
  });
});
