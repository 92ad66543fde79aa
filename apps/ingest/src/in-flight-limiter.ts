/**
 * Counts alerts that were accepted from HTTP but not yet acknowledged by Kafka. When Kafka is
 * slow the count reaches the capacity and callers refuse new work instead of buffering it, so
 * memory stays bounded and the sender (Alertmanager retries 5xx) keeps the alerts meanwhile.
 */
export class InFlightLimiter {
  private current = 0;

  constructor(
    readonly capacity: number,
    private readonly onChange: (inFlight: number) => void = () => undefined,
  ) {}

  get inFlight(): number {
    return this.current;
  }

  get saturated(): boolean {
    return this.current >= this.capacity;
  }

  /** Takes `count` slots if all of them are free; never waits. */
  tryAcquire(count: number): boolean {
    if (this.current + count > this.capacity) return false;
    this.current += count;
    this.onChange(this.current);
    return true;
  }

  release(count: number): void {
    this.current = Math.max(0, this.current - count);
    this.onChange(this.current);
  }
}
