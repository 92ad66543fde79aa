import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StepRequest, StepResult } from './execution-adapter';

interface LedgerEntry {
  key: string;
  /** What the key was used for: the same key for a different step is a bug, not a re-send. */
  fingerprint: string;
  result: StepResult;
}

/**
 * The idempotency keys an adapter has applied, with their results, in memory and optionally in
 * an append-only JSON-lines file, so a step re-sent by a restarted executor is not applied again
 * even if the adapter restarted too. Only successes are kept: a failed step may be tried again
 * with the same key (the executor decides whether to).
 */
export class IdempotencyLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  private readonly inFlight = new Map<string, Promise<StepResult>>();

  constructor(private readonly stateFile?: string) {
    if (stateFile && existsSync(stateFile)) this.load(stateFile);
  }

  /** Runs `apply` once per key; re-sends get `already-applied` with the first result's states. */
  async run(request: StepRequest, apply: () => Promise<StepResult>): Promise<StepResult> {
    if (request.dryRun) return apply();
    const fingerprint = fingerprintOf(request);
    const known = this.entries.get(request.idempotencyKey);
    if (known) return replay(known, fingerprint);
    const running = this.inFlight.get(request.idempotencyKey);
    // A concurrent duplicate waits for the first and is then told it was already applied.
    if (running) return running.then(() => this.run(request, apply));
    const started = this.applyOnce(request.idempotencyKey, fingerprint, apply);
    this.inFlight.set(request.idempotencyKey, started);
    try {
      return await started;
    } finally {
      this.inFlight.delete(request.idempotencyKey);
    }
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  private async applyOnce(
    key: string,
    fingerprint: string,
    apply: () => Promise<StepResult>,
  ): Promise<StepResult> {
    const result = await apply();
    if (result.outcome === 'applied' || result.outcome === 'already-applied')
      this.remember({ key, fingerprint, result });
    return result;
  }

  private remember(entry: LedgerEntry): void {
    this.entries.set(entry.key, entry);
    if (!this.stateFile) return;
    mkdirSync(dirname(this.stateFile), { recursive: true });
    // Synchronous so the key is on disk before the executor hears "applied".
    appendFileSync(this.stateFile, `${JSON.stringify(entry)}\n`);
  }

  private load(file: string): void {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const entry = parseEntry(line);
      if (entry) this.entries.set(entry.key, entry);
    }
  }
}

function replay(known: LedgerEntry, fingerprint: string): StepResult {
  if (known.fingerprint !== fingerprint)
    return {
      outcome: 'failed',
      detail: `idempotency key ${known.key} was already used for a different step`,
    };
  const { before, after, detail } = known.result;
  return { outcome: 'already-applied', detail: `already applied: ${detail}`, before, after };
}

/** A line cut short by a crash is skipped rather than failing the start. */
function parseEntry(line: string): LedgerEntry | undefined {
  if (!line.trim()) return undefined;
  try {
    const entry = JSON.parse(line) as Partial<LedgerEntry>;
    const valid =
      typeof entry.key === 'string' &&
      typeof entry.fingerprint === 'string' &&
      typeof entry.result?.outcome === 'string';
    return valid ? (entry as LedgerEntry) : undefined;
  } catch {
    return undefined;
  }
}

function fingerprintOf(request: StepRequest): string {
  const { planId, stepId, action, target, params } = request;
  return stableJson({ planId, stepId, action, target, params });
}

/** JSON with sorted object keys, so `{a, b}` and `{b, a}` are the same step. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
