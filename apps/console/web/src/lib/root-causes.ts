// How the root-cause analysis is shown: candidates best first, explaining paths as arrows, metric
// directions as glyphs. Pure: no DOM, so jest checks it.
import type { RcaResult, RootCauseCandidate, RootCauseEvidence } from './types';

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

/**
 * What the ranking had to do without, e.g. `ranked without prometheus (connect ECONNREFUSED ...)`;
 * null when every source answered or the result does not say.
 */
export function missingSources(rca: Pick<RcaResult, 'sources'>): string | null {
  const lacking = (rca.sources ?? []).filter((s) => s.status !== 'ok');
  if (lacking.length === 0) return null;
  const parts = lacking.map(
    (s) =>
      `${s.name}${s.status === 'partial' ? ' (partly)' : ''}${s.detail ? ` (${s.detail})` : ''}`,
  );
  return `ranked without ${parts.join(', ')}`;
}
