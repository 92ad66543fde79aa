import { IncidentBoard, type IncidentView } from '@vigil/incident-view';
import { incidentCard } from './incident-card';
import { decision, execution, opened, plan, rca, t } from './testing/board-fixtures';

function buttons(view: IncidentView): Array<[string, string]> {
  const actions = incidentCard(view).blocks.find((b) => b.type === 'actions') as
    | { elements: Array<{ action_id: string; value: string }> }
    | undefined;
  return actions?.elements.map((e) => [e.action_id, e.value]) ?? [];
}

function view(board: IncidentBoard, id = 'inc-1'): IncidentView {
  const found = board.get(id);
  if (!found) throw new Error(`no ${id} on the board`);
  return found;
}

describe('incidentCard', () => {
  it('shows a new incident with an acknowledge button, and untrusted text cannot mention anyone', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('inc-1', 0, { services: ['catalog-db', 'x<!channel>'] }));
    const card = incidentCard(view(board));
    expect(buttons(view(board))).toEqual([['acknowledge', 'inc-1']]);
    expect(card.text).toBe('[critical] catalog-db has no free connections (inc-1) (open)');
    const json = JSON.stringify(card.blocks);
    expect(json).toContain('*open* · 5 alerts on catalog-db, x&lt;!channel&gt;');
    expect(json).not.toContain('<!channel>');
  });

  it('grows with the root cause and the plan: causes with paths, steps, approve and reject on the plan', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('inc-1', 0));
    board.applyRca(rca('inc-1', 2));
    board.applyPlan(plan('inc-1', 'plan-1'));
    const json = JSON.stringify(incidentCard(view(board)).blocks);
    expect(json).toContain('*Root cause* (revision 2)');
    expect(json).toContain('1. *catalog-db* (0.90): catalog-db → catalog');
    expect(json).toContain('*Plan* `plan-1` (crash, known-good runbook): *drafted*');
    expect(json).toContain('crash on catalog-db: restart catalog-db');
    expect(json).toContain('1. restart *catalog-db*');
    expect(buttons(view(board))).toEqual([
      ['approve', 'plan-1'],
      ['reject', 'plan-1'],
      ['acknowledge', 'inc-1'],
    ]);
  });

  it('says in a line why each cause stands where it does, and keeps what alerts and logs say from being markup', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('inc-1', 0));
    const result = rca('inc-1', 1);
    result.candidates[0].evidence = {
      metrics: [{ metric: 'cpu_usage', score: 0.9, onset: t(5), direction: 'up' }],
      logTemplates: [
        {
          templateId: 't1',
          template: 'pool <!channel> exhausted',
          score: 0.5,
          pattern: 'new-template',
        },
      ],
      alerts: [],
    };
    board.applyRca(result);
    const text = incidentCard(view(board))
      .blocks.map((b) => (b.text as { text?: string } | undefined)?.text ?? '')
      .join('\n');
    expect(text).toContain(
      '1. *catalog-db* (0.90): catalog-db → catalog\n      ↳ cpu_usage up · log new-template "pool &lt;!channel&gt; exhausted"',
    );
    expect(text).not.toContain('<!channel>');
  });

  it('follows decisions, executions and acknowledgement, and drops the buttons that no longer apply', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('inc-1', 0));
    board.applyPlan(plan('inc-1', 'plan-1', false));
    board.applyDecision(decision('plan-1', 'approve'));
    board.applyExecution(execution('plan-1', 1, 'step-started'));
    board.applyExecution(execution('plan-1', 2, 'step-succeeded'));
    board.applyAction({
      schemaVersion: 1,
      actionId: 'a1',
      incidentId: 'inc-1',
      action: 'acknowledge',
      by: { user: 'rob', role: 'responder' },
      via: 'slack',
      at: '2026-11-27T10:01:00.000Z',
    });
    const json = JSON.stringify(incidentCard(view(board)).blocks);
    expect(json).toContain('(crash, drafted by gemma-3-270m): *running*');
    expect(json).toContain('1. restart *catalog-db* — succeeded');
    expect(json).toContain('approved by ann (approver) via slack');
    expect(json).toContain('*acknowledged*');
    expect(json).toContain('acknowledged by rob');
    expect(buttons(view(board))).toEqual([]);
    expect(incidentCard(view(board)).blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('shows who acted by display name, not by their Slack user id', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('inc-1', 0));
    board.applyPlan(plan('inc-1', 'plan-1', false));
    const approved = decision('plan-1', 'approve');
    board.applyDecision({
      ...approved,
      by: { user: 'slack:U123', role: 'approver', displayName: 'ann' },
    });
    board.applyAction({
      schemaVersion: 1,
      actionId: 'a1',
      incidentId: 'inc-1',
      action: 'acknowledge',
      by: { user: 'slack:U456', role: 'responder', displayName: 'rob' },
      via: 'slack',
      at: '2026-11-27T10:01:00.000Z',
    });
    const json = JSON.stringify(incidentCard(view(board)).blocks);
    expect(json).toContain('approved by ann (approver) via slack');
    expect(json).toContain('acknowledged by rob');
    expect(json).not.toContain('slack:U');
  });

  it('shows the past incidents like this one and how they ended, their words as plain text', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('inc-1', 0));
    const similar = (n: number) => ({
      id: `inc-old-${n}`,
      title: n === 1 ? 'catalog-db <!here> full' : `catalog-db slow ${n}`,
      openedAt: `2026-11-0${n}T10:00:00Z`,
      score: 0.9 - n / 10,
      reasons: ['same root cause catalog-db', 'alert meaning 0.81'],
      ...(n === 1 && { planState: 'completed' as const, resolvedAt: '2026-11-01T10:20:00Z' }),
    });
    expect(JSON.stringify(incidentCard(view(board)).blocks)).not.toContain('Seen before');
    const card = incidentCard(view(board), [1, 2, 3, 4].map(similar));
    const json = JSON.stringify(card.blocks);
    expect(json).toContain(
      '*Seen before*\\n• catalog-db &lt;!here&gt; full · 2026-11-01 · `inc-old-1` · plan completed, resolved (same root cause catalog-db; alert meaning 0.81)',
    );
    expect(json).toContain('`inc-old-3` · not resolved');
    expect(json).not.toContain('inc-old-4');
  });

  it('offers approve and reject again for a newer plan after one was rejected', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(opened('inc-1', 0));
    board.applyPlan(plan('inc-1', 'plan-1'));
    board.applyDecision(decision('plan-1', 'reject'));
    expect(buttons(view(board))).toEqual([['acknowledge', 'inc-1']]);
    board.applyPlan({ ...plan('inc-1', 'plan-2'), createdAt: '2026-11-27T10:05:00.000Z' });
    expect(buttons(view(board))).toEqual([
      ['approve', 'plan-2'],
      ['reject', 'plan-2'],
      ['acknowledge', 'inc-1'],
    ]);
  });
});
