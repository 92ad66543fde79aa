export interface ExpiringMapOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

/**
 * A map whose entries expire and whose size is bounded: past the bound the oldest entry goes,
 * so a flood of half-finished sign-ins cannot exhaust memory.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: ExpiringMapOptions) {
    this.now = options.now ?? Date.now;
  }

  set(key: string, value: V): void {
    this.sweep();
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.options.ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** The value once: it is removed whether or not it was still live. */
  take(key: string): V | undefined {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry && entry.expiresAt > this.now() ? entry.value : undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(): void {
    const now = this.now();
    // insertion order is expiry order (one TTL for all), so stop at the first live entry
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}
