import type { IncidentView } from './incident-view.types';

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

/**
 * The facts of a live incident as similarity reads them: its alerts' names and summaries as the
 * store keeps them (`alertText`), so a live incident compares with stored ones like for like.
 */
export function similarityFactsOf(view: IncidentView): SimilarityFacts {
  return {
    id: view.incidentId,
    title: view.title,
    services: view.services,
    ...(view.rootCause && { rootCause: view.rootCause.service }),
    alertText: view.alerts
      .map((a) => [a.alert?.alertname, a.alert?.summary].filter(Boolean).join(' '))
      .filter(Boolean)
      .join('\n'),
    openedAt: view.openedAt,
    ...(view.planState && { planState: view.planState }),
  };
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
  /** Why, in words: "same root cause checkout", "shares checkout", "alert meaning 0.62"
   * (by sentence vectors) or "alert words 0.41" (by words, without them). */
  reasons: string[];
}

// Root cause first: the same cause is the strongest hint of what will work again.
const WEIGHTS = { rootCause: 0.4, text: 0.35, topology: 0.25 };

/**
 * MiniLM puts any two alert texts of the same trade at a cosine of 0.1 to 0.35 ("disk full" and
 * "cart slow" 0.21); alike ones score 0.6 and more. Below the floor the text counts for nothing.
 */
const SENTENCE_FLOOR = 0.35;

/** A sentence vector (MiniLM's Float32Array or plain numbers). */
export type SentenceVector = ArrayLike<number>;

export interface RankSimilarOptions {
  /** How many to keep; 5 by default. */
  limit?: number;
  /**
   * Sentence vectors of `similarityText` by incident id (the target's too). Without them, or for
   * an incident without one, the alert text is compared by words.
   */
  vectors?: ReadonlyMap<string, SentenceVector>;
}

/** The text alert likeness reads: the title and the alerts' names and summaries. */
export function similarityText(facts: Pick<SimilarityFacts, 'title' | 'alertText'>): string {
  // MiniLM reads 256 tokens at most; the first alerts say what the incident is
  return `${facts.title}\n${facts.alertText}`.slice(0, 1000);
}

/**
 * Past incidents ranked by likeness to `target`: the same root cause, the text of their alerts
 * (by meaning with sentence vectors, else the cosine of word counts, so names and summaries both
 * count), and topology (a shared service, or a neighbour one hop away). The best `limit` with a
 * score above zero, best first.
 */
export function rankSimilarIncidents(
  target: SimilarityFacts,
  candidates: readonly SimilarCandidate[],
  options: RankSimilarOptions = {},
): SimilarIncident[] {
  return everyScored(target, candidates, options.vectors)
    .filter((s) => s.score > 0)
    .slice(0, options.limit ?? 5);
}

/** Every candidate but the target itself, scored, best first (newest first among equals). */
function everyScored(
  target: SimilarityFacts,
  candidates: readonly SimilarCandidate[],
  vectors: ReadonlyMap<string, SentenceVector> | undefined,
): SimilarIncident[] {
  const words = wordCounts(similarityText(target));
  const targetVector = vectors?.get(target.id);
  const textLikeness = (c: SimilarCandidate): { value: number; by: 'meaning' | 'words' } => {
    const vector = vectors?.get(c.id);
    if (targetVector && vector && vector.length === targetVector.length)
      return { value: sentenceLikeness(targetVector, vector), by: 'meaning' };
    return { value: cosine(words, wordCounts(similarityText(c))), by: 'words' };
  };
  return candidates
    .filter((c) => c.id !== target.id)
    .map((c) => scored(target, c, textLikeness(c)))
    .sort((a, b) => b.score - a.score || Date.parse(b.openedAt) - Date.parse(a.openedAt));
}

function scored(
  target: SimilarityFacts,
  c: SimilarCandidate,
  text: { value: number; by: 'meaning' | 'words' },
): SimilarIncident {
  const reasons: string[] = [];
  let score = 0;
  if (target.rootCause && c.rootCause === target.rootCause) {
    score += WEIGHTS.rootCause;
    reasons.push(`same root cause ${c.rootCause}`);
  }
  if (text.value > 0) {
    score += WEIGHTS.text * text.value;
    reasons.push(`alert ${text.by === 'meaning' ? 'meaning' : 'words'} ${text.value.toFixed(2)}`);
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

/** The cosine of two sentence vectors, 0 at the floor and below, 1 for the same meaning. */
function sentenceLikeness(a: SentenceVector, b: SentenceVector): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0) return 0;
  const cos = Math.min(1, dot / Math.sqrt(na * nb));
  return Math.max(0, (cos - SENTENCE_FLOOR) / (1 - SENTENCE_FLOOR));
}

/**
 * Ranks with sentence vectors from `embed` when it gives them, by words when it cannot (no model,
 * or it failed): similar incidents are a hint, never worth failing a page or a plan for. Only the
 * `maxEmbedded` best by words are embedded and ranked again (a store may offer hundreds).
 */
export async function rankSimilarIncidentsWith(
  embed: ((texts: string[]) => Promise<readonly SentenceVector[] | undefined>) | undefined,
  target: SimilarityFacts,
  candidates: readonly SimilarCandidate[],
  options: { limit?: number; maxEmbedded?: number } = {},
): Promise<SimilarIncident[]> {
  const limit = options.limit ?? 5;
  if (!embed) return rankSimilarIncidents(target, candidates, { limit });
  const byWords = everyScored(target, candidates, undefined).slice(0, options.maxEmbedded ?? 50);
  const best = new Set(byWords.map((s) => s.id));
  const shortlist = candidates.filter((c) => best.has(c.id));
  const vectors = await vectorsOf(embed, [target, ...shortlist]);
  return rankSimilarIncidents(target, vectors ? shortlist : candidates, {
    limit,
    ...(vectors && { vectors }),
  });
}

async function vectorsOf(
  embed: (texts: string[]) => Promise<readonly SentenceVector[] | undefined>,
  incidents: readonly SimilarityFacts[],
): Promise<Map<string, SentenceVector> | undefined> {
  try {
    const vectors = await embed(incidents.map(similarityText));
    if (!vectors || vectors.length !== incidents.length) return undefined;
    return new Map(incidents.map((incident, i) => [incident.id, vectors[i] as SentenceVector]));
  } catch {
    return undefined;
  }
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
