import type { IncidentSummary, RcaResult, RemediationPlan } from '@vigil/contracts';
import { incidentCard } from './incident-card';

const incident: IncidentSummary = {
  title: 'catalog-db has no free connections',
  severity: 'critical',
  status: 'open',
  services: ['catalog-db', '<!channel>'],
  alertCount: 5,
  openedAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:01:00.000Z',
};

describe('incidentCard', () => {
  it('shows the incident and an acknowledge button before anything else is known', () => {
    const blocks = incidentCard('inc-1', incident);
    const actions = blocks.find((b) => b.type === 'actions') as {
      elements: Array<{ action_id: string; value: string }>;
    };
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([['acknowledge', 'inc-1']]);
    // untrusted text cannot mention @channel
    expect(JSON.stringify(blocks)).not.toContain('<!channel>');
  });

  it('grows with the root cause and the plan: causes with paths, steps, approve and reject on the plan', () => {
    const rca = {
      revision: 2,
      candidates: [{ service: 'catalog-db', rank: 1, score: 0.9, path: ['catalog-db', 'catalog'] }],
    } as unknown as RcaResult;
    const plan = {
      planId: 'plan-1',
      faultClass: 'crash',
      steps: [{ action: 'restart', target: 'catalog-db' }],
      provenance: { model: 'gemma-3-270m', promptHash: 'x', fallbackUsed: true },
    } as unknown as RemediationPlan;
    const json = JSON.stringify(incidentCard('inc-1', incident, rca, plan));
    expect(json).toContain('catalog-db* (0.90): catalog-db → catalog');
    expect(json).toContain('1. restart *catalog-db*');
    expect(json).toContain('known-good runbook');
    const actions = incidentCard('inc-1', incident, rca, plan).find(
      (b) => b.type === 'actions',
    ) as {
      elements: Array<{ action_id: string; value: string }>;
    };
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([
      ['approve', 'plan-1'],
      ['reject', 'plan-1'],
      ['acknowledge', 'inc-1'],
    ]);
  });
});
