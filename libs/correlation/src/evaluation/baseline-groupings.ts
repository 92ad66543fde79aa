import type { Alert } from '@vigil/contracts';

/**
 * Simple groupings a correlator has to beat (docs/ARCHITECTURE.md: baselines run in the same
 * benchmark run). Each returns one group label per input alert, in input order, for
 * {@link evaluateGrouping}.
 */

/**
 * Fingerprint deduplication alone: one group per distinct fingerprint, for the whole input.
 *
 * Kept deliberately simple: a fingerprint that fires, resolves and fires again hours later is
 * still ONE group (as a dedup key without expiry behaves). Tools that open a new incident after a
 * resolve would split a flapping rule into many groups; this choice flatters the baseline on
 * flapping and penalises it when the same alert later belongs to a different incident.
 */
export function fingerprintGrouping(alerts: ReadonlyArray<Pick<Alert, 'fingerprint'>>): string[] {
  return alerts.map((alert) => `fp:${alert.fingerprint}`);
}

export interface LabelGroupingOptions {
  /** Labels whose values make the group key; default Alertmanager's common [alertname, cluster, service]. */
  groupBy?: readonly string[];
  /**
   * A key's group ends when it has received nothing for longer than this, and its next alert
   * starts a new group. Default 5 minutes, Alertmanager's `resolve_timeout` and default
   * `group_interval`: a group whose alerts are still firing keeps being re-sent well within it,
   * while one that went quiet is gone from Alertmanager once its alerts resolve. `Infinity` gives
   * the plain label grouping over the whole input.
   */
  idleGapMs?: number;
}

export const alertmanagerGroupBy: readonly string[] = ['alertname', 'cluster', 'service'];

/**
 * Alertmanager-style grouping: alerts with equal values of the `groupBy` labels form one group,
 * split in time when a key has been idle longer than `idleGapMs`. Alertmanager reads labels only;
 * a missing label counts as an empty value, except that `alertname` and `service` fall back to
 * the normalized alert's own fields (our normalizer may have taken them from elsewhere).
 * Time is `receivedAt`; alerts are visited in time order but labels come back in input order.
 */
export function alertmanagerGrouping(
  alerts: readonly Alert[],
  options: LabelGroupingOptions = {},
): string[] {
  const groupBy = options.groupBy ?? alertmanagerGroupBy;
  const idleGapMs = options.idleGapMs ?? 5 * 60_000;
  const times = alerts.map((alert) => Date.parse(alert.receivedAt));
  const order = alerts.map((_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  const groups = new Map<string, { generation: number; lastMs: number }>();
  const labels: string[] = new Array(alerts.length);
  for (const i of order) {
    const key = JSON.stringify(groupBy.map((name) => labelValue(alerts[i], name)));
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { generation: 0, lastMs: times[i] });
    } else {
      if (times[i] - group.lastMs > idleGapMs) group.generation++;
      group.lastMs = times[i];
    }
    labels[i] = `am:${key}#${groups.get(key)?.generation ?? 0}`;
  }
  return labels;
}

function labelValue(alert: Alert, name: string): string {
  const value = alert.labels[name];
  if (value !== undefined) return value;
  if (name === 'alertname') return alert.alertname;
  if (name === 'service') return alert.service;
  return '';
}
