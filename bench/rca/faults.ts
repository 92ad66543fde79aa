import { type CaseEffects, type Clock, type ServiceEffects, effectsOf, overSteps } from './effects';
import type { Rng } from './random';
import type { ServiceSpec, SystemSpec } from './topologies';
import { type GeneratorVariant, downReportingOf } from './variant';

/**
 * Fault models: what each injected fault does to its root service (and, for dependency loss, to
 * one of its calls) from the injection step on. Only the root is touched here; everything its
 * callers, callees and their callers show comes out of the simulation. Magnitudes are drawn from
 * wide ranges on purpose, so some faults are blatant and some barely rise above the noise.
 */

export const FAULT_TYPES = [
  'cpu',
  'memory',
  'latency',
  'errors',
  'crash',
  'dependency-loss',
  'bad-deploy',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/** A log line the fault makes the root print that it never printed before. */
export interface NewLogTemplate {
  service: string;
  template: string;
  step: number;
  count: number;
}

export interface InjectedFault {
  type: FaultType;
  root: string;
  injectStep: number;
  /** Dependency loss: the callee the root can no longer reach (healthy itself). */
  lostDependency?: string;
  /** What makes the case hard or special, for reading the results (e.g. `weak-root-signal`). */
  traits: string[];
  /** A short description of what was drawn, e.g. `cpu hog 0.42 cores`. */
  description: string;
  newTemplates: NewLogTemplate[];
}

/** Which services a fault type may hit in a system. */
export function eligibleRoots(system: SystemSpec, type: FaultType): string[] {
  const callees = (s: ServiceSpec) => system.calls.filter((c) => c.from === s.name);
  return system.services
    .filter((s) => {
      if (type === 'errors' || type === 'bad-deploy') return s.kind === 'app';
      if (type === 'crash') return s.entryRps === undefined; // nobody in the system would notice
      if (type === 'dependency-loss') return callees(s).some((c) => c.errorPass > 0);
      return true;
    })
    .map((s) => s.name);
}

export function injectFault(
  system: SystemSpec,
  effects: CaseEffects,
  type: FaultType,
  root: string,
  injectStep: number,
  clock: Clock,
  rng: Rng,
  variant: GeneratorVariant = 'default',
): InjectedFault {
  const spec = system.services.find((s) => s.name === root);
  if (!spec) throw new Error(`no service ${root} in ${system.name}`);
  const fault: InjectedFault = {
    type,
    root,
    injectStep,
    traits: [],
    description: '',
    newTemplates: [],
  };
  const ctx: FaultContext = {
    system,
    spec,
    fx: effectsOf(effects, root),
    effects,
    clock,
    rng,
    fault,
    variant,
  };
  MODELS[type](ctx);
  return fault;
}

interface FaultContext {
  system: SystemSpec;
  spec: ServiceSpec;
  fx: ServiceEffects;
  effects: CaseEffects;
  clock: Clock;
  rng: Rng;
  fault: InjectedFault;
  variant: GeneratorVariant;
}

const MODELS: Record<FaultType, (ctx: FaultContext) => void> = {
  cpu: cpuHog,
  memory: memoryFault,
  latency: networkDelay,
  errors: errorInjection,
  crash,
  'dependency-loss': dependencyLoss,
  'bad-deploy': badDeploy,
};

/** A CPU hog in the root's container (stress-ng, a runaway loop): demand on top of its work. */
function cpuHog({ spec, fx, clock, rng, fault }: FaultContext): void {
  const share = rng.float(0.25, 1.6);
  const ramp = rng.int(1, 4);
  overSteps(fault.injectStep, clock.steps, ramp, (t, w) => {
    fx.cpuAdd[t] += w * share * spec.cpuLimitCores * (1 + 0.05 * Math.sin(t));
  });
  if (share < 0.5) fault.traits.push('subtle');
  fault.description = `cpu hog of ${(share * 100).toFixed(0)}% of the limit`;
}

/**
 * A leak (grows until the end, and the kernel kills the process if it reaches the limit) or a
 * memory stress (a step up). Garbage-collected runtimes pay in CPU and latency as the heap fills.
 */
function memoryFault({ spec, fx, clock, rng, fault }: FaultContext): void {
  const headroom = spec.memoryLimitMb - spec.memoryMb;
  const leak = rng.chance(0.6);
  const target = headroom * (leak ? rng.float(0.4, 1.2) : rng.float(0.3, 0.8));
  const steps = clock.steps - fault.injectStep;
  const ramp = leak ? steps : rng.int(2, 6);
  const collected = spec.runtime !== 'go' && spec.kind === 'app';
  let oomAt: number | undefined;
  overSteps(fault.injectStep, clock.steps, ramp, (t, w) => {
    const added = w * target;
    const full = Math.min(1, (spec.memoryMb + added) / spec.memoryLimitMb);
    fx.memAddMb[t] += added;
    if (collected) {
      fx.cpuAdd[t] += 0.3 * spec.cpuLimitCores * full ** 3;
      fx.latencyMult[t] *= 1 + 0.8 * full ** 4;
    }
    if (oomAt === undefined && spec.memoryMb + added >= spec.memoryLimitMb) oomAt = t;
  });
  if (oomAt !== undefined) oomKill(fx, oomAt, clock, rng, fault);
  fault.description = `${leak ? 'leak' : 'stress'} of ${target.toFixed(0)} MB`;
  if (target < 0.5 * headroom) fault.traits.push('subtle');
}

/** The kernel kills the process at the limit; it restarts and the leak starts from scratch. */
function oomKill(
  fx: ServiceEffects,
  at: number,
  clock: Clock,
  rng: Rng,
  fault: InjectedFault,
): void {
  const downSteps = rng.int(1, 3);
  for (let t = at; t < Math.min(clock.steps, at + downSteps); t++) fx.down[t] = 1;
  fx.restarts.push(at + downSteps);
  const restarted = fx.memAddMb[at];
  for (let t = at; t < clock.steps; t++) fx.memAddMb[t] = Math.max(0, fx.memAddMb[t] - restarted);
  fault.traits.push('oom-killed');
}

/**
 * Network delay on the root's interface (tc netem): every response is late by the delay. Whether
 * the root's own latency metric sees it depends on where it is measured; when it is measured
 * inside the process, the root looks healthy and only its callers are slow.
 */
function networkDelay({ spec, fx, clock, rng, fault }: FaultContext): void {
  const delay = rng.float(40, 400);
  const weak = spec.kind !== 'app' || rng.chance(0.35);
  fx.netDelayVisible = weak ? rng.float(0, 0.15) : rng.float(0.7, 1);
  overSteps(fault.injectStep, clock.steps, rng.int(1, 3), (t, w) => {
    fx.netDelayMs[t] += w * delay * rng.float(0.75, 1.25);
  });
  if (weak) fault.traits.push('weak-root-signal');
  fault.description = `network delay ${delay.toFixed(0)} ms, ${(fx.netDelayVisible * 100).toFixed(0)}% visible to the root`;
}

/** Injected failures (an exception path, a bad feature flag), steady or in bursts. */
function errorInjection({ fx, clock, rng, fault }: FaultContext): void {
  const share = rng.float(0.03, 0.35);
  const bursts = rng.chance(0.25);
  const period = rng.int(4, 12);
  overSteps(fault.injectStep, clock.steps, rng.int(1, 3), (t, w) => {
    const on = !bursts || Math.floor((t - fault.injectStep) / period) % 2 === 0;
    if (on) fx.errorAdd[t] += w * share;
    fx.latencyMult[t] *= on ? 1 - 0.3 * share : 1; // failed requests return early
  });
  if (bursts) fault.traits.push('intermittent');
  if (share < 0.08) fault.traits.push('subtle');
  fault.description = `${(share * 100).toFixed(0)}% of requests fail${bursts ? ', in bursts' : ''}`;
}

/**
 * The root's process dies: for good (node gone, image pull failing) or crash-looping with
 * Kubernetes' doubling back-off. While it is down its metrics are missing or zero (or, in the
 * other-choices variant, stale: each series repeats its last value) and its callers
 * get connection refused or wait for their timeout.
 */
function crash({ spec, fx, clock, rng, fault, variant }: FaultContext): void {
  const loop = rng.chance(0.6);
  const drawn = rng.chance(0.6) ? 'missing' : 'zero'; // drawn in every variant: same later draws
  fx.downReporting = downReportingOf(variant) ?? drawn;
  fx.failFast = rng.chance(0.7);
  let t = fault.injectStep;
  let backoffS = 10;
  while (t < clock.steps) {
    const downSteps = loop ? Math.ceil((backoffS * 1000) / clock.stepMs) : clock.steps;
    for (let i = t; i < Math.min(clock.steps, t + downSteps); i++) fx.down[i] = 1;
    t += downSteps;
    if (t >= clock.steps) break;
    fx.restarts.push(t);
    t += Math.ceil((rng.float(8, 25) * 1000) / clock.stepMs); // runs briefly, then dies again
    backoffS = Math.min(300, backoffS * 2);
  }
  fault.traits.push(`metrics-${fx.downReporting}`);
  if (rng.chance(0.5)) {
    fault.newTemplates.push({
      service: spec.name,
      template: LAST_WORDS[spec.runtime] ?? 'fatal error: <*>',
      step: fault.injectStep,
      count: loop ? 3 : 1,
    });
  }
  fault.description = `${loop ? 'crash loop' : 'down for good'}, metrics ${fx.downReporting}, callers ${fx.failFast ? 'refused' : 'time out'}`;
}

/**
 * The root loses one of its dependencies: a NetworkPolicy, an expired credential or a wrong
 * address shipped with the root's configuration. The callee is healthy and keeps serving its other
 * callers; only the calls from the root fail. The ROOT is the service that lost the dependency,
 * where the change was made and where it must be undone; the callee shows only less traffic.
 */
function dependencyLoss({ system, spec, effects, clock, rng, fault }: FaultContext): void {
  const candidates = system.calls.filter((c) => c.from === spec.name && c.errorPass > 0);
  const call = rng.pick(candidates);
  const share = new Float64Array(clock.steps);
  const partial = rng.chance(0.3) ? rng.float(0.5, 0.9) : 1; // some replicas kept the old config
  overSteps(fault.injectStep, clock.steps, rng.int(1, 4), (t, w) => {
    share[t] = w * partial;
  });
  const failFast = rng.chance(0.4);
  effects.edgeLoss.push({ from: call.from, to: call.to, share, failFast });
  fault.lostDependency = call.to;
  fault.traits.push('callee-traffic-drops');
  fault.description = `${(partial * 100).toFixed(0)}% of calls to ${call.to} ${failFast ? 'refused' : 'time out'}`;
}

/**
 * A new version of the root rolls out at the injection: pods restart (memory starts low, start-up
 * CPU), then the new code fails some requests and is slower. Often it also prints a log line never
 * seen before.
 */
function badDeploy({ spec, fx, clock, rng, fault }: FaultContext): void {
  fx.restarts.push(fault.injectStep);
  const weak = rng.chance(0.3);
  const errors = weak ? rng.float(0.005, 0.02) : rng.float(0.02, 0.25);
  const slower = weak ? rng.float(1.2, 1.6) : rng.float(1, 1.8);
  const cpu = rng.float(-0.1, 0.4);
  const rollout = rng.int(2, 8);
  overSteps(fault.injectStep, clock.steps, rollout, (t, w) => {
    fx.errorAdd[t] += w * errors;
    fx.latencyMult[t] *= 1 + w * (slower - 1);
    fx.cpuAdd[t] += w * cpu * 0.2 * spec.cpuLimitCores; // new code paths cost more or less
  });
  if (rng.chance(0.7)) {
    fault.newTemplates.push({
      service: spec.name,
      template: NEW_BUG[spec.runtime] ?? 'unhandled error: <*>',
      step: fault.injectStep + rollout,
      count: 20,
    });
  }
  if (weak) fault.traits.push('weak-root-signal');
  fault.description = `new version: ${(errors * 100).toFixed(1)}% errors, x${slower.toFixed(2)} slower`;
}

const LAST_WORDS: Partial<Record<ServiceSpec['runtime'], string>> = {
  go: 'panic: runtime error: invalid memory address or nil pointer dereference',
  java: 'Exception in thread "main" java.lang.OutOfMemoryError: <*>',
  node: 'FATAL ERROR: <*> JavaScript heap out of memory',
  python: 'Traceback (most recent call last): <*> SystemExit: <*>',
  dotnet: 'Unhandled exception. System.InvalidOperationException: <*>',
  redis: '# Redis is now ready to exit, bye bye...',
  mongo: 'Fatal assertion <*> at <*>',
  mysql: '[ERROR] [MY-<*>] [Server] Aborting',
  erlang: 'Kernel pid terminated (application_controller) (<*>)',
};

const NEW_BUG: Partial<Record<ServiceSpec['runtime'], string>> = {
  go: 'panic: runtime error: index out of range [<*>] with length <*> [recovered]',
  java: 'java.lang.NullPointerException: Cannot invoke "<*>" because "<*>" is null',
  node: "TypeError: Cannot read properties of undefined (reading '<*>')",
  python: "AttributeError: 'NoneType' object has no attribute '<*>'",
  dotnet: 'System.NullReferenceException: Object reference not set to an instance of an object.',
};
