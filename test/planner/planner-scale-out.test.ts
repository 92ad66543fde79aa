import { decodeEvent, Topics, type RemediationPlan } from '@vigil/contracts';
import { partitionOfKey } from '@vigil/messaging';
import { crashCandidate, openedIncident, rankingOf } from '../support/incident-events';
import { KafkaSuite, newRunId } from '../support/kafka-suite';
import { readTopic } from '../support/kafka-test-kit';
import { NoModel } from '../support/local-receiver';
import { logRecords, type ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';

const runId = newRunId();
const PORTS = [3185, 3186];
const svc = (name: string) => `p${runId}-${name}`;
const { name: RCA, partitions } = Topics.rca;

/**
 * `count` incident ids of this run whose rankings go to `partition` (the planners of a group split
 * the incidents by it), numbered from `from`.
 */
function incidentsOn(partition: number, count: number, from = 0): string[] {
  const ids: string[] = [];
  for (let i = from; ids.length < count; i++) {
    const id = `inc-${runId}-${i}`;
    if (partitionOfKey(RCA, id, partitions) === partition) ids.push(id);
  }
  return ids;
}

/** Every plan on the plans topic for this run's incidents. */
async function plansOfThisRun(suite: KafkaSuite): Promise<RemediationPlan[]> {
  const messages = await readTopic(suite.kafka, Topics.remediationPlans.name);
  return messages.flatMap((m) => {
    const decoded = decodeEvent(Topics.remediationPlans, m.value);
    return decoded.ok && decoded.value.incidentId.startsWith(`inc-${runId}-`)
      ? [decoded.value]
      : [];
  });
}

/** The planner's log records (JSON lines) about `incidentId`. */
const saidOf = (planner: ServiceProcess, incidentId: string) =>
  logRecords(
    planner,
    (r) =>
      r['incidentId'] === incidentId || String(r['planId'] ?? '').startsWith(`plan-${incidentId}-`),
  );

describe('two planners in one group: one is killed, the other takes its incidents over', () => {
  let suite: KafkaSuite;
  let planners: ServiceProcess[] = [];
  const model = new NoModel();
  const group = `vigil-planner-scale-test-${runId}`;

  beforeAll(async () => {
    suite = await KafkaSuite.open();
    await model.start();
    const planner = (port: number) => ({
      app: 'planner',
      env: {
        PLANNER_PORT: String(port),
        PLANNER_GROUP: group,
        PLANNER_START_AT: 'latest',
        PLANNER_KNOWN_GOOD_FIRST: 'true',
        OPENAI_BASE_URL: `http://127.0.0.1:${model.port}/v1`,
        // what it decided on a ranking it drafted nothing for is only in its debug log
        LOG_LEVEL: 'debug',
      },
      port,
      groups: [group],
    });
    planners = await suite.startConsumers(...PORTS.map(planner));
  }, 180_000);

  afterAll(async () => {
    await suite.close();
    await model.stop();
  });

  it('plans each incident once, before and after the takeover, and loses none', async () => {
    // two incidents on each partition, so both planners have work whatever the split
    const first = Array.from({ length: partitions }, (_, p) => incidentsOn(p, 2)).flat();
    const rank = (incidentId: string, revision: number) =>
      rankingOf(
        incidentId,
        [crashCandidate(svc(`s-${incidentId}`), `${incidentId}-down`)],
        revision,
      );
    const open = async (ids: string[]) => {
      for (const id of ids) {
        await suite.publisher.publish(
          Topics.incidents,
          openedIncident(id, [svc(`s-${id}`)], `${id} is down`),
        );
        await suite.publisher.publish(Topics.rca, rank(id, 0));
      }
    };
    await open(first);
    await waitFor(
      'a plan for each incident',
      async () => new Set((await plansOfThisRun(suite)).map((p) => p.incidentId)).size === 6,
      90_000,
    );

    // the planner that planned the first incident dies mid-work, with no goodbye to the group
    const plannerOf = (id: string) =>
      planners.findIndex((p) => saidOf(p, id).some((r) => r['planId'] !== undefined));
    const victim = plannerOf(first[0] as string);
    const survivor = planners[1 - victim] as ServiceProcess;
    const itsIncidents = first.filter((id) => plannerOf(id) === victim);
    expect(itsIncidents.length).toBeGreaterThan(0);
    expect(itsIncidents.length).toBeLessThan(first.length);
    await planners[victim]?.kill();

    // the rankings move on (same diagnosis), and new incidents come on the victim's partitions
    const victimPartitions = new Set(itsIncidents.map((id) => partitionOfKey(RCA, id, partitions)));
    const later = [...victimPartitions].flatMap((p) => incidentsOn(p, 1, 1000));
    for (const id of first) await suite.publisher.publish(Topics.rca, rank(id, 1));
    await open(later);

    // the survivor plans the new ones and decides on every later ranking of the victim's
    await waitFor(
      'the survivor to plan the new incidents',
      async () => {
        const planned = new Set((await plansOfThisRun(suite)).map((p) => p.incidentId));
        return later.every((id) => planned.has(id));
      },
      120_000,
    );
    await waitFor(
      "the survivor to decide on the victim's incidents",
      () =>
        itsIncidents.every((id) =>
          saidOf(survivor, id).some((r) => r['msg'] === 'no plan yet' || r['planId'] !== undefined),
        ),
      60_000,
    );
    const plans = await plansOfThisRun(suite);
    const perIncident = new Map<string, number>();
    for (const plan of plans)
      perIncident.set(plan.incidentId, (perIncident.get(plan.incidentId) ?? 0) + 1);
    expect(Object.fromEntries(perIncident)).toEqual(
      Object.fromEntries([...first, ...later].map((id) => [id, 1])),
    );
    // why it drafted nothing: the plan the dead planner published is known here
    for (const id of itsIncidents)
      expect(saidOf(survivor, id).find((r) => r['msg'] === 'no plan yet')?.['reason']).toMatch(
        /already drafted|is under way/,
      );
  }, 300_000);
});
