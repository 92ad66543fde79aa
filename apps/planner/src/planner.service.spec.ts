import type { LoggerService } from '@nestjs/common';
import { loadEnvConfig } from '@vigil/config';
import {
  Topics,
  type IncidentEvent,
  type RcaResult,
  type RemediationExecution,
  type RemediationPlan,
  type RootCauseCandidate,
} from '@vigil/contracts';
import { InMemoryTopologyRepository, type IncidentStoreRepository } from '@vigil/graph';
import {
  executionRecord,
  foldIncidentHistory,
  incidentRecord,
  planRecord,
  rcaRecord,
} from '@vigil/incident-view';
import { EventPublisher, InMemoryKafka } from '@vigil/messaging';
import { plannerEnv } from './planner.config';
import type { PlannerModel } from './planner-model';
import { PlannerService } from './planner.service';

// The real service on fakes: Kafka, the topology and the incident store in memory, and a model
// that answers at once. No broker, no Neo4j, no model gateway.

/** What the planner logged (its `log` level), to tell why something did not go out. */
const logged: unknown[] = [];
const quiet: LoggerService = {
  log: (message: unknown) => void logged.push(message),
  warn: () => undefined,
  error: () => undefined,
};
const dropped = () => logged.filter((m) => (m as { msg?: string }).msg === 'follow-up dropped');

/** What the fake model drafts: a rollback of payment (the known-good runbook for a crash restarts). */
const rollback = JSON.stringify({
  summary: 'Roll payment back to its previous version',
  steps: [
    {
      action: 'rollback-deployment',
      target: 'payment',
      params: {},
      rationale: 'payment fails since its last release',
      verification: [],
    },
  ],
});

/** payment is gone (TargetDown) and its throughput fell: a crash. */
const payment = (score: number): RootCauseCandidate => ({
  service: 'payment',
  rank: 1,
  score,
  path: ['payment', 'checkout'],
  evidence: {
    metrics: [
      { metric: 'throughput', score: 40, onset: new Date().toISOString(), direction: 'down' },
    ],
    logTemplates: [],
    alerts: [{ fingerprint: 'f1', alertname: 'TargetDown', startsAt: new Date().toISOString() }],
  },
});
const checkout = (score: number): RootCauseCandidate => ({
  ...payment(score),
  service: 'checkout',
  path: ['checkout'],
});

/** payment's throughput fell and an alert nobody classifies fired: a fault of no known class. */
const oddPayment = (score: number): RootCauseCandidate => ({
  ...payment(score),
  evidence: {
    metrics: [
      { metric: 'throughput', score: 40, onset: new Date().toISOString(), direction: 'down' },
    ],
    logTemplates: [],
    alerts: [{ fingerprint: 'f2', alertname: 'PaymentOdd', startsAt: new Date().toISOString() }],
  },
});

/** The old order: the model drafts first, the known-good runbook is its fallback. */
const modelFirst = { PLANNER_KNOWN_GOOD_FIRST: 'false' };

let revision = 0;
const ranking = (incidentId: string, ...candidates: RootCauseCandidate[]): RcaResult => ({
  schemaVersion: 1,
  incidentId,
  revision: revision++,
  generatedAt: new Date().toISOString(),
  method: 'test',
  candidates,
});

function incidentEvent(
  incidentId: string,
  type: 'opened' | 'resolved',
  eventId = `${incidentId}:${type}`,
): IncidentEvent {
  const now = new Date().toISOString();
  const base = {
    schemaVersion: 1 as const,
    eventId,
    incidentId,
    at: now,
    incident: {
      title: 'checkout errors',
      severity: 'critical' as const,
      status: type === 'opened' ? ('open' as const) : ('resolved' as const),
      services: ['checkout'],
      alertCount: 1,
      openedAt: now,
      updatedAt: now,
    },
  };
  return type === 'opened'
    ? { ...base, type, fingerprint: 'f', reason: { kind: 'first-alert' } }
    : { ...base, type };
}

function planEnd(
  plan: RemediationPlan,
  type: 'plan-completed' | 'plan-aborted',
): RemediationExecution {
  return {
    schemaVersion: 1,
    eventId: `${plan.planId}:end`,
    planId: plan.planId,
    incidentId: plan.incidentId,
    type,
    at: new Date().toISOString(),
    detail: type === 'plan-aborted' ? { cause: 'failed', outcome: 'failed' } : {},
  };
}

type History = Pick<IncidentStoreRepository, 'candidatesLike' | 'get'>;

/**
 * The incident store as topology-sync writes it: every incident folded from what is on the
 * topics. Candidates are every other stored incident (the ranking is the planner's).
 */
function storeOver(kafka: () => InMemoryKafka): History {
  const stored = () => {
    const on = kafka();
    const records = [
      ...on.published(Topics.incidents).map(incidentRecord),
      ...on.published(Topics.rca).map(rcaRecord),
      ...on.published(Topics.remediationPlans).map(planRecord),
      ...on.published(Topics.remediationExecutions).map(executionRecord),
    ];
    const ids = new Set(records.flatMap((r) => (r.incidentId ? [r.incidentId] : [])));
    return [...ids].flatMap((id) => {
      const folded = foldIncidentHistory(
        id,
        records.filter((r) => r.incidentId === id),
      );
      return folded ? [folded] : [];
    });
  };
  return {
    candidatesLike: async (target, options = {}) =>
      stored().filter(
        (i) => i.id !== target.id && (!options.planState || i.planState === options.planState),
      ),
    get: async (id) => {
      const found = stored().find((i) => i.id === id);
      return found && { view: found.view };
    },
  };
}

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('PlannerService (root causes in, plans out) on fakes', () => {
  let kafka: InMemoryKafka;
  let model: PlannerModel & { drafts: number; answer: string };
  let service: PlannerService;
  const plans = () => kafka.published(Topics.remediationPlans);

  /** Sends, then waits until the planner's worker has drafted what the events called for. */
  async function send<S extends Parameters<InMemoryKafka['send']>[0]>(
    topic: S,
    events: Parameters<InMemoryKafka['send']>[1],
  ): Promise<void> {
    await kafka.send(topic, events);
    await service.idle();
  }

  /** `on`: the Kafka of a planner that ran before (a restart); a new one by default. */
  async function start(
    env: Record<string, string> = {},
    on = new InMemoryKafka(),
    history: History | undefined = storeOver(() => kafka),
  ): Promise<void> {
    kafka = on;
    const topology = new InMemoryTopologyRepository();
    await topology.upsertEntity({ id: 'payment', kind: 'service', properties: { replicas: 2 } });
    await topology.upsertEntity({ id: 'checkout', kind: 'service', properties: { replicas: 3 } });
    await topology.upsertEdge({ type: 'CALLS', from: 'checkout', to: 'payment' });
    model = {
      drafts: 0,
      answer: rollback,
      async complete() {
        model.drafts++;
        return model.answer;
      },
      // every incident here tells the same story: a plan that worked is found again
      embed: async () => [1, 0, 0],
    };
    service = new PlannerService(
      loadEnvConfig(plannerEnv, env, () => undefined),
      quiet,
      kafka.client,
      new EventPublisher(kafka.client),
      topology.repository,
      model,
      history,
    );
    await service.onApplicationBootstrap();
  }

  afterEach(async () => {
    await service.onApplicationShutdown();
    logged.length = 0;
  });

  it('drafts exactly one plan for a diagnosis once it has settled', async () => {
    await start({ ...modelFirst, PLANNER_SETTLE_MS: '300' });
    await send(Topics.incidents, [incidentEvent('inc-1', 'opened')]);
    // payment leads, but not decisively: the planner waits for the lead to hold
    await send(Topics.rca, [ranking('inc-1', payment(1), checkout(0.8))]);
    expect(plans()).toHaveLength(0);
    // no newer ranking comes: the planner looks again once the wait is over
    await until(() => plans().length > 0);
    await send(Topics.rca, [
      ranking('inc-1', payment(1), checkout(0.8)),
      ranking('inc-1', payment(1.2), checkout(0.7)),
    ]);
    expect(plans()).toHaveLength(1);
    expect(plans()[0]).toMatchObject({
      incidentId: 'inc-1',
      faultClass: 'crash',
      headline: 'crash on payment: rollback-deployment payment',
      steps: [{ stepId: 's1', action: 'rollback-deployment', target: 'payment' }],
      provenance: { model: 'gemma-3-270m', fallbackUsed: false, similarPlans: [] },
    });
  });

  it('drafts nothing for an incident that resolved, even one that resolved while the model wrote', async () => {
    await start(modelFirst);
    await send(Topics.incidents, [
      incidentEvent('inc-1', 'opened'),
      incidentEvent('inc-1', 'resolved'),
    ]);
    await send(Topics.rca, [ranking('inc-1', payment(1))]);
    expect(model.drafts).toBe(0);

    await send(Topics.incidents, [incidentEvent('inc-2', 'opened')]);
    const complete = model.complete;
    model.complete = async (...args) => {
      await kafka.send(Topics.incidents, [incidentEvent('inc-2', 'resolved')]);
      return complete(...args);
    };
    await send(Topics.rca, [ranking('inc-2', payment(1))]);
    expect(model.drafts).toBe(1);
    expect(plans()).toHaveLength(0);
  });

  it('with known-good first off, drafts first and follows a failed model plan with the known-good runbook, once', async () => {
    await start(modelFirst);
    await send(Topics.incidents, [incidentEvent('inc-1', 'opened')]);
    await send(Topics.rca, [ranking('inc-1', payment(1))]);
    expect(plans()).toHaveLength(1);
    const [drafted] = plans() as [RemediationPlan];
    expect(drafted.provenance.fallbackUsed).toBe(false);

    await send(Topics.remediationExecutions, [planEnd(drafted, 'plan-aborted')]);
    expect(plans()).toHaveLength(2);
    const retry = plans()[1] as RemediationPlan;
    expect(retry).toMatchObject({
      incidentId: 'inc-1',
      summary: `Known-good runbook for crash on payment, after ${drafted.planId} failed`,
      provenance: { fallbackUsed: true, promptHash: 'known-good' },
    });
    expect(retry.steps.map((s) => `${s.action} ${s.target}`)).toEqual(['restart payment']);

    // the known-good runbook fails too: the incident is left to a human
    await send(Topics.remediationExecutions, [planEnd(retry, 'plan-aborted')]);
    expect(plans()).toHaveLength(2);
  });

  it('shows the model a plan that worked when the same story comes again, after a restart too', async () => {
    const prompts: string[] = [];
    await start({ ...modelFirst, PLANNER_COOL_DOWN_MS: '0' });
    await send(Topics.incidents, [incidentEvent('inc-1', 'opened')]);
    await send(Topics.rca, [ranking('inc-1', payment(1))]);
    const [worked] = plans() as [RemediationPlan];
    // the store holds it, but a plan that has not ended is no example yet
    expect(worked.provenance.similarPlans).toEqual([]);
    await send(Topics.remediationExecutions, [planEnd(worked, 'plan-completed')]);

    // the examples are in the store, not in the planner: a restarted one finds them
    await service.onApplicationShutdown();
    await start({ ...modelFirst, PLANNER_COOL_DOWN_MS: '0' }, kafka);
    const complete = model.complete;
    model.complete = async (...args) => {
      prompts.push(JSON.stringify(args[0]));
      return complete(...args);
    };
    await send(Topics.incidents, [incidentEvent('inc-2', 'opened')]);
    await send(Topics.rca, [ranking('inc-2', payment(1))]);
    expect(plans()).toHaveLength(2);
    expect(plans()[1]?.provenance.similarPlans).toEqual([worked.planId]);
    expect(prompts.join()).toContain('rollback-deployment payment -> completed');
  });

  it('drafts without examples when the store cannot be read', async () => {
    await start(modelFirst, new InMemoryKafka(), {
      candidatesLike: async () => Promise.reject(new Error('neo4j is down')),
      get: async () => undefined,
    });
    await send(Topics.incidents, [incidentEvent('inc-1', 'opened')]);
    await send(Topics.rca, [ranking('inc-1', payment(1))]);
    expect(plans()).toHaveLength(1);
    expect(plans()[0]?.provenance.similarPlans).toEqual([]);
  });

  it('does not draft the same diagnosis again after a restart', async () => {
    await start();
    await send(Topics.incidents, [incidentEvent('inc-1', 'opened')]);
    await send(Topics.rca, [ranking('inc-1', payment(1))]);
    expect(plans()).toHaveLength(1);

    await service.onApplicationShutdown();
    await start({}, kafka);
    // the ranking comes again (its offset was not committed before the crash)
    await send(Topics.rca, [ranking('inc-1', payment(1))]);
    expect(model.drafts).toBe(0);
    expect(plans()).toHaveLength(1);
  });

  it('gives the plan of a later episode a new id, even across a restart', async () => {
    await start({ PLANNER_COOL_DOWN_MS: '0' });
    await send(Topics.incidents, [incidentEvent('inc-1', 'opened')]);
    await send(Topics.rca, [ranking('inc-1', payment(1))]);
    const [first] = plans() as [RemediationPlan];
    await send(Topics.remediationExecutions, [planEnd(first, 'plan-completed')]);
    await send(Topics.incidents, [incidentEvent('inc-1', 'resolved')]);

    await service.onApplicationShutdown();
    await start({ PLANNER_COOL_DOWN_MS: '0' }, kafka);
    // the symptoms come back: a second episode
    await send(Topics.incidents, [incidentEvent('inc-1', 'opened', 'inc-1:reopened')]);
    await send(Topics.rca, [ranking('inc-1', payment(1))]);
    expect(plans()).toHaveLength(2);
    expect(plans()[1]?.planId).not.toBe(first.planId);
  });

  it('answers the consumer before the draft is written: drafting runs beside it', async () => {
    await start(modelFirst);
    let release: (() => void) | undefined;
    const complete = model.complete;
    model.complete = async (...args) => {
      await new Promise<void>((resolve) => (release = resolve));
      return complete(...args);
    };
    await kafka.send(Topics.incidents, [incidentEvent('inc-1', 'opened')]);
    // the handler returned (send resolved) while the model still writes
    await kafka.send(Topics.rca, [ranking('inc-1', payment(1))]);
    await until(() => release !== undefined);
    expect(plans()).toHaveLength(0);
    release?.();
    await until(() => plans().length === 1);
  });
  describe('known-good first (the default)', () => {
    const steps = (plan: RemediationPlan | undefined) =>
      plan?.steps.map((s) => `${s.action} ${s.target}`);

    it('sends the known-good plan before any model call completes, for every incident', async () => {
      await start({ PLANNER_DRAFT_BUDGET_MS: '2000' });
      let completed = 0;
      // a model that never answers: nothing may wait for it
      model.complete = () => {
        model.drafts++;
        return new Promise<string>(() => undefined).finally(() => completed++);
      };
      await kafka.send(Topics.incidents, [
        incidentEvent('inc-1', 'opened'),
        incidentEvent('inc-2', 'opened'),
      ]);
      await kafka.send(Topics.rca, [ranking('inc-1', payment(1))]);
      await until(() => plans().length === 1 && model.drafts === 1);
      expect(plans()[0]).toMatchObject({
        incidentId: 'inc-1',
        summary: 'Known-good runbook for crash on payment',
        provenance: { fallbackUsed: true, promptHash: 'known-good', similarPlans: [] },
      });
      expect(steps(plans()[0])).toEqual(['restart payment']);
      // the model still writes for inc-1: inc-2's known-good plan does not wait for it
      await kafka.send(Topics.rca, [ranking('inc-2', checkout(1))]);
      await until(() => plans().length === 2);
      expect(steps(plans()[1])).toEqual(['restart checkout']);
      expect(completed).toBe(0);

      // the first plan fails; the model's follow-up never came: nothing follows it
      await send(Topics.remediationExecutions, [
        planEnd(plans()[0] as RemediationPlan, 'plan-aborted'),
      ]);
      expect(plans()).toHaveLength(2);
      expect(completed).toBe(0);
      expect(dropped()).toEqual([
        expect.objectContaining({
          after: plans()[0]?.planId,
          reason: expect.stringContaining("the model's draft failed: no draft in 3000 ms"),
        }),
        expect.objectContaining({ after: plans()[1]?.planId }),
      ]);
    }, 20_000);

    it("holds the model's plan while the first plan is out, and sends it when that one failed", async () => {
      await start();
      await send(Topics.incidents, [incidentEvent('inc-1', 'opened')]);
      await send(Topics.rca, [ranking('inc-1', payment(1))]);
      // the model wrote its rollback (new beside the restart), but the restart is still out
      expect(model.drafts).toBe(1);
      expect(plans()).toHaveLength(1);
      const [first] = plans() as [RemediationPlan];
      expect(first.provenance.fallbackUsed).toBe(true);

      await send(Topics.remediationExecutions, [planEnd(first, 'plan-aborted')]);
      expect(plans()).toHaveLength(2);
      const followUp = plans()[1] as RemediationPlan;
      expect(followUp).toMatchObject({
        incidentId: 'inc-1',
        summary: 'Roll payment back to its previous version',
        provenance: { fallbackUsed: false, promptHash: expect.stringMatching(/^[0-9a-f]{16}$/) },
      });
      expect(steps(followUp)).toEqual(['rollback-deployment payment']);
      expect(followUp.planId).not.toBe(first.planId);

      // the follow-up fails too: the known-good runbook went first, nothing more goes out
      await send(Topics.remediationExecutions, [planEnd(followUp, 'plan-aborted')]);
      expect(plans()).toHaveLength(2);
    });

    it('sends no model plan after a first plan that healed', async () => {
      await start();
      await send(Topics.incidents, [incidentEvent('inc-1', 'opened')]);
      await send(Topics.rca, [ranking('inc-1', payment(1))]);
      await send(Topics.remediationExecutions, [
        planEnd(plans()[0] as RemediationPlan, 'plan-completed'),
      ]);
      expect(model.drafts).toBe(1);
      expect(plans()).toHaveLength(1);
      expect(dropped()).toEqual([
        expect.objectContaining({ reason: `${plans()[0]?.planId} completed: no second plan` }),
      ]);
    });

    it("drops the model's plan when it treats nothing the first did not", async () => {
      await start();
      model.answer = JSON.stringify({
        summary: 'Restart payment',
        steps: [
          {
            action: 'restart',
            target: 'payment',
            params: { batchSize: 2 },
            rationale: 'payment is gone',
            verification: ['healthy-instances'],
          },
        ],
      });
      await send(Topics.incidents, [incidentEvent('inc-1', 'opened')]);
      await send(Topics.rca, [ranking('inc-1', payment(1))]);
      expect(model.drafts).toBe(1);
      await send(Topics.remediationExecutions, [
        planEnd(plans()[0] as RemediationPlan, 'plan-aborted'),
      ]);
      expect(plans()).toHaveLength(1);
      expect(dropped()).toEqual([
        expect.objectContaining({ reason: expect.stringContaining('treats nothing') }),
      ]);
    });

    it('lets the model draft first for a fault no known-good runbook treats', async () => {
      // a fault of no known class may be a callee's: planned for once the lead has held
      await start({ PLANNER_SETTLE_MS: '0' });
      let published = -1;
      const complete = model.complete;
      model.complete = async (...args) => {
        published = plans().length;
        return complete(...args);
      };
      await send(Topics.incidents, [incidentEvent('inc-1', 'opened')]);
      await send(Topics.rca, [ranking('inc-1', oddPayment(1))]);
      expect(published).toBe(0);
      expect(plans()).toHaveLength(1);
      expect(plans()[0]).toMatchObject({
        faultClass: 'unknown',
        provenance: { fallbackUsed: false },
      });
      expect(steps(plans()[0])).toEqual(['rollback-deployment payment']);
    });
  });
});
