import { decisionFromClick, parseVigilCommand, type SlackClick } from './slack-decisions';

const roles = { U1: 'approver', U2: 'responder', U3: 'viewer' } as const;
const click = (action: SlackClick['action'], user: string): SlackClick => ({
  action,
  subject: action === 'acknowledge' ? 'inc-1' : 'plan-1',
  slackUserId: user,
  slackUserName: `user-${user}`,
  actionTs: '1700000000.123',
});
const at = '2026-11-27T10:00:00.000Z';

describe('decisionFromClick', () => {
  it('turns an approver or responder click into a decision by that role, via slack', () => {
    expect(decisionFromClick(click('approve', 'U1'), roles, at)).toMatchObject({
      kind: 'decision',
      decision: {
        planId: 'plan-1',
        decision: 'approve',
        by: { user: 'user-U1', role: 'approver' },
        via: 'slack',
      },
    });
    expect(decisionFromClick(click('reject', 'U2'), roles, at)).toMatchObject({
      kind: 'decision',
      decision: { decision: 'reject', by: { role: 'responder' } },
    });
  });

  it('refuses unknown users and viewers deciding on plans; viewers may acknowledge', () => {
    expect(decisionFromClick(click('approve', 'U9'), roles, at)).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/no Vigil role/),
    });
    expect(decisionFromClick(click('approve', 'U3'), roles, at)).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/is a viewer/),
    });
    expect(decisionFromClick(click('acknowledge', 'U3'), roles, at)).toEqual({
      kind: 'acknowledgement',
      incidentId: 'inc-1',
      user: 'user-U3',
      role: 'viewer',
    });
    expect(decisionFromClick(click('approve', 'constructor'), roles, at).kind).toBe('refused');
  });
});

describe('parseVigilCommand', () => {
  it('knows status, incidents, ack ID and approve ID, and says what is wrong otherwise', () => {
    expect(parseVigilCommand('status')).toEqual({ kind: 'status' });
    expect(parseVigilCommand(' incidents ')).toEqual({ kind: 'incidents' });
    expect(parseVigilCommand('ack inc-42')).toEqual({ kind: 'ack', incidentId: 'inc-42' });
    expect(parseVigilCommand('approve plan-7')).toEqual({ kind: 'approve', planId: 'plan-7' });
    expect(parseVigilCommand('approve')).toEqual({
      kind: 'help',
      error: 'approve takes exactly one id',
    });
    expect(parseVigilCommand('deploy prod')).toEqual({
      kind: 'help',
      error: 'unknown command "deploy"',
    });
    expect(parseVigilCommand('')).toEqual({ kind: 'help' });
  });
});
