import { parseUserRoles } from './user-roles';

describe('parseUserRoles', () => {
  it('reads Slack user ids and their roles', () => {
    expect(parseUserRoles('{"U0123ABC": "approver", "W42XYZ": "viewer"}')).toEqual({
      ok: true,
      roles: { U0123ABC: 'approver', W42XYZ: 'viewer' },
    });
    expect(parseUserRoles('{}')).toEqual({ ok: true, roles: {} });
  });

  it('says what is wrong: not JSON, not an object, a name instead of an id, an unknown role', () => {
    expect(parseUserRoles('{U1: approver}')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^is not JSON/),
    });
    expect(parseUserRoles('["U0123ABC"]')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/JSON object of Slack user id/),
    });
    expect(parseUserRoles('{"ann": "approver"}')).toEqual({
      ok: false,
      reason: '"ann" is not a Slack user id (U… or W…)',
    });
    expect(parseUserRoles('{"U0123ABC": "admin"}')).toEqual({
      ok: false,
      reason: '"U0123ABC" must be viewer, responder or approver',
    });
  });
});
