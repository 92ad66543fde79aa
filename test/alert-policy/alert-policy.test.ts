import {
  decodeEvent,
  Topics,
  type Alert,
  type IncidentEvent,
  type RcaResult,
  type RemediationPlan,
} from '@vigil/contracts';
import { partitionOfKey } from '@vigil/messaging';
import { ConsoleClient } from '../console/console-client';
import { startConsoleWithRitaAndVic } from '../console/console-fixtures';
import { KafkaSuite, newRunId } from '../support/kafka-suite';
import {
  collectEvents,
  endOffsets,
  groupsStartingWith,
  readTopic,
  waitForGroupCaughtUp,
} from '../support/kafka-test-kit';
import { crashCandidate, rankingOf } from '../support/incident-events';
import { NoModel } from '../support/local-receiver';
import { logRecords, type ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';

const runId = newRunId();
const CONSOLE_PORT = 3931;
const CORRELATOR_PORT = 3932;
const PLANNER_PORT = 3933;
const base = `http://127.0.0.1:${CONSOLE_PORT}`;
const svc = (name: string) => `p${runId}-${name}`;

/** A firing alert of this run, received now; its own scope keeps it on one correlator partition. */
function alert(name: string, alertname: string, summary: string): Alert {
  const now = new Date().toISOString();
  return {
    schemaVersion: 1,
    fingerprint: `p${runId}-${name}-${alertname}`,
    source: 'test',
    status: 'firing',
    alertname,
    severity: 'critical',
    service: svc(name),
    summary,
    labels: { alertname, service: svc(name), tenant: `p${runId}` },
    annotations: { summary },
    startsAt: now,
    receivedAt: now,
  };
}

/**
 * The root-cause service's answer for an incident: `name` is gone, a crash, whose known-good
 * runbook the planner publishes at once, without asking the model; the first ranking is enough.
 */
const crashRanking = (incidentId: string, name: string): RcaResult =>
  rankingOf(incidentId, [crashCandidate(svc(name), `p${runId}-${name}-TargetDown`)]);

/**
 * What the planner logged (JSON lines) of its decision on a ranking of `incidentId`: why it drafted
 * nothing, or the plan it published (plan ids begin with the incident's).
 */
const decisionsOn = (planner: ServiceProcess, incidentId: string) =>
  logRecords(
    planner,
    (r) =>
      (r['msg'] === 'no plan yet' && r['incidentId'] === incidentId) ||
      String(r['planId'] ?? '').startsWith(`plan-${incidentId}-`),
  );

/** Every plan on the plans topic now that names a service of this run. */
async function plansOfThisRun(suite: KafkaSuite): Promise<RemediationPlan[]> {
  const messages = await readTopic(suite.kafka, Topics.remediationPlans.name);
  return messages.flatMap((m) => {
    const decoded = decodeEvent(Topics.remediationPlans, m.value);
    return decoded.ok && JSON.stringify(decoded.value).includes(`p${runId}-`)
      ? [decoded.value]
      : [];
  });
}

async function messageOf(response: Response): Promise<string> {
  return ((await response.json()) as { message: string }).message;
}

function expire(client: ConsoleClient, path: string): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'DELETE',
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken },
  });
}

describe('silences and maintenance windows: made in the console, applied by the correlator, honoured by the planner', () => {
  let suite: KafkaSuite;
  let rita: ConsoleClient;
  let vic: ConsoleClient;
  let planner: ServiceProcess;
  const model = new NoModel();
  const group = `vigil-correlator-policy-test-${runId}`;
  const plannerGroup = `vigil-planner-policy-test-${runId}`;
  const env = {
    CORRELATOR_PORT: String(CORRELATOR_PORT),
    CORRELATOR_GROUP: group,
    CORRELATOR_SNAPSHOT_INTERVAL_MS: '200',
    CORRELATOR_START_AT: 'latest',
    LOG_LEVEL: 'warn',
  };
  /** Made by the tests below in turn: the silence on db, the window on queue, the incidents. */
  let silenceId = '';
  let holdingWindow = '';
  let heldIncident = '';
  let webIncident = '';

  const ourEvents = (enough: (events: IncidentEvent[]) => boolean) =>
    collectEvents(
      suite.kafka,
      Topics.incidents,
      (e) => e.incident.services.some((s) => s.startsWith(`p${runId}-`)),
      enough,
      90_000,
    );
  const fingerprintsOf = (events: IncidentEvent[]) =>
    events.flatMap((e) => (e.type === 'opened' || e.type === 'alert-attached' ? [e] : []));
  const seen = (events: IncidentEvent[], name: string) =>
    fingerprintsOf(events).some((e) => e.fingerprint.startsWith(`p${runId}-${name}-`));

  beforeAll(async () => {
    suite = await KafkaSuite.open();
    ({ rita, vic } = await startConsoleWithRitaAndVic(suite, CONSOLE_PORT));
    await model.start();
    // running before the first alert, as in production: it hears of each incident as it opens
    planner = await suite.startConsumer({
      app: 'planner',
      env: {
        PLANNER_PORT: String(PLANNER_PORT),
        PLANNER_GROUP: plannerGroup,
        PLANNER_START_AT: 'latest',
        PLANNER_KNOWN_GOOD_FIRST: 'true',
        OPENAI_BASE_URL: `http://127.0.0.1:${model.port}/v1`,
        // what it decided for a ranking it drafted nothing for is only in its debug log
        LOG_LEVEL: 'debug',
      },
      port: PLANNER_PORT,
      groups: [plannerGroup],
    });
  }, 180_000);

  afterAll(async () => {
    await suite.close();
    await model.stop();
  });

  it('refuses bad input with a 400 that names it, and a viewer', async () => {
    const badRegex = await rita.post('/api/v1/silences', {
      matchers: `{service="${svc('db')}", job=~"(["}`,
      duration: '1h',
    });
    expect(badRegex.status).toBe(400);
    expect(await messageOf(badRegex)).toMatch(
      /^bad matcher job=~"\(\[": invalid regular expression/,
    );

    const backwards = await rita.post('/api/v1/silences', {
      matchers: `service="${svc('db')}"`,
      startsAt: '2026-12-01T10:00:00Z',
      endsAt: '2026-12-01T09:00:00Z',
    });
    expect(backwards.status).toBe(400);
    expect(await messageOf(backwards)).toContain(
      'the silence ends (2026-12-01T09:00:00.000Z) before it starts',
    );

    const badZone = await rita.post('/api/v1/maintenance', {
      matchers: `service="${svc('db')}"`,
      schedule: {
        kind: 'weekly',
        days: ['tue'],
        start: '22:00',
        duration: '2h',
        timeZone: 'Mars/Base',
      },
    });
    expect(badZone.status).toBe(400);
    expect(await messageOf(badZone)).toContain('unknown time zone "Mars/Base"');

    const viewer = await vic.post('/api/v1/silences', {
      matchers: `service="${svc('db')}"`,
      duration: '1h',
    });
    expect(viewer.status).toBe(403);
  });

  it('opens no incident for silenced or suppressed alerts, and flags one under open-no-remediate', async () => {
    const created = await rita.post('/api/v1/silences', {
      matchers: `{service="${svc('db')}"}`,
      duration: '1h',
      comment: 'database upgrade',
    });
    expect(created.status).toBe(202);
    const { silence } = (await created.json()) as { silence: { id: string; createdBy: string } };
    expect(silence.createdBy).toBe('rita');
    silenceId = silence.id;
    const window = async (name: string, mode: string) => {
      const response = await rita.post('/api/v1/maintenance', {
        matchers: [`service="${svc(name)}"`],
        mode,
        comment: 'planned work',
        schedule: { kind: 'once', duration: '1h' },
      });
      expect(response.status).toBe(202);
      return ((await response.json()) as { window: { id: string } }).window.id;
    };
    await window('cache', 'suppress');
    holdingWindow = await window('queue', 'open-no-remediate');
    const listed = (await (await vic.get('/api/v1/silences')).json()) as {
      silences: Array<{ id: string; state: string }>;
    };
    expect(listed.silences).toContainEqual(
      expect.objectContaining({ id: silence.id, state: 'active' }),
    );

    // The correlator reads the policy's history before it judges its first alert.
    await suite.startConsumer({
      app: 'correlator',
      env,
      port: CORRELATOR_PORT,
      groups: [group, `${group}-router`],
    });

    const rawBefore = await endOffsets(suite.kafka, Topics.alertsRaw.name);
    await suite.publisher.publishMany(Topics.alertsRaw, [
      alert('db', 'ReplicationLag', 'replication lag on the primary database above 30 s'),
      alert('db', 'DiskFull', 'database volume 98% full'),
      alert('cache', 'EvictionStorm', 'cache hit ratio below 20%, evictions climbing'),
      alert('queue', 'ConsumerLag', 'consumer lag growing on the order queue workers'),
      alert('web', 'HighErrorRate', 'HTTP 5xx ratio above 5% on the web frontend'),
    ]);
    const rawAfter = await endOffsets(suite.kafka, Topics.alertsRaw.name);
    const routed = new Map([...rawAfter].filter(([p, end]) => end > (rawBefore.get(p) ?? 0n)));
    await waitForGroupCaughtUp(suite.kafka, `${group}-router`, Topics.alertsRaw.name, routed);
    await waitForGroupCaughtUp(
      suite.kafka,
      group,
      Topics.correlatorScopedAlerts.name,
      await endOffsets(suite.kafka, Topics.correlatorScopedAlerts.name),
    );

    const events = await ourEvents((e) => seen(e, 'web') && seen(e, 'queue'));
    const placed = fingerprintsOf(events);
    // every alert of the batch was handled: the silenced and suppressed ones joined nothing
    expect(placed.filter((e) => /-(db|cache)-/.test(e.fingerprint))).toEqual([]);
    expect(events.filter((e) => e.incident.services.some((s) => /-(db|cache)$/.test(s)))).toEqual(
      [],
    );
    const held = placed.find((e) => e.fingerprint.includes('-queue-'));
    const web = placed.find((e) => e.fingerprint.includes('-web-'));
    expect(held?.remediationHold).toEqual({ maintenanceWindowId: holdingWindow });
    expect(web?.remediationHold).toBeUndefined();
    heldIncident = held?.incidentId ?? '';
    webIncident = web?.incidentId ?? '';
  });

  it('drafts no plan for the held incident nor for the silenced or suppressed services, while it plans for the rest', async () => {
    const [held, web] = [heldIncident, webIncident];
    if (!held || !web) throw new Error('the incidents of the test above were not opened');
    // the planner has read the incidents' opening, hold included, before any ranking: the
    // root-cause service takes seconds to rank, a test does not. It reads them in a group of its
    // own (every planner of a group reads all incidents).
    // Only the two incidents' partitions: it commits on a partition once it has read from it.
    const [everything] = await groupsStartingWith(suite.kafka, `${plannerGroup}.all.`);
    if (!everything) throw new Error(`no group ${plannerGroup}.all.* of the planner`);
    const { name, partitions } = Topics.incidents;
    const theirs = new Set([held, web].map((id) => partitionOfKey(name, id, partitions)));
    const ends = await endOffsets(suite.kafka, name);
    await waitForGroupCaughtUp(
      suite.kafka,
      everything,
      name,
      new Map([...ends].filter(([partition]) => theirs.has(partition))),
    );
    // the same diagnosis, one the planner acts on at once, for both: only the hold tells them apart
    await suite.publisher.publishMany(Topics.rca, [
      crashRanking(held, 'queue'),
      crashRanking(web, 'web'),
    ]);

    // alive, and planning: the web incident gets the known-good runbook for a crash
    const [webPlan] = await collectEvents(
      suite.kafka,
      Topics.remediationPlans,
      (p) => p.incidentId === web,
      (kept) => kept.length >= 1,
      60_000,
    );
    expect(webPlan).toMatchObject({ faultClass: 'crash', provenance: { fallbackUsed: true } });
    expect(new Set(webPlan?.steps.map((s) => s.target))).toEqual(new Set([svc('web')]));

    // the held incident's ranking was decided on too; a held incident gets no second look, so
    // that decision was the last, and the plans topic read to its end now holds all there will be
    await waitFor(
      `the planner to decide on the ranking of ${held}`,
      () => decisionsOn(planner, held).length > 0,
    );
    const plans = await plansOfThisRun(suite);
    expect(plans.map((p) => p.incidentId)).toEqual([web]);
    for (const name of ['db', 'cache', 'queue'])
      expect(plans.filter((p) => JSON.stringify(p).includes(svc(name)))).toEqual([]);
    // and it says why: the maintenance window
    expect(decisionsOn(planner, held)).toEqual([
      expect.objectContaining({
        msg: 'no plan yet',
        reason: expect.stringContaining(holdingWindow),
      }),
    ]);
  });

  it('opens again once the silence is expired', async () => {
    expect(silenceId).not.toBe('');
    // Expired in the console: the correlator hears of it, and the database's alerts count again.
    expect((await expire(rita, `/api/v1/silences/${silenceId}`)).status).toBe(202);
    expect((await expire(rita, `/api/v1/silences/${silenceId}`)).status).toBe(409);
    // Sent again every 2 s until the correlator, having read the expiry, opens an incident for it.
    const resend = setInterval(
      () =>
        void suite.publisher.publish(
          Topics.alertsRaw,
          alert('db', 'ReplicationLag', 'replication lag on the primary database above 30 s'),
        ),
      2_000,
    );
    try {
      const later = await ourEvents((e) => seen(e, 'db'));
      expect(seen(later, 'db')).toBe(true);
    } finally {
      clearInterval(resend);
    }
  });
});
