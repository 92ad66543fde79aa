import type { RemediationExecution, RemediationPlan } from '@vigil/contracts';
import { auditLine, planLine } from './incidents-command';

const at = '2026-11-27T11:28:18.000Z';

describe('the loop timeline', () => {
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
