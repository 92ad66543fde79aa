import type { LabelMatcher, MaintenanceWindow, Silence, Weekday } from '@vigil/contracts';
import { parseDuration } from './duration';
import { parseMatchers } from './label-matchers';
import { checkMaintenanceWindow } from './maintenance-windows';
import { PolicyError } from './policy-error';
import { checkSilence } from './silences';

/** Matchers as people send them: one Alertmanager list, or one matcher per string. */
export type MatcherText = string | readonly string[];

/** What the console, the CLI and Slack ask for; times are ISO, durations like `2h`. */
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
  const endsAt = endOf(startsAt, request.endsAt, request.duration);
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
    const endsAt = endOf(startsAt, schedule.endsAt, schedule.duration);
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
      durationMs: parseDuration(schedule.duration),
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

function endOf(start: number, endsAt: string | undefined, duration: string | undefined): number {
  if (endsAt && duration) throw new PolicyError('give endsAt or duration, not both');
  if (endsAt) return instant(endsAt, 'endsAt');
  if (duration) return start + parseDuration(duration);
  throw new PolicyError('give endsAt or a duration (like 2h)');
}

function instant(text: string, field: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new PolicyError(`${field}: "${text}" is not an ISO time`);
  return ms;
}
