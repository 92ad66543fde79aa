import type { RcaResult, RemediationExecution, RemediationPlan } from '@vigil/contracts';
import { auditLine, planLine, rootCauseLine } from './incidents-command';

const at = '2026-11-27T11:28:18.000Z';

describe('the loop timeline', () => {
  it('shows a ranking, and the evidence source it was made without', () => {
    const result: RcaResult = {
      schemaVersion: 1,
      incidentId: 'inc-6a3c851dee8a',
      revision: 0,
      generatedAt: at,
      method: 'vigil-causal-walk-v1',
      candidates: [
        {
          service: 'checkout',
          rank: 1,
          score: 1.45,
          path: ['checkout', 'frontend'],
          evidence: { metrics: [], logTemplates: [], alerts: [] },
        },
      ],
    };
    const line =
      '11:28:18 ROOT-CAUSE     inc-6a3c851d [rev 0] 1. checkout (1.45): checkout ──▶ frontend';
    expect(rootCauseLine(result)).toBe(line);
    const sources = [
      { name: 'kafka', status: 'ok' as const },
      { name: 'prometheus', status: 'missing' as const, detail: 'connect ECONNREFUSED' },
    ];
    expect(rootCauseLine({ ...result, sources })).toBe(`${line} [without prometheus]`);
  });

  it('shows a plan with its fault class, origin and steps', () => {
    const plan: RemediationPlan = {
      schemaVersion: 1,
      planId: 'plan-inc-1-1',
      incidentId: 'inc-6a3c851dee8a',
      createdAt: at,
      faultClass: 'bad-deploy',
      summary: 'roll back',
      steps: [
        {
          stepId: 's1',
          action: 'rollback-deployment',
          target: 'checkout',
          params: {},
          verification: [],
        },
      ],
      provenance: { model: 'gemma', promptHash: 'x', fallbackUsed: true },
    };
    expect(planLine(plan)).toBe(
      '11:28:18 PLAN           inc-6a3c851d bad-deploy (known-good runbook): rollback-deployment checkout',
    );
  });

  it('shows the guardrail verdict, the step and the outcome, and leaves out the bookkeeping', () => {
    const event = (type: RemediationExecution['type'], detail: RemediationExecution['detail']) => ({
      schemaVersion: 1 as const,
      eventId: type,
      planId: 'p',
      incidentId: 'inc-6a3c851dee8a',
      type,
      at,
      detail,
    });
    expect(
      auditLine(event('verdict', { action: 'restart', target: 'payment', verdict: 'allow' })),
    ).toBe('11:28:18 GUARDRAILS     inc-6a3c851d restart payment: allow');
    expect(auditLine(event('plan-completed', { outcome: 'succeeded' }))).toContain('HEALED');
    expect(auditLine(event('step-succeeded', { message: 'ok' }))).toBeUndefined();
  });
});
