import type { IncidentFeedback } from '@vigil/contracts';

/** What people said about two kinds of alert: they go together (a merge) or not (a split). */
export type FeedbackRelation = 'join' | 'apart';

export interface LearnedPair {
  relation: FeedbackRelation;
  /** The two kinds, the asking alert's first. */
  kinds: [string, string];
  /** The correction that taught it (the latest one about this pair). */
  feedbackId: string;
}

/** Something that can say whether an alert's kind goes with an incident's kinds. */
export interface FeedbackAdvisor {
  relation(kind: string, incidentKinds: readonly string[]): LearnedPair | undefined;
  /** Whether two incidents hold kinds people split apart: then the rules do not merge them. */
  keptApart(kinds: readonly string[], others: readonly string[]): boolean;
}

/**
 * The kind of an alert: its alertname on its service. Kinds, not fingerprints, are what people's
 * corrections teach, so a later alert of the same rule on the same service is judged by them: the
 * next "HighErrorRate@checkout" joins the "DiskFull@orders-db" people merged it with last time.
 */
export function alertKind(alert: { alertname: string; service: string }): string {
  return `${alert.alertname}@${alert.service}`;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\n${b}` : `${b}\n${a}`;
}

/**
 * People's merges and splits, remembered as pairs of alert kinds (pure: no I/O). A merge teaches
 * that what opened each merged incident (its first alert) joins the kinds of the others; a split,
 * that the kinds split out stay apart from an incident mostly made of the kinds left behind. A
 * later correction of the same pair overrides an earlier one. Two alerts of one kind split apart
 * (two instances' disks) teach nothing: their kind is one.
 */
export class FeedbackMemory implements FeedbackAdvisor {
  private readonly pairs = new Map<string, { relation: FeedbackRelation; feedbackId: string }>();
  private readonly seen = new Set<string>();

  constructor(private readonly maxPairs = 100_000) {}

  /** Learns one correction; the same feedback id twice is learned once. */
  learn(feedback: IncidentFeedback): void {
    if (this.seen.has(feedback.feedbackId)) return;
    this.seen.add(feedback.feedbackId);
    if (feedback.type === 'merge') this.learnMerge(feedback);
    else this.learnSplit(feedback);
  }

  /**
   * How the alert's kind relates to an incident holding `incidentKinds`, if people said anything
   * about it, judged against the incident as a whole: apart when people split this kind away from
   * most of what it holds, joined when they merged it with at least half of it. A correction is
   * about the incident people saw; one shared kind inside a larger, different incident (a bigger
   * outage, a busy service) is no reason to join or part.
   */
  relation(kind: string, incidentKinds: readonly string[]): LearnedPair | undefined {
    let join: LearnedPair | undefined;
    let apart: LearnedPair | undefined;
    let apartCount = 0;
    let joinCount = 0;
    let others = 0;
    for (const other of incidentKinds) {
      if (other === kind) continue;
      others++;
      const learned = this.pairs.get(pairKey(kind, other));
      if (!learned) continue;
      const pair: LearnedPair = { ...learned, kinds: [kind, other] };
      if (learned.relation === 'apart') {
        apartCount++;
        apart ??= pair;
      } else {
        joinCount++;
        join ??= pair;
      }
    }
    if (apart && 2 * apartCount > others) return apart;
    return 2 * joinCount >= others ? join : undefined;
  }

  /** True when some kind of one group was split apart from some kind of the other. */
  keptApart(kinds: readonly string[], others: readonly string[]): boolean {
    return kinds.some((kind) => this.relation(kind, others)?.relation === 'apart');
  }

  /** Pairs remembered, by relation. */
  size(): Record<FeedbackRelation, number> {
    const counts = { join: 0, apart: 0 };
    for (const pair of this.pairs.values()) counts[pair.relation]++;
    return counts;
  }

  private learnMerge(feedback: Extract<IncidentFeedback, { type: 'merge' }>): void {
    const involved = new Set([feedback.incidentId, ...feedback.mergedIncidentIds]);
    const kindsOf = new Map<string, Set<string>>();
    for (const alert of feedback.alerts) {
      if (!involved.has(alert.incidentId)) continue;
      const kinds = kindsOf.get(alert.incidentId) ?? new Set<string>();
      kinds.add(alertKind(alert));
      kindsOf.set(alert.incidentId, kinds);
    }
    // What opened each incident goes with everything in the others; an alert that only happened
    // to be inside one of them (a noisy neighbour) learns nothing from the merge.
    const groups = [...kindsOf.values()];
    for (const [i, group] of groups.entries()) {
      const opener = group.values().next().value;
      if (opener === undefined) continue;
      for (const [j, other] of groups.entries())
        if (j !== i) this.teach(new Set([opener]), other, 'join', feedback.feedbackId);
    }
  }

  private learnSplit(feedback: Extract<IncidentFeedback, { type: 'split' }>): void {
    const moving = new Set(feedback.fingerprints);
    const moved = new Set<string>();
    const kept = new Set<string>();
    for (const alert of feedback.alerts) {
      if (alert.incidentId !== feedback.incidentId) continue;
      (moving.has(alert.fingerprint) ? moved : kept).add(alertKind(alert));
    }
    this.teach(moved, kept, 'apart', feedback.feedbackId);
  }

  private teach(
    a: ReadonlySet<string>,
    b: ReadonlySet<string>,
    relation: FeedbackRelation,
    feedbackId: string,
  ): void {
    for (const x of a)
      for (const y of b) {
        if (x === y) continue;
        const key = pairKey(x, y);
        // re-inserted, so the oldest correction is the first forgotten
        this.pairs.delete(key);
        this.pairs.set(key, { relation, feedbackId });
      }
    for (const key of this.pairs.keys()) {
      if (this.pairs.size <= this.maxPairs) break;
      this.pairs.delete(key);
    }
  }
}
