/**
 * What faults and background anomalies do to a service, step by step, before the simulation
 * turns it into metrics. Every fault model and background anomaly only writes here; the
 * simulation alone decides how it shows up in the service's own metrics and in its neighbours'.
 */

export interface Clock {
  /** Epoch ms of the first step. */
  start: number;
  stepMs: number;
  steps: number;
}

export interface ServiceEffects {
  /** Multiplier of the service's own processing time. */
  latencyMult: Float64Array;
  /** Share of requests the service itself fails, on top of its normal rate. */
  errorAdd: Float64Array;
  /** Extra CPU demand in cores (a hog, GC, a batch job). */
  cpuAdd: Float64Array;
  memAddMb: Float64Array;
  /** Multiplier of the traffic the service receives (a batch client, a retry storm). */
  loadMult: Float64Array;
  /** Network delay added to every response, as callers see it. */
  netDelayMs: Float64Array;
  /** Share of {@link netDelayMs} that the service's own latency metric sees (0: delay outside it). */
  netDelayVisible: number;
  /** 1 while no container runs. */
  down: Uint8Array;
  /** Steps at which a new process starts: memory starts low, start-up burns CPU. */
  restarts: number[];
  /**
   * While down: no scrape at all ('missing'), zeros from the kubelet ('zero'), or each series
   * repeating its last value ('stale': a push gateway or an exporter cache; bench/rca/variant.ts).
   */
  downReporting: 'missing' | 'zero' | 'stale';
  /** Callers get connection refused at once (true) or wait for their timeout (false). */
  failFast: boolean;
}

export interface EdgeLoss {
  from: string;
  to: string;
  /** Share of calls on this edge that cannot reach the callee. */
  share: Float64Array;
  failFast: boolean;
}

export interface CaseEffects {
  services: Map<string, ServiceEffects>;
  edgeLoss: EdgeLoss[];
}

export function emptyEffects(
  services: readonly string[],
  steps: number,
  downReporting: ServiceEffects['downReporting'] = 'missing',
): CaseEffects {
  const map = new Map<string, ServiceEffects>();
  for (const name of services) {
    map.set(name, {
      latencyMult: new Float64Array(steps).fill(1),
      errorAdd: new Float64Array(steps),
      cpuAdd: new Float64Array(steps),
      memAddMb: new Float64Array(steps),
      loadMult: new Float64Array(steps).fill(1),
      netDelayMs: new Float64Array(steps),
      netDelayVisible: 1,
      down: new Uint8Array(steps),
      restarts: [],
      downReporting,
      failFast: true,
    });
  }
  return { services: map, edgeLoss: [] };
}

export function effectsOf(effects: CaseEffects, service: string): ServiceEffects {
  const found = effects.services.get(service);
  if (!found) throw new Error(`no service ${service}`);
  return found;
}

/** Calls `apply(step, weight)` from `from` to `to` (exclusive), weight ramping 0 -> 1 over `rampSteps`. */
export function overSteps(
  from: number,
  to: number,
  rampSteps: number,
  apply: (step: number, weight: number) => void,
): void {
  for (let t = Math.max(0, from); t < to; t++) {
    apply(t, Math.min(1, (t - from + 1) / Math.max(1, rampSteps)));
  }
}
