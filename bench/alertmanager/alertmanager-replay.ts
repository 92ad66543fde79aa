import { createServer, type Server } from 'node:http';
import type { Alert, LabelMatcher } from '@vigil/contracts';
import { type RouteTimers, freePort, routeConfig, startAlertmanager } from './alertmanager-process';

/**
 * Replays an alert stream into the real Alertmanager and reads back how it grouped it.
 *
 * Alertmanager's timers run on the wall clock, so the replay compresses time: the stream's times
 * and every route timer are divided by the same `speedup` (60: four hours replay in four minutes,
 * group_wait 30 s becomes 500 ms, group_interval 5 min becomes 5 s). Alerts are posted through
 * `POST /api/v2/alerts` when their (scaled) arrival comes, with `endsAt` at their resolve, or for
 * a firing one at arrival plus its resolve timeout, as Prometheus and the lifecycle bench do.
 * Silences and maintenance windows go in as Alertmanager silences over the same matchers and times.
 *
 * How it reads the grouping: `GET /api/v2/alerts/groups` (polled) says which group an alert is in
 * and whether a silence suppresses it; the webhook receiver's notifications say when a group's
 * episode ends (a notification with status `resolved`: all its alerts resolved, the group is
 * gone, the next alert with the same labels starts a new one, as a pager keyed on the group key
 * would open a new incident).
 */
export interface ReplayOptions {
  speedup: number;
  /** Stream time (ms) the replay starts at; default the first arrival. */
  start?: number;
  /** How long a firing alert stays firing without a re-send, stream ms. */
  resolveTimeoutMs: (alert: Alert) => number;
  silences: ReplaySilence[];
  /** Route timers in stream time; the Alertmanager defaults people keep. */
  timers?: RouteTimers;
  pollMs?: number;
  onProgress?: (posted: number, total: number) => void;
}

export interface ReplaySilence {
  matchers: LabelMatcher[];
  /** Stream ms. */
  from: number;
  to: number;
  comment: string;
}

export interface ReplayResult {
  /** Per occurrence, in input order: `held` (suppressed by a silence) or its group episode. */
  groups: string[];
  notifications: number;
  /** Alerts Alertmanager refused (it answers 400 for the whole batch; counted per alert). */
  refused: number;
  wallSeconds: number;
  /** How late alerts were posted after their scaled arrival, in stream seconds (a loaded machine). */
  maxLateStreamSeconds: number;
  p99LateStreamSeconds: number;
}

export const STREAM_TIMERS: RouteTimers = {
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 4 * 3_600_000,
  resolveTimeoutMs: 300_000,
};

const GROUP_BY = ['alertname', 'cluster', 'service'] as const;

interface Notification {
  at: number;
  key: string;
  status: string;
}

/** The labels Alertmanager gets: the alert's own, with alertname, service and severity filled in. */
export function postedLabels(alert: Alert): Record<string, string> {
  return {
    alertname: alert.alertname,
    service: alert.service,
    severity: alert.severity,
    ...alert.labels,
  };
}

function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function groupKey(labels: Record<string, string>): string {
  return JSON.stringify(GROUP_BY.map((name) => labels[name] ?? ''));
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function replayIntoAlertmanager(
  alerts: readonly Alert[],
  options: ReplayOptions,
): Promise<ReplayResult> {
  const speedup = options.speedup;
  const stream = options.timers ?? STREAM_TIMERS;
  const scaled: RouteTimers = {
    groupWaitMs: stream.groupWaitMs / speedup,
    groupIntervalMs: stream.groupIntervalMs / speedup,
    repeatIntervalMs: stream.repeatIntervalMs / speedup,
    resolveTimeoutMs: stream.resolveTimeoutMs / speedup,
  };
  const notifications: Notification[] = [];
  const { server, url: webhookUrl } = await webhookReceiver(notifications);
  const am = await startAlertmanager(routeConfig(scaled, webhookUrl));
  const began = performance.now();
  try {
    const arrivals = alerts.map((a) => Date.parse(a.receivedAt));
    const streamStart = options.start ?? Math.min(...arrivals);
    const wallStart = Date.now() + 1_000;
    const wall = (t: number) => wallStart + (t - streamStart) / speedup;
    await postSilences(am.url, options.silences, wall);
    const order = alerts.map((_, i) => i).sort((a, b) => arrivals[a] - arrivals[b] || a - b);
    const postedAt = new Array<number>(alerts.length).fill(0);
    const state = new StateReader(
      am.url,
      alerts.map((a) => labelKey(postedLabels(a))),
    );
    let next = 0;
    let refused = 0;
    let lastPoll = 0;
    const late: number[] = [];
    while (next < order.length) {
      const now = Date.now();
      const due: number[] = [];
      while (next < order.length && wall(arrivals[order[next]]) <= now) due.push(order[next++]);
      if (due.length > 0) {
        for (const i of due) late.push(now - wall(arrivals[i]));
        refused += await postAlerts(
          am.url,
          due.map((i) => toPostable(alerts[i], wall, options)),
        );
        for (const i of due) postedAt[i] = Date.now();
        state.posted(due);
        options.onProgress?.(next, order.length);
      }
      if (Date.now() - lastPoll >= (options.pollMs ?? 200)) {
        lastPoll = Date.now();
        await state.poll();
      }
      await sleep(10);
    }
    await sleep(scaled.groupWaitMs + 200);
    await state.poll();
    const groups = label(alerts, postedAt, notifications, state.heldOf());
    return {
      groups,
      notifications: notifications.length,
      refused,
      wallSeconds: (performance.now() - began) / 1000,
      maxLateStreamSeconds: (Math.max(0, ...late) * speedup) / 1000,
      p99LateStreamSeconds: (quantile(late, 0.99) * speedup) / 1000,
    };
  } finally {
    await am.stop();
    server.close();
  }
}

/** Occurrence i's group episode: how many resolved notifications its group had before it was posted. */
function label(
  alerts: readonly Alert[],
  postedAt: readonly number[],
  notifications: readonly Notification[],
  held: readonly boolean[],
): string[] {
  const ends = new Map<string, number[]>();
  for (const n of notifications)
    if (n.status === 'resolved') ends.set(n.key, [...(ends.get(n.key) ?? []), n.at]);
  return alerts.map((alert, i) => {
    if (held[i]) return 'held';
    const key = groupKey(postedLabels(alert));
    const episode = (ends.get(key) ?? []).filter((at) => at < postedAt[i]).length;
    return `am-real:${key}#${episode}`;
  });
}

function toPostable(alert: Alert, wall: (t: number) => number, options: ReplayOptions) {
  const arrival = Date.parse(alert.receivedAt);
  const ends =
    alert.status === 'resolved'
      ? Date.parse(alert.endsAt ?? alert.receivedAt)
      : arrival + options.resolveTimeoutMs(alert);
  const starts = Math.min(Date.parse(alert.startsAt), ends - 1);
  return {
    labels: postedLabels(alert),
    annotations: { summary: alert.summary ?? '', description: alert.description ?? '' },
    startsAt: new Date(wall(starts)).toISOString(),
    endsAt: new Date(wall(ends)).toISOString(),
    ...(alert.generatorUrl ? { generatorURL: alert.generatorUrl } : {}),
  };
}

async function postAlerts(url: string, body: unknown[]): Promise<number> {
  const response = await fetch(`${url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.ok) return 0;
  process.stderr.write(`alertmanager refused ${body.length} alerts: ${await response.text()}\n`);
  return body.length;
}

async function postSilences(
  url: string,
  silences: readonly ReplaySilence[],
  wall: (t: number) => number,
): Promise<void> {
  for (const s of silences) {
    const endsAt = wall(s.to);
    if (endsAt <= Date.now()) continue;
    const response = await fetch(`${url}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: s.matchers.map((m) => ({
          name: m.name,
          value: m.value,
          isRegex: m.op === '=~' || m.op === '!~',
          isEqual: m.op === '=' || m.op === '=~',
        })),
        startsAt: new Date(Math.max(wall(s.from), Date.now())).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
        createdBy: 'bench',
        comment: s.comment || 'bench',
      }),
    });
    if (!response.ok) throw new Error(`silence refused: ${await response.text()}`);
  }
}

/**
 * Whether each posted firing occurrence is suppressed, from the first groups poll after it was
 * posted; a resolve follows the last state seen of its alert.
 */
class StateReader {
  private readonly pending: Array<{ i: number; at: number }> = [];
  private readonly held: boolean[];
  private readonly lastState = new Map<string, boolean>();

  constructor(
    private readonly url: string,
    private readonly keys: readonly string[],
  ) {
    this.held = keys.map(() => false);
  }

  posted(indices: readonly number[]): void {
    const at = Date.now();
    for (const i of indices) this.pending.push({ i, at });
  }

  async poll(): Promise<void> {
    const started = Date.now();
    const response = await fetch(`${this.url}/api/v2/alerts/groups`);
    if (!response.ok) throw new Error(`GET /api/v2/alerts/groups: ${response.status}`);
    const groups = (await response.json()) as Array<{
      alerts: Array<{ labels: Record<string, string>; status: { state: string } }>;
    }>;
    const suppressed = new Map<string, boolean>();
    for (const g of groups)
      for (const a of g.alerts) suppressed.set(labelKey(a.labels), a.status.state === 'suppressed');
    for (const [key, value] of suppressed) this.lastState.set(key, value);
    const waiting = this.pending.splice(0);
    for (const p of waiting) {
      if (p.at > started) {
        this.pending.push(p);
        continue;
      }
      const found = suppressed.get(this.keys[p.i]);
      this.held[p.i] = found ?? this.lastState.get(this.keys[p.i]) ?? false;
    }
  }

  heldOf(): boolean[] {
    return this.held;
  }
}

async function webhookReceiver(into: Notification[]): Promise<{ server: Server; url: string }> {
  const port = await freePort();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      try {
        const payload = JSON.parse(body) as { status: string; groupLabels: Record<string, string> };
        into.push({ at: Date.now(), key: groupKey(payload.groupLabels), status: payload.status });
      } catch {
        // not a notification: ignore
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${port}/` };
}
