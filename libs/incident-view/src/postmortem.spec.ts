import type { IncidentView } from './incident-view.types';
import { postmortemOf, renderPostmortemMarkdown } from './postmortem';
import { approval } from './testing/decision-fixtures';

const view: IncidentView = {
  incidentId: 'inc-1',
  title: 'checkout errors',
  severity: 'critical',
  status: 'resolved',
  services: ['checkout', 'payment'],
  alertCount: 1,
  openedAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T11:30:00.000Z',
  resolvedBy: { user: 'bob', at: '2026-11-27T11:30:00.000Z' },
  alerts: [
    {
      fingerprint: 'f1',
      at: '2026-11-27T10:00:00.000Z',
      reason: { kind: 'first-alert' },
      alert: {
        alertname: 'HighErrorRate',
        service: 'checkout',
        severity: 'critical',
        startsAt: '2026-11-27T10:00:00.000Z',
      },
    },
  ],
  timeline: [
    {
      at: '2026-11-27T10:00:00.000Z',
      kind: 'incident',
      text: 'opened by HighErrorRate on checkout',
    },
    {
      at: '2026-11-27T10:05:00.000Z',
      kind: 'decision',
      text: 'ann (approver) approved p1 via console',
    },
    {
      at: '2026-11-27T11:30:00.000Z',
      kind: 'action',
      text: 'bob resolved via slack: pool | size fixed',
    },
  ],
  rca: {
    schemaVersion: 1,
    incidentId: 'inc-1',
    revision: 1,
    generatedAt: '2026-11-27T10:01:00.000Z',
    method: 'test',
    candidates: [
      {
        service: 'payment',
        rank: 1,
        score: 0.91,
        path: ['payment', 'checkout'],
        evidence: {
          metrics: [
            {
              metric: 'latency_p99',
              score: 0.8,
              onset: '2026-11-27T09:59:00.000Z',
              direction: 'up',
            },
          ],
          logTemplates: [
            {
              templateId: 't1',
              template: 'connection pool exhausted',
              score: 0.7,
              pattern: 'error-burst',
            },
          ],
          alerts: [],
          deploys: [{ version: 'v42', at: '2026-11-27T09:55:00.000Z' }],
          missingSteps: [
            {
              from: 'entry POST /pay',
              to: 'call ledger POST /entries',
              usual: 0.9,
              expected: 12,
              observed: 1,
              surprise: 4.1,
            },
          ],
        },
      },
    ],
  },
  plans: [
    {
      plan: {
        schemaVersion: 1,
        planId: 'p1',
        incidentId: 'inc-1',
        createdAt: '2026-11-27T10:02:00.000Z',
        faultClass: 'bad-deploy',
        summary: 'roll back',
        steps: [
          {
            stepId: 's1',
            action: 'rollback-deployment',
            target: 'payment',
            params: {},
            verification: [],
          },
        ],
        provenance: { model: 'gemma', promptHash: 'h', fallbackUsed: false },
      },
      state: 'completed',
      steps: [
        {
          step: {
            stepId: 's1',
            action: 'rollback-deployment',
            target: 'payment',
            params: {},
            verification: [],
          },
          verdict: { verdict: 'needs-approval', reasons: [] },
          outcome: 'succeeded',
        },
      ],
      decisions: [approval('2026-11-27T10:05:00.000Z')],
      audit: [],
    },
  ],
};

describe('postmortem', () => {
  it('says how long the incident lasted and who ended it', () => {
    const pm = postmortemOf(view);
    expect(pm).toMatchObject({ resolvedAt: '2026-11-27T11:30:00.000Z', durationMs: 90 * 60_000 });
    expect(renderPostmortemMarkdown(pm)).toContain('- Duration: 1 h 30 min');
    expect(renderPostmortemMarkdown(pm)).toContain(
      '- Resolved by: bob at 2026-11-27T11:30:00.000Z',
    );
  });

  it('renders the timeline in order, the root cause with its evidence, and the plan with its decisions', () => {
    const md = renderPostmortemMarkdown(postmortemOf(view));
    const timeline = md.slice(md.indexOf('## Timeline'), md.indexOf('## Alerts'));
    expect(timeline.indexOf('opened by HighErrorRate')).toBeLessThan(
      timeline.indexOf('approved p1'),
    );
    expect(md).toContain('1. **payment** (score 0.91), path payment → checkout');
    expect(md).toContain('   - metric latency_p99 up from 2026-11-27T09:59:00.000Z (score 0.80)');
    expect(md).toContain('   - log error-burst: `connection pool exhausted` (score 0.70)');
    expect(md).toContain('   - deploy v42 at 2026-11-27T09:55:00.000Z');
    expect(md).toContain(
      '   - missing step `entry POST /pay` → `call ledger POST /entries`: 1 of 12 expected (usually 90%)',
    );
    expect(md).toContain('### Plan p1 (bad-deploy, drafted by gemma): completed');
    expect(md).toContain('| s1 | rollback-deployment | payment | needs-approval | succeeded |');
    expect(md).toContain('- 2026-11-27T10:05:00.000Z ann (approver) approve via console');
  });

  it("keeps people's text from breaking a line or a table", () => {
    const md = renderPostmortemMarkdown(postmortemOf(view));
    expect(md).toContain('bob resolved via slack: pool \\| size fixed');
  });

  it('says so when nothing was found or planned', () => {
    const md = renderPostmortemMarkdown(postmortemOf({ ...view, rca: undefined, plans: [] }));
    expect(md).toContain('No root cause was found.');
    expect(md).toContain('No remediation plan.');
  });
});
