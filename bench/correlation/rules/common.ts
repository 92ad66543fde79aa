import type { AlertSeverity } from '@vigil/contracts';
import type { Rng } from '../prng';
import type { ClusterModel } from '../system-model';

/**
 * Where an alert comes from. It decides how often a still-firing alert is re-sent to Vigil, which
 * is what turns one alert into many occurrences:
 * - prometheus: Prometheus pushing straight to Vigil's Alertmanager-compatible endpoint re-sends
 *   every firing alert each minute (`--rules.alert.resend-delay`, default 1m);
 * - alertmanager: prod-us-1 routes through an Alertmanager webhook, re-notified each 5 minutes;
 * - loki: the Loki ruler behaves like Prometheus;
 * - grafana / newrelic: re-notify every 5 minutes; datadog / zabbix: every 10 minutes;
 * - cloudwatch: alarms notify on state changes only (ALARM once, then OK).
 */
export type AlertSource =
  | 'prometheus'
  | 'alertmanager'
  | 'loki'
  | 'grafana'
  | 'newrelic'
  | 'datadog'
  | 'zabbix'
  | 'cloudwatch';

export const RESEND_MS: Record<AlertSource, number> = {
  prometheus: 60_000,
  alertmanager: 300_000,
  loki: 60_000,
  grafana: 300_000,
  newrelic: 300_000,
  datadog: 600_000,
  zabbix: 600_000,
  cloudwatch: Number.POSITIVE_INFINITY,
};

export interface RenderContext {
  /** The measured value at this occurrence (e.g. 93.4 for a 93.4% full disk). */
  value: number;
  /** Epoch ms of this occurrence. */
  at: number;
  /** Epoch ms the alert started (the same for every re-send of one firing). */
  startedAt: number;
}

/** The value of a series at progress 0..1 of its life. */
export type ValueFn = (progress: number, rng: Rng) => number;

/** One alert rule applied to one target: everything but the time-varying parts of an occurrence. */
export interface AlertTemplate {
  source: AlertSource;
  alertname: string;
  severity: AlertSeverity;
  /** The topology entity the normalizer attributes the alert to. */
  service: string;
  /** Identity labels: the fingerprint is computed from these. */
  labels: Record<string, string>;
  summary: (c: RenderContext) => string;
  description: (c: RenderContext) => string;
  value: ValueFn;
  annotations?: Record<string, string>;
  generatorUrl?: string;
  /** Overrides the source's re-send interval. */
  resendMs?: number;
}

export interface AlertText {
  summary: (c: RenderContext) => string;
  description: (c: RenderContext) => string;
  value: ValueFn;
}

/** Values */
export const steady =
  (x: number, spread = 0.03): ValueFn =>
  (_p, r) =>
    x * (1 + r.float(-spread, spread));
export const ramp =
  (from: number, to: number, spread = 0.02): ValueFn =>
  (p, r) =>
    (from + (to - from) * p) * (1 + r.float(-spread, spread));
export const between =
  (lo: number, hi: number): ValueFn =>
  (_p, r) =>
    r.float(lo, hi);

/** Formatting as the tools do it */
export const f0 = (v: number): string => Math.round(v).toString();
export const f1 = (v: number): string => v.toFixed(1);
export const f2 = (v: number): string => v.toFixed(2);
export const f3 = (v: number): string => v.toFixed(3);

export function clock(at: number): string {
  return new Date(at).toISOString().slice(11, 19);
}

export function zabbixDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10).replace(/-/g, '.');
}

/** "10.07.2026 09:41" style stamps, as CloudWatch puts them in the reason text. */
export function cloudwatchStamp(at: number): string {
  const d = new Date(at).toISOString();
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(2, 4)} ${d.slice(11, 16)}:00`;
}

export function pascal(name: string): string {
  return name
    .split(/[-_]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

export function snake(name: string): string {
  return name.replace(/-/g, '_');
}

/** A stable pseudo-id (monitor ids, rule uids) from a name, so it does not consume randomness. */
export function stableId(text: string, digits = 8): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return (h % 10 ** digits).toString().padStart(digits, '0');
}

export function stableHex(text: string, length = 12): string {
  let out = '';
  let h = 0x811c9dc5;
  for (let round = 0; out.length < length; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ round, 2246822507) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/**
 * A Prometheus rule alert in a cluster, as kube-prometheus writes them: alertname and severity
 * are labels, the cluster and the Prometheus instance are external labels.
 */
export function prometheusAlert(
  cluster: ClusterModel,
  service: string,
  alertname: string,
  severity: AlertSeverity,
  labels: Record<string, string>,
  text: AlertText,
  options: { runbook?: string; expr?: string; source?: 'prometheus' | 'loki' } = {},
): AlertTemplate {
  const source = cluster.name === 'prod-us-1' ? 'alertmanager' : (options.source ?? 'prometheus');
  const expr = options.expr ?? `ALERTS{alertname="${alertname}"}`;
  const annotations: Record<string, string> = {};
  if (options.runbook) annotations.runbook_url = options.runbook;
  return {
    source,
    alertname,
    severity,
    service,
    labels: { alertname, severity, ...labels, cluster: cluster.name, prometheus: 'monitoring/k8s' },
    ...text,
    annotations,
    generatorUrl: `https://prometheus.${cluster.name}.shop.internal/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`,
  };
}

export function kubeRunbook(alertname: string, group = 'kubernetes'): string {
  return `https://runbooks.prometheus-operator.dev/runbooks/${group}/${alertname.toLowerCase()}`;
}
