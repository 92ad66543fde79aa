/** Why the limiter refuses new work, when it does. */
export type Refusal = 'full' | 'stalled';

/**
 * Counts alerts that were accepted from HTTP but not yet acknowledged by Kafka. When Kafka is
 * slow the count reaches the capacity and callers refuse new work instead of buffering it, so
 * memory stays bounded and the sender (Alertmanager retries 5xx) keeps the alerts meanwhile.
 *
 * A stalled Kafka (a broker paused or partitioned away) is refused sooner than that: once a send
 * has waited `stallMs` and no other send was answered meanwhile, more requests would only pile up
 * behind it. Without this a trickle of alerts filled the whole capacity over minutes of a stall,
 * every retry of a timed-out request held once more. One slow send while others are answered is
 * not a stall (a retried request, a partition whose leader moved): the capacity bounds that.
 */
export class InFlightLimiter {
  private current = 0;
  /** Each send still waiting: when it started and how many alerts it holds, oldest first. */
  private readonly pending = new Map<number, { startedAt: number; count: number }>();
  private nextTicket = 0;
  /** When a send was last answered (or the limiter made): Kafka was alive then. */
  private lastAnsweredAt: number;

  constructor(
    readonly capacity: number,
    private readonly onChange: (inFlight: number) => void = () => undefined,
    readonly stallMs = Number.POSITIVE_INFINITY,
    private readonly now: () => number = Date.now,
  ) {
    this.lastAnsweredAt = now();
  }

  get inFlight(): number {
    return this.current;
  }

  /** Why new work would be refused now, or undefined when it would be taken. */
  get refusal(): Refusal | undefined {
    if (this.current >= this.capacity) return 'full';
    const stalled =
      this.oldestWaitMs() >= this.stallMs && this.now() - this.lastAnsweredAt >= this.stallMs;
    return stalled ? 'stalled' : undefined;
  }

  /** How long the oldest send still waiting has waited; 0 when none waits. */
  oldestWaitMs(): number {
    // a Map iterates in insertion order: the first entry is the oldest still waiting
    for (const { startedAt } of this.pending.values()) return this.now() - startedAt;
    return 0;
  }

  /**
   * Takes `count` slots if all of them are free and sends are not stalled; never waits. Returns
   * the ticket to release, or undefined when refused.
   */
  tryAcquire(count: number): number | undefined {
    if (this.current + count > this.capacity || this.refusal === 'stalled') return undefined;
    this.current += count;
    const ticket = this.nextTicket++;
    this.pending.set(ticket, { startedAt: this.now(), count });
    this.onChange(this.current);
    return ticket;
  }

  /** Frees a ticket's slots; a ticket released twice frees them once. */
  release(ticket: number): void {
    const send = this.pending.get(ticket);
    if (!send) return;
    this.pending.delete(ticket);
    this.lastAnsweredAt = this.now();
    this.current -= send.count;
    this.onChange(this.current);
  }
}
