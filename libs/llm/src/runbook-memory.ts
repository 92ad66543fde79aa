import type { PastRunbook } from './remediation-prompt';

interface Remembered {
  vector: Float32Array | number[];
  runbook: PastRunbook;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Past incidents and what was done about them, found again by meaning: the text of an incident
 * (title, leading cause, evidence) embedded once, compared by cosine. Bounded: the oldest go first.
 */
export class RunbookMemory {
  private readonly items: Remembered[] = [];

  constructor(private readonly capacity = 500) {}

  remember(vector: Float32Array | number[], runbook: PastRunbook): void {
    this.items.push({ vector, runbook });
    if (this.items.length > this.capacity) this.items.shift();
  }

  /** The `k` most similar past runbooks with at least `minSimilarity`, most similar first. */
  similar(vector: Float32Array | number[], k = 3, minSimilarity = 0.5): PastRunbook[] {
    return this.items
      .map((item) => ({ item, score: cosine(vector, item.vector) }))
      .filter(({ score }) => score >= minSimilarity)
      .sort((a, b) => b.score - a.score)
      .slice(0, k)
      .map(({ item }) => item.runbook);
  }

  get size(): number {
    return this.items.length;
  }
}

/** The text an incident is remembered and searched by. */
export function incidentText(
  title: string,
  cause: string,
  faultClass: string,
  evidence: string[],
): string {
  return `${title}. Root cause ${cause} (${faultClass}). ${evidence.join('; ')}`.slice(0, 1000);
}
