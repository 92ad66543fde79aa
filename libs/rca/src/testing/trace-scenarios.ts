import type { TraceSpan } from '@vigil/contracts';

export interface WaitingCallerScenario {
  /** When the recording ends (epoch ms). */
  now: number;
  /** How many steps are recorded, and how long one is. */
  steps: number;
  stepMs: number;
  /** The last this many steps are under the fault. */
  faultSteps: number;
  /** Requests per step. */
  perStep?: number;
  /** The services' names from their roles (a prefix of the run, say). */
  name?: (role: 'frontend' | 'checkout' | 'payment' | 'payment-db' | 'catalog') => string;
}

const wobble = (i: number) => Math.sin(i * 1.7 + 7) * 0.5 + Math.cos(i * 0.31 + 7) * 0.5;

/**
 * Whole traces of a small shop (vigil.traces.v1): frontend calls checkout, which calls payment
 * and catalog; payment calls payment-db. Under the fault, every call that checkout makes waits
 * 400 ms more than the callee took (checkout starved of CPU, or its network slow): the callees'
 * own spans do not change, only checkout's client spans do. Call records of the same calls would
 * show payment and catalog answering slowly.
 */
export function waitingCallerTraces(scenario: WaitingCallerScenario): TraceSpan[] {
  const { now, steps, stepMs, faultSteps, perStep = 5, name = (role) => role } = scenario;
  const gap = stepMs / perStep;
  const start = now - (steps - 1) * stepMs;
  const spans: TraceSpan[] = [];
  for (let i = 0; i < steps * perStep; i++) {
    const t0 = start + i * gap;
    const trace = `trace-${t0.toString(16)}-${i}`;
    const waits = i / perStep >= steps - faultSteps ? 400 : 0;
    const span = (
      id: string,
      role: Parameters<typeof name>[0],
      parent: string | undefined,
      at: number,
      ms: number,
    ) =>
      spans.push({
        schemaVersion: 1,
        traceId: trace,
        spanId: `${trace}-${id}`,
        ...(parent && { parentSpanId: `${trace}-${parent}` }),
        service: name(role),
        operation: id,
        time: new Date(t0 + at).toISOString(),
        durationMs: ms,
        status: 'ok',
      });
    const db = 8 + 2 * wobble(i);
    const pay = db + 6;
    const cat = 5 + 2 * wobble(i);
    const co = pay + cat + 2 * waits + 10;
    span('fe', 'frontend', undefined, 0, co + 20);
    span('fe-co', 'frontend', 'fe', 2, co + 4);
    span('co', 'checkout', 'fe-co', 3, co);
    span('co-pay', 'checkout', 'co', 4, pay + 2 + waits);
    span('pay', 'payment', 'co-pay', 5, pay);
    span('pay-db', 'payment', 'pay', 6, db + 1);
    span('db', 'payment-db', 'pay-db', 6.5, db);
    span('co-cat', 'checkout', 'co', 10 + pay + waits, cat + 2 + waits);
    span('cat', 'catalog', 'co-cat', 11 + pay + waits, cat);
  }
  return spans;
}
