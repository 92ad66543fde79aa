import type { LabelMatcher, MaintenanceWindow, Silence, Weekday } from '@vigil/contracts';
import { MAX_POLICY_SPAN_MS, MAX_POLICY_SPAN_TEXT, parseDuration } from './duration';
import { parseMatchers } from './label-matchers';
import { checkMaintenanceWindow } from './maintenance-windows';
import { PolicyError } from './policy-error';
import { checkSilence } from './silences';

/** Matchers as people send them: one Alertmanager list, or one matcher per string. */
export type MatcherText = string | readonly string[];

/**
 * What the console, the CLI and Slack ask for; times are ISO, durations like `2h`. A silence or a
 * one-off window ends at most MAX_POLICY_SPAN_MS (five years) from now; every time given is
 * between 1970 and 9999.
 */
export interface SilenceRequest {
  id: string;
  matchers: MatcherText;
  /** Defaults to now. */
  startsAt?: string;
  /** Or `duration` from the start. */
  endsAt?: string;
  duration?: string;
  comment: string;
  createdBy: string;
}

export interface MaintenanceRequest {
  id: string;
  matchers: MatcherText;
  mode?: MaintenanceWindow['mode'];
  comment: string;
  createdBy: string;
  schedule:
    | { kind: 'once'; startsAt?: string; endsAt?: string; duration?: string }
    | {
        kind: 'weekly';
        days: readonly string[];
        start: string;
        duration: string;
        timeZone: string;
        from?: string;
        until?: string;
      };
}

export function readMatchers(text: MatcherText): LabelMatcher[] {
  const list = typeof text === 'string' ? [text] : text;
  const matchers = list.flatMap((t) => parseMatchers(t));
  if (matchers.length === 0) throw new PolicyError('no matchers: name at least one label value');
  return matchers;
}

/** A checked silence; throws a MatcherError or PolicyError that says what is wrong. */
export function silenceFromRequest(request: SilenceRequest, now: number): Silence {
  const startsAt = request.startsAt ? instant(request.startsAt, 'startsAt') : now;
  const endsAt = endOf('silence', now, startsAt, request.endsAt, request.duration);
  return checkSilence({
    id: request.id,
    matchers: readMatchers(request.matchers),
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(endsAt).toISOString(),
    createdBy: request.createdBy,
    comment: request.comment,
  });
}

/** A checked maintenance window; throws a MatcherError or PolicyError that says what is wrong. */
export function maintenanceFromRequest(
  request: MaintenanceRequest,
  now: number,
): MaintenanceWindow {
  const { schedule } = request;
  let built: MaintenanceWindow['schedule'];
  if (schedule.kind === 'once') {
    const startsAt = schedule.startsAt ? instant(schedule.startsAt, 'startsAt') : now;
    const endsAt = endOf('window', now, startsAt, schedule.endsAt, schedule.duration);
    built = {
      kind: 'once',
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
    };
  } else {
    built = {
      kind: 'weekly',
      days: schedule.days.map((d) => d.toLowerCase().slice(0, 3) as Weekday),
      start: schedule.start,
      durationMs: weeklyDuration(schedule.duration),
      timeZone: schedule.timeZone,
      ...(schedule.from && { from: new Date(instant(schedule.from, 'from')).toISOString() }),
      ...(schedule.until && { until: new Date(instant(schedule.until, 'until')).toISOString() }),
    };
  }
  return checkMaintenanceWindow({
    id: request.id,
    matchers: readMatchers(request.matchers),
    mode: request.mode ?? 'suppress',
    createdBy: request.createdBy,
    comment: request.comment,
    schedule: built,
  });
}

const WEEK_MS = 7 * 86_400_000;
/** Times from 1970 to the end of 9999: what is written as a plain ISO time. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The end asked for, as an endsAt or a duration from the start. Neither the start nor the end may
 * be more than MAX_POLICY_SPAN_MS ahead of now; the field named is the one to change.
 */
function endOf(
  what: 'silence' | 'window',
  now: number,
  start: number,
  endsAt: string | undefined,
  duration: string | undefined,
): number {
  if (endsAt && duration) throw new PolicyError('give endsAt or duration, not both');
  if (!endsAt && !duration) throw new PolicyError('give endsAt or a duration (like 2h)');
  const latest = now + MAX_POLICY_SPAN_MS;
  const tooLate = (field: string, verb: string, at: number) =>
    new PolicyError(
      `${field}: too far ahead: the ${what} would ${verb} at ${new Date(at).toISOString()}, ` +
        `more than ${MAX_POLICY_SPAN_TEXT} from now`,
    );
  if (start > latest) throw tooLate('startsAt', 'start', start);
  const end = endsAt ? instant(endsAt, 'endsAt') : start + parseDuration(duration ?? '');
  if (end > latest) throw tooLate(endsAt ? 'endsAt' : 'duration', 'end', end);
  return end;
}

/** A weekly window's length: at most a week, or it would run into its next occurrence. */
function weeklyDuration(text: string): number {
  const ms = parseDuration(text);
  if (ms > WEEK_MS)
    throw new PolicyError(`duration: too long for a weekly window ("${text}"): at most 7d`);
  return ms;
}

function instant(text: string, field: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new PolicyError(`${field}: "${text}" is not an ISO time`);
  if (ms < EARLIEST || ms > LATEST)
    throw new PolicyError(`${field}: "${text}" is out of range: give a time from 1970 to 9999`);
  return ms;
}
