/**
 * An alert storm with known ground truth: `groups` problems, each on a service of its own with
 * `perGroup` different alerts that fire within a few seconds of each other, the groups spread over
 * the storm, every alert re-sent `repeats` times as Alertmanager re-sends what still fires.
 */
export interface StormOptions {
  /** Before every service name and fingerprint: each trial's alerts are its own. */
  prefix: string;
  /**
   * Before every service name instead of `prefix`: storms that share it hit the same services
   * with alerts of their own (a steady estate, as in production), where `prefix` alone makes new
   * services every time.
   */
  servicePrefix?: string;
  groups: number;
  perGroup: number;
  repeats: number;
  seconds: number;
}

export interface StormAlert {
  /** The alert's place in the storm, the same in every trial: `g3-a1`. */
  key: string;
  group: number;
  /** When to send it, from the start of the storm. */
  atMs: number;
  body: Record<string, unknown>;
}

const templates = [
  ['HighErrorRate', 'error', 'the 5xx ratio of {svc} is {n}% over 5 minutes'],
  ['HighLatency', 'warning', 'p99 latency of {svc} is {n} ms, above its objective'],
  ['PodCrashLooping', 'critical', 'a pod of {svc} restarted {n} times in 10 minutes'],
  ['DiskAlmostFull', 'warning', 'the /var filesystem on {svc} is {n}% full'],
  ['MemoryPressure', 'warning', 'the memory working set of {svc} is {n}% of its limit'],
  ['QueueBacklog', 'warning', 'the work queue of {svc} holds {n} thousand messages'],
  ['ConnectionPoolExhausted', 'error', '{svc} has no free database connection ({n} waiting)'],
  ['CertificateExpiring', 'info', 'the TLS certificate of {svc} expires in {n} days'],
] as const;

/** A problem's theme: the words its services are named by, so groups differ in meaning too. */
const themes = [
  'billing',
  'search',
  'auth',
  'inventory',
  'media',
  'notifications',
  'pricing',
  'reviews',
  'geo',
  'ledger',
  'mailer',
  'reports',
  'uploads',
  'sessions',
  'tickets',
  'wishlist',
  'loyalty',
  'tax',
  'fraud',
  'feeds',
];

/** Every alert of the storm, sorted by when it is due; `startedAt` anchors the alerts' startsAt. */
export function stormAlerts(options: StormOptions, startedAt: number): StormAlert[] {
  const alerts: StormAlert[] = [];
  const spanMs = options.seconds * 1000;
  const burstMs = 4_000;
  const repeatEveryMs = 5_000;
  for (let g = 0; g < options.groups; g++) {
    const groupAt = Math.round((g * Math.max(0, spanMs - burstMs)) / Math.max(1, options.groups));
    const service = `${options.servicePrefix ?? options.prefix}${themes[g % themes.length]}-${g}`;
    for (let a = 0; a < options.perGroup; a++) {
      const [alertname, severity, text] = templates[(g + a) % templates.length];
      const firstAt = groupAt + Math.round((a * burstMs) / options.perGroup);
      const key = `g${g}-a${a}`;
      const body = {
        alertname,
        severity,
        service,
        summary: text.replace('{svc}', service).replace('{n}', String(40 + ((g * 7 + a) % 50))),
        fingerprint: `${options.prefix}${key}`,
        startsAt: new Date(startedAt + firstAt).toISOString(),
        labels: { instance: `${service}-${a % 2}`, storm: options.prefix },
        source: 'bench-faults',
      };
      for (let r = 0; r < options.repeats; r++)
        alerts.push({ key, group: g, atMs: firstAt + r * repeatEveryMs, body });
    }
  }
  return alerts.sort((x, y) => x.atMs - y.atMs);
}

export interface StormReport {
  /** Keys ingest accepted (2xx) at least once. */
  accepted: Set<string>;
  /** Sends answered with something other than 2xx, later retried. */
  refusals: number;
  /** Keys never accepted before the give-up time. */
  neverAccepted: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends the storm on schedule as a sender that retries would (Alertmanager retries a webhook
 * until it is taken): a refused or failed send is tried again every second, each batch on its
 * own, until `giveUpMs` after the storm's end.
 */
export async function sendStorm(
  url: string,
  token: string,
  alerts: StormAlert[],
  giveUpMs: number,
): Promise<StormReport> {
  const report: StormReport = { accepted: new Set(), refusals: 0, neverAccepted: [] };
  const start = Date.now();
  const lastDue = alerts.at(-1)?.atMs ?? 0;
  const deadline = start + lastDue + giveUpMs;
  const sends: Array<Promise<void>> = [];
  const tickMs = 250;
  for (let from = 0; from < alerts.length; ) {
    const tickEnd = alerts[from].atMs + tickMs;
    let to = from;
    while (to < alerts.length && alerts[to].atMs < tickEnd) to++;
    const batch = alerts.slice(from, to);
    from = to;
    const wait = start + batch[0].atMs - Date.now();
    if (wait > 0) await sleep(wait);
    sends.push(sendUntilTaken(url, token, batch, deadline, report));
  }
  await Promise.all(sends);
  return report;
}

async function sendUntilTaken(
  url: string,
  token: string,
  batch: StormAlert[],
  deadline: number,
  report: StormReport,
): Promise<void> {
  for (;;) {
    const status = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(batch.map((a) => a.body)),
      signal: AbortSignal.timeout(10_000),
    }).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status;
      },
      () => 0,
    );
    if (status >= 200 && status < 300) {
      for (const a of batch) report.accepted.add(a.key);
      return;
    }
    report.refusals++;
    if (Date.now() > deadline) {
      for (const a of batch) if (!report.accepted.has(a.key)) report.neverAccepted.push(a.key);
      return;
    }
    await sleep(1_000);
  }
}
