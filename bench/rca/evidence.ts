import type { AlertEvidence, LogEvidence, MetricSeries } from '@vigil/rca';
import type { Clock } from './effects';
import type { NewLogTemplate } from './faults';
import type { SimulationResult } from './simulation';
import type { CallSpec, ServiceSpec, SystemSpec } from './topologies';
import { type AlertNames, DEFAULT_ALERT_NAMES } from './variant';

/**
 * The evidence besides metrics that a real deployment would hand to root-cause analysis, derived
 * from the generated data by the same kind of rules a real one runs, never from the label:
 *
 * - alerts: threshold rules with a `for:` duration on the scraped series (latency, errors, CPU
 *   throttling, memory near the limit, a target gone, a queue backing up). The symptom at the
 *   frontend alerts as surely as the root does, or more.
 * - logs: per-minute counts of each error template, flagged as an `error-burst` when a minute
 *   has at least 5 and 4x the preceding ten minutes' average; plus the `new-template`s a fault or
 *   a routine deploy printed. Client-side templates name the callee only where real clients do
 *   (HTTP clients print the URL; gRPC prints an address).
 */

const MINUTE = 60_000;

/**
 * `names` picks the alert vocabulary (bench/rca/variant.ts). With a probe `down` rule, `down` gives
 * per service the steps its process is not running: a blackbox probe of its endpoint fails then.
 */
export function alertsFrom(
  system: SystemSpec,
  series: readonly MetricSeries[],
  clock: Clock,
  names: AlertNames = DEFAULT_ALERT_NAMES,
  down?: ReadonlyMap<string, Uint8Array>,
): AlertEvidence[] {
  const alerts: AlertEvidence[] = [];
  for (const s of [...series, ...probeSeries(names, down, clock)]) {
    const spec = system.services.find((x) => x.name === s.service);
    if (!spec) continue;
    for (const rule of rulesFor(spec, s, clock, names)) {
      const startsAt = pendingStart(s, rule.breached, rule.forMs, clock);
      if (startsAt === undefined) continue;
      alerts.push({
        service: s.service,
        fingerprint: `${rule.alertname}/${s.service}`,
        alertname: rule.alertname,
        startsAt,
      });
    }
  }
  return alerts.sort(
    (a, b) => a.startsAt - b.startsAt || a.fingerprint.localeCompare(b.fingerprint),
  );
}

interface Rule {
  alertname: string;
  forMs: number;
  breached: (value: number | undefined) => boolean;
}

/** `probe_success` per service, 1 or 0 at every step, when the down rule is a probe's. */
function probeSeries(
  names: AlertNames,
  down: ReadonlyMap<string, Uint8Array> | undefined,
  clock: Clock,
): MetricSeries[] {
  if (names.down.from !== 'probe' || !down) return [];
  const times = Array.from({ length: clock.steps }, (_, t) => clock.start + t * clock.stepMs);
  return [...down].map(([service, steps]) => ({
    service,
    metric: 'probe_success',
    times,
    values: Array.from(steps, (d) => (d ? 0 : 1)),
  }));
}

function rulesFor(spec: ServiceSpec, s: MetricSeries, clock: Clock, names: AlertNames): Rule[] {
  // thresholds a team sets once from what it has seen: the first ten minutes stand for "usual"
  const usual = usualLevel(s, clock);
  switch (s.metric) {
    case 'latency_p99':
      return [
        {
          alertname: names.latency,
          forMs: MINUTE,
          breached: (v) => v !== undefined && v > 3 * usual,
        },
      ];
    case 'error_rate':
      return [
        {
          alertname: names.errors,
          forMs: MINUTE,
          breached: (v) => v !== undefined && v > Math.max(0.05, 5 * usual),
        },
      ];
    case 'cpu': {
      const throttled: Rule = {
        alertname: names.cpu,
        forMs: 2 * MINUTE,
        breached: (v) => v !== undefined && v > 0.9 * spec.cpuLimitCores,
      };
      if (names.down.from !== 'scrape') return [throttled];
      const gone = downAlert(s, names.down);
      const missingOrZero = (v: number | undefined) => v === undefined || v === 0;
      return [throttled, { alertname: gone, forMs: MINUTE, breached: missingOrZero }];
    }
    case 'probe_success':
      return [{ alertname: downName(names), forMs: MINUTE, breached: (v) => v === 0 }];
    case 'memory':
      return [
        {
          alertname: names.memory,
          forMs: MINUTE,
          breached: (v) => v !== undefined && v > 0.9 * spec.memoryLimitMb,
        },
      ];
    case 'saturation':
      return [
        {
          alertname: names.queue,
          forMs: MINUTE,
          breached: (v) => v !== undefined && v > 100,
        },
      ];
    default:
      return [];
  }
}

/** A scrape that is gone is `TargetDown`; a container that reports zeros is not ready. */
function downAlert(s: MetricSeries, down: { missing: string; zero: string }): string {
  return s.values.some((v) => v === 0) ? down.zero : down.missing;
}

function downName(names: AlertNames): string {
  return names.down.from === 'probe' ? names.down.name : names.down.missing;
}

function usualLevel(s: MetricSeries, clock: Clock): number {
  const early = s.values
    .filter((_, i) => s.times[i] < clock.start + 10 * MINUTE)
    .sort((a, b) => a - b);
  return early.length === 0 ? 0 : early[Math.floor(early.length / 2)];
}

/** When the rule's condition started to hold, if it then held for `forMs` (Prometheus' activeAt). */
function pendingStart(
  s: MetricSeries,
  breached: (v: number | undefined) => boolean,
  forMs: number,
  clock: Clock,
): number | undefined {
  const byTime = new Map(s.times.map((t, i) => [t, s.values[i]]));
  let since: number | undefined;
  for (let step = 0; step < clock.steps; step++) {
    const time = clock.start + step * clock.stepMs;
    if (!breached(byTime.get(time))) {
      since = undefined;
      continue;
    }
    since ??= time;
    // rules only fire after ten minutes of history, and on what is firing at the end
    if (time - since >= forMs && since >= clock.start + 10 * MINUTE) return since;
  }
  return undefined;
}

export function logsFrom(
  system: SystemSpec,
  sim: SimulationResult,
  newTemplates: readonly NewLogTemplate[],
  clock: Clock,
): LogEvidence[] {
  const logs: LogEvidence[] = [];
  for (const spec of system.services) {
    const own = sim.ownErrors.get(spec.name);
    if (own) pushBurst(logs, spec.name, ownTemplate(spec), own, clock);
  }
  for (const call of system.calls) {
    const record = sim.clientErrors.get(`${call.from}->${call.to}`);
    if (!record) continue;
    pushBurst(logs, call.from, clientTemplate(system, call, 'error'), record.errors, clock);
    pushBurst(logs, call.from, clientTemplate(system, call, 'refused'), record.refused, clock);
    pushBurst(logs, call.from, clientTemplate(system, call, 'timeout'), record.timeouts, clock);
  }
  for (const n of newTemplates) {
    logs.push({
      service: n.service,
      templateId: templateId(n.service, n.template),
      template: n.template,
      pattern: 'new-template',
      score: Math.log2(1 + n.count),
      onset: clock.start + n.step * clock.stepMs,
    });
  }
  return logs.sort((a, b) => a.onset - b.onset || a.templateId.localeCompare(b.templateId));
}

function pushBurst(
  logs: LogEvidence[],
  service: string,
  template: string,
  perStep: Float64Array,
  clock: Clock,
): void {
  const perMinute = Math.max(1, Math.round(MINUTE / clock.stepMs));
  const minutes: number[] = [];
  for (let t = 0; t < perStep.length; t += perMinute) {
    minutes.push(Math.round(perStep.slice(t, t + perMinute).reduce((s, v) => s + v, 0)));
  }
  for (let m = 10; m < minutes.length; m++) {
    const before = minutes.slice(m - 10, m).reduce((s, v) => s + v, 0) / 10;
    if (minutes[m] < 5 || minutes[m] < 4 * (before + 0.5)) continue;
    logs.push({
      service,
      templateId: templateId(service, template),
      template,
      pattern: 'error-burst',
      score: Math.log2((minutes[m] + 1) / (before + 1)),
      onset: clock.start + m * MINUTE,
    });
    return;
  }
}

function templateId(service: string, template: string): string {
  let h = 0;
  for (let i = 0; i < template.length; i++) h = (Math.imul(h, 31) + template.charCodeAt(i)) | 0;
  return `${service}:${(h >>> 0).toString(16)}`;
}

function ownTemplate(spec: ServiceSpec): string {
  if (spec.runtime === 'java') return 'ERROR <*> --- [<*>] <*> : Request processing failed: <*>';
  if (spec.runtime === 'python') return 'ERROR:root:request failed: <*>';
  return 'request failed: <*>';
}

type ClientFailure = 'error' | 'refused' | 'timeout';

/** What the caller's log says when a call fails; gRPC clients print addresses, HTTP clients URLs. */
function clientTemplate(system: SystemSpec, call: CallSpec, failure: ClientFailure): string {
  const callee = system.services.find((s) => s.name === call.to);
  const port = callee?.port ?? 0;
  const byFailure = (texts: Record<ClientFailure, string>): string => texts[failure];
  if (callee?.runtime === 'redis') {
    return byFailure({
      error: 'StackExchange.Redis.RedisServerException: <*>',
      refused:
        'StackExchange.Redis.RedisConnectionException: It was not possible to connect to the redis server(s)',
      timeout: 'StackExchange.Redis.RedisTimeoutException: Timeout performing <*>',
    });
  }
  if (callee?.runtime === 'mongo' || callee?.runtime === 'mysql' || callee?.kind === 'queue') {
    return byFailure({
      error: 'com.mongodb.MongoCommandException: Command failed with error <*>',
      refused: 'java.net.ConnectException: Connection refused (Connection refused)',
      timeout: 'java.net.SocketTimeoutException: connect timed out',
    });
  }
  if (system.name === 'online-boutique') {
    return byFailure({
      error: 'rpc error: code = Unknown desc = <*>',
      refused: `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp <*>:${port}: connect: connection refused"`,
      timeout: 'rpc error: code = DeadlineExceeded desc = context deadline exceeded',
    });
  }
  return byFailure({
    error: `500 Internal Server Error on GET request for "http://${call.to}/<*>"`,
    refused: `I/O error on GET request for "http://${call.to}/<*>": Connection refused`,
    timeout: `I/O error on GET request for "http://${call.to}/<*>": Read timed out`,
  });
}
