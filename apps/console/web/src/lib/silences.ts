// The silences page's words: matchers as typed, when a window is on, and the request a form
// makes. Pure: no DOM, so jest checks it.
import type { LabelMatcher, MaintenanceWindow, Silence } from '@vigil/contracts';

export type SilenceRow = Silence & { state: 'pending' | 'active' | 'expired' };
export type WindowRow = MaintenanceWindow & {
  state: 'active' | 'scheduled' | 'expired';
  expiredAt?: string;
};

/** `{service="db", env=~"prod.*"}`, as Alertmanager shows matchers. */
export function matchersText(matchers: readonly LabelMatcher[]): string {
  const one = (m: LabelMatcher) =>
    `${m.name}${m.op}"${m.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return `{${matchers.map(one).join(', ')}}`;
}

/** When a window is on: its one time range, or its days, local start, length and zone. */
export function windowWhen(window: MaintenanceWindow): string {
  const { schedule } = window;
  if (schedule.kind === 'once')
    return `${shortTime(schedule.startsAt)} to ${shortTime(schedule.endsAt)}`;
  const minutes = Math.round(schedule.durationMs / 60_000);
  const length = minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
  return `every ${schedule.days.join(', ')} at ${schedule.start} (${schedule.timeZone}) for ${length}`;
}

/** `2026-12-01 10:00 UTC`: the silences page shows absolute times, not relative ones. */
export function shortTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Whether the expire button makes sense: not for what is already over. */
export function canExpire(row: { state: string }): boolean {
  return row.state !== 'expired';
}

export interface WindowForm {
  matchers: string;
  mode: MaintenanceWindow['mode'];
  recurring: boolean;
  duration: string;
  days: string;
  start: string;
  timeZone: string;
  comment: string;
}

/** The POST /api/v1/maintenance body of the form; the server checks and names what is wrong. */
export function windowRequest(form: WindowForm): Record<string, unknown> {
  return {
    matchers: form.matchers,
    mode: form.mode,
    comment: form.comment,
    schedule: form.recurring
      ? {
          kind: 'weekly',
          days: form.days
            .split(/[\s,]+/)
            .map((d) => d.trim())
            .filter(Boolean),
          start: form.start,
          duration: form.duration,
          timeZone: form.timeZone,
        }
      : { kind: 'once', duration: form.duration },
  };
}
