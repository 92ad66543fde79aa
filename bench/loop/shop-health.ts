import { join } from 'node:path';
import type { Scenario } from '@vigil/demo-shop';
import { callInstance, liveInstances, type ShopAddress } from '@vigil/demo-shop-client';
import { LocalDataDir } from '@vigil/executor-adapters';

/** How one shop service looks at a moment: instances, healthy ones, worst error rate and p99. */
export interface HealthSample {
  at: number;
  instances: number;
  healthy: number;
  errorRate: number;
  p99Ms: number;
}

export async function sampleHealth(service: string, shop: ShopAddress): Promise<HealthSample> {
  const instances = await liveInstances(service, shop);
  const stats = await Promise.all(
    instances.map((i) => callInstance(i.port, 'GET', '/admin/stats')),
  );
  const bodies = stats.map((s) => s?.json as { errorRate?: number; p99Ms?: number } | undefined);
  return {
    at: Date.now(),
    instances: instances.length,
    healthy: instances.filter((i) => i.healthy).length,
    errorRate: Math.max(0, ...bodies.map((b) => b?.errorRate ?? 1)),
    p99Ms: Math.max(0, ...bodies.map((b) => b?.p99Ms ?? 0)),
  };
}

/** Samples a service every few seconds until stopped: what "worse than before" is judged on. */
export class HealthRecorder {
  readonly samples: HealthSample[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly service: string,
    private readonly shop: ShopAddress,
    private readonly everyMs = 3_000,
  ) {}

  start(): void {
    const tick = async () => {
      this.samples.push(await sampleHealth(this.service, this.shop));
      this.timer = setTimeout(() => void tick(), this.everyMs);
    };
    void tick();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** The last sample before `at`. */
  before(at: number): HealthSample | undefined {
    return this.samples.filter((s) => s.at < at).at(-1);
  }
}

/**
 * Worse after than before: fewer healthy instances, clearly more failing requests, or a clearly
 * slower p99 beyond what the shop's alert rules call normal. Undefined when not worse.
 */
export function worseThan(before: HealthSample, after: HealthSample): string | undefined {
  const why: string[] = [];
  if (after.healthy < before.healthy)
    why.push(`healthy instances ${before.healthy} -> ${after.healthy}`);
  if (after.errorRate > before.errorRate + 0.05)
    why.push(`error rate ${before.errorRate.toFixed(2)} -> ${after.errorRate.toFixed(2)}`);
  if (after.p99Ms > 500 && after.p99Ms > Math.max(before.p99Ms * 1.5, before.p99Ms + 200))
    why.push(`p99 ${before.p99Ms} -> ${after.p99Ms} ms`);
  return why.length > 0 ? `worse after than before: ${why.join(', ')}` : undefined;
}

/**
 * What the person Vigil escalated to does by hand before the next fault, on the files of the
 * service's data dir (the same the executor's treatments change), so a fault left unhealed does
 * not spill into the next one. Faults held in the process are cleared by `clearFaults`.
 */
export function cureByHand(scenario: Scenario, dataRoot: string): string | undefined {
  const action = scenario.action;
  if (action.kind !== 'persist') return undefined;
  const dir = new LocalDataDir(join(dataRoot, scenario.service));
  const fault = action.fault;
  const result = (() => {
    switch (fault.kind) {
      case 'config':
        return dir.rollbackConfig(1);
      case 'fill-volume':
        return dir.freeScratch();
      case 'poison-cache-key':
        return dir.clearCacheKey(fault.key);
      case 'stuck-lock':
        return dir.releaseLock(fault.lock);
      case 'expire-credentials':
        return dir.rotateCredentials(fault.dependency);
      case 'degrade-primary':
        return dir.failover();
      default:
        return { ok: false as const, reason: `no cure by hand for ${JSON.stringify(fault)}` };
    }
  })();
  return result.ok ? result.detail : result.reason;
}
