import {
  allFaultKinds,
  faultHeldIn,
  faultKinds,
  novelFaultKinds,
  restartProofFaultKinds,
  type AnyFaultKind,
} from '@vigil/demo-shop';
import type { FaultFamily, LoopPolicy } from './loop-report';

/**
 * The services each fault is tried on, one per repeat in turn: where it has callers to hurt, and
 * within one repeat on different services where the fault allows it, so the production policy's
 * per-target rate limit (3 changes an hour) judges each fault on its own.
 */
export const loopTargets: Readonly<Record<AnyFaultKind, readonly string[]>> = {
  latency: ['catalog', 'currency', 'shipping'],
  'error-rate': ['payment', 'cart', 'shipping'],
  crash: ['payment', 'shipping', 'currency'],
  'cpu-hog': ['recommendation', 'catalog', 'cart'],
  'memory-leak': ['cart', 'currency', 'payment'],
  'dependency-outage': ['catalog-db', 'cache', 'catalog-db'],
  'bad-deploy': ['checkout', 'payment', 'cart'],
  'timeout-too-low': ['catalog', 'cart', 'recommendation'],
  'wrong-downstream-url': ['cart', 'recommendation', 'catalog'],
  'disk-full': ['payment', 'shipping', 'currency'],
  'poisoned-cache-key': ['cache', 'cache', 'cache'],
  'stuck-lock': ['checkout', 'payment', 'shipping'],
  'expired-credentials': ['recommendation', 'catalog', 'cart'],
  'degraded-dependency': ['catalog-db', 'cache', 'catalog-db'],
  'load-spike': ['currency', 'shipping', 'payment'],
};

const novel = new Set<string>(novelFaultKinds);
const old = new Set<string>(faultKinds);

export function familyOf(fault: AnyFaultKind): FaultFamily {
  if (old.has(fault)) return 'old';
  return novel.has(fault) ? 'novel' : 'restart-proof';
}

export const heldIn = (fault: AnyFaultKind) => faultHeldIn[fault];

/**
 * `--faults`: a family (old, restart-proof: every kind held outside the process, novel), all, or
 * kinds by name separated by commas.
 */
export function parseFaultSet(value: string): AnyFaultKind[] {
  switch (value) {
    case 'all':
      return [...allFaultKinds];
    case 'old':
      return [...faultKinds];
    case 'restart-proof':
      return [...restartProofFaultKinds];
    case 'novel':
      return [...novelFaultKinds];
  }
  const kinds = value.split(',').map((k) => k.trim());
  const unknown = kinds.filter((k) => !(allFaultKinds as readonly string[]).includes(k));
  if (unknown.length > 0)
    throw new Error(
      `--faults: ${unknown.join(', ')} unknown; use old, restart-proof, novel, all or kinds of ${allFaultKinds.join(', ')}`,
    );
  return kinds as AnyFaultKind[];
}

export function parsePolicies(value: string): LoopPolicy[] {
  if (value === 'both') return ['demo', 'production'];
  if (value === 'demo' || value === 'production') return [value];
  throw new Error(`--policy: ${value}; use demo, production or both`);
}

export type LoopEnvironment = 'per-repeat' | 'shared';

export function parseEnvironment(value: string): LoopEnvironment {
  if (value === 'per-repeat' || value === 'shared') return value;
  throw new Error(`--environment: ${value}; use per-repeat or shared`);
}

/** Each fault `repeat` times, on its services in turn. */
export function trialPlan(
  faults: readonly AnyFaultKind[],
  repeat: number,
): Array<{ fault: AnyFaultKind; service: string; repeat: number }> {
  return Array.from({ length: repeat }, (_, r) =>
    faults.map((fault) => {
      const services = loopTargets[fault];
      return { fault, service: services[r % services.length] ?? 'payment', repeat: r + 1 };
    }),
  ).flat();
}
