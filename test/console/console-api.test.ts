import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { decodeEvent, Topics, type RemediationDecision } from '@vigil/contracts';
import type { EventPublisher } from '@vigil/messaging';
import { planContentHash } from '@vigil/remediation-engine';
import { collectFromTopic, testKafka, testPublisher } from '../support/kafka-test-kit';
import { startService, type ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';
import { ConsoleClient } from './console-client';
import { incidentStory, PASSWORD, writeUsersFile } from './console-fixtures';

const runId = randomUUID().slice(0, 8);
const PORT = 3196;
const base = `http://127.0.0.1:${PORT}`;

describe('console API: sessions, CSRF and every role rule', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let console_: ServiceProcess;
  const story = incidentStory(`k${runId}`, `inc-k${runId}`);
  const incidentId = story.opened.incidentId;
  const planId = story.plan.planId;
  const secondPlan = { ...story.plan, planId: `${story.plan.planId}-b` };
  const as: Record<'vic' | 'rita' | 'ann', ConsoleClient> = {} as never;

  beforeAll(async () => {
    kafka = testKafka();
    publisher = await testPublisher(kafka);
    console_ = await startService(
      'console',
      { CONSOLE_PORT: String(PORT), CONSOLE_USERS_FILE: await writeUsersFile(), LOG_LEVEL: 'warn' },
      PORT,
    );
    for (const name of ['vic', 'rita', 'ann'] as const)
      as[name] = await ConsoleClient.signIn(base, name, PASSWORD);
    await publisher.publish(Topics.incidents, story.opened);
    await publisher.publish(Topics.rca, story.rca);
    await publisher.publish(Topics.remediationPlans, story.plan);
    await publisher.publish(Topics.remediationPlans, secondPlan);
    await waitFor(
      'the console to know the plan',
      async () => {
        const view = (await (await as.vic.get(`/api/v1/incidents/${incidentId}`)).json()) as {
          plans?: unknown[];
        };
        return (view.plans?.length ?? 0) === 2;
      },
      60_000,
    );
  });

  afterAll(async () => {
    await console_?.stop();
    await publisher.disconnect();
  });

  it('refuses everything but sign-in without a session, and wrong passwords', async () => {
    expect((await fetch(`${base}/api/v1/incidents`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/stream`)).status).toBe(401);
    const wrong = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ann', password: 'guess' }),
    });
    expect(wrong.status).toBe(401);
    const malformed = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ann' }),
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('body.password');
  });

  it('lets every role read incidents, with the root cause and the plan', async () => {
    for (const client of Object.values(as)) {
      const list = (await (await client.get(`/api/v1/incidents?q=k${runId}`)).json()) as {
        incidents: Array<{ incidentId: string; rootCause?: { service: string } }>;
      };
      expect(list.incidents.map((i) => i.incidentId)).toEqual([incidentId]);
      expect(list.incidents[0]?.rootCause?.service).toBe(story.svc('payment-db'));
    }
    expect((await as.vic.get('/api/v1/incidents?severity=fatal')).status).toBe(400);
    expect((await as.vic.get('/api/v1/incidents/no-such-incident')).status).toBe(404);
    const topology = await as.vic.get(`/api/v1/incidents/${incidentId}/topology`);
    expect(topology.status).toBe(200);
    expect(await topology.json()).toMatchObject({ rootCause: story.svc('payment-db') });
  });

  it('streams changes to any signed-in role as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/api/v1/stream`, {
      headers: { cookie: as.vic.cookie },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(Buffer.from(first?.value ?? []).toString()).toContain('event: ready');
    controller.abort();
  });

  it('holds at most 5 streams per session: a sixth gets 429 until one closes', async () => {
    const client = await ConsoleClient.signIn(base, 'vic', PASSWORD);
    const controllers: AbortController[] = [];
    const open = async () => {
      const controller = new AbortController();
      const response = await fetch(`${base}/api/v1/stream`, {
        headers: { cookie: client.cookie },
        signal: controller.signal,
      });
      if (response.status === 200) controllers.push(controller);
      else await response.body?.cancel();
      return response.status;
    };
    try {
      for (let i = 0; i < 5; i++) expect(await open()).toBe(200);
      expect(await open()).toBe(429);
      // another session has its own streams
      const other = new AbortController();
      const elsewhere = await fetch(`${base}/api/v1/stream`, {
        headers: { cookie: as.ann.cookie },
        signal: other.signal,
      });
      expect(elsewhere.status).toBe(200);
      other.abort();
      controllers.shift()?.abort();
      await waitFor('a freed stream slot', async () => (await open()) === 200, 10_000);
    } finally {
      for (const c of controllers) c.abort();
    }
  });

  it('checks the CSRF header on every change, and takes sign-in only as JSON', async () => {
    for (const path of [
      `/api/v1/incidents/${incidentId}/resolve`,
      `/api/v1/plans/${planId}/decisions`,
      '/api/v1/auth/logout',
    ])
      expect((await as.ann.post(path, { decision: 'reject' }, null)).status).toBe(403);
    const form = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=ann&password=${PASSWORD}`,
    });
    expect(form.status).toBe(415);
    const none = await as.rita.post(`/api/v1/incidents/${incidentId}/acknowledge`, {}, null);
    expect(none.status).toBe(403);
    const forged = await as.rita.post(
      `/api/v1/incidents/${incidentId}/acknowledge`,
      {},
      'x'.repeat(43),
    );
    expect(forged.status).toBe(403);
    // another user's token is not this session's token
    const borrowed = await as.rita.post(
      `/api/v1/incidents/${incidentId}/acknowledge`,
      {},
      as.ann.csrfToken,
    );
    expect(borrowed.status).toBe(403);
  });

  it('applies the role rules: viewers look, responders acknowledge and reject, approvers approve', async () => {
    const ack = (c: ConsoleClient) => c.post(`/api/v1/incidents/${incidentId}/acknowledge`, {});
    const decide = (c: ConsoleClient, decision: string) =>
      c.post(`/api/v1/plans/${planId}/decisions`, { decision });
    expect((await ack(as.vic)).status).toBe(403);
    expect((await as.vic.post(`/api/v1/incidents/${incidentId}/resolve`, {})).status).toBe(403);
    const viewerApprove = await decide(as.vic, 'approve');
    expect(viewerApprove.status).toBe(403);
    expect(await viewerApprove.text()).toContain('vic is a viewer');
    expect((await decide(as.vic, 'reject')).status).toBe(403);
    const responderApprove = await decide(as.rita, 'approve');
    expect(responderApprove.status).toBe(403);
    expect(await responderApprove.text()).toContain('needs the approver role');
    expect((await decide(as.rita, 'launch')).status).toBe(400);
    expect(
      (await as.rita.post('/api/v1/plans/no-such-plan/decisions', { decision: 'reject' })).status,
    ).toBe(404);
    expect((await ack(as.rita)).status).toBe(202);
    // a responder may stop a plan
    const rejected = await as.rita.post(`/api/v1/plans/${secondPlan.planId}/decisions`, {
      decision: 'reject',
    });
    expect(rejected.status).toBe(202);
    const approved = await decide(as.ann, 'approve');
    expect(approved.status).toBe(202);
    const { decision } = (await approved.json()) as { decision: RemediationDecision };

    // On the topic: the approver's decision, and none of the refused ones before it.
    const messages = await collectFromTopic(
      kafka,
      Topics.remediationDecisions.name,
      (m) => m.key?.toString() === planId,
      (kept) => kept.some((m) => m.value?.toString().includes(decision.decisionId)),
    );
    const decisions = messages.flatMap((m) => {
      const d = decodeEvent(Topics.remediationDecisions, m.value);
      return d.ok ? [d.value] : [];
    });
    expect(decisions).toEqual([
      expect.objectContaining({
        decision: 'approve',
        planId,
        by: { user: 'ann', role: 'approver', displayName: 'ann' },
        via: 'console',
        // bound to the plan as ann saw it, signed with the console's key
        contentHash: planContentHash(story.plan),
        signer: 'console',
        signature: expect.any(String),
      }),
    ]);

    // The acknowledgement came back through Kafka into the view.
    await waitFor(
      'the acknowledgement in the incident view',
      async () => {
        const view = (await (await as.vic.get(`/api/v1/incidents/${incidentId}`)).json()) as {
          status: string;
          acknowledgedBy?: { user: string };
        };
        return view.status === 'acknowledged' && view.acknowledgedBy?.user === 'rita';
      },
      30_000,
    );
  });

  it('ends a session at sign-out', async () => {
    const client = await ConsoleClient.signIn(base, 'vic', PASSWORD);
    expect((await client.post('/api/v1/auth/logout', {})).status).toBe(204);
    expect((await client.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('slows down guessing: the sixth wrong password in a row gets 429', async () => {
    const attempt = () =>
      fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'rita', password: 'nope' }),
      });
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(401);
    const throttled = await attempt();
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses what no longer applies: a second acknowledgement, a decision on a decided plan', async () => {
    await waitFor(
      'the rejection in the plan view',
      async () => {
        const view = (await (await as.vic.get(`/api/v1/incidents/${incidentId}`)).json()) as {
          plans: Array<{ plan: { planId: string }; state: string }>;
        };
        return view.plans.some(
          (p) => p.plan.planId === secondPlan.planId && p.state === 'rejected',
        );
      },
      30_000,
    );
    const again = await as.ann.post(`/api/v1/plans/${secondPlan.planId}/decisions`, {
      decision: 'approve',
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('is rejected');
    const ackAgain = await as.ann.post(`/api/v1/incidents/${incidentId}/acknowledge`, {});
    expect(ackAgain.status).toBe(409);
    expect(await ackAgain.text()).toContain('already acknowledged by rita');
    // resolving is still open to a responder or an approver
    expect((await as.ann.post(`/api/v1/incidents/${incidentId}/resolve`, {})).status).toBe(202);
  });

  it('refuses approving a plan of a resolved incident, or an expired plan', async () => {
    const late = { ...story.plan, planId: `${planId}-late` };
    const old = incidentStory(`o${runId}`, `inc-o${runId}`);
    const expired = { ...old.plan, createdAt: new Date(Date.now() - 31 * 60_000).toISOString() };
    await publisher.publish(Topics.remediationPlans, late);
    await publisher.publish(Topics.incidents, old.opened);
    await publisher.publish(Topics.remediationPlans, expired);
    const planCount = async (id: string, status?: string) => {
      const view = (await (await as.vic.get(`/api/v1/incidents/${id}`)).json()) as {
        status?: string;
        plans?: unknown[];
      };
      return status !== undefined && view.status !== status ? 0 : (view.plans?.length ?? 0);
    };
    await waitFor(
      'the resolution and the late plan',
      async () => (await planCount(incidentId, 'resolved')) === 3,
      30_000,
    );
    await waitFor(
      'the expired plan',
      async () => (await planCount(old.opened.incidentId)) === 1,
      30_000,
    );
    const onResolved = await as.ann.post(`/api/v1/plans/${late.planId}/decisions`, {
      decision: 'approve',
    });
    expect(onResolved.status).toBe(409);
    expect(await onResolved.text()).toContain(`incident ${incidentId} is resolved`);
    const onExpired = await as.ann.post(`/api/v1/plans/${expired.planId}/decisions`, {
      decision: 'approve',
    });
    expect(onExpired.status).toBe(409);
    expect(await onExpired.text()).toContain(`plan ${expired.planId} expired`);
  });
});
