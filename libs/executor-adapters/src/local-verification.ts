import { z } from 'zod';
import type { VerificationRequest, VerificationResult } from './execution-adapter';
import { reasonOf } from './http-client';
import { probe, sleep, type LocalInstance } from './local-instance';
import type { LocalProcessTimings } from './local-process-config';
import type { LocalService } from './local-service';

/** The `/admin/stats` contract (see LocalServiceEndpoints); other fields are ignored. */
const statsSchema = z.object({ errorRate: z.number().min(0), p99Ms: z.number().min(0) });

/** One look at the service: passed, or failed for now with a detail (the last one is reported). */
type Look = VerificationResult;

/** Polls one look until it passes or the deadline runs out. */
export async function verifyLocal(
  service: LocalService,
  request: VerificationRequest,
  timings: LocalProcessTimings,
): Promise<VerificationResult> {
  const look = lookFor(service, request, timings.probeTimeoutMs);
  if ('unsupported' in look) return { passed: false, detail: look.unsupported };
  const deadline = Date.now() + request.deadlineMs;
  for (;;) {
    const result = await look();
    if (result.passed || Date.now() + timings.pollIntervalMs > deadline) return result;
    await sleep(timings.pollIntervalMs);
  }
}

function lookFor(
  service: LocalService,
  request: VerificationRequest,
  probeTimeoutMs: number,
): (() => Promise<Look>) | { unsupported: string } {
  const health = () => healthOf(service, probeTimeoutMs);
  switch (request.kind) {
    case 'healthy-instances':
      return async () => {
        const { healthy, failing } = await health();
        const total = service.instances.length;
        const passed = total > 0 && failing.length === 0;
        const detail = total === 0 ? 'no instances' : `${healthy}/${total} healthy`;
        return { passed, observed: healthy, detail: withFailing(detail, failing) };
      };
    case 'probe-succeeds':
      return async () => {
        const { healthy, failing } = await health();
        return {
          passed: healthy > 0,
          observed: healthy,
          detail: withFailing(`${healthy} answer healthy`, failing),
        };
      };
    case 'error-rate-below':
    case 'latency-below':
      return statsLook(service, request, probeTimeoutMs);
    default:
      return { unsupported: `the local-process adapter does not check ${request.kind}` };
  }
}

function withFailing(detail: string, failing: readonly string[]): string {
  return failing.length ? `${detail}; ${failing.join('; ')}` : detail;
}

async function healthOf(service: LocalService, probeTimeoutMs: number) {
  const failing = (
    await Promise.all(service.instances.map((one) => healthProblem(service, one, probeTimeoutMs)))
  ).filter((p): p is string => p !== undefined);
  return { healthy: service.instances.length - failing.length, failing };
}

async function healthProblem(
  service: LocalService,
  one: LocalInstance,
  probeTimeoutMs: number,
): Promise<string | undefined> {
  if (one.exit !== undefined) return `${one.name} ${one.exit}`;
  try {
    const answer = await probe(one, service.healthPath, probeTimeoutMs);
    return answer.status === 200 ? undefined : `${one.name} health ${answer.status}`;
  } catch (error) {
    return `${one.name}: ${reasonOf(error)}`;
  }
}

function statsLook(
  service: LocalService,
  request: VerificationRequest,
  probeTimeoutMs: number,
): (() => Promise<Look>) | { unsupported: string } {
  const path = service.config.endpoints?.stats;
  if (!path) return { unsupported: `${service.name} exposes no stats endpoint` };
  const threshold = request.threshold;
  if (threshold === undefined) return { unsupported: `${request.kind} needs a threshold` };
  const field = request.kind === 'error-rate-below' ? 'errorRate' : 'p99Ms';
  return async () => {
    const read = await worstStat(service, path, field, probeTimeoutMs);
    if ('reason' in read) return { passed: false, detail: read.reason };
    const passed = read.value < threshold;
    const detail = `worst ${field} ${read.value} (${read.instance}) ${passed ? '<' : '>='} ${threshold}`;
    return { passed, observed: read.value, detail };
  };
}

/** The worst instance's figure: one bad instance is enough for users to see errors. */
async function worstStat(
  service: LocalService,
  path: string,
  field: 'errorRate' | 'p99Ms',
  probeTimeoutMs: number,
): Promise<{ value: number; instance: string } | { reason: string }> {
  if (service.instances.length === 0) return { reason: 'no instances' };
  let worst = { value: -1, instance: '' };
  for (const one of service.instances) {
    try {
      const answer = await probe(one, path, probeTimeoutMs);
      const stats = statsSchema.safeParse(answer.status === 200 ? JSON.parse(answer.text) : null);
      if (!stats.success)
        return { reason: `${one.name} stats: not the contract (${answer.status})` };
      if (stats.data[field] > worst.value) worst = { value: stats.data[field], instance: one.name };
    } catch (error) {
      return { reason: `${one.name} stats: ${reasonOf(error)}` };
    }
  }
  return worst;
}
