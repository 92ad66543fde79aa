import { type CaseEffects, type Clock, effectsOf, overSteps } from './effects';
import type { NewLogTemplate } from './faults';
import type { Rng } from './random';
import type { SystemSpec } from './topologies';

/**
 * Unrelated trouble that happens anyway: 1-3 anomalies per case on services that are neither the
 * root nor on its way to the users (its callers, transitively), so none of them is caused by the
 * fault. In most cases one of them starts within 90 s of the injection, the coincidence that
 * fools a method which only asks "what changed at that moment". Their magnitudes overlap the
 * faults' on purpose. They still propagate like anything else: a slow unrelated service makes its
 * own callers slow.
 */

export const BACKGROUND_KINDS = [
  'cpu-burst',
  'latency-blip',
  'error-burst',
  'memory-step',
  'benign-deploy',
  'traffic-shift',
  'noisy-neighbour',
] as const;
export type BackgroundKind = (typeof BACKGROUND_KINDS)[number];

export interface BackgroundAnomaly {
  kind: BackgroundKind;
  /** The services it touches (several for a noisy neighbour on a shared host). */
  services: string[];
  startStep: number;
  endStep: number;
  nearFault: boolean;
}

/** Callers of `service`, transitively: where a fault in it can show up. */
export function ancestorsOf(system: SystemSpec, service: string): Set<string> {
  const found = new Set<string>();
  const queue = [service];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const c of system.calls) {
      if (c.to === current && !found.has(c.from)) {
        found.add(c.from);
        queue.push(c.from);
      }
    }
  }
  return found;
}

export function addBackground(
  system: SystemSpec,
  effects: CaseEffects,
  excluded: ReadonlySet<string>,
  injectStep: number,
  clock: Clock,
  rng: Rng,
): { anomalies: BackgroundAnomaly[]; newTemplates: NewLogTemplate[] } {
  const candidates = system.services.map((s) => s.name).filter((s) => !excluded.has(s));
  const anomalies: BackgroundAnomaly[] = [];
  const newTemplates: NewLogTemplate[] = [];
  const count = rng.int(1, 3);
  const nearFirst = rng.chance(0.7);
  for (let i = 0; i < count && candidates.length > 0; i++) {
    const near = i === 0 && nearFirst;
    const startStep = near
      ? injectStep + Math.round((rng.float(-90, 90) * 1000) / clock.stepMs)
      : rng.int(Math.round(clock.steps * 0.1), clock.steps - 6);
    const kind = rng.pick(BACKGROUND_KINDS);
    const service = rng.pick(candidates);
    const anomaly = apply(system, effects, excluded, kind, service, startStep, clock, rng);
    anomaly.nearFault = near;
    anomalies.push(anomaly);
    if (kind === 'benign-deploy' && rng.chance(0.3)) {
      newTemplates.push({
        service,
        template: 'DEPRECATION: <*> is deprecated and will be removed in <*>',
        step: startStep + 2,
        count: 5,
      });
    }
  }
  return { anomalies, newTemplates };
}

function apply(
  system: SystemSpec,
  effects: CaseEffects,
  excluded: ReadonlySet<string>,
  kind: BackgroundKind,
  service: string,
  start: number,
  clock: Clock,
  rng: Rng,
): BackgroundAnomaly {
  const spec = system.services.find((s) => s.name === service);
  if (!spec) throw new Error(`no service ${service}`);
  const fx = effectsOf(effects, service);
  const lasting = (lo: number, hi: number) =>
    Math.min(clock.steps, start + Math.round((rng.float(lo, hi) * 1000) / clock.stepMs));
  const ramp = rng.int(1, 3);
  let end = clock.steps;
  let services = [service];
  switch (kind) {
    case 'cpu-burst': {
      // a cron job, a cache rebuild or a report in the same container
      const share = rng.float(0.3, 1.2);
      end = lasting(30, 300);
      overSteps(start, end, ramp, (t, w) => (fx.cpuAdd[t] += w * share * spec.cpuLimitCores));
      break;
    }
    case 'latency-blip': {
      const factor = rng.float(1.5, 4);
      end = lasting(20, 180);
      overSteps(start, end, ramp, (t, w) => (fx.latencyMult[t] *= 1 + w * (factor - 1)));
      break;
    }
    case 'error-burst': {
      // a client sending bad requests, a flaky third party behind the service
      const share = rng.float(0.01, 0.08);
      end = lasting(20, 120);
      overSteps(start, end, ramp, (t, w) => (fx.errorAdd[t] += w * share));
      break;
    }
    case 'memory-step': {
      const added = rng.float(0.1, 0.4) * spec.memoryMb;
      overSteps(start, end, rng.int(6, 24), (t, w) => (fx.memAddMb[t] += w * added));
      break;
    }
    case 'benign-deploy':
      // a routine rollout of a version without bugs: restarts, start-up CPU, nothing else
      fx.restarts.push(Math.max(0, start));
      end = Math.min(clock.steps, start + 6);
      break;
    case 'traffic-shift': {
      const factor = rng.float(1.3, 2);
      end = lasting(60, 400);
      overSteps(start, end, ramp, (t, w) => (fx.loadMult[t] *= 1 + w * (factor - 1)));
      break;
    }
    case 'noisy-neighbour': {
      // another tenant's pod on the same node: everything there gets a little slower
      services = system.services
        .filter((s) => s.host === spec.host && !excluded.has(s.name))
        .map((s) => s.name);
      const share = rng.float(0.1, 0.3);
      const slower = rng.float(1.1, 1.4);
      end = lasting(60, 300);
      for (const name of services) {
        const other = effectsOf(effects, name);
        const limit = system.services.find((s) => s.name === name)?.cpuLimitCores ?? 0;
        overSteps(start, end, ramp, (t, w) => {
          other.cpuAdd[t] += w * share * limit;
          other.latencyMult[t] *= 1 + w * (slower - 1);
        });
      }
      break;
    }
  }
  return { kind, services, startStep: start, endStep: end, nearFault: false };
}
