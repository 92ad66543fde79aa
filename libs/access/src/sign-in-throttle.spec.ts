import { AttemptWindows, SignInThrottle } from './sign-in-throttle';

describe('attempt windows', () => {
  it('locks a key at the limit until its oldest failure leaves the window', () => {
    let now = 0;
    const windows = new AttemptWindows({ limit: 3, windowMs: 1_000, maxKeys: 10, now: () => now });
    windows.fail('alice');
    now = 100;
    windows.fail('alice');
    expect(windows.lockedForMs('alice')).toBe(0);
    windows.fail('alice');
    expect(windows.lockedForMs('alice')).toBe(900);
    now = 1_000;
    expect(windows.lockedForMs('alice')).toBe(0);
  });

  it('keeps a locked key however many other keys fail, and never grows past its bound', () => {
    let now = 0;
    const windows = new AttemptWindows({ limit: 2, windowMs: 60_000, maxKeys: 5, now: () => now });
    windows.fail('alice');
    windows.fail('alice');
    for (let i = 0; i < 1_000; i += 1) {
      now += 1;
      windows.fail(`spray-${i}`);
    }
    expect(windows.trackedKeys).toBe(5);
    expect(windows.lockedForMs('alice')).toBeGreaterThan(0);
  });

  it('counts keys it has no room for together, so spraying locks only untracked names', () => {
    const windows = new AttemptWindows({ limit: 2, windowMs: 60_000, maxKeys: 1, now: () => 0 });
    windows.fail('bob');
    windows.fail('x1');
    windows.fail('x2');
    expect(windows.lockedForMs('someone-new')).toBeGreaterThan(0);
    expect(windows.lockedForMs('bob')).toBe(0);
  });

  it('makes room again once old failures have aged out', () => {
    let now = 0;
    const windows = new AttemptWindows({ limit: 2, windowMs: 1_000, maxKeys: 1, now: () => now });
    windows.fail('old');
    now = 2_000;
    windows.fail('new');
    windows.fail('new');
    expect(windows.lockedForMs('new')).toBeGreaterThan(0);
    expect(windows.lockedForMs('other')).toBe(0);
  });
});

describe('sign-in throttle', () => {
  const make = (now: () => number = () => 0) =>
    new SignInThrottle({ windowMs: 60_000, perName: 3, perIp: 5, maxKeys: 100, now });

  it('locks a name guessed from many addresses', () => {
    const throttle = make();
    for (let i = 0; i < 3; i += 1) throttle.failed({ ip: `10.0.0.${i}`, name: 'alice' });
    const refused = throttle.refusal({ ip: '10.9.9.9', name: 'alice' });
    expect(refused).toEqual({
      reason: 'too many failed sign-ins for alice; try again in 60 s',
      retryAfterS: 60,
    });
    expect(throttle.refusal({ ip: '10.9.9.9', name: 'bob' })).toBeUndefined();
  });

  it('locks an address that sprays many names', () => {
    const throttle = make();
    for (let i = 0; i < 5; i += 1) throttle.failed({ ip: '10.0.0.1', name: `user-${i}` });
    expect(throttle.refusal({ ip: '10.0.0.1', name: 'fresh' })?.reason).toMatch(
      /from this address/,
    );
    expect(throttle.refusal({ ip: '10.0.0.2', name: 'fresh' })).toBeUndefined();
  });

  it('clears a name on success but not the address that failed before', () => {
    const throttle = make();
    for (let i = 0; i < 4; i += 1) throttle.failed({ ip: '10.0.0.1', name: `user-${i % 2}` });
    throttle.succeeded({ ip: '10.0.0.1', name: 'user-0' });
    throttle.failed({ ip: '10.0.0.1', name: 'user-0' });
    expect(throttle.refusal({ ip: '10.0.0.1', name: 'user-0' })?.reason).toMatch(/address/);
  });

  it('cannot be evicted by spraying names from other addresses', () => {
    let now = 0;
    const throttle = new SignInThrottle({
      windowMs: 60_000,
      perName: 3,
      perIp: 5,
      maxKeys: 10,
      now: () => now,
    });
    for (let i = 0; i < 3; i += 1) throttle.failed({ ip: '10.0.0.1', name: 'alice' });
    for (let i = 0; i < 500; i += 1) {
      now += 1;
      throttle.failed({ ip: `10.1.${i >> 8}.${i & 255}`, name: `spray-${i}` });
    }
    expect(throttle.refusal({ ip: '10.0.0.1', name: 'alice' })?.reason).toMatch(/for alice/);
  });
});
