import type { FreezeWindow } from './policy';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Whether `at` (epoch ms) falls inside the window. Absolute windows are [from, to). */
export function freezeCovers(window: FreezeWindow, at: number): boolean {
  if (window.kind === 'absolute')
    return Date.parse(window.from) <= at && at < Date.parse(window.to);
  const local = at + window.utcOffsetMinutes * MINUTE_MS;
  const day = new Date(local).getUTCDay();
  const minute = ((Math.floor(local / MINUTE_MS) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const startsOn = (d: number): boolean => window.days.includes(WEEKDAYS[(d + 7) % 7]);
  // A window that does not end after it starts runs past midnight into the next day;
  // start == end is a whole day.
  if (start < end) return startsOn(day) && start <= minute && minute < end;
  return (startsOn(day) && minute >= start) || (startsOn(day - 1) && minute < end);
}

/** The windows covering `at`, in policy order. */
export function activeFreezes(windows: readonly FreezeWindow[], at: number): FreezeWindow[] {
  return windows.filter((w) => freezeCovers(w, at));
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
