/** Failed attempts per key inside a sliding window, in a map that never grows past a bound. */
export interface AttemptWindowOptions {
  /** Failures within the window that lock a key. */
  limit: number;
  windowMs: number;
  /** Keys tracked one by one; past this, new keys share one overflow count. */
  maxKeys: number;
  now?: () => number;
}

/**
 * Eviction can never unlock anyone early: a tracked key stays until its failures age out of the
 * window. When the map is full, a key it does not hold shares one overflow count, so spraying
 * new names locks only the names nobody tracks, never frees a locked one.
 */
export class AttemptWindows {
  private readonly keys = new Map<string, number[]>();
  private overflow: number[] = [];
  private readonly now: () => number;

  constructor(private readonly options: AttemptWindowOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until this key may try again; 0 when it may now. */
  lockedForMs(key: string): number {
    const recent = this.recent(this.slotOf(key));
    if (recent.length < this.options.limit) return 0;
    return Math.max(1, (recent[0] ?? 0) + this.options.windowMs - this.now());
  }

  fail(key: string): void {
    const slot = this.slotOf(key);
    const recent = [...this.recent(slot), this.now()].slice(-this.options.limit);
    if (slot === undefined) this.overflow = recent;
    else this.keys.set(slot, recent);
  }

  forget(key: string): void {
    this.keys.delete(key);
  }

  get trackedKeys(): number {
    return this.keys.size;
  }

  /** The key itself, or undefined for the shared overflow count once the map is full. */
  private slotOf(key: string): string | undefined {
    if (this.keys.has(key)) return key;
    if (this.keys.size >= this.options.maxKeys) this.sweep();
    return this.keys.size < this.options.maxKeys ? key : undefined;
  }

  private recent(slot: string | undefined): number[] {
    const since = this.now() - this.options.windowMs;
    const all = slot === undefined ? this.overflow : (this.keys.get(slot) ?? []);
    return all.filter((t) => t > since);
  }

  private sweep(): void {
    const since = this.now() - this.options.windowMs;
    for (const [key, times] of this.keys) if (!times.some((t) => t > since)) this.keys.delete(key);
  }
}

export interface SignInThrottleOptions {
  windowMs: number;
  /** Failures per user name in the window (guessing one person's password). */
  perName: number;
  /** Failures per client address in the window (spraying many names from one place). */
  perIp: number;
  maxKeys?: number;
  now?: () => number;
}

export interface SignInAttempt {
  ip: string;
  name: string;
}

/** Sign-in throttling by user name and by client address, both bounded and spray-proof. */
export class SignInThrottle {
  private readonly names: AttemptWindows;
  private readonly ips: AttemptWindows;

  constructor(options: SignInThrottleOptions) {
    const common = { windowMs: options.windowMs, maxKeys: options.maxKeys ?? 10_000 };
    this.names = new AttemptWindows({ ...common, limit: options.perName, now: options.now });
    this.ips = new AttemptWindows({ ...common, limit: options.perIp, now: options.now });
  }

  /** Why this attempt must wait, and for how long; undefined when it may go ahead. */
  refusal(attempt: SignInAttempt): { reason: string; retryAfterS: number } | undefined {
    const byIp = this.ips.lockedForMs(attempt.ip);
    const byName = this.names.lockedForMs(attempt.name);
    const waitMs = Math.max(byIp, byName);
    if (waitMs === 0) return undefined;
    const retryAfterS = Math.ceil(waitMs / 1000);
    const who = byName >= byIp ? `for ${attempt.name}` : 'from this address';
    return {
      reason: `too many failed sign-ins ${who}; try again in ${retryAfterS} s`,
      retryAfterS,
    };
  }

  failed(attempt: SignInAttempt): void {
    this.ips.fail(attempt.ip);
    this.names.fail(attempt.name);
  }

  /** Clears the name's count only: one good password must not reset an address spraying others. */
  succeeded(attempt: SignInAttempt): void {
    this.names.forget(attempt.name);
  }
}
