import type { MaintenanceWindow } from '@vigil/contracts';
import { activeOccurrence, checkMaintenanceWindow, windowActive } from './maintenance-windows';

const at = (iso: string) => Date.parse(iso);

const weekly = (schedule: Partial<Extract<MaintenanceWindow['schedule'], { kind: 'weekly' }>>) =>
  checkMaintenanceWindow({
    id: 'mw-1',
    matchers: [{ name: 'service', op: '=', value: 'db' }],
    mode: 'suppress',
    createdBy: 'alice',
    comment: 'patching',
    schedule: {
      kind: 'weekly',
      days: ['sun'],
      start: '01:00',
      durationMs: 3 * 3_600_000,
      timeZone: 'Europe/Berlin',
      ...schedule,
    },
  });

describe('one-off maintenance windows', () => {
  const window = checkMaintenanceWindow({
    id: 'mw-once',
    matchers: [{ name: 'service', op: '=', value: 'db' }],
    mode: 'open-no-remediate',
    createdBy: 'alice',
    comment: 'failover test',
    schedule: { kind: 'once', startsAt: '2026-12-01T10:00:00Z', endsAt: '2026-12-01T11:00:00Z' },
  });

  it('is on between its start and its end', () => {
    expect(windowActive(window, at('2026-12-01T09:59:00Z'))).toBe(false);
    expect(windowActive(window, at('2026-12-01T10:30:00Z'))).toBe(true);
    expect(windowActive(window, at('2026-12-01T11:00:00Z'))).toBe(false);
  });

  it('refuses one that ends before it starts', () => {
    expect(() =>
      checkMaintenanceWindow({
        ...window,
        schedule: {
          kind: 'once',
          startsAt: '2026-12-01T10:00:00Z',
          endsAt: '2026-12-01T10:00:00Z',
        },
      }),
    ).toThrow('the window ends (2026-12-01T10:00:00Z) before it starts (2026-12-01T10:00:00Z)');
  });
});

describe('recurring maintenance windows', () => {
  it('follows the local clock: the same local start is a different UTC hour in summer', () => {
    const window = weekly({
      days: ['tue', 'thu'],
      start: '22:00',
      durationMs: 3_600_000,
      timeZone: 'America/New_York',
    });
    // Tuesday 1 December 2026, EST (UTC-5): 22:00 local is 03:00 UTC on Wednesday
    expect(activeOccurrence(window.schedule, at('2026-12-02T03:30:00Z'))).toEqual({
      start: at('2026-12-02T03:00:00Z'),
      end: at('2026-12-02T04:00:00Z'),
    });
    // Thursday 2 July 2026, EDT (UTC-4): 22:00 local is 02:00 UTC on Friday
    expect(windowActive(window, at('2026-07-03T02:30:00Z'))).toBe(true);
    expect(windowActive(window, at('2026-07-03T03:30:00Z'))).toBe(false);
    // not on a Wednesday
    expect(windowActive(window, at('2026-12-03T03:30:00Z'))).toBe(false);
  });

  it('lasts its full length across the spring-forward night', () => {
    // Sunday 29 March 2026 in Berlin: clocks jump from 02:00 CET to 03:00 CEST (01:00 UTC)
    const window = weekly({});
    expect(activeOccurrence(window.schedule, at('2026-03-29T01:30:00Z'))).toEqual({
      start: at('2026-03-29T00:00:00Z'), // 01:00 CET
      end: at('2026-03-29T03:00:00Z'), // three hours later: 05:00 CEST
    });
    expect(windowActive(window, at('2026-03-28T23:59:00Z'))).toBe(false);
    expect(windowActive(window, at('2026-03-29T03:00:00Z'))).toBe(false);
  });

  it('starts just after the jump when its local start does not exist that night', () => {
    const window = weekly({ start: '02:30', durationMs: 3_600_000 });
    // 02:30 is skipped on 29 March 2026; the window opens at 03:30 CEST (01:30 UTC)
    expect(activeOccurrence(window.schedule, at('2026-03-29T02:00:00Z'))).toEqual({
      start: at('2026-03-29T01:30:00Z'),
      end: at('2026-03-29T02:30:00Z'),
    });
  });

  it('opens at the first of the two times a repeated hour shows, in the autumn', () => {
    // Sunday 25 October 2026: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET)
    const window = weekly({ start: '02:30', durationMs: 30 * 60_000 });
    expect(activeOccurrence(window.schedule, at('2026-10-25T00:45:00Z'))?.start).toBe(
      at('2026-10-25T00:30:00Z'),
    );
    expect(windowActive(window, at('2026-10-25T01:45:00Z'))).toBe(false);
  });

  it('covers a window that runs past midnight into the next day', () => {
    const window = weekly({
      days: ['sat'],
      start: '23:00',
      durationMs: 5 * 3_600_000,
      timeZone: 'UTC',
    });
    expect(windowActive(window, at('2026-12-06T03:59:00Z'))).toBe(true); // Sunday morning
    expect(windowActive(window, at('2026-12-06T04:00:00Z'))).toBe(false);
  });

  it('holds only between from and until', () => {
    const window = weekly({ from: '2026-04-01T00:00:00Z', until: '2026-05-01T00:00:00Z' });
    expect(windowActive(window, at('2026-03-29T01:30:00Z'))).toBe(false);
    expect(windowActive(window, at('2026-04-05T00:30:00Z'))).toBe(true);
    expect(windowActive(window, at('2026-05-03T00:30:00Z'))).toBe(false);
  });

  it('refuses an unknown time zone, naming it', () => {
    expect(() => weekly({ timeZone: 'Mars/Olympus' })).toThrow('unknown time zone "Mars/Olympus"');
  });
});
