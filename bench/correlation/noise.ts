import { IncidentKit } from './incident-kit';
import type { Rng } from './prng';
import { type AlertTemplate, between, ramp } from './rules/common';
import {
  containerMemoryHigh,
  cpuThrottling,
  hpaMaxedOut,
  jobFailed,
  nodeCpuHigh,
  nodeMiscAlert,
  pdbAtLimit,
  podCrashLooping,
} from './rules/kubernetes-rules';
import {
  datadogSslCheck,
  datastoreAlert,
  fsFillingUp,
  jvmHeapHigh,
  probeSlow,
  sslExpiringSoon,
  zabbixDisk,
  zabbixHost,
} from './rules/infra-rules';
import { type ServiceTarget, consumerLag, errorAlerts, latencyAlerts } from './rules/service-rules';
import type { ScenarioBuilder } from './scenario-builder';

/**
 * Background noise: the low-grade alerts a production system raises all day, each its own small
 * incident (its own truth id): a CPU-throttled pod, a latency blip, a slowly filling disk, a
 * failed cron job. They land anywhere, in both clusters, and often use the very same wording as
 * the real incidents around them, which is what makes over-merging visible.
 */
export interface NoiseOptions {
  /** Mean number of new noise problems per hour of the window. */
  perHour: number;
  /** Share of noise in prod-eu-1 (the rest in prod-us-1); default 0.75. */
  euShare?: number;
  /** Minutes from the window start; default the whole window. */
  fromMinute?: number;
  toMinute?: number;
}

/** One kind of everyday problem: how likely, how long (minutes), and its alerts. */
interface NoiseProblem {
  name: string;
  weight: number;
  minutes: [number, number];
  /** Probability that the problem is still open when the window ends (failed jobs, certificates). */
  open?: number;
  make: (kit: IncidentKit, r: Rng) => AlertTemplate[];
}

const problem = (
  name: string,
  weight: number,
  minutes: [number, number],
  make: NoiseProblem['make'],
  open?: number,
): NoiseProblem => ({ name, weight, minutes, make, open });

const CRONJOBS: ReadonlyArray<[string, string]> = [
  ['invoice', 'invoice-monthly-export'],
  ['catalog', 'catalog-sitemap-generator'],
  ['recommendation', 'reco-model-refresh'],
  ['warehouse-sync', 'stock-reconciliation'],
  ['loyalty', 'loyalty-points-expiry'],
  ['email', 'newsletter-digest'],
];
const PUBLIC_URLS: ReadonlyArray<[string, string]> = [
  ['https://www.shop.example.com/', 'storefront-bff'],
  ['https://api.shop.example.com/healthz', 'api-gateway'],
  ['https://m.shop.example.com/api/v2/ping', 'mobile-bff'],
  ['https://shop.example.com/search?q=shoes', 'search'],
];
const CERT_DOMAINS: ReadonlyArray<[string, string]> = [
  ['ads.shop.example.com', 'ad-service'],
  ['reviews.shop.example.com', 'review'],
  ['status.shop.example.com', 'api-gateway'],
  ['partners.shop.example.com', 'carrier-gateway'],
  ['cdn-origin.shop.example.com', 'storefront-bff'],
];
const DATASTORE_WARNINGS = [
  ['postgres-users', 'rollback'],
  ['postgres-payments', 'rollback'],
  ['redis-session', 'connections'],
  ['elasticsearch', 'yellow'],
  ['postgres-orders', 'replication'],
] as const;

const PROBLEMS: readonly NoiseProblem[] = [
  problem('latency-blip', 14, [3, 14], (k, r) => [r.pick(latencyAlerts(serviceOf(k, r), r))]),
  problem('error-blip', 9, [2, 10], (k, r) => [r.pick(errorAlerts(serviceOf(k, r), r))]),
  problem('cpu-throttling', 12, [15, 90], (k, r) => {
    const s = anyService(k, r);
    return [cpuThrottling(k.workload(s), r.pick(k.pods(s)))];
  }),
  problem('pod-restarts', 7, [5, 25], (k, r) => {
    const s = anyService(k, r);
    return [podCrashLooping(k.workload(s), r.pick(k.pods(s)))];
  }),
  problem('disk-filling', 7, [30, 180], diskFilling),
  problem('memory-high', 7, [10, 60], memoryHigh),
  problem('hpa-maxed', 5, [15, 60], (k, r) => [hpaMaxedOut(k.workload(anyService(k, r)))]),
  problem(
    'cronjob-failed',
    3,
    [60, 600],
    (k, r) => {
      const [owner, job] = r.pick(CRONJOBS);
      return [jobFailed(k.workload(owner), `${job}-${r.int(29_000_000, 29_999_999)}`)];
    },
    0.5,
  ),
  problem('consumer-lag', 5, [5, 25], (k, r) => {
    const s = r.pick(['order', 'notification', 'warehouse-sync', 'invoice']);
    const topic = r.pick(['orders.v1', 'shipments.v1', 'payments.v1']);
    return [consumerLag(k.target(s), topic, between(1_200, 8_000))];
  }),
  problem('node-misc', 5, [10, 60], (k, r) => {
    const which = r.pick(['clock', 'network', 'conntrack'] as const);
    return [nodeMiscAlert(k.cluster, r.pick(k.cluster.nodes), which)];
  }),
  problem('node-cpu', 3, [15, 45], (k, r) => [
    nodeCpuHigh(k.cluster, r.pick(k.cluster.nodes), between(90.5, 97)),
  ]),
  problem('probe-slow', 5, [2, 8], (k, r) => {
    const [url, owner] = r.pick(PUBLIC_URLS);
    return [probeSlow(k.cluster, url, owner)];
  }),
  problem('datastore-warning', 5, [4, 30], (k, r) => {
    const [name, symptom] = r.pick(DATASTORE_WARNINGS);
    const store = k.b.system.datastore(name);
    const ip = store.onVm ? k.b.system.vmOf(k.cluster.name, name).ip : k.pods(name)[0].ip;
    return [datastoreAlert(k.cluster, store, ip, symptom)];
  }),
  problem('vm-load', 4, [5, 30], (k, r) => [
    zabbixHost(r.pick(k.cluster.dbHosts), r.pick(['cpu', 'memory', 'load'] as const)),
  ]),
  problem('pdb-at-limit', 3, [10, 40], (k, r) => [pdbAtLimit(k.workload(anyService(k, r)))]),
  problem('cert-expiring', 1.5, [600, 900], certExpiring, 1),
];

function diskFilling(k: IncidentKit, r: Rng): AlertTemplate[] {
  if (r.chance(0.4)) {
    const host = r.pick(k.cluster.dbHosts);
    const mountpoint = r.pick(['/var/log', '/data', '/']);
    const disk = {
      cluster: k.cluster,
      host,
      onVm: true,
      device: '/dev/sdb1',
      mountpoint,
      sizeGb: 200,
    };
    return [zabbixDisk(disk, 'low', between(80.5, 86))];
  }
  const host = r.pick(k.cluster.nodes);
  const mountpoint = r.pick(['/', '/var/lib/containerd', '/var/log']);
  const disk = {
    cluster: k.cluster,
    host,
    onVm: false,
    device: '/dev/nvme0n1p1',
    mountpoint,
    sizeGb: 100,
  };
  return [fsFillingUp(disk, 'warning', ramp(24, 18))];
}

function memoryHigh(k: IncidentKit, r: Rng): AlertTemplate[] {
  const s = k.b.system.service(anyService(k, r));
  const pod = r.pick(k.pods(s.name));
  if (s.language === 'java' && r.chance(0.5)) {
    return [jvmHeapHigh(k.cluster, s.name, s.namespace, pod.name, between(90.5, 95))];
  }
  return [containerMemoryHigh(k.workload(s.name), pod, between(0.81, 0.9))];
}

function certExpiring(k: IncidentKit, r: Rng): AlertTemplate[] {
  const [domain, owner] = r.pick(CERT_DOMAINS);
  const name = `${domain.split('.')[0]}-tls`;
  const cert = { cluster: k.cluster, domain, name, namespace: 'edge', owner };
  const days = r.int(15, 19);
  return [r.chance(0.5) ? datadogSslCheck(cert, () => days) : sslExpiringSoon(cert, () => days)];
}

function serviceOf(kit: IncidentKit, r: Rng): ServiceTarget {
  return kit.target(anyService(kit, r));
}

function anyService(kit: IncidentKit, r: Rng): string {
  return r.pick(kit.b.system.services).name;
}

export function addBackgroundNoise(b: ScenarioBuilder, options: NoiseOptions): void {
  const r = b.rng.fork('noise');
  const windowMinutes = (b.end - b.start) / 60_000;
  const from = options.fromMinute ?? 0;
  const to = options.toMinute ?? windowMinutes;
  const kits = {
    eu: new IncidentKit(b, 'prod-eu-1'),
    us: new IncidentKit(b, 'prod-us-1'),
  };
  let n = 0;
  for (
    let minute = from + r.exponential(60 / options.perHour);
    minute < to;
    minute += r.exponential(60 / options.perHour)
  ) {
    const kit = r.chance(options.euShare ?? 0.75) ? kits.eu : kits.us;
    if (addProblem(b, kit, r, minute, `noise-${String(++n).padStart(3, '0')}`)) continue;
    n--; // nothing placed: the number is free for the next one
  }
}

/** Tries a few targets; a problem on a service an incident already alerts on is skipped. */
function addProblem(
  b: ScenarioBuilder,
  kit: IncidentKit,
  r: Rng,
  minute: number,
  id: string,
): boolean {
  for (let attempt = 0; attempt < 4; attempt++) {
    const kind = r.weighted(PROBLEMS.map((p) => [p, p.weight] as const));
    const templates = kind.make(kit, r);
    const duration = r.float(kind.minutes[0], kind.minutes[1]);
    const open = kind.open !== undefined && r.chance(kind.open);
    const from = b.at(minute);
    const to = open ? undefined : b.at(minute + duration);
    const until = to ?? b.end;
    if (templates.some((t) => b.busy(t.service, from, until) || b.clashes(t, from, until)))
      continue;
    const truth = b.truth(`${id}-${kind.name}`);
    // long-standing problems (a certificate, a failed job) may have started before the window
    const startedAt = open && r.chance(0.6) ? from - r.int(1, 48) * 3_600_000 : undefined;
    for (const template of templates) b.series(template, truth, { from, to, startedAt });
    return true;
  }
  return false;
}
