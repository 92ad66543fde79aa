import type { RemediationDecision } from '@vigil/contracts';

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
