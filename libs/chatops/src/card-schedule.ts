import type { IncidentListItem } from '@vigil/incident-view';

/** Where a posted card lives: chat.update needs the channel id Slack answered with and the ts. */
export interface CardMessage {
  channel: string;
  ts: string;
}

export type CardWork =
  | { kind: 'post'; incidentId: string }
  | { kind: 'update'; incidentId: string; message: CardMessage };

export interface CardScheduleOptions {
  /** At most one Slack call per card in this time (Slack allows about one update a second). */
  minIntervalMs: number;
  /** First wait after a failed call; it doubles with each failure in a row. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Cards remembered; the least recently changed settled ones are forgotten beyond it. */
  maxCards: number;
}

export const defaultCardScheduleOptions: CardScheduleOptions = {
  minIntervalMs: 1_000,
  retryBaseMs: 2_000,
  retryMaxMs: 5 * 60_000,
  maxCards: 5_000,
};

interface CardEntry {
  message?: CardMessage;
  /** The incident changed since the card was last sent. */
  dirty: boolean;
  inFlight: boolean;
  notBefore: number;
  failures: number;
  touched: number;
}

/**
 * When each incident's card is sent: posted once, then updated in place. Changes that come while
 * a call is in flight or too soon after the last one are coalesced into one later call, which
 * renders the state of that moment, so the card always ends with the latest state. A failed call
 * is retried with backoff. Pure: the caller supplies the clock and does the calls.
 */
export class CardSchedule {
  private readonly cards = new Map<string, CardEntry>();
  private readonly options: CardScheduleOptions;

  constructor(options: Partial<CardScheduleOptions> = {}) {
    this.options = { ...defaultCardScheduleOptions, ...options };
  }

  has(incidentId: string): boolean {
    return this.cards.has(incidentId);
  }

  message(incidentId: string): CardMessage | undefined {
    return this.cards.get(incidentId)?.message;
  }

  changed(incidentId: string, now: number): void {
    const entry = this.cards.get(incidentId) ?? {
      dirty: false,
      inFlight: false,
      notBefore: now,
      failures: 0,
      touched: now,
    };
    entry.dirty = true;
    entry.touched = now;
    this.cards.set(incidentId, entry);
    this.bound();
  }

  /** The calls to make now; each is in flight until `succeeded` or `failed` is reported. */
  due(now: number): CardWork[] {
    const work: CardWork[] = [];
    for (const [incidentId, entry] of this.cards) {
      if (!entry.dirty || entry.inFlight || entry.notBefore > now) continue;
      entry.dirty = false;
      entry.inFlight = true;
      work.push(
        entry.message
          ? { kind: 'update', incidentId, message: entry.message }
          : { kind: 'post', incidentId },
      );
    }
    return work;
  }

  succeeded(incidentId: string, now: number, posted?: CardMessage): void {
    const entry = this.cards.get(incidentId);
    if (!entry) return;
    entry.inFlight = false;
    entry.failures = 0;
    entry.message ??= posted;
    entry.notBefore = now + this.options.minIntervalMs;
  }

  /**
   * The call failed: the card is sent again later, with what is current then. `forgetMessage`
   * when the posted message is gone (deleted, archived channel): the next call posts anew.
   * Returns the wait before the retry.
   */
  failed(
    incidentId: string,
    now: number,
    hints: { retryAfterMs?: number; forgetMessage?: boolean } = {},
  ): number {
    const entry = this.cards.get(incidentId);
    if (!entry) return 0;
    entry.inFlight = false;
    entry.dirty = true;
    entry.failures++;
    if (hints.forgetMessage) entry.message = undefined;
    const backoff = Math.min(
      this.options.retryMaxMs,
      this.options.retryBaseMs * 2 ** (entry.failures - 1),
    );
    const wait = Math.max(backoff, hints.retryAfterMs ?? 0, this.options.minIntervalMs);
    entry.notBefore = now + wait;
    return wait;
  }

  /** The incident is gone from the read model: nothing left to show. */
  forget(incidentId: string): void {
    this.cards.delete(incidentId);
  }

  /** When `due` will next have work, if anything waits. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const entry of this.cards.values())
      if (entry.dirty && !entry.inFlight && (next === undefined || entry.notBefore < next))
        next = entry.notBefore;
    return next;
  }

  private bound(): void {
    if (this.cards.size <= this.options.maxCards) return;
    const settled = [...this.cards]
      .filter(([, e]) => !e.dirty && !e.inFlight)
      .sort(([, a], [, b]) => a.touched - b.touched);
    for (const [incidentId] of settled.slice(0, this.cards.size - this.options.maxCards))
      this.cards.delete(incidentId);
  }
}

/**
 * Whether an incident the channel has no card for gets one: it must still be open to people and
 * recent, so replaying a topic from the beginning does not flood the channel with history.
 */
export function deservesCard(item: IncidentListItem, now: number, maxAgeMs: number): boolean {
  return item.status !== 'resolved' && now - Date.parse(item.updatedAt) <= maxAgeMs;
}
