import { IncidentBoard } from '@vigil/incident-view';
import { parseVigilCommand } from './slack-decisions';
import { decision, opened, plan, rca } from './testing/board-fixtures';
import { answerVigilCommand, type CommandContext, VIGIL_HELP } from './vigil-command-answers';

const roles = { U1: 'approver', U2: 'responder', U3: 'viewer' } as const;
const at = '2026-11-27T10:10:00.000Z';

function board(): IncidentBoard {
  const b = new IncidentBoard();
  b.applyIncidentEvent(opened('inc-1', 0));
  b.applyRca(rca('inc-1', 1));
  b.applyPlan(plan('inc-1', 'plan-1'));
  b.applyIncidentEvent(
    opened('inc-2', 30, { severity: 'warning', title: 'disk <!here> filling', services: ['cart'] }),
  );
  b.applyIncidentEvent(opened('inc-3', 5, { status: 'resolved' }));
  return b;
}

function ask(text: string, user: string, b = board(), extra: Partial<CommandContext> = {}) {
  const ctx: CommandContext = {
    board: b,
    roles,
    user: { slackUserId: user, slackUserName: `user-${user}` },
    requestId: 'trigger-1',
    at,
    ...extra,
  };
  return answerVigilCommand(parseVigilCommand(text), ctx);
}

describe('answerVigilCommand', () => {
  it('lists open and acknowledged incidents newest first, with root cause and plan, escaped', () => {
    const { text, effect } = ask('incidents', 'U3');
    expect(effect).toBeUndefined();
    expect(text.split('\n')).toEqual([
      '• `inc-2` [warning] disk &lt;!here&gt; filling · open · 5 alerts',
      '• `inc-1` [critical] catalog-db has no free connections (inc-1) · open · 5 alerts · root cause catalog-db (0.90) · plan drafted',
    ]);
    expect(ask('incidents', 'U3', new IncidentBoard()).text).toBe('No open incidents.');
  });

  it('sums up the status with the plans that wait for a decision', () => {
    expect(ask('status', 'U2').text).toBe(
      '*2 open* (1 critical), 0 acknowledged, 1 resolved\n1 plan waiting for a decision: `plan-1` for `inc-1` (drafted)',
    );
  });

  it('refuses people without a role even to look', () => {
    expect(ask('incidents', 'U9').text).toMatch(/^Slack user user-U9 \(U9\) has no Vigil role/);
  });

  it('acknowledges a known open incident for a responder, once', () => {
    const b = board();
    const answer = ask('ack inc-1', 'U2', b);
    expect(answer.text).toBe('You acknowledged `inc-1`.');
    expect(answer.effect).toMatchObject({
      kind: 'acknowledgement',
      action: {
        incidentId: 'inc-1',
        action: 'acknowledge',
        by: { user: 'user-U2', role: 'responder' },
        via: 'slack',
        at,
      },
    });
    if (answer.effect?.kind !== 'acknowledgement') throw new Error('expected an acknowledgement');
    b.applyAction(answer.effect.action);
    expect(ask('ack inc-1', 'U2', b)).toEqual({
      text: 'incident inc-1 is already acknowledged by user-U2; /vigil incidents lists the open ones.',
    });
    expect(ask('ack inc-3', 'U2', b).text).toMatch(/^incident inc-3 is already resolved/);
    expect(ask('ack inc-404', 'U2', b).text).toMatch(/^no incident inc-404;/);
    expect(ask('ack inc-1', 'U3', b)).toEqual({
      text: 'user-U3 is a viewer: acknowledge needs the responder role or higher',
    });
  });

  it('approves a waiting plan for an approver only, and not a finished or unknown one', () => {
    const b = board();
    expect(ask('approve plan-1', 'U1', b)).toMatchObject({
      text: 'You approved plan `plan-1`; the executor takes it from here.',
      effect: {
        kind: 'decision',
        decision: {
          decisionId: 'slack-plan-1-U1-trigger-1',
          planId: 'plan-1',
          decision: 'approve',
          by: { user: 'user-U1', role: 'approver' },
          via: 'slack',
        },
      },
    });
    expect(ask('approve plan-1', 'U2', b)).toEqual({
      text: 'user-U2 is a responder: approve needs the approver role or higher',
    });
    expect(ask('approve plan-9', 'U1', b).text).toMatch(/^no plan plan-9;/);
    b.applyDecision(decision('plan-1', 'reject', 'rob'));
    expect(ask('approve plan-1', 'U1', b).text).toMatch(
      /^plan plan-1 is rejected: there is nothing to approve/,
    );
  });

  it('does not approve an expired plan, nor one of a resolved incident', () => {
    const b = board();
    const expired = ask('approve plan-1', 'U1', b, { planTtlMs: 60_000 });
    expect(expired.effect).toBeUndefined();
    expect(expired.text).toMatch(/^plan plan-1 expired/);
    b.applyAction({
      schemaVersion: 1,
      actionId: 'a-1',
      incidentId: 'inc-1',
      action: 'resolve',
      by: { user: 'rita', role: 'responder' },
      via: 'console',
      at: '2026-11-27T10:05:00.000Z',
    });
    const resolved = ask('approve plan-1', 'U1', b);
    expect(resolved.effect).toBeUndefined();
    expect(resolved.text).toMatch(/^incident inc-1 is resolved: plan plan-1 no longer applies/);
  });

  it('explains itself, with what was wrong', () => {
    expect(ask('help', 'U9').text).toBe(VIGIL_HELP);
    expect(ask('deploy <!channel>', 'U1').text).toBe(`unknown command "deploy"\n${VIGIL_HELP}`);
    expect(ask('approve', 'U1').text.split('\n')[0]).toBe('approve takes exactly one id');
  });
});

describe('/vigil silence', () => {
  it('silences matching alerts from now for the duration, by the responder, once per request', () => {
    const answer = ask('silence {service=“db”, env=~"prod.*"} for 2h database upgrade', 'U2');
    expect(answer.text).toBe(
      'Silenced {service="db", env=~"prod.*"} until 2026-11-27T12:10:00.000Z (`slack-trigger-1`).',
    );
    expect(answer.effect).toEqual({
      kind: 'policy',
      event: expect.objectContaining({
        type: 'silence.created',
        eventId: 'slack-trigger-1',
        by: { user: 'user-U2' },
        via: 'slack',
        silence: {
          id: 'slack-trigger-1',
          matchers: [
            { name: 'service', op: '=', value: 'db' },
            { name: 'env', op: '=~', value: 'prod.*' },
          ],
          startsAt: at,
          endsAt: '2026-11-27T12:10:00.000Z',
          createdBy: 'user-U2',
          comment: 'database upgrade',
        },
      }),
    });
  });

  it('names a malformed matcher, shows how to write it, and refuses viewers', () => {
    const bad = ask('silence job=~"(" for 1h', 'U2');
    expect(bad.effect).toBeUndefined();
    expect(bad.text).toMatch(/^bad matcher job=~"\(": invalid regular expression/);
    expect(ask('silence service="db"', 'U2').text).toMatch(/^Write it as \/vigil silence/);
    expect(ask('silence service="db" for 1h', 'U3').text).toBe(
      'user-U3 is a viewer: silence needs the responder role or higher',
    );
  });
});
