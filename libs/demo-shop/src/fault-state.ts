import { z } from 'zod';

/**
 * The faults an instance can be told to have (POST /admin/faults), what `vigil chaos` injects.
 * A crash is not a state: the instance exits. A bad deploy is a version, not a fault here.
 */
export const faultSchema = z
  .object({
    /** Added to every request. */
    latencyMs: z.number().min(0).max(60_000).default(0),
    /** Share of requests answered 500. */
    errorRate: z.number().min(0).max(1).default(0),
    /** Share of each 100 ms spent spinning the CPU (0.95 saturates one core). */
    cpuHog: z.number().min(0).max(0.99).default(0),
    /** Memory retained per second, in MiB, until the instance is restarted. */
    leakMiBPerSecond: z.number().min(0).max(512).default(0),
    /** Refuse every request with 503 (a dependency outage when set on a store). */
    unavailable: z.boolean().default(false),
  })
  .strict();
export type Faults = z.output<typeof faultSchema>;

export const noFaults: Faults = faultSchema.parse({});

export function parseFaults(
  body: unknown,
): { ok: true; faults: Faults } | { ok: false; reason: string } {
  const parsed = faultSchema.safeParse(body);
  if (parsed.success) return { ok: true, faults: parsed.data };
  return {
    ok: false,
    reason: parsed.error.issues
      .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
      .join('; '),
  };
}

/** What one request suffers: `random` is in [0, 1). */
export function requestFate(
  faults: Faults,
  random: number,
): { extraLatencyMs: number; fail: 'unavailable' | 'error' | undefined } {
  if (faults.unavailable) return { extraLatencyMs: 0, fail: 'unavailable' };
  return {
    extraLatencyMs: faults.latencyMs,
    fail: random < faults.errorRate ? 'error' : undefined,
  };
}
