import { incidentActionSchema, remediationDecisionSchema } from '@vigil/contracts';
import { decisionFromClick, parseVigilCommand, type SlackClick } from './slack-decisions';

const roles = { U1: 'approver', U2: 'responder', U3: 'viewer' } as const;
const click = (action: SlackClick['action'], user: string): SlackClick => ({
  action,
  subject: action === 'acknowledge' ? 'inc-1' : 'plan-1',
  slackUserId: user,
  slackUserName: `user-${user}`,
  requestId: '1700000000.123',
});
const at = '2026-11-27T10:00:00.000Z';

describe('decisionFromClick', () => {
  it('turns an approver’s approve into a valid decision by that role, via slack', () => {
    const outcome = decisionFromClick(click('approve', 'U1'), roles, at);
    expect(outcome).toEqual({
      kind: 'decision',
      decision: {
        schemaVersion: 1,
        decisionId: 'slack-plan-1-U1-1700000000.123',
        planId: 'plan-1',
        decision: 'approve',
        by: { user: 'user-U1', role: 'approver' },
        via: 'slack',
        at,
      },
    });
    if (outcome.kind !== 'decision') throw new Error('expected a decision');
    expect(remediationDecisionSchema.safeParse(outcome.decision).success).toBe(true);
  });

  it('lets a responder reject and acknowledge, but not approve', () => {
    expect(decisionFromClick(click('reject', 'U2'), roles, at)).toMatchObject({
      kind: 'decision',
      decision: { decision: 'reject', by: { role: 'responder' } },
    });
    expect(decisionFromClick(click('approve', 'U2'), roles, at)).toEqual({
      kind: 'refused',
      reason: 'user-U2 is a responder: approve needs the approver role or higher',
    });
  });

  it('makes an acknowledgement a valid IncidentAction via slack', () => {
    const outcome = decisionFromClick(click('acknowledge', 'U2'), roles, at);
    expect(outcome).toEqual({
      kind: 'acknowledgement',
      action: {
        schemaVersion: 1,
        actionId: 'slack-inc-1-U2-1700000000.123',
        incidentId: 'inc-1',
        action: 'acknowledge',
        by: { user: 'user-U2', role: 'responder' },
        via: 'slack',
        at,
      },
    });
    if (outcome.kind !== 'acknowledgement') throw new Error('expected an acknowledgement');
    expect(incidentActionSchema.safeParse(outcome.action).success).toBe(true);
  });

  it('lets viewers only look, and refuses users without a role (prototype keys included)', () => {
    for (const action of ['approve', 'reject', 'acknowledge'] as const)
      expect(decisionFromClick(click(action, 'U3'), roles, at)).toMatchObject({
        kind: 'refused',
        reason: expect.stringMatching(new RegExp(`^user-U3 is a viewer: ${action} needs`)),
      });
    expect(decisionFromClick(click('approve', 'U9'), roles, at)).toEqual({
      kind: 'refused',
      reason:
        'Slack user user-U9 (U9) has no Vigil role: CHATOPS_USER_ROLES decides who may approve',
    });
    expect(decisionFromClick(click('approve', 'constructor'), roles, at).kind).toBe('refused');
    expect(decisionFromClick(click('reject', '__proto__'), roles, at).kind).toBe('refused');
  });
});

describe('parseVigilCommand', () => {
  it('knows status, incidents, ack ID, approve ID and help, and says what is wrong otherwise', () => {
    expect(parseVigilCommand('status')).toEqual({ kind: 'status' });
    expect(parseVigilCommand(' incidents ')).toEqual({ kind: 'incidents' });
    expect(parseVigilCommand('ack inc-42')).toEqual({ kind: 'ack', incidentId: 'inc-42' });
    expect(parseVigilCommand('APPROVE plan-7')).toEqual({ kind: 'approve', planId: 'plan-7' });
    expect(parseVigilCommand('help')).toEqual({ kind: 'help' });
    expect(parseVigilCommand(' History checkout  page=2 ')).toEqual({
      kind: 'history',
      text: 'checkout  page=2',
    });
    expect(parseVigilCommand('approve')).toEqual({
      kind: 'help',
      error: 'approve takes exactly one id',
    });
    expect(parseVigilCommand('ack a b')).toEqual({
      kind: 'help',
      error: 'ack takes exactly one id',
    });
    expect(parseVigilCommand('deploy prod')).toEqual({
      kind: 'help',
      error: 'unknown command "deploy"',
    });
    expect(parseVigilCommand('')).toEqual({ kind: 'help' });
  });
});
