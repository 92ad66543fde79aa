import type { IncidentAction, RemediationDecision } from '@vigil/contracts';

// People's decisions and actions for the specs, the history tests and corpus
// (`@vigil/incident-view/testing`).

/** Ann approving plan p1 in the console at `at`; `overrides` change who, how or what. */
export function approval(
  at: string,
  overrides: Partial<RemediationDecision> = {},
): RemediationDecision {
  return {
    schemaVersion: 1,
    decisionId: 'd1',
    planId: 'p1',
    decision: 'approve',
    by: { user: 'ann', role: 'approver' },
    via: 'console',
    at,
    ...overrides,
  };
}

/** Rita acknowledging incident i1 in the console at `at`; `overrides` change who, how or what. */
export function acknowledgement(
  at: string,
  overrides: Partial<IncidentAction> = {},
): IncidentAction {
  return {
    schemaVersion: 1,
    actionId: 'a1',
    incidentId: 'i1',
    action: 'acknowledge',
    by: { user: 'rita', role: 'responder' },
    via: 'console',
    at,
    ...overrides,
  };
}
