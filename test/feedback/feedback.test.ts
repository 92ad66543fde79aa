import { Topics, type Alert, type IncidentEvent } from '@vigil/contracts';
import { ConsoleClient } from '../console/console-client';
import { startConsoleWithRitaAndVic } from '../console/console-fixtures';
import { KafkaSuite, newRunId } from '../support/kafka-suite';
import { collectEvents } from '../support/kafka-test-kit';
import { waitFor } from '../support/wait-for';

const runId = newRunId();
const CONSOLE_PORT = 4371;
const CORRELATOR_PORT = 4372;
const svc = (name: string) => `f${runId}-${name}`;

/**
 * A firing alert of this run, `minutesAgo` in event time; `instance` makes another fingerprint
 * of the same kind. The run's own tenant keeps its alerts on one correlator partition.
 */
function alert(
  name: string,
  alertname: string,
  summary: string,
  minutesAgo: number,
  instance: string,
): Alert {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  return {
    schemaVersion: 1,
    fingerprint: `f${runId}-${name}-${alertname}-${instance}`,
    source: 'test',
    status: 'firing',
    alertname,
    severity: 'critical',
    service: svc(name),
    summary,
    labels: { alertname, service: svc(name), tenant: `f${runId}`, instance },
    annotations: { summary },
    startsAt: at,
    receivedAt: at,
  };
}

const disk = (minutesAgo: number, instance: string) =>
  alert('db', 'DiskFull', 'database volume 98% full', minutesAgo, instance);
const cpu = (minutesAgo: number, instance: string) =>
  alert(
    'batch',
    'CronJobSlow',
    'nightly report job ran 40 minutes over its schedule',
    minutesAgo,
    instance,
  );

type Placement = Extract<IncidentEvent, { type: 'opened' | 'alert-attached' }>;

describe("people's merges and splits: from the console to the correlator, which learns them", () => {
  let suite: KafkaSuite;
  let rita: ConsoleClient;
  let vic: ConsoleClient;
  const group = `vigil-correlator-feedback-test-${runId}`;

  const ourEvents = (enough: (events: IncidentEvent[]) => boolean) => {
    const mine = (e: IncidentEvent) =>
      e.incident.services.some((s) => s.startsWith(`f${runId}-`)) ||
      (e.type !== 'merged' && e.type !== 'resolved' && e.fingerprint.startsWith(`f${runId}-`));
    return collectEvents(suite.kafka, Topics.incidents, mine, enough, 90_000);
  };
  const placement = (events: IncidentEvent[], fingerprint: string): Placement | undefined =>
    events.find(
      (e): e is Placement =>
        (e.type === 'opened' || e.type === 'alert-attached') && e.fingerprint === fingerprint,
    );
  const known = (id: string) => async () =>
    (await rita.get(`/api/v1/incidents/${id}`)).status === 200;

  beforeAll(async () => {
    suite = await KafkaSuite.open();
    ({ rita, vic } = await startConsoleWithRitaAndVic(suite, CONSOLE_PORT));
    await suite.startConsumer({
      app: 'correlator',
      env: {
        CORRELATOR_PORT: String(CORRELATOR_PORT),
        CORRELATOR_GROUP: group,
        CORRELATOR_SNAPSHOT_INTERVAL_MS: '200',
        CORRELATOR_START_AT: 'latest',
        LOG_LEVEL: 'warn',
      },
      port: CORRELATOR_PORT,
      groups: [group, `${group}-router`],
    });
  });

  afterAll(async () => {
    await suite.close();
  });

  it('merges two incidents a responder merged, joins a later pair of the same kinds by itself, and splits on request', async () => {
    // Two hours ago: a full disk and a slow batch job, which the rules see no relation between.
    const [diskA, cpuA] = [disk(120, 'a'), cpu(119, 'a')];
    await suite.publisher.publishMany(Topics.alertsRaw, [diskA, cpuA]);
    const first = await ourEvents(
      (e) => !!placement(e, diskA.fingerprint) && !!placement(e, cpuA.fingerprint),
    );
    const a = placement(first, diskA.fingerprint)?.incidentId ?? '';
    const b = placement(first, cpuA.fingerprint)?.incidentId ?? '';
    expect(b).not.toBe(a);
    await waitFor(`the console knows ${a}`, known(a));
    await waitFor(`the console knows ${b}`, known(b));

    expect((await vic.post(`/api/v1/incidents/${a}/merge`, { incidentIds: [b] })).status).toBe(403);
    const bad = await rita.post(`/api/v1/incidents/${a}/merge`, { incidentIds: ['inc-none'] });
    expect(bad.status).toBe(400);
    const merged = await rita.post(`/api/v1/incidents/${a}/merge`, {
      incidentIds: [b],
      note: 'the job fills the disk',
    });
    expect(merged.status).toBe(202);
    const { feedback } = (await merged.json()) as { feedback: { feedbackId: string } };

    // The correlator applies it: one incident, and the console shows both alerts under it.
    await ourEvents((e) =>
      e.some((x) => x.type === 'merged' && x.incidentId === a && x.mergedIncidentId === b),
    );
    await waitFor(`${a} shows both alerts`, async () => {
      const view = (await (await rita.get(`/api/v1/incidents/${a}`)).json()) as {
        alerts: Array<{ fingerprint: string }>;
      };
      return view.alerts.length === 2;
    });

    // Now: other instances of the same two rules. The second joins the first, as people taught.
    // One after the other: alerts on different partitions of the raw topic have no order between
    // them, and the one that comes first opens the incident.
    const [diskB, cpuB] = [disk(1, 'b'), cpu(0, 'b')];
    await suite.publisher.publishMany(Topics.alertsRaw, [diskB]);
    await ourEvents((e) => !!placement(e, diskB.fingerprint));
    await suite.publisher.publishMany(Topics.alertsRaw, [cpuB]);
    const later = await ourEvents(
      (e) => !!placement(e, cpuB.fingerprint) && !!placement(e, diskB.fingerprint),
    );
    const c = placement(later, diskB.fingerprint)?.incidentId;
    expect(c).toBeDefined();
    expect(c).not.toBe(a);
    expect(placement(later, cpuB.fingerprint)).toMatchObject({
      type: 'alert-attached',
      incidentId: c,
      reason: {
        kind: 'learned-from-people',
        kinds: [`CronJobSlow@${svc('batch')}`, `DiskFull@${svc('db')}`],
        feedbackId: feedback.feedbackId,
      },
    });

    // And a split: the job's alert moves to a new incident of its own.
    await waitFor(`the console shows both alerts of ${c}`, async () => {
      const view = (await (await rita.get(`/api/v1/incidents/${c}`)).json()) as {
        alerts?: unknown[];
      };
      return view.alerts?.length === 2;
    });
    const split = await rita.post(`/api/v1/incidents/${c}/split`, {
      fingerprints: [cpuB.fingerprint],
    });
    expect(split.status).toBe(202);
    const asked = (await split.json()) as { feedback: { newIncidentId: string } };
    const moved = await ourEvents((e) =>
      e.some((x) => x.incidentId === asked.feedback.newIncidentId),
    );
    expect(moved.find((x) => x.incidentId === asked.feedback.newIncidentId)).toMatchObject({
      type: 'opened',
      fingerprint: cpuB.fingerprint,
      reason: { kind: 'split-by-people', fromIncidentId: c },
    });
  });
});
