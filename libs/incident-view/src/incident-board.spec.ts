import type {
  IncidentEvent,
  RcaResult,
  RemediationExecution,
  RemediationPlan,
} from '@vigil/contracts';
import { IncidentBoard } from './incident-board';
import { approval } from './testing/decision-fixtures';

const t = (s: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, s)).toISOString();

function opened(id: string, at: number, extra: Partial<IncidentEvent['incident']> = {}) {
  return {
    schemaVersion: 1,
    eventId: `${id}:1`,
    incidentId: id,
    at: t(at),
    type: 'opened',
    fingerprint: `${id}-f1`,
    reason: { kind: 'first-alert' },
    alert: {
      alertname: 'HighErrorRate',
      service: 'checkout',
      severity: 'critical',
      startsAt: t(at),
    },
    incident: {
      title: `errors ${id}`,
      severity: 'critical',
      status: 'open',
      services: ['checkout'],
      alertCount: 1,
      openedAt: t(at),
      updatedAt: t(at),
      ...extra,
    },
  } satisfies IncidentEvent;
}

const rca = (id: string, revision: number, service: string): RcaResult => ({
  schemaVersion: 1,
  incidentId: id,
  revision,
  generatedAt: t(10 + revision),
  method: 'test',
  candidates: [
    {
      service,
      rank: 1,
      score: 0.8,
      path: [service, 'checkout'],
      evidence: { metrics: [], logTemplates: [], alerts: [] },
    },
  ],
});

const plan = (id: string, planId: string): RemediationPlan => ({
  schemaVersion: 1,
  planId,
  incidentId: id,
  createdAt: t(20),
  faultClass: 'crash',
  summary: 'restart payment',
  steps: [{ stepId: 's1', action: 'restart', target: 'payment', params: {}, verification: [] }],
  provenance: { model: 'gemma', promptHash: 'abc', fallbackUsed: false },
});

const exec = (
  planId: string,
  n: number,
  type: RemediationExecution['type'],
  detail: RemediationExecution['detail'] = {},
): RemediationExecution => ({
  schemaVersion: 1,
  eventId: `${planId}:${n}`,
  planId,
  incidentId: 'i1',
  type,
  stepId: 's1',
  at: t(30 + n),
  detail,
});

/** A board with incident i1, its plan p1 and the executor's verdict that p1 needs approval. */
function awaitingApproval(
  reasons: number,
  reasonFields: Record<string, string> = {},
): IncidentBoard {
  const board = new IncidentBoard();
  board.applyIncidentEvent(opened('i1', 0));
  board.applyPlan(plan('i1', 'p1'));
  board.applyExecution(
    exec('p1', 1, 'verdict', {
      verdict: 'needs-approval',
      reasons,
      ...reasonFields,
      approvedBy: '[]',
      decisionIds: '[]',
    }),
  );
  return board;
}

describe('IncidentBoard', () => {
  it('lists an incident with its alert, root cause and plan state, whatever order topics arrive in', () => {
    const board = new IncidentBoard();
    // the root cause and the plan come before the incident itself
    expect(board.applyRca(rca('i1', 0, 'payment'))).toBeUndefined();
    expect(board.applyPlan(plan('i1', 'p1'))).toBeUndefined();
    expect(board.list()).toEqual([]);
    const item = board.applyIncidentEvent(opened('i1', 0));
    expect(item).toMatchObject({
      incidentId: 'i1',
      status: 'open',
      rootCause: { service: 'payment', score: 0.8 },
      planState: 'drafted',
    });
    const view = board.get('i1');
    expect(view?.alerts).toEqual([
      expect.objectContaining({
        fingerprint: 'i1-f1',
        alert: expect.objectContaining({ alertname: 'HighErrorRate' }),
      }),
    ]);
    expect(view?.timeline.map((e) => e.kind)).toEqual(['incident', 'rca', 'plan']);
  });

  it('keeps the newest root-cause revision even when an older one arrives late', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('i1', 0));
    board.applyRca(rca('i1', 2, 'payment-db'));
    expect(board.applyRca(rca('i1', 1, 'payment'))).toBeUndefined();
    expect(board.get('i1')?.rootCause?.service).toBe('payment-db');
  });

  it('keeps a plan waiting for approval after the executor refused a forged decision on it', () => {
    const board = awaitingApproval(0);
    board.applyExecution({ ...exec('p1', 2, 'decision-refused', {}), stepId: undefined });
    expect(board.plan('p1')?.state).toBe('awaiting-approval');
    // nor does a forged reject stop it, once the executor has refused it
    board.applyDecision(
      approval(t(33), {
        decisionId: 'forged-1',
        decision: 'reject',
        by: { user: 'mallory', role: 'approver' },
        via: 'api',
      }),
    );
    expect(board.plan('p1')?.state).toBe('rejected');
    const refusal = exec('p1', 3, 'decision-refused', { decisionId: 'forged-1' });
    board.applyExecution({ ...refusal, stepId: undefined });
    expect(board.plan('p1')?.state).toBe('awaiting-approval');
  });

  it('follows a plan from approval to completion, with each step verdict and outcome', () => {
    const board = awaitingApproval(1, {
      'reason.1.code': 'approval-required',
      'reason.1.effect': 'needs-approval',
      'reason.1.message': 'restart of payment needs an approver',
    });
    expect(board.plan('p1')?.state).toBe('awaiting-approval');
    expect(board.plan('p1')?.steps[0]?.verdict).toEqual({
      verdict: 'needs-approval',
      reasons: [
        {
          code: 'approval-required',
          effect: 'needs-approval',
          message: 'restart of payment needs an approver',
        },
      ],
    });
    board.applyDecision(approval(t(40)));
    board.applyExecution(exec('p1', 12, 'step-started'));
    expect(board.get('i1')?.planState).toBe('running');
    board.applyExecution(exec('p1', 13, 'step-succeeded'));
    board.applyExecution(exec('p1', 14, 'plan-completed'));
    const view = board.plan('p1');
    expect(view?.state).toBe('completed');
    expect(view?.steps[0]?.outcome).toBe('succeeded');
    expect(view?.decisions.map((d) => d.by.user)).toEqual(['ann']);
    // the same audit event twice (a redelivery) is kept once
    expect(board.applyExecution(exec('p1', 14, 'plan-completed'))).toBeUndefined();
    expect(board.plan('p1')?.audit).toHaveLength(5 - 1);
  });

  it('shows a rejected plan as rejected, and decisions that came before their plan', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('i1', 0));
    board.applyDecision(
      approval(t(40), { decision: 'reject', by: { user: 'rob', role: 'responder' }, via: 'slack' }),
    );
    board.applyPlan(plan('i1', 'p1'));
    expect(board.plan('p1')?.state).toBe('rejected');
  });

  it('puts people’s acknowledge and resolve on top of the correlator status; new alerts reopen it', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('i1', 0));
    const by = { user: 'ann', role: 'responder' as const };
    const action = (action: 'acknowledge' | 'resolve', at: number) => ({
      schemaVersion: 1 as const,
      actionId: `${action}-${at}`,
      incidentId: 'i1',
      action,
      by,
      via: 'console' as const,
      at: t(at),
    });
    expect(board.applyAction(action('acknowledge', 5))?.status).toBe('acknowledged');
    expect(board.get('i1')?.acknowledgedBy).toEqual({ user: 'ann', at: t(5) });
    expect(board.applyAction(action('resolve', 6))?.status).toBe('resolved');
    const again = {
      ...opened('i1', 9, { updatedAt: t(9), alertCount: 2 }),
      type: 'alert-attached' as const,
      eventId: 'i1:2',
      fingerprint: 'i1-f2',
    };
    expect(board.applyIncidentEvent(again)?.status).toBe('open');
  });

  it('filters by status, severity, service, time and words', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('i1', 0));
    board.applyIncidentEvent({
      ...opened('i2', 30, {
        severity: 'warning',
        services: ['cart'],
        title: 'disk filling on cart',
      }),
      alert: { alertname: 'DiskFilling', service: 'cart', severity: 'warning', startsAt: t(30) },
    });
    board.applyRca(rca('i1', 0, 'payment'));
    const ids = (f: Parameters<IncidentBoard['list']>[0]) => board.list(f).map((i) => i.incidentId);
    expect(ids({})).toEqual(['i2', 'i1']);
    expect(ids({ severity: ['critical'] })).toEqual(['i1']);
    expect(ids({ service: 'cart' })).toEqual(['i2']);
    expect(ids({ q: 'DISK cart' })).toEqual(['i2']);
    expect(ids({ q: 'payment' })).toEqual(['i1']);
    expect(ids({ q: 'higherrorrate' })).toEqual(['i1']);
    expect(ids({ since: Date.parse(t(20)) })).toEqual(['i2']);
    expect(ids({ until: Date.parse(t(20)) })).toEqual(['i1']);
    expect(ids({ status: ['resolved'] })).toEqual([]);
  });

  it('forgets the oldest finished incidents first beyond its bound', () => {
    const board = new IncidentBoard({ maxIncidents: 2 });
    board.applyIncidentEvent(opened('old-open', 0));
    board.applyIncidentEvent(opened('old-resolved', 1, { status: 'resolved' }));
    board.applyIncidentEvent(opened('new', 2));
    expect(
      board
        .list()
        .map((i) => i.incidentId)
        .sort(),
    ).toEqual(['new', 'old-open']);
  });

  it('keeps redeliveries once: events, actions, plans (with what was decided about them)', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('i1', 0));
    expect(board.applyIncidentEvent(opened('i1', 0))).toBeUndefined();
    board.applyPlan(plan('i1', 'p1'));
    board.applyExecution(exec('p1', 12, 'step-started'));
    expect(board.applyPlan(plan('i1', 'p1'))).toBeUndefined();
    expect(board.plan('p1')?.state).toBe('running');
    const ack = {
      schemaVersion: 1 as const,
      actionId: 'a1',
      incidentId: 'i1',
      action: 'acknowledge' as const,
      by: { user: 'ann', role: 'responder' as const },
      via: 'slack' as const,
      at: t(5),
    };
    board.applyAction(ack);
    expect(board.applyAction(ack)).toBeUndefined();
    expect(board.get('i1')?.timeline.filter((e) => e.kind === 'action')).toHaveLength(1);
  });

  it('forgets who acknowledged when a resolved incident comes back', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('i1', 0));
    const by = { user: 'ann', role: 'responder' as const };
    for (const [action, at] of [
      ['acknowledge', 1],
      ['resolve', 2],
    ] as const)
      board.applyAction({
        schemaVersion: 1,
        actionId: `${action}`,
        incidentId: 'i1',
        action,
        by,
        via: 'console',
        at: t(at),
      });
    const back = {
      ...opened('i1', 9, { updatedAt: t(9), alertCount: 2 }),
      type: 'alert-attached' as const,
      eventId: 'i1:2',
      fingerprint: 'i1-f2',
    };
    expect(board.applyIncidentEvent(back)?.status).toBe('open');
    expect(board.get('i1')?.acknowledgedBy).toBeUndefined();
  });

  it('marks an alert flapping while its re-fires say so, and says why an incident resolved', () => {
    const board = new IncidentBoard();
    const first = opened('i1', 0);
    board.applyIncidentEvent(first);
    const refire = (seq: number, flapping: boolean): IncidentEvent => ({
      ...first,
      eventId: `i1:${seq}`,
      at: t(seq),
      type: 'alert-attached',
      reason: { kind: 'same-fingerprint' },
      alert: { ...first.alert, ...(flapping && { flapping: true }) },
    });
    board.applyIncidentEvent(refire(2, true));
    expect(board.get('i1')?.alerts).toEqual([expect.objectContaining({ flapping: true })]);
    board.applyIncidentEvent(refire(3, false));
    expect(board.get('i1')?.alerts[0]?.flapping).toBeUndefined();

    const { fingerprint: _f, reason: _r, alert: _a, ...base } = first;
    board.applyIncidentEvent({
      ...base,
      eventId: 'i1:4',
      at: t(4),
      type: 'resolved',
      reason: 'resolve-timeout',
      incident: { ...first.incident, status: 'resolved' },
    });
    expect(board.get('i1')?.timeline.at(-1)?.text).toContain('resolve timeout');
  });
});

describe('IncidentBoard: when an incident last changed', () => {
  it('is the latest of its events and of what came about it, in whatever order they arrive', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('i1', 1));
    expect(board.list()[0]?.updatedAt).toBe(t(1));
    board.applyPlan(plan('i1', 'p1'));
    expect(board.list()[0]?.updatedAt).toBe(t(20));
    // a ranking of an earlier moment, delivered late, does not move it back
    board.applyRca(rca('i1', 0, 'payment'));
    expect(board.list()[0]?.updatedAt).toBe(t(20));
    board.applyIncidentEvent({ ...opened('i1', 25), eventId: 'i1:2', type: 'alert-attached' });
    expect(board.list()[0]?.updatedAt).toBe(t(25));
  });
});
