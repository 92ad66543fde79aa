import { Topics, type Alert, type IncidentEvent } from '@vigil/contracts';
import { ConsoleClient } from '../console/console-client';
import { startConsoleWithRitaAndVic } from '../console/console-fixtures';
import { KafkaSuite, newRunId } from '../support/kafka-suite';
import { collectEvents, endOffsets, waitForGroupCaughtUp } from '../support/kafka-test-kit';

const runId = newRunId();
const CONSOLE_PORT = 3931;
const CORRELATOR_PORT = 3932;
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

async function messageOf(response: Response): Promise<string> {
  return ((await response.json()) as { message: string }).message;
}

function expire(client: ConsoleClient, path: string): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'DELETE',
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken },
  });
}

describe('silences and maintenance windows: made in the console, applied by the correlator', () => {
  let suite: KafkaSuite;
  let rita: ConsoleClient;
  let vic: ConsoleClient;
  const group = `vigil-correlator-policy-test-${runId}`;
  const env = {
    CORRELATOR_PORT: String(CORRELATOR_PORT),
    CORRELATOR_GROUP: group,
    CORRELATOR_SNAPSHOT_INTERVAL_MS: '200',
    CORRELATOR_START_AT: 'latest',
    LOG_LEVEL: 'warn',
  };

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

  beforeAll(async () => {
    suite = await KafkaSuite.open();
    ({ rita, vic } = await startConsoleWithRitaAndVic(suite, CONSOLE_PORT));
  });

  afterAll(async () => {
    await suite.close();
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

  it('opens no incident for silenced or suppressed alerts, flags one under open-no-remediate, and opens again once the silence is expired', async () => {
    const created = await rita.post('/api/v1/silences', {
      matchers: `{service="${svc('db')}"}`,
      duration: '1h',
      comment: 'database upgrade',
    });
    expect(created.status).toBe(202);
    const { silence } = (await created.json()) as { silence: { id: string; createdBy: string } };
    expect(silence.createdBy).toBe('rita');
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
    const openWindow = await window('queue', 'open-no-remediate');
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

    const seen = (events: IncidentEvent[], name: string) =>
      fingerprintsOf(events).some((e) => e.fingerprint.startsWith(`p${runId}-${name}-`));
    const events = await ourEvents((e) => seen(e, 'web') && seen(e, 'queue'));
    const placed = fingerprintsOf(events);
    // every alert of the batch was handled: the silenced and suppressed ones joined nothing
    expect(placed.filter((e) => /-(db|cache)-/.test(e.fingerprint))).toEqual([]);
    expect(events.filter((e) => e.incident.services.some((s) => /-(db|cache)$/.test(s)))).toEqual(
      [],
    );
    expect(placed.find((e) => e.fingerprint.includes('-queue-'))?.remediationHold).toEqual({
      maintenanceWindowId: openWindow,
    });
    expect(placed.find((e) => e.fingerprint.includes('-web-'))?.remediationHold).toBeUndefined();

    // Expired in the console: the correlator hears of it, and the database's alerts count again.
    expect((await expire(rita, `/api/v1/silences/${silence.id}`)).status).toBe(202);
    expect((await expire(rita, `/api/v1/silences/${silence.id}`)).status).toBe(409);
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
