// What the incident page's merge and split controls allow and send. Pure: no DOM, so jest checks it.
import type { Role } from './types';

/** Incident ids typed by a person: split on commas and spaces, without this incident or repeats. */
export function mergeTargets(text: string, self: string): string[] {
  const ids = text
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter((id) => id && id !== self);
  return [...new Set(ids)];
}

export interface RegroupState {
  /** Why the controls are off, when they are. */
  refusal?: string;
  canMerge: boolean;
  canSplit: boolean;
}

/** Responders and approvers regroup; a split must leave at least one alert behind. */
export function regroupState(
  role: Role,
  mergedInto: string | undefined,
  busy: boolean,
  targets: readonly string[],
  chosen: number,
  alerts: number,
): RegroupState {
  const refusal =
    role === 'viewer'
      ? 'merging and splitting needs the responder role'
      : mergedInto
        ? `merged into ${mergedInto}: regroup that one`
        : undefined;
  const open = !refusal && !busy;
  return {
    ...(refusal && { refusal }),
    canMerge: open && targets.length > 0,
    canSplit: open && chosen > 0 && chosen < alerts,
  };
}
