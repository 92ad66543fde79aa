// How the list's filter controls map onto the filters. Pure: no DOM, so jest checks it.
import type { IncidentFilters, RangePreset } from './filters';

/** Adds or removes `value`, keeping the list in `order` (the order the URL uses). */
export function toggleInOrder<T>(list: readonly T[], value: T, order: readonly T[]): T[] {
  const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  return order.filter((v) => next.includes(v));
}

/** What the time select shows for the filters: a preset, a custom window, or any time (''). */
export function rangeChoice(filters: IncidentFilters): RangePreset | 'custom' | '' {
  return filters.range || (filters.since || filters.until ? 'custom' : '');
}
