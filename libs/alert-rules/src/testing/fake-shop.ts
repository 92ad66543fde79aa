import type { MetricBatch } from '@vigil/contracts';
import { shopMetrics } from '../shop-alert-rules';
import { metricBatch, type SampleSpec } from './metric-batches';

/** What a fake service reports; faults are injected by changing it. */
export interface ServiceHealth {
  requestsPerSecond: number;
  errorRatio: number;
  p99Ms: number;
  cpu: number;
  /** Mean event loop delay; idle, about the 10 ms resolution of the timer that measures it. */
  eventLoopLagSeconds: number;
  memoryBytes: number;
  memoryGrowthPerSecond: number;
  up: 0 | 1;
  publishing: boolean;
  /** Instances `<service>-1` .. `<service>-<n>`, all reporting alike. */
  instances: number;
}

const mib = 1024 * 1024;

export const healthy: ServiceHealth = {
  requestsPerSecond: 5,
  errorRatio: 0.005,
  p99Ms: 120,
  cpu: 0.3,
  eventLoopLagSeconds: 0.0105,
  memoryBytes: 120 * mib,
  memoryGrowthPerSecond: 0,
  up: 1,
  publishing: true,
  instances: 1,
};

type ServiceState = ServiceHealth;

/** A deterministic noise source, so failures reproduce. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
}

/** The demo shop's services publishing the metrics the shop rules expect, with some jitter. */
export class FakeShop {
  private readonly services = new Map<string, ServiceState>();
  private readonly jitter = noise(42);
  private readonly stopping = new Set<string>();

  constructor(names: readonly string[]) {
    for (const name of names) this.services.set(name, freshState(healthy));
  }

  set(service: string, change: Partial<ServiceHealth>): void {
    Object.assign(this.state(service), change);
  }

  /** A graceful stop of the last instance (a scale-down): its last batch says so, then nothing. */
  stop(service: string): void {
    this.stopping.add(service);
  }

  /** A process restart: memory starts again from its healthy level. */
  restart(service: string): void {
    this.state(service).memoryBytes = healthy.memoryBytes;
  }

  /** Advances every service by `stepMs` and returns the batches published at `atMs`. */
  publish(atMs: number, stepMs: number): MetricBatch[] {
    const batches: MetricBatch[] = [];
    for (const [service, state] of this.services) {
      this.advance(state, stepMs / 1_000);
      if (!state.publishing) continue;
      const stopping = this.stopping.delete(service);
      for (let n = 1; n <= state.instances; n++) {
        const batch = metricBatch(
          { service, instance: `${service}-${n}` },
          atMs,
          this.samples(state),
        );
        batches.push(stopping && n === state.instances ? { ...batch, final: true } : batch);
      }
      if (stopping) state.instances--;
      if (state.instances === 0) state.publishing = false;
    }
    return batches;
  }

  private advance(state: ServiceState, seconds: number): void {
    state.memoryBytes += state.memoryGrowthPerSecond * seconds;
  }

  private samples(state: ServiceState): SampleSpec[] {
    return [
      [shopMetrics.requests, Math.max(0, state.requestsPerSecond * (1 + this.jitter() * 0.2))],
      [shopMetrics.errorRatio, Math.max(0, state.errorRatio * (1 + this.jitter() * 0.4))],
      [shopMetrics.latencyP99, state.p99Ms + this.jitter() * 40],
      [shopMetrics.cpu, Math.min(1, Math.max(0, state.cpu + this.jitter() * 0.1))],
      [shopMetrics.eventLoopLag, state.eventLoopLagSeconds + this.jitter() * 0.002],
      [shopMetrics.memory, state.memoryBytes + this.jitter() * 4 * mib],
      [shopMetrics.up, state.up],
    ];
  }

  private state(service: string): ServiceState {
    const state = this.services.get(service);
    if (!state) throw new Error(`no service ${service} in the fake shop`);
    return state;
  }
}

function freshState(health: ServiceHealth): ServiceState {
  return { ...health };
}
