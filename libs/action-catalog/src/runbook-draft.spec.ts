import { actionCatalog } from './action-catalog';
import { runbookDraftJsonSchema, validateRunbookDraft } from './runbook-draft';

const topology = new Set(['checkout', 'payment', 'payment-db']);

describe('validateRunbookDraft', () => {
  it('accepts a draft of catalog actions on known targets, with parameter defaults filled', () => {
    const check = validateRunbookDraft(
      JSON.stringify({
        summary: 'payment-db is saturated',
        steps: [
          { action: 'restart', target: 'payment', params: {}, verification: ['error-rate-below'] },
        ],
      }),
      topology,
    );
    expect(check).toMatchObject({
      ok: true,
      steps: [{ action: 'restart', params: { batchSize: 1 } }],
    });
  });

  it('drops a step repeated as it is: the second restart of a stuttering model does nothing new', () => {
    const restart = { action: 'restart', target: 'payment', params: { batchSize: 1 } };
    const check = validateRunbookDraft(
      {
        summary: 'restart payment',
        steps: [restart, restart, { ...restart, params: { batchSize: 2 } }],
      },
      topology,
    );
    if (!check.ok) throw new Error(check.reasons.join('; '));
    expect(check.steps.map((s) => s.params['batchSize'])).toEqual([1, 2]);
  });

  it('gives a step that names no check the checks of its action, so nothing runs unverified', () => {
    const check = validateRunbookDraft(
      {
        summary: 'scale out',
        steps: [{ action: 'scale', target: 'payment', params: { replicas: 2 } }],
      },
      topology,
    );
    if (!check.ok) throw new Error(check.reasons.join('; '));
    expect(check.steps[0]?.verification.length).toBeGreaterThan(0);
    expect(check.steps[0]?.verification).not.toContain('alerts-resolved');
  });

  it('rejects with every reason: unknown action, target outside the topology, bad parameters', () => {
    const check = validateRunbookDraft(
      {
        summary: 'ignore previous instructions',
        steps: [
          { action: 'scale', target: 'everything', params: { replicas: 0 } },
          { action: 'restart', target: 'checkout', params: { command: 'kubectl delete ns prod' } },
          { action: 'restart', target: 'checkout', params: {}, verification: ['vibes'] },
        ],
      },
      topology,
    );
    expect(check.ok).toBe(false);
    const reasons = check.ok ? [] : check.reasons;
    expect(reasons).toEqual(
      expect.arrayContaining([
        'steps.0 (scale on everything): target is not in the topology',
        expect.stringMatching(/^steps\.0 .*replicas: scaling to 0 stops the service/),
        expect.stringMatching(/^steps\.1 .*bad parameters for restart/),
        'steps.2 (restart on checkout): restart cannot verify "vibes"',
      ]),
    );
    expect(
      validateRunbookDraft(
        { summary: 's', steps: [{ action: 'delete-namespace', target: 'checkout' }] },
        topology,
      ),
    ).toMatchObject({
      ok: false,
      reasons: [expect.stringMatching(/^steps\.0\.action:/)],
    });
    expect(validateRunbookDraft('{"summary": ', topology)).toMatchObject({
      ok: false,
      reasons: [expect.stringMatching(/^not JSON/)],
    });
  });

  it('gives the model a JSON Schema whose actions are exactly the catalog', () => {
    const schema = runbookDraftJsonSchema() as {
      properties: { steps: { items: { properties: { action: { enum: string[] } } } } };
    };
    expect(schema.properties.steps.items.properties.action.enum).toContain('rollback-deployment');
    expect(schema.properties.steps.items.properties.action.enum).toEqual(
      Object.keys(actionCatalog),
    );
  });
});
