// How the root-cause analysis is shown: candidates best first, explaining paths as arrows, metric
// directions as glyphs. Pure: no DOM, so jest checks it.
import type { RootCauseCandidate, RootCauseEvidence } from './types';

/** The candidates by rank, best first (the input is left as it is). */
export function rankedCandidates(candidates: readonly RootCauseCandidate[]): RootCauseCandidate[] {
  return [...candidates].sort((a, b) => a.rank - b.rank);
}

/** `checkout → payment → payment-db`; null for a path of one service, which explains nothing. */
export function explainingPath(path: readonly string[]): string | null {
  return path.length > 1 ? path.join(' → ') : null;
}

type MetricDirection = RootCauseEvidence['metrics'][number]['direction'];

/** The arrow shown before a metric, and its tooltip. */
export function metricDirection(direction: MetricDirection): { glyph: string; title: string } {
  if (direction === 'up') return { glyph: '▲', title: 'went up' };
  if (direction === 'down') return { glyph: '▼', title: 'went down' };
  return { glyph: '◆', title: 'changed' };
}
