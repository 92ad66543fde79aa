import { decisionRefusal, incidentActionRefusal } from './action-applicability';
import type { IncidentView, PlanView } from './incident-view.types';

const plan = (state: PlanView['state']) => ({ state }) as PlanView;
const incident = (status: IncidentView['status']) =>
  ({ status, acknowledgedBy: { user: 'rita', at: '' } }) as IncidentView;

describe('whether a decision or an incident action still applies', () => {
  it('lets a waiting plan be approved or rejected, and a running one only stopped', () => {
    expect(decisionRefusal(plan('drafted'), 'p1', 'approve')).toBeUndefined();
    expect(decisionRefusal(plan('awaiting-approval'), 'p1', 'reject')).toBeUndefined();
    expect(decisionRefusal(plan('running'), 'p1', 'reject')).toBeUndefined();
    expect(decisionRefusal(plan('running'), 'p1', 'approve')).toBe(
      'plan p1 is running: there is nothing to approve',
    );
  });

  it('refuses decisions on finished or unknown plans (an old Slack card, a stale page)', () => {
    for (const state of ['completed', 'aborted', 'rejected'] as const)
      expect(decisionRefusal(plan(state), 'p1', 'approve')).toContain(`is ${state}`);
    expect(decisionRefusal(undefined, 'p9', 'approve')).toBe('no plan p9');
  });

  it('refuses approving a plan of a resolved incident or an expired plan, but lets it be rejected', () => {
    const drafted = {
      state: 'awaiting-approval',
      plan: { incidentId: 'i1', createdAt: '2025-06-04T12:00:00Z' },
    } as PlanView;
    const ttl = { planTtlMs: 30 * 60_000, now: Date.parse('2025-06-04T12:20:00Z') };
    expect(decisionRefusal(drafted, 'p1', 'approve', { ...ttl, incident: incident('open') })).toBe(
      undefined,
    );
    expect(
      decisionRefusal(drafted, 'p1', 'approve', { ...ttl, incident: incident('resolved') }),
    ).toBe('incident i1 is resolved: plan p1 no longer applies');
    const later = { ...ttl, now: Date.parse('2025-06-04T12:30:01Z') };
    expect(decisionRefusal(drafted, 'p1', 'approve', later)).toContain('plan p1 expired');
    expect(decisionRefusal(drafted, 'p1', 'reject', later)).toBeUndefined();
  });

  it('acknowledges an open incident once, and resolves anything not yet resolved', () => {
    expect(incidentActionRefusal(incident('open'), 'i1', 'acknowledge')).toBeUndefined();
    expect(incidentActionRefusal(incident('acknowledged'), 'i1', 'acknowledge')).toBe(
      'incident i1 is already acknowledged by rita',
    );
    expect(incidentActionRefusal(incident('acknowledged'), 'i1', 'resolve')).toBeUndefined();
    expect(incidentActionRefusal(incident('resolved'), 'i1', 'resolve')).toContain('already');
    expect(incidentActionRefusal(undefined, 'i9', 'resolve')).toBe('no incident i9');
  });
});
