import type { CallSpan } from '@vigil/contracts';

interface Tally {
  ok: number;
  failed: number;
  okMs: number;
  failedMs: number;
}

/**
 * Calls from one service to its dependencies, summed per interval: one aggregated span per callee
 * and outcome instead of one per request, which is what topology-sync needs to keep CALLS edges.
 */
export class CallTally {
  private tallies = new Map<string, Tally>();

  constructor(private readonly caller: string) {}

  record(callee: string, durationMs: number, ok: boolean): void {
    const t = this.tallies.get(callee) ?? { ok: 0, failed: 0, okMs: 0, failedMs: 0 };
    if (ok) {
      t.ok++;
      t.okMs += durationMs;
    } else {
      t.failed++;
      t.failedMs += durationMs;
    }
    this.tallies.set(callee, t);
  }

  /** The spans since the last flush, and a fresh start. */
  flush(at: Date): CallSpan[] {
    const spans: CallSpan[] = [];
    const time = at.toISOString();
    for (const [callee, t] of this.tallies) {
      const base = { schemaVersion: 1 as const, caller: this.caller, callee, time };
      if (t.ok > 0) spans.push({ ...base, status: 'ok', count: t.ok, durationMs: t.okMs / t.ok });
      if (t.failed > 0)
        spans.push({
          ...base,
          status: 'error',
          count: t.failed,
          durationMs: t.failedMs / t.failed,
        });
    }
    this.tallies = new Map();
    return spans;
  }
}
