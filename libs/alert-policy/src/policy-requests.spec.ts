import { maintenanceFromRequest, silenceFromRequest } from './policy-requests';

const now = Date.parse('2026-12-01T10:00:00Z');

describe('silenceFromRequest', () => {
  it('starts now and lasts the duration asked for', () => {
    const silence = silenceFromRequest(
      {
        id: 's1',
        matchers: '{service="db", env=~"prod.*"}',
        duration: '2h',
        comment: 'upgrade',
        createdBy: 'bob',
      },
      now,
    );
    expect(silence).toEqual({
      id: 's1',
      matchers: [
        { name: 'service', op: '=', value: 'db' },
        { name: 'env', op: '=~', value: 'prod.*' },
      ],
      startsAt: '2026-12-01T10:00:00.000Z',
      endsAt: '2026-12-01T12:00:00.000Z',
      createdBy: 'bob',
      comment: 'upgrade',
    });
  });

  it('refuses one that ends before it starts, and names a malformed matcher', () => {
    const base = { id: 's1', comment: '', createdBy: 'bob' };
    expect(() =>
      silenceFromRequest(
        { ...base, matchers: ['service="db"'], endsAt: '2026-12-01T09:00:00Z' },
        now,
      ),
    ).toThrow(
      'the silence ends (2026-12-01T09:00:00.000Z) before it starts (2026-12-01T10:00:00.000Z)',
    );
    expect(() =>
      silenceFromRequest({ ...base, matchers: ['service="db"', 'job=~"[a"'], duration: '1h' }, now),
    ).toThrow(/bad matcher job=~"\[a"/);
    expect(() => silenceFromRequest({ ...base, matchers: [], duration: '1h' }, now)).toThrow(
      /no matchers/,
    );
  });
});

describe('maintenanceFromRequest', () => {
  it('builds a weekly window from days, a local start and a duration', () => {
    const window = maintenanceFromRequest(
      {
        id: 'mw1',
        matchers: 'cluster="prod-eu"',
        mode: 'open-no-remediate',
        comment: 'patch Tuesday',
        createdBy: 'bob',
        schedule: {
          kind: 'weekly',
          days: ['Tuesday'],
          start: '22:00',
          duration: '2h',
          timeZone: 'Europe/Berlin',
        },
      },
      now,
    );
    expect(window.schedule).toEqual({
      kind: 'weekly',
      days: ['tue'],
      start: '22:00',
      durationMs: 7_200_000,
      timeZone: 'Europe/Berlin',
    });
    expect(window.mode).toBe('open-no-remediate');
  });

  it('suppresses by default', () => {
    const window = maintenanceFromRequest(
      {
        id: 'mw2',
        matchers: 'service="db"',
        comment: '',
        createdBy: 'bob',
        schedule: { kind: 'once', duration: '30m' },
      },
      now,
    );
    expect(window.mode).toBe('suppress');
    expect(window.schedule).toEqual({
      kind: 'once',
      startsAt: '2026-12-01T10:00:00.000Z',
      endsAt: '2026-12-01T10:30:00.000Z',
    });
  });
});
