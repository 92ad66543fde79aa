import { decisionFromClick, type ClickEffect } from '@vigil/chatops';
import { withSlackIdentity } from './slack-audit-identity';

const user = { slackUserId: 'U123', slackUserName: 'ann' };
const at = '2026-01-01T00:00:00.000Z';

describe('Slack audit identity', () => {
  it('records the Slack user id as who decided, the name only to show', () => {
    const outcome = decisionFromClick(
      { ...user, action: 'approve', subject: 'plan-1', requestId: 'r1' },
      { U123: 'approver' },
      at,
    );
    if (outcome.kind !== 'decision') throw new Error(`expected a decision, got ${outcome.kind}`);
    const audited = withSlackIdentity(outcome, user);
    expect(audited.kind === 'decision' && audited.decision.by).toEqual({
      user: 'slack:U123',
      role: 'approver',
      displayName: 'ann',
    });
  });

  it('records the Slack user id on an acknowledgement', () => {
    const outcome = decisionFromClick(
      { ...user, action: 'acknowledge', subject: 'inc-1', requestId: 'r2' },
      { U123: 'responder' },
      at,
    );
    const audited = withSlackIdentity(outcome as ClickEffect, user);
    expect(audited.kind === 'acknowledgement' && audited.action.by.user).toBe('slack:U123');
  });

  it('records the Slack user id on a policy change', () => {
    const effect: ClickEffect = {
      kind: 'policy',
      event: {
        schemaVersion: 1,
        eventId: 'e1',
        type: 'silence.expired',
        silenceId: 'sil-1',
        at,
        by: { user: 'ann' },
        via: 'slack',
      },
    };
    const audited = withSlackIdentity(effect, user);
    expect(audited.kind === 'policy' && audited.event.by).toEqual({
      user: 'slack:U123',
      displayName: 'ann',
    });
  });
});
