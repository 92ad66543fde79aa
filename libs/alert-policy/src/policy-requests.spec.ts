import { PolicyError } from './policy-error';
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

describe('silenceFromRequest: times far out of range', () => {
  const base = { id: 's1', matchers: 'service="db"', comment: '', createdBy: 'bob' };
  const refusal = (asked: Partial<Parameters<typeof silenceFromRequest>[0]>) => {
    try {
      silenceFromRequest({ ...base, ...asked }, now);
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError);
      return (error as Error).message;
    }
    throw new Error(`accepted ${JSON.stringify(asked)}`);
  };

  it('refuses a duration so long that the end is no time, with a PolicyError naming it', () => {
    expect(refusal({ duration: '99999999999w' })).toBe(
      'duration: too long ("99999999999w"): at most 1825d (5 years)',
    );
  });

  it('takes an end up to five years from now and no further', () => {
    const fiveYears = silenceFromRequest({ ...base, duration: '1825d' }, now);
    expect(fiveYears.endsAt).toBe('2031-11-30T10:00:00.000Z');
    expect(refusal({ endsAt: '2031-11-30T10:00:00.001Z' })).toBe(
      'endsAt: too far ahead: the silence would end at 2031-11-30T10:00:00.001Z, more than 1825d (5 years) from now',
    );
    expect(refusal({ startsAt: '2031-01-01T00:00:00Z', duration: '365d' })).toMatch(
      /^duration: too far ahead: the silence would end at 2032-01-01/,
    );
    expect(refusal({ startsAt: '9000-01-01T00:00:00Z', duration: '1h' })).toMatch(
      /^startsAt: too far ahead: the silence would start at 9000-01-01/,
    );
  });

  it('refuses times Date can hold but ISO cannot write, naming the field', () => {
    expect(refusal({ startsAt: '+275760-09-13T00:00:00Z', duration: '1h' })).toBe(
      'startsAt: "+275760-09-13T00:00:00Z" is out of range: give a time from 1970 to 9999',
    );
    expect(refusal({ endsAt: '+100000-01-01T00:00:00Z' })).toMatch(/^endsAt: .* is out of range/);
    expect(refusal({ startsAt: '-000001-01-01T00:00:00Z', duration: '1h' })).toMatch(
      /^startsAt: .* is out of range/,
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

  it('refuses a one-off window that would end too far ahead, and an overlong weekly one', () => {
    const request = (schedule: Parameters<typeof maintenanceFromRequest>[0]['schedule']) => () =>
      maintenanceFromRequest(
        { id: 'mw3', matchers: 'service="db"', comment: '', createdBy: 'bob', schedule },
        now,
      );
    expect(request({ kind: 'once', duration: '99999999999w' })).toThrow(
      new PolicyError('duration: too long ("99999999999w"): at most 1825d (5 years)'),
    );
    expect(request({ kind: 'once', endsAt: '9999-12-31T00:00:00Z' })).toThrow(
      /^endsAt: too far ahead: the window would end at 9999-12-31T00:00:00.000Z/,
    );
    const weekly = { kind: 'weekly' as const, days: ['mon'], start: '22:00', timeZone: 'UTC' };
    expect(request({ ...weekly, duration: '8d' })).toThrow(
      'duration: too long for a weekly window ("8d"): at most 7d',
    );
    expect(request({ ...weekly, duration: '2h', until: '+275760-09-13T00:00:00Z' })).toThrow(
      'until: "+275760-09-13T00:00:00Z" is out of range: give a time from 1970 to 9999',
    );
  });
});
