import { may, refusal, roleFromGroups } from './role-permissions';

describe('role permissions', () => {
  it('lets viewers only look', () => {
    expect(may('viewer', 'view')).toBe(true);
    for (const p of ['acknowledge', 'resolve', 'reject', 'approve'] as const)
      expect(may('viewer', p)).toBe(false);
  });

  it('lets responders acknowledge, resolve and stop a plan, but not approve one', () => {
    for (const p of ['view', 'acknowledge', 'resolve', 'reject'] as const)
      expect(may('responder', p)).toBe(true);
    expect(may('responder', 'approve')).toBe(false);
  });

  it('lets approvers do everything', () => {
    for (const p of ['view', 'acknowledge', 'resolve', 'reject', 'approve'] as const)
      expect(may('approver', p)).toBe(true);
  });

  it('says what the refused person lacks', () => {
    expect(refusal('bob', 'responder', 'approve')).toBe(
      'bob is a responder: approve needs the approver role or higher',
    );
  });
});

describe('roles from OIDC groups', () => {
  const map = { 'sre-oncall': 'responder', 'sre-leads': 'approver', staff: 'viewer' } as const;
  it('gives the highest role any group maps to', () => {
    expect(roleFromGroups(['staff', 'sre-leads', 'sre-oncall'], map)).toBe('approver');
    expect(roleFromGroups(['staff'], map)).toBe('viewer');
  });
  it('gives no role when no group is mapped (the person cannot sign in)', () => {
    expect(roleFromGroups(['marketing', 'toString'], map)).toBeUndefined();
  });
});
