import { SessionStore } from './session-store';

describe('sessions', () => {
  it('finds a session until it expires, then never again', () => {
    let now = 1_000;
    const store = new SessionStore({ ttlMs: 60_000, now: () => now });
    const session = store.create('alice', 'responder');
    expect(store.get(session.id)).toMatchObject({ user: 'alice', role: 'responder' });
    now += 59_999;
    expect(store.get(session.id)).toBeDefined();
    now += 1;
    expect(store.get(session.id)).toBeUndefined();
  });

  it('gives every session its own unguessable id and CSRF token', () => {
    const store = new SessionStore({ ttlMs: 60_000 });
    const a = store.create('a', 'viewer');
    const b = store.create('a', 'viewer');
    expect(a.id).not.toBe(b.id);
    expect(a.csrfToken).not.toBe(a.id);
    expect(a.id.length).toBeGreaterThanOrEqual(40);
  });

  it('keeps the stable key apart from the name shown', () => {
    const store = new SessionStore({ ttlMs: 60_000 });
    expect(store.create('https://id.example|u-42', 'viewer', 'ann')).toMatchObject({
      user: 'https://id.example|u-42',
      displayName: 'ann',
    });
    expect(store.create('bob', 'viewer').displayName).toBe('bob');
  });

  it('forgets a session on logout', () => {
    const store = new SessionStore({ ttlMs: 60_000 });
    const s = store.create('a', 'approver');
    store.destroy(s.id);
    expect(store.get(s.id)).toBeUndefined();
    expect(store.get(undefined)).toBeUndefined();
  });

  it('drops the oldest sessions beyond the cap', () => {
    const store = new SessionStore({ ttlMs: 60_000, maxSessions: 2 });
    const first = store.create('a', 'viewer');
    store.create('b', 'viewer');
    const third = store.create('c', 'viewer');
    expect(store.get(first.id)).toBeUndefined();
    expect(store.get(third.id)).toBeDefined();
  });
});
