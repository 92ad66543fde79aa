import {
  maintenanceWindowSchema,
  type MaintenanceSchedule,
  type MaintenanceWindow,
  type Weekday,
} from '@vigil/contracts';
import { checkMatcher, matchesEverything } from './label-matchers';
import { PolicyError } from './policy-error';
import { addDays, checkTimeZone, localDateOf, weekdayOf, zonedInstant } from './zoned-time';

const weekdays: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * A window checked beyond its schema: valid regexes, a known time zone, an end after the start,
 * and matchers that do not match every alert. Throws a PolicyError (or MatcherError) that says
 * what is wrong.
 */
export function checkMaintenanceWindow(input: unknown): MaintenanceWindow {
  const parsed = maintenanceWindowSchema.safeParse(input);
  if (!parsed.success)
    throw new PolicyError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'window'}: ${i.message}`).join('; '),
    );
  const window = parsed.data;
  window.matchers.forEach(checkMatcher);
  if (matchesEverything(window.matchers))
    throw new PolicyError('the matchers would match every alert: name at least one label value');
  checkSchedule(window.schedule);
  return window;
}

function checkSchedule(schedule: MaintenanceSchedule): void {
  if (schedule.kind === 'once') {
    if (Date.parse(schedule.endsAt) <= Date.parse(schedule.startsAt))
      throw new PolicyError(
        `the window ends (${schedule.endsAt}) before it starts (${schedule.startsAt})`,
      );
    return;
  }
  try {
    checkTimeZone(schedule.timeZone);
  } catch (error) {
    throw new PolicyError(error instanceof Error ? error.message : String(error));
  }
  if (schedule.from && schedule.until && Date.parse(schedule.until) <= Date.parse(schedule.from))
    throw new PolicyError(
      `the recurrence ends (${schedule.until}) before it starts (${schedule.from})`,
    );
}

/** The occurrence of the schedule that covers `now` (ms), if one does. */
export function activeOccurrence(
  schedule: MaintenanceSchedule,
  now: number,
): { start: number; end: number } | undefined {
  if (schedule.kind === 'once') {
    const start = Date.parse(schedule.startsAt);
    const end = Date.parse(schedule.endsAt);
    return start <= now && now < end ? { start, end } : undefined;
  }
  if (schedule.from && now < Date.parse(schedule.from)) return undefined;
  if (schedule.until && now >= Date.parse(schedule.until)) return undefined;
  const [hours = 0, minutes = 0] = schedule.start.split(':').map(Number);
  const today = localDateOf(now, schedule.timeZone);
  // an occurrence that started up to the window's length ago (plus a day for the clock's shifts)
  const lookBackDays = Math.ceil(schedule.durationMs / 86_400_000) + 1;
  for (let back = 0; back <= lookBackDays; back++) {
    const date = addDays(today, -back);
    if (!schedule.days.includes(weekdays[weekdayOf(date)] as Weekday)) continue;
    const start = zonedInstant(date, hours * 60 + minutes, schedule.timeZone);
    const end = start + schedule.durationMs;
    if (start <= now && now < end) return { start, end };
  }
  return undefined;
}

/** On at `now`: its schedule covers now. */
export function windowActive(window: MaintenanceWindow, now: number): boolean {
  return activeOccurrence(window.schedule, now) !== undefined;
}

/** A once-off window is over for good after its end; a recurring one only after its `until`. */
export function windowOver(window: MaintenanceWindow, now: number): boolean {
  const { schedule } = window;
  if (schedule.kind === 'once') return now >= Date.parse(schedule.endsAt);
  return schedule.until !== undefined && now >= Date.parse(schedule.until);
}
