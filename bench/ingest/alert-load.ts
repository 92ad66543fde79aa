import { performance } from 'node:perf_hooks';
import type { TopologyRepository } from '@vigil/graph';

const templates = [
  ['HighErrorRate', 'error', '5xx ratio above {n}% on {svc}'],
  ['HighLatency', 'warning', 'p99 latency {n}ms above objective on {svc}'],
  ['PodCrashLooping', 'critical', 'pod {svc}-{n} restarted {n} times in 10 minutes'],
  ['DiskAlmostFull', 'warning', 'filesystem /var on {svc} is {n}% full'],
  ['MemoryPressure', 'warning', 'container memory working set at {n}% of limit on {svc}'],
] as const;

export const templateTexts = templates.map(([, , text]) => text);

/** The generic alert ingest takes (POST /api/v1/alerts). */
export interface BenchAlert {
  alertname: string;
  severity: string;
  service: string;
  summary: string;
  fingerprint: string;
  labels: Record<string, string>;
}

/**
 * The load of one run: 30 services in a call tree, alerts that are mostly repeats of a few
 * hundred firing ones and `newShare` new ones, whose incident events the benchmark times.
 */
export class AlertLoad {
  readonly services: string[];

  constructor(
    readonly runId: string,
    private readonly newShare: number,
  ) {
    this.services = Array.from({ length: 30 }, (_, i) => `b${runId}-svc-${i}`);
  }

  async importTopology(repository: TopologyRepository): Promise<void> {
    const at = Date.now();
    for (const id of this.services)
      await repository.upsertEntity({ id, kind: 'service', properties: {} }, at);
    for (let i = 1; i < this.services.length; i++) {
      await repository.upsertEdge(
        { type: 'CALLS', from: this.services[Math.floor((i - 1) / 3)], to: this.services[i] },
        at,
      );
    }
  }

  /** Whether alert number `i` is a new one (a new fingerprint, timed to its incident event). */
  isNew(i: number): boolean {
    return i % Math.round(1 / this.newShare) === 0;
  }

  alert(i: number, tag = ''): BenchAlert {
    const identity = this.isNew(i) ? 1000 + i : i % 300;
    const [name, severity, text] = templates[identity % templates.length];
    const svc = this.services[identity % this.services.length];
    const summary = text.replace('{svc}', svc).replaceAll('{n}', String(50 + (i % 40)));
    return {
      alertname: name,
      severity,
      service: svc,
      summary,
      fingerprint: `b${this.runId}${tag}-${identity}`,
      labels: {
        cluster: `bench-${this.runId}-${identity % 4}`,
        instance: `${svc}-${identity % 7}`,
      },
    };
  }

  batch(from: number, count: number, tag = ''): BenchAlert[] {
    return Array.from({ length: count }, (_, k) => this.alert(from + k, tag));
  }
}

/** The same alert as Alertmanager's API v2 takes it (POST /api/v2/alerts). */
export function asAlertmanagerAlert(alert: BenchAlert): object {
  return {
    labels: {
      alertname: alert.alertname,
      severity: alert.severity,
      service: alert.service,
      fingerprint: alert.fingerprint,
      ...alert.labels,
    },
    annotations: { summary: alert.summary },
  };
}

export interface SendOutcome {
  sent: number;
  accepted: number;
  rejected: number;
  seconds: number;
  /** Milliseconds from request to answer, sorted. */
  requestMs: number[];
}

export interface Post {
  url: string;
  headers: Record<string, string>;
  /** 202 for ingest, 200 for Alertmanager. */
  acceptedStatus: number;
}

/** Posts one batch; true if the receiver took it. */
async function post(
  target: Post,
  body: string,
  count: number,
  outcome: SendOutcome,
): Promise<boolean> {
  const started = performance.now();
  let accepted: boolean;
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers },
      body,
    });
    await response.arrayBuffer();
    accepted = response.status === target.acceptedStatus;
  } catch {
    accepted = false;
  }
  if (accepted) outcome.accepted += count;
  else outcome.rejected += count;
  outcome.requestMs.push(performance.now() - started);
  return accepted;
}

/**
 * Offers `rate` alerts a second for `seconds`, one request every 50 ms (Alertmanager's way: a
 * batch per flush), without waiting for answers: an open loop, so a slow receiver shows as latency
 * and rejections, not as a lower offered rate. `onBatch` sees each batch as it is posted,
 * `onRefused` each batch the receiver did not take.
 */
export async function offerAtRate(
  target: Post,
  rate: number,
  seconds: number,
  makeBatch: (from: number, count: number) => unknown[],
  onBatch: (from: number, count: number, postedAt: number) => void = () => undefined,
  onRefused: (from: number, count: number) => void = () => undefined,
  progress: (sent: number, total: number) => void = () => undefined,
): Promise<SendOutcome> {
  const total = Math.round(rate * seconds);
  const perTick = Math.max(1, Math.round(rate / 20));
  const outcome: SendOutcome = { sent: 0, accepted: 0, rejected: 0, seconds: 0, requestMs: [] };
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  for (let tick = 0; outcome.sent < total; tick++) {
    const wait = start + tick * 50 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const count = Math.min(perTick, total - outcome.sent);
    const body = JSON.stringify(makeBatch(outcome.sent, count));
    const from = outcome.sent;
    onBatch(from, count, Date.now());
    outcome.sent += count;
    const request = post(target, body, count, outcome).then((taken) => {
      if (!taken) onRefused(from, count);
    });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
    if (tick % 20 === 0) progress(outcome.sent, total);
  }
  await Promise.all(inFlight);
  outcome.seconds = (performance.now() - start) / 1000;
  outcome.requestMs.sort((a, b) => a - b);
  return outcome;
}

/**
 * As many alerts as the receiver takes: `concurrency` requests of `batchSize` alerts always in
 * flight for `seconds` (bodies built before the clock starts, so the sender's JSON work does not
 * count against the receiver).
 */
export async function offerFlatOut(
  target: Post,
  batchSize: number,
  concurrency: number,
  seconds: number,
  makeBatch: (from: number, count: number) => unknown[],
): Promise<SendOutcome> {
  const bodies = Array.from({ length: 64 }, (_, b) =>
    JSON.stringify(makeBatch(b * batchSize, batchSize)),
  );
  const outcome: SendOutcome = { sent: 0, accepted: 0, rejected: 0, seconds: 0, requestMs: [] };
  const start = performance.now();
  const end = start + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const body = bodies[next++ % bodies.length];
        outcome.sent += batchSize;
        await post(target, body, batchSize, outcome);
      }
    }),
  );
  outcome.seconds = (performance.now() - start) / 1000;
  outcome.requestMs.sort((a, b) => a - b);
  return outcome;
}
