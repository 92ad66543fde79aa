import type { TopologyGraph } from '@vigil/contracts';
import { Rng } from './prng';
import { type AlertTemplate, between } from './rules/common';
import { podCrashLooping, workloadRef } from './rules/kubernetes-rules';
import { type LabeledAlert, ScenarioBuilder } from './scenario-builder';
import { SCENARIOS } from './scenarios';
import { SystemModel } from './system-model';

/**
 * A four-day replay for alert lifecycle (bench/lifecycle.bench.ts): the 13 scenarios' incidents
 * one after another over four days, on top of them chronic background alerts (an IDS alert, a
 * deprecation warning, a CPU-throttling monitor) that fire for one to four days on the very services the
 * incidents hit, and pods that crash-loop on and off for up to a day; then most resolves are dropped, as on a real
 * stream of log- and IDS-derived alerts where 70% of alerts never send one.
 */
export const DEFAULT_LIFECYCLE_SEED = 'vigil-lifecycle-v1';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const FIRST_DAY = Date.parse('2026-04-06T00:00:00Z');

export interface LifecycleOptions {
  days: number;
  /** Share of alert series (one alert from firing to its end) that never send a resolve. */
  unresolvedShare: number;
  /** Chronic background alerts, each its own true incident. */
  chronic: number;
  /** Rules that flap for many hours, each its own true incident. */
  flapping: number;
}

export const DEFAULT_LIFECYCLE_OPTIONS: LifecycleOptions = {
  days: 4,
  unresolvedShare: 0.7,
  chronic: 9,
  flapping: 3,
};

export interface LifecycleStream {
  seed: string;
  start: number;
  end: number;
  topology: TopologyGraph;
  alerts: LabeledAlert[];
  /** Alert series in all, and how many of them never send a resolve. */
  series: number;
  unresolved: number;
  /** Truth ids of the chronic and flapping background alerts. */
  background: string[];
}

export function generateLifecycleStream(
  seed: string = DEFAULT_LIFECYCLE_SEED,
  options: LifecycleOptions = DEFAULT_LIFECYCLE_OPTIONS,
): LifecycleStream {
  const root = new Rng(seed);
  const system = new SystemModel(root.fork('system'));
  const start = FIRST_DAY;
  const end = start + options.days * DAY;
  const incidents = incidentStorms(system, root, start, end);
  const background = new ScenarioBuilder('life-background', system, root.fork('bg'), start, end);
  const backgroundTruths = addBackground(background, targetsOf(incidents, system), options);
  const all = [...incidents, ...background.build()];
  const { alerts, series, unresolved } = dropResolves(all, root.fork('resolves'), options);
  return {
    seed,
    start,
    end,
    topology: system.topology(),
    alerts,
    series,
    unresolved,
    background: backgroundTruths,
  };
}

/** The scenarios in a seeded order, one after another with one to three quiet hours between. */
function incidentStorms(system: SystemModel, root: Rng, start: number, end: number) {
  const order = root.fork('order').shuffle(SCENARIOS);
  const alerts: LabeledAlert[] = [];
  let cursor = start + root.int(30, 90) * MIN;
  for (const scenario of order) {
    const rng = root.fork(`scenario/${scenario.id}`);
    const to = cursor + scenario.durationMinutes * MIN;
    if (to > end) break;
    const builder = new ScenarioBuilder(`life-${scenario.id}`, system, rng, cursor, to);
    scenario.build(builder);
    alerts.push(...builder.build());
    cursor = to + rng.int(60, 180) * MIN;
  }
  return alerts;
}

/** Cluster and service of the alerts of the real incidents (not of their background noise). */
function targetsOf(alerts: readonly LabeledAlert[], system: SystemModel): Array<[string, string]> {
  const seen = new Map<string, [string, string]>();
  for (const { alert, truth } of alerts) {
    const cluster = alert.labels['cluster'];
    if (truth.includes('/noise-') || !cluster || system.isDatastore(alert.service)) continue;
    if (!hasPods(system, cluster, alert.service)) continue;
    seen.set(`${cluster}/${alert.service}`, [cluster, alert.service]);
  }
  return [...seen.values()].sort((a, b) => a.join('/').localeCompare(b.join('/')));
}

function hasPods(system: SystemModel, cluster: string, service: string): boolean {
  try {
    system.service(service);
    return system.pods(cluster, service, 'probe').length > 0;
  } catch {
    return false;
  }
}

function addBackground(
  b: ScenarioBuilder,
  targets: ReadonlyArray<[string, string]>,
  options: LifecycleOptions,
): string[] {
  const r = b.rng;
  const truths: string[] = [];
  const picked = r.sample(targets, Math.min(targets.length, options.chronic + options.flapping));
  picked.forEach(([cluster, service], i) => {
    const model = b.system.cluster(cluster);
    if (i < options.chronic) {
      const truth = b.truth(`chronic-${i + 1}`);
      const from = b.start + r.float(0, 20) * HOUR;
      const to = from + r.float(30, 100) * HOUR; // beyond the end: still firing when it ends
      const template = chronicTemplate(i % 3, b, model.name, service);
      b.series(template, truth, { from, to, resendMs: r.pick([5, 10]) * MIN });
      truths.push(truth);
      return;
    }
    const truth = b.truth(`flapping-${i + 1 - options.chronic}`);
    const ref = workloadRef(model, service, b.system.service(service).namespace);
    const template = podCrashLooping(ref, r.pick(b.system.pods(cluster, service, b.id)));
    const from = b.start + r.float(0, 60) * HOUR;
    b.flap(template, truth, from, Math.min(b.end, from + r.float(10, 30) * HOUR), [2, 8], [3, 12]);
    truths.push(truth);
  });
  return truths;
}

/**
 * Three kinds of alerts that fire for days: an IDS finding and a deprecation warning from logs,
 * a Datadog monitor on CPU throttling. Re-sent every 5 or 10 minutes while they last.
 */
function chronicTemplate(
  kind: number,
  b: ScenarioBuilder,
  cluster: string,
  service: string,
): AlertTemplate {
  const r = b.rng;
  const value = between(20, 400);
  if (kind === 2) {
    return {
      source: 'datadog',
      alertname: `[P4] ${service} CPU throttled`,
      severity: 'info',
      service,
      labels: {
        alertname: `[P4] ${service} CPU throttled`,
        service,
        cluster,
        monitor_id: String(r.int(1e6, 9e6)),
      },
      summary: (c) =>
        `[P4] ${service} CPU throttled: ${Math.round(c.value / 10)}% of periods throttled`,
      description: () => 'CPU limit too low for the workload; requests are slower but succeed.',
      value,
    };
  }
  const ip = `203.0.113.${r.int(2, 250)}`;
  const ids = kind === 0;
  return {
    source: 'loki',
    alertname: ids ? 'SshBruteForceAttempt' : 'DeprecatedApiUsage',
    severity: 'warning',
    service,
    labels: ids
      ? { alertname: 'SshBruteForceAttempt', service, cluster, src_ip: ip }
      : { alertname: 'DeprecatedApiUsage', service, cluster, api: 'v1' },
    summary: (c) =>
      ids
        ? `${Math.round(c.value)} failed SSH logins on ${service} from ${ip} in 10 minutes`
        : `clients still call the deprecated v1 API of ${service}: ${Math.round(c.value)} calls per minute`,
    description: () =>
      ids
        ? 'Suricata ET SCAN: repeated authentication failures from one address (possible brute force).'
        : 'The v1 API is deprecated; callers should move to v2 before it is removed.',
    value,
  };
}

/**
 * Drops the resolve of enough series that `unresolvedShare` of them never send one (a series is
 * one alert from firing to its end: fingerprint, truth and start). Seeded, so the same stream
 * comes back every run.
 */
function dropResolves(all: readonly LabeledAlert[], r: Rng, options: LifecycleOptions) {
  const key = ({ alert, truth }: LabeledAlert) => `${truth}|${alert.fingerprint}|${alert.startsAt}`;
  const series = new Set(all.map(key));
  const resolvedSeries = [...new Set(all.filter((a) => a.alert.status === 'resolved').map(key))];
  const alreadyOpen = series.size - resolvedSeries.length;
  const toDrop = Math.max(0, Math.round(options.unresolvedShare * series.size) - alreadyOpen);
  const dropped = new Set(r.sample(resolvedSeries, Math.min(toDrop, resolvedSeries.length)));
  const alerts = all
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => !(a.alert.status === 'resolved' && dropped.has(key(a))))
    .sort(
      (x, y) => Date.parse(x.a.alert.receivedAt) - Date.parse(y.a.alert.receivedAt) || x.i - y.i,
    )
    .map(({ a }) => a);
  return { alerts, series: series.size, unresolved: alreadyOpen + dropped.size };
}
