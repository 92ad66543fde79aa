/** An incident as similarity reads it: what it was about and where. */
export interface SimilarityFacts {
  id: string;
  title: string;
  services: readonly string[];
  rootCause?: string;
  /** Alert names and summaries, one alert a line (the store's `alertText`). */
  alertText: string;
  openedAt: string;
  resolvedAt?: string;
  planState?: string;
}

/** A candidate as the store found it: its facts and how close its services are in the topology. */
export interface SimilarCandidate extends SimilarityFacts {
  /** 0: it shares a service; 1: one of its services calls or depends on one of ours. */
  hops?: number;
}

export interface SimilarIncident {
  id: string;
  title: string;
  openedAt: string;
  resolvedAt?: string;
  planState?: string;
  rootCause?: string;
  score: number;
  /** Why, in words: "same root cause checkout", "shares checkout", "alert text 0.62". */
  reasons: string[];
}

// Root cause first: the same cause is the strongest hint of what will work again.
const WEIGHTS = { rootCause: 0.4, text: 0.35, topology: 0.25 };

/**
 * Past incidents ranked by likeness to `target`: the same root cause, the words of their alerts
 * (cosine of word counts, so names and summaries both count), and topology (a shared service, or
 * a neighbour one hop away). The best `limit` with a score above zero, best first.
 */
export function rankSimilarIncidents(
  target: SimilarityFacts,
  candidates: readonly SimilarCandidate[],
  limit = 5,
): SimilarIncident[] {
  const words = wordCounts(`${target.title}\n${target.alertText}`);
  return candidates
    .filter((c) => c.id !== target.id)
    .map((c) => scored(target, words, c))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || Date.parse(b.openedAt) - Date.parse(a.openedAt))
    .slice(0, limit);
}

function scored(
  target: SimilarityFacts,
  words: Map<string, number>,
  c: SimilarCandidate,
): SimilarIncident {
  const reasons: string[] = [];
  let score = 0;
  if (target.rootCause && c.rootCause === target.rootCause) {
    score += WEIGHTS.rootCause;
    reasons.push(`same root cause ${c.rootCause}`);
  }
  const text = cosine(words, wordCounts(`${c.title}\n${c.alertText}`));
  if (text > 0) {
    score += WEIGHTS.text * text;
    reasons.push(`alert text ${text.toFixed(2)}`);
  }
  const shared = c.services.filter((s) => target.services.includes(s));
  if (shared.length) {
    score += WEIGHTS.topology;
    reasons.push(`shares ${shared.join(', ')}`);
  } else if (c.hops === 1) {
    score += WEIGHTS.topology / 2;
    reasons.push('a neighbouring service');
  }
  return {
    id: c.id,
    title: c.title,
    openedAt: c.openedAt,
    ...(c.resolvedAt && { resolvedAt: c.resolvedAt }),
    ...(c.planState && { planState: c.planState }),
    ...(c.rootCause && { rootCause: c.rootCause }),
    score: Math.round(score * 1000) / 1000,
    reasons,
  };
}

/** Words of two letters or more, lower-cased; CamelCase alert names split into their words. */
export function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const words = text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2);
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [w, n] of a) dot += n * (b.get(w) ?? 0);
  if (dot === 0) return 0;
  return dot / (norm(a) * norm(b));
}

function norm(counts: Map<string, number>): number {
  let sum = 0;
  for (const n of counts.values()) sum += n * n;
  return Math.sqrt(sum);
}
