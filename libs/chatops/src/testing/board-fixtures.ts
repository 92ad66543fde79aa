import type {
  IncidentEvent,
  RcaResult,
  RemediationDecision,
  RemediationExecution,
  RemediationPlan,
} from '@vigil/contracts';

/** Events as the other services publish them, for filling an IncidentBoard in specs. */
export const t = (s: number): string => new Date(Date.UTC(2026, 10, 27, 10, 0, s)).toISOString();

export function opened(
  id: string,
  at: number,
  extra: Partial<IncidentEvent['incident']> = {},
): IncidentEvent {
  return {
    schemaVersion: 1,
    eventId: `${id}:1`,
    incidentId: id,
    at: t(at),
    type: 'opened',
    fingerprint: `${id}-f1`,
    reason: { kind: 'first-alert' },
    incident: {
      title: `catalog-db has no free connections (${id})`,
      severity: 'critical',
      status: 'open',
      services: ['catalog-db', 'catalog'],
      alertCount: 5,
      openedAt: t(at),
      updatedAt: t(at),
      ...extra,
    },
  };
}

export function rca(id: string, revision: number): RcaResult {
  return {
    schemaVersion: 1,
    incidentId: id,
    revision,
    generatedAt: t(10 + revision),
    method: 'test',
    candidates: [
      {
        service: 'catalog-db',
        rank: 1,
        score: 0.9,
        path: ['catalog-db', 'catalog'],
        evidence: { metrics: [], logTemplates: [], alerts: [] },
      },
    ],
  };
}

export function plan(id: string, planId: string, fallbackUsed = true): RemediationPlan {
  return {
    schemaVersion: 1,
    planId,
    incidentId: id,
    createdAt: t(20),
    faultClass: 'crash',
    summary: 'restart catalog-db',
    headline: 'crash on catalog-db: restart catalog-db',
    steps: [
      { stepId: 's1', action: 'restart', target: 'catalog-db', params: {}, verification: [] },
    ],
    provenance: { model: 'gemma-3-270m', promptHash: 'x', fallbackUsed },
  };
}

export function decision(
  planId: string,
  kind: RemediationDecision['decision'],
  user = 'ann',
): RemediationDecision {
  return {
    schemaVersion: 1,
    decisionId: `${planId}-${kind}-${user}`,
    planId,
    decision: kind,
    by: { user, role: 'approver' },
    via: 'slack',
    at: t(40),
  };
}

export function execution(
  planId: string,
  n: number,
  type: RemediationExecution['type'],
): RemediationExecution {
  return {
    schemaVersion: 1,
    eventId: `${planId}:${n}`,
    planId,
    incidentId: 'i1',
    type,
    stepId: 's1',
    at: t(50 + n),
    detail: {},
  };
}
