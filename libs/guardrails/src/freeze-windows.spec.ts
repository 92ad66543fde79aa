import { activeFreezes, freezeCovers } from './freeze-windows';
import { freezeWindowSchema } from './policy';

const at = (iso: string): number => Date.parse(iso);
const weekly = (w: Record<string, unknown>) =>
  freezeWindowSchema.parse({ kind: 'weekly', name: 'w', ...w });

describe('freeze windows', () => {
  it('covers an absolute range from its start, up to but not including its end', () => {
    const w = freezeWindowSchema.parse({
      kind: 'absolute',
      name: 'black friday',
      from: '2025-11-28T00:00:00Z',
      to: '2025-12-01T00:00:00+01:00',
    });
    expect(freezeCovers(w, at('2025-11-27T23:59:59.999Z'))).toBe(false);
    expect(freezeCovers(w, at('2025-11-28T00:00:00Z'))).toBe(true);
    expect(freezeCovers(w, at('2025-11-30T22:59:59Z'))).toBe(true);
    expect(freezeCovers(w, at('2025-11-30T23:00:00Z'))).toBe(false);
  });

  it('covers a weekly window within a day on the listed days only', () => {
    const w = weekly({ days: ['mon', 'wed'], start: '09:00', end: '17:00' });
    expect(freezeCovers(w, at('2025-06-04T09:00:00Z'))).toBe(true); // Wednesday
    expect(freezeCovers(w, at('2025-06-04T16:59:00Z'))).toBe(true);
    expect(freezeCovers(w, at('2025-06-04T17:00:00Z'))).toBe(false);
    expect(freezeCovers(w, at('2025-06-05T12:00:00Z'))).toBe(false); // Thursday
  });

  it('runs a window across midnight into the next day', () => {
    const w = weekly({ days: ['fri'], start: '22:00', end: '06:00' });
    expect(freezeCovers(w, at('2025-06-06T21:59:00Z'))).toBe(false); // Friday
    expect(freezeCovers(w, at('2025-06-06T22:00:00Z'))).toBe(true);
    expect(freezeCovers(w, at('2025-06-07T03:00:00Z'))).toBe(true); // Saturday early
    expect(freezeCovers(w, at('2025-06-07T06:00:00Z'))).toBe(false);
    expect(freezeCovers(w, at('2025-06-06T03:00:00Z'))).toBe(false); // Friday early: Thursday's night is free
  });

  it('wraps Saturday night into Sunday', () => {
    const w = weekly({ days: ['sat'], start: '23:30', end: '00:30' });
    expect(freezeCovers(w, at('2025-06-08T00:15:00Z'))).toBe(true); // Sunday
    expect(freezeCovers(w, at('2025-06-08T23:45:00Z'))).toBe(false); // Sunday night
  });

  it('treats equal start and end as a whole day from the start', () => {
    const w = weekly({ days: ['sun'], start: '00:00', end: '00:00' });
    expect(freezeCovers(w, at('2025-06-08T00:00:00Z'))).toBe(true);
    expect(freezeCovers(w, at('2025-06-08T23:59:59Z'))).toBe(true);
    expect(freezeCovers(w, at('2025-06-09T00:00:00Z'))).toBe(false);
  });

  it("reads weekly times in the window's UTC offset", () => {
    // 22:00-06:00 Friday in UTC+2 is 20:00 Friday to 04:00 Saturday UTC
    const w = weekly({ days: ['fri'], start: '22:00', end: '06:00', utcOffsetMinutes: 120 });
    expect(freezeCovers(w, at('2025-06-06T20:00:00Z'))).toBe(true);
    expect(freezeCovers(w, at('2025-06-06T19:59:00Z'))).toBe(false);
    expect(freezeCovers(w, at('2025-06-07T04:00:00Z'))).toBe(false);
  });

  it('lists the windows in force, in policy order', () => {
    const a = weekly({ name: 'a', days: ['wed'], start: '00:00', end: '23:00' });
    const b = weekly({ name: 'b', days: ['thu'], start: '00:00', end: '23:00' });
    expect(activeFreezes([a, b], at('2025-06-04T12:00:00Z')).map((w) => w.name)).toEqual(['a']);
  });
});
