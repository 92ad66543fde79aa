import type { MetricSeries } from '@vigil/rca';
import { type CaseEffects, type Clock, type ServiceEffects, effectsOf } from './effects';
import { type Rng, gaussian, lognormal, poisson } from './random';
import { type CallSpec, type ServiceSpec, type SystemSpec, metricsOf } from './topologies';
import { type GeneratorVariant, datastoresReportLatency } from './variant';

/**
 * Turns a system, its effects and a seed into the metrics a Prometheus would have scraped, one
 * point per step. Two passes per step range: traffic flows from the entry down the call graph
 * (callers first), then latency and errors flow back up (callees first), so a callee's trouble
 * reaches its callers after the edge's delay of a few steps. Measurement then adds what real
 * scrapes add: Poisson counts, rate windows, noise, spikes and lost scrapes.
 */

/** Prometheus `rate(...[30s])` with a 5 s scrape: six steps. */
const RATE_WINDOW_STEPS = 6;
/** Share of scrapes lost for no reason at all. */
const SCRAPE_LOSS = 0.002;

export interface SimulationResult {
  series: MetricSeries[];
  /** Failed requests per step that the service itself produced (what its error logs count). */
  ownErrors: Map<string, Float64Array>;
  /** Failed calls per step on an edge `from->to`: error responses, refused connections, timeouts. */
  clientErrors: Map<string, ClientErrors>;
}

export interface ClientErrors {
  errors: Float64Array;
  refused: Float64Array;
  timeouts: Float64Array;
}

interface Seen {
  lat50: number;
  lat99: number;
  err: number;
  refused: number;
  timeout: number;
}

interface State {
  inbound: Float64Array;
  served: Float64Array;
  cpu: Float64Array;
  lat50: Float64Array;
  lat99: Float64Array;
  /** Latency as callers see it: own metric plus network delay the service does not measure. */
  seen50: Float64Array;
  seen99: Float64Array;
  err: Float64Array;
  ownErr: Float64Array;
  memory: Float64Array;
  backlog: Float64Array;
}

export function simulate(
  system: SystemSpec,
  effects: CaseEffects,
  clock: Clock,
  rng: Rng,
  variant: GeneratorVariant = 'default',
): SimulationResult {
  const lags = new Map(system.calls.map((c) => [edgeKey(c), rng.int(0, 2)]));
  const state = new Map(system.services.map((s) => [s.name, emptyState(clock.steps)]));
  const order = callersFirst(system);
  const load = entryLoad(clock, rng.fork('load'));
  const clientErrors = new Map<string, ClientErrors>();
  for (const service of order) flowTraffic(system, service, state, effects, lags, load, clock);
  for (const service of [...order].reverse()) {
    respond(system, service, state, effects, lags, clock, clientErrors);
  }
  for (const service of system.services) {
    remember(service, state, effects, clock, rng.fork(`memory/${service.name}`));
  }
  const series = system.services.flatMap((service) =>
    measure(service, state, effects, clock, rng.fork(`measure/${service.name}`), variant),
  );
  const ownErrors = new Map(
    system.services.map((s) => {
      const st = stateOf(state, s.name);
      const stepS = clock.stepMs / 1000;
      return [s.name, st.ownErr.map((e, t) => e * st.served[t] * stepS)];
    }),
  );
  return { series, ownErrors, clientErrors };
}

function emptyState(steps: number): State {
  const a = (): Float64Array => new Float64Array(steps);
  return {
    inbound: a(),
    served: a(),
    cpu: a(),
    lat50: a(),
    lat99: a(),
    seen50: a(),
    seen99: a(),
    err: a(),
    ownErr: a(),
    memory: a(),
    backlog: a(),
  };
}

export function edgeKey(edge: { from: string; to: string }): string {
  return `${edge.from}->${edge.to}`;
}

function stateOf(state: Map<string, State>, name: string): State {
  const found = state.get(name);
  if (!found) throw new Error(`no state for ${name}`);
  return found;
}

/** Services with every caller (and every producer a consumer follows) before them. */
function callersFirst(system: SystemSpec): ServiceSpec[] {
  const before = new Map(system.services.map((s) => [s.name, [] as string[]]));
  for (const c of system.calls) before.get(c.to)?.push(c.from);
  for (const s of system.services) if (s.loadFrom) before.get(s.name)?.push(s.loadFrom.service);
  const queued = new Set<string>();
  const visiting = new Set<string>();
  const order: ServiceSpec[] = [];
  const visit = (s: ServiceSpec): void => {
    if (queued.has(s.name)) return;
    if (visiting.has(s.name)) throw new Error(`call cycle at ${s.name}`);
    visiting.add(s.name);
    for (const name of before.get(s.name) ?? []) visit(serviceOf(system, name));
    visiting.delete(s.name);
    queued.add(s.name);
    order.push(s);
  };
  system.services.forEach(visit);
  return order;
}

function serviceOf(system: SystemSpec, name: string): ServiceSpec {
  const found = system.services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

/**
 * Users' requests per second relative to the entry rate: a slice of the daily curve (the window
 * starts at a random hour, so load rises, falls or peaks within it) times a slow random walk.
 */
function entryLoad(clock: Clock, rng: Rng): Float64Array {
  const startHour = rng.float(0, 24);
  const out = new Float64Array(clock.steps);
  let walk = 0;
  for (let t = 0; t < clock.steps; t++) {
    walk = 0.985 * walk + 0.006 * gaussian(rng);
    const hour = startHour + (t * clock.stepMs) / 3_600_000;
    out[t] = (1 + 0.35 * Math.sin((2 * Math.PI * (hour - 9)) / 24)) * (1 + walk);
  }
  return out;
}

const at = (values: Float64Array | Uint8Array, t: number): number => values[Math.max(0, t)];

function lossOn(effects: CaseEffects, call: CallSpec): CaseEffects['edgeLoss'][number] | undefined {
  return effects.edgeLoss.find((l) => l.from === call.from && l.to === call.to);
}

function flowTraffic(
  system: SystemSpec,
  service: ServiceSpec,
  state: Map<string, State>,
  effects: CaseEffects,
  lags: Map<string, number>,
  load: Float64Array,
  clock: Clock,
): void {
  const st = stateOf(state, service.name);
  const fx = effectsOf(effects, service.name);
  const callers = system.calls.filter((c) => c.to === service.name);
  for (let t = 0; t < clock.steps; t++) {
    let inbound = (service.entryRps ?? 0) * load[t];
    for (const c of callers) {
      const lag = lags.get(edgeKey(c)) ?? 0;
      const lost = lossOn(effects, c)?.share[t] ?? 0;
      inbound += at(stateOf(state, c.from).served, t - lag) * c.share * c.calls * (1 - lost);
    }
    st.inbound[t] = inbound * fx.loadMult[t];
  }
  if (service.loadFrom) consume(system, service, st, fx, state, clock);
  for (let t = 0; t < clock.steps; t++) st.served[t] = fx.down[t] ? 0 : st.inbound[t];
}

/**
 * A queue consumer takes what its producer published; while it is down the messages wait in its
 * queue (the queue's saturation grows) and it drains them when it is back.
 */
function consume(
  system: SystemSpec,
  consumer: ServiceSpec,
  st: State,
  fx: ServiceEffects,
  state: Map<string, State>,
  clock: Clock,
): void {
  const from = consumer.loadFrom;
  if (!from) return;
  const producer = stateOf(state, from.service);
  const queueCall = system.calls.find(
    (c) => c.from === consumer.name && serviceOf(system, c.to).kind === 'queue',
  );
  const queue = queueCall ? stateOf(state, queueCall.to) : undefined;
  const stepS = clock.stepMs / 1000;
  let backlog = 0;
  for (let t = 0; t < clock.steps; t++) {
    const published = producer.served[t] * from.factor;
    const capacity = fx.down[t] ? 0 : 50;
    const consumed = Math.min(capacity, published + backlog / stepS);
    backlog = Math.max(0, backlog + (published - consumed) * stepS);
    st.inbound[t] = consumed * fx.loadMult[t];
    if (queue) queue.backlog[t] = backlog;
  }
}

function respond(
  system: SystemSpec,
  service: ServiceSpec,
  state: Map<string, State>,
  effects: CaseEffects,
  lags: Map<string, number>,
  clock: Clock,
  clientErrors: SimulationResult['clientErrors'],
): void {
  const st = stateOf(state, service.name);
  const fx = effectsOf(effects, service.name);
  const callees = system.calls.filter((c) => c.from === service.name);
  for (const c of callees) {
    const n = clock.steps;
    const a = (): Float64Array => new Float64Array(n);
    clientErrors.set(edgeKey(c), { errors: a(), refused: a(), timeouts: a() });
  }
  for (let t = 0; t < clock.steps; t++) {
    const own = ownResponse(service, st, fx, t, clock);
    let lat50 = own.lat50;
    let lat99 = own.lat99;
    let ok = 1 - Math.min(1, service.baseErrorRate + fx.errorAdd[t]);
    st.ownErr[t] = 1 - ok;
    let timeoutShare = 0;
    let slowest = 0;
    for (const c of callees) {
      const seen = seenFrom(c, state, effects, lags.get(edgeKey(c)) ?? 0, t);
      const failedReq = c.share * (1 - Math.pow(1 - seen.err, c.calls));
      ok *= 1 - c.errorPass * failedReq;
      // a caller that tolerates failures retries or falls back, which costs another call's time
      lat50 += c.share * c.calls * seen.lat50 * (1 + (1 - c.errorPass) * seen.err);
      lat99 += Math.min(1, 10 * c.share) * c.calls * (0.5 * seen.lat99 + 0.5 * seen.lat50);
      const waited = c.share * (1 - Math.pow(1 - seen.timeout, c.calls));
      timeoutShare += waited;
      if (waited > 0) slowest = Math.max(slowest, c.timeoutMs);
      const record = clientErrors.get(edgeKey(c));
      const calls = st.served[t] * c.share * c.calls * (clock.stepMs / 1000);
      if (record) {
        record.errors[t] = calls * Math.max(0, seen.err - seen.refused - seen.timeout);
        record.refused[t] = calls * seen.refused;
        record.timeouts[t] = calls * seen.timeout;
      }
    }
    lat50 += timeoutShare * slowest;
    if (timeoutShare > 0.003) lat99 = Math.max(lat99, slowest * Math.min(1, timeoutShare / 0.01));
    st.err[t] = 1 - ok;
    st.lat50[t] = lat50 + fx.netDelayMs[t] * fx.netDelayVisible;
    st.lat99[t] = lat99 + fx.netDelayMs[t] * fx.netDelayVisible;
    st.seen50[t] = lat50 + fx.netDelayMs[t];
    st.seen99[t] = lat99 + fx.netDelayMs[t];
  }
}

/** Own CPU and processing time: queueing as the CPU fills, throttling beyond the limit. */
function ownResponse(
  service: ServiceSpec,
  st: State,
  fx: ServiceEffects,
  t: number,
  clock: Clock,
): { lat50: number; lat99: number } {
  const startup = startupCpu(service, fx, t, clock);
  const demand = fx.down[t]
    ? 0
    : service.cpuIdleCores + service.cpuPerRps * st.served[t] + fx.cpuAdd[t] + startup;
  st.cpu[t] = Math.min(demand, service.cpuLimitCores);
  const util = demand / service.cpuLimitCores;
  const queueing = 1 + (0.6 * Math.max(0, Math.min(util, 1) - 0.5) ** 2) / 0.25;
  const throttle = Math.max(1, util);
  const lat50 = service.ownP50Ms * fx.latencyMult[t] * queueing * throttle ** 1.3;
  return { lat50, lat99: lat50 * service.tailRatio * (1 + 0.5 * (throttle - 1)) };
}

/** A starting process warms up: JIT, caches and connection pools burn CPU for a few steps. */
function startupCpu(service: ServiceSpec, fx: ServiceEffects, t: number, clock: Clock): number {
  const heavy = service.runtime === 'java' || service.runtime === 'dotnet';
  const lastingSteps = Math.round((heavy ? 40_000 : 15_000) / clock.stepMs);
  const since = Math.min(...fx.restarts.map((r) => (t >= r ? t - r : Number.POSITIVE_INFINITY)));
  if (!Number.isFinite(since) || since >= lastingSteps) return 0;
  return service.cpuLimitCores * (heavy ? 0.8 : 0.3) * (1 - since / lastingSteps);
}

/** What a caller sees of a call to `call.to`, `lag` steps late: its latency, errors and timeouts. */
function seenFrom(
  call: CallSpec,
  state: Map<string, State>,
  effects: CaseEffects,
  lag: number,
  t: number,
): Seen {
  const callee = stateOf(state, call.to);
  const fx = effectsOf(effects, call.to);
  const tl = Math.max(0, t - lag);
  let seen: Seen = {
    lat50: callee.seen50[tl],
    lat99: callee.seen99[tl],
    err: callee.err[tl],
    refused: 0,
    timeout: 0,
  };
  if (fx.down[tl]) seen = failed(call, fx.failFast);
  const loss = lossOn(effects, call);
  const lost = loss?.share[tl] ?? 0;
  if (lost > 0 && loss) {
    const f = failed(call, loss.failFast);
    seen = {
      lat50: (1 - lost) * seen.lat50 + lost * f.lat50,
      lat99: lost > 0.01 ? Math.max(seen.lat99, f.lat99) : seen.lat99,
      err: lost + (1 - lost) * seen.err,
      refused: lost * f.refused + (1 - lost) * seen.refused,
      timeout: lost * f.timeout + (1 - lost) * seen.timeout,
    };
  }
  return seen;
}

function failed(call: CallSpec, failFast: boolean): Seen {
  return failFast
    ? { lat50: 2, lat99: 5, err: 1, refused: 1, timeout: 0 }
    : { lat50: call.timeoutMs, lat99: call.timeoutMs, err: 1, refused: 0, timeout: 1 };
}

/**
 * Memory: the runtime's own shape (a JVM's GC sawtooth, a slow drift) plus the effects; a new
 * process starts low and grows back to its working set.
 */
function remember(
  service: ServiceSpec,
  state: Map<string, State>,
  effects: CaseEffects,
  clock: Clock,
  rng: Rng,
): void {
  const st = stateOf(state, service.name);
  const fx = effectsOf(effects, service.name);
  const sawtooth = GC_SAWTOOTH[service.runtime] ?? 0.02;
  const periodSteps = rng.int(8, 30);
  const drift = rng.float(-0.01, 0.04);
  const warmSteps = (service.runtime === 'java' ? 150_000 : 60_000) / clock.stepMs;
  for (let t = 0; t < clock.steps; t++) {
    const since = Math.min(...fx.restarts.map((r) => (t >= r ? t - r : Number.POSITIVE_INFINITY)));
    const warm = Number.isFinite(since) ? 0.45 + 0.55 * (1 - Math.exp(-since / warmSteps)) : 1;
    const gc = 1 - sawtooth + sawtooth * ((t % periodSteps) / periodSteps) * 2;
    const base = service.memoryMb * (1 + (drift * t) / clock.steps) * gc * warm;
    st.memory[t] = fx.down[t] ? 0 : Math.min(base + fx.memAddMb[t], service.memoryLimitMb);
  }
}

/** Relative amplitude of the heap's rise and fall between collections, by runtime. */
const GC_SAWTOOTH: Partial<Record<ServiceSpec['runtime'], number>> = {
  java: 0.25,
  dotnet: 0.12,
  go: 0.06,
  node: 0.05,
};

interface NoiseProfile {
  lat50: number;
  lat99: number;
  cpu: number;
  spikeChance: number;
}

function measure(
  service: ServiceSpec,
  state: Map<string, State>,
  effects: CaseEffects,
  clock: Clock,
  rng: Rng,
  variant: GeneratorVariant,
): MetricSeries[] {
  const st = stateOf(state, service.name);
  const fx = effectsOf(effects, service.name);
  const noise: NoiseProfile = {
    lat50: rng.float(0.03, 0.08),
    lat99: rng.float(0.08, 0.2),
    cpu: rng.float(0.1, 0.25),
    spikeChance: rng.float(0.002, 0.01),
  };
  const stepS = clock.stepMs / 1000;
  const requests = Array.from(st.served, (r) => poisson(rng, r * stepS));
  const errors = requests.map((n, t) => poisson(rng, n * st.err[t]));
  const values: Record<string, number[]> = {
    throughput: windowed(requests, (sum) => sum / (RATE_WINDOW_STEPS * stepS)),
    error_rate: windowedRatio(errors, requests),
    latency_p50: smoothLatency(st.lat50, st.served).map((v) => v * lognormal(rng, noise.lat50)),
    latency_p99: smoothLatency(st.lat99, st.served).map((v) => v * tail(rng, noise)),
    // cAdvisor counters become rate()s too: a one-scrape burst is spread over the window
    cpu: trailingMean(
      Array.from(st.cpu, (v) =>
        Math.max(0, v * (1 + noise.cpu * gaussian(rng)) * spike(rng, noise)),
      ),
    ),
    memory: Array.from(st.memory, (v) => v * (1 + 0.004 * gaussian(rng))),
    saturation: Array.from(st.backlog, (v) => v + poisson(rng, 2)),
  };
  return metricsOf(service, datastoresReportLatency(variant)).map((metric) =>
    toSeries(service.name, metric, values[metric], fx, clock, rng),
  );
}

function tail(rng: Rng, noise: NoiseProfile): number {
  return lognormal(rng, noise.lat99) * spike(rng, noise);
}

/** The odd outlier scrape every real series has: a GC pause, a slow disk, a noisy neighbour. */
function spike(rng: Rng, noise: NoiseProfile): number {
  return rng.chance(noise.spikeChance) ? rng.float(1.5, 4) : 1;
}

/** A trailing window sum, as `rate()` / `increase()` over the window computes it. */
function windowed(counts: number[], of: (sum: number) => number): number[] {
  let sum = 0;
  return counts.map((c, t) => {
    sum += c - (t >= RATE_WINDOW_STEPS ? counts[t - RATE_WINDOW_STEPS] : 0);
    return of(sum);
  });
}

function trailingMean(values: number[]): number[] {
  return windowed(values, (sum) => sum / RATE_WINDOW_STEPS).map((v, t) =>
    t < RATE_WINDOW_STEPS ? (v * RATE_WINDOW_STEPS) / (t + 1) : v,
  );
}

/** errors/requests over the window; NaN (no point) when no request arrived, as in PromQL. */
function windowedRatio(errors: number[], requests: number[]): number[] {
  const errs = windowed(errors, (s) => s);
  const reqs = windowed(requests, (s) => s);
  return errs.map((e, t) => (reqs[t] > 0 ? e / reqs[t] : Number.NaN));
}

/** histogram_quantile over a rate window: a traffic-weighted average of the window's latencies. */
function smoothLatency(latency: Float64Array, served: Float64Array): number[] {
  return Array.from(latency, (_, t) => {
    let weighted = 0;
    let weight = 0;
    for (let i = Math.max(0, t - RATE_WINDOW_STEPS + 1); i <= t; i++) {
      weighted += latency[i] * served[i];
      weight += served[i];
    }
    return weight > 0 ? weighted / weight : Number.NaN;
  });
}

function toSeries(
  service: string,
  metric: string,
  values: number[],
  fx: ServiceEffects,
  clock: Clock,
  rng: Rng,
): MetricSeries {
  const series: MetricSeries = { service, metric, times: [], values: [] };
  let last = Number.NaN;
  values.forEach((raw, t) => {
    const lost = rng.chance(SCRAPE_LOSS);
    let value = raw;
    if (fx.down[t]) {
      if (fx.downReporting === 'missing') return;
      if (fx.downReporting === 'stale') value = last;
      else value = metric === 'cpu' || metric === 'memory' || metric === 'throughput' ? 0 : NaN;
    } else if (Number.isFinite(raw)) last = raw;
    if (lost || !Number.isFinite(value)) return;
    series.times.push(clock.start + t * clock.stepMs);
    series.values.push(roundTo(value, metric));
  });
  return series;
}

/** Scrapes carry limited precision; rounding also keeps the RCAEval CSVs small. */
function roundTo(value: number, metric: string): number {
  const digits = metric === 'error_rate' ? 5 : metric === 'cpu' ? 4 : 2;
  return Number(value.toFixed(digits));
}
