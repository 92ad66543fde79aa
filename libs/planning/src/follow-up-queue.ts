/**
 * The model's follow-up drafts waiting for the planner's drafting lane, oldest first, at most
 * `max` of them. The lane writes one draft at a time and a small model takes seconds each, while
 * an alert storm can publish a known-good plan every second: without a bound the queue would grow
 * for as long as the storm lasts, holding every diagnosis it was asked about. When it is full the
 * oldest draft gives way: by the time the lane reached it, its incident would most likely be over.
 */
export class FollowUpQueue<T> {
  private readonly items: T[] = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new Error(`a follow-up queue holds at least 1 draft, not ${max}`);
  }

  get size(): number {
    return this.items.length;
  }

  /** Adds `item`; returns the oldest item it displaced, when the queue was full. */
  push(item: T): T | undefined {
    this.items.push(item);
    return this.items.length > this.max ? this.items.shift() : undefined;
  }

  /** The oldest item, taken off the queue. */
  take(): T | undefined {
    return this.items.shift();
  }
}
