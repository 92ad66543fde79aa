/** Local dates and times in an IANA time zone, through Intl only (no time zone database of ours). */

export interface LocalDate {
  year: number;
  /** 1 to 12 */
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError naming the zone when Intl does not know it. */
export function checkTimeZone(timeZone: string): void {
  formatter(timeZone);
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    try {
      found = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone "${timeZone}" (an IANA name such as Europe/Berlin)`);
    }
    formatters.set(timeZone, found);
  }
  return found;
}

/** The wall-clock fields at `instant` (ms) in the zone. */
function localFields(instant: number, timeZone: string): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant)))
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  return fields;
}

/** How far the zone's wall clock is ahead of UTC at `instant` (ms). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const f = localFields(instant, timeZone);
  const asUtc = Date.UTC(
    f['year'] ?? 0,
    (f['month'] ?? 1) - 1,
    f['day'] ?? 1,
    f['hour'] ?? 0,
    f['minute'] ?? 0,
    f['second'] ?? 0,
  );
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

export function localDateOf(instant: number, timeZone: string): LocalDate {
  const f = localFields(instant, timeZone);
  return { year: f['year'] ?? 0, month: f['month'] ?? 1, day: f['day'] ?? 1 };
}

/**
 * The instant at which the zone's clocks show `minutes` after midnight on `date`. A time skipped
 * by a DST change (02:30 on the spring-forward night) is read with the offset before the change,
 * so it lands just after the jump, as cron-like schedulers do.
 */
export function zonedInstant(date: LocalDate, minutes: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * 60_000;
  const before = zoneOffsetMs(wall - 86_400_000 / 2, timeZone);
  const guess = wall - before;
  const after = zoneOffsetMs(guess, timeZone);
  if (after === before) return guess;
  // the offset changed near this time: the one in force at the corrected instant decides
  const corrected = wall - after;
  return zoneOffsetMs(corrected, timeZone) === after ? corrected : guess;
}

/** Day of the week of a local date, 0 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
