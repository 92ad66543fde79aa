import type { Alert, MaintenanceWindow } from '@vigil/contracts';
import { alertLabels, windowState, type AlertPolicyState } from './alert-policy-state';
import { allMatch } from './label-matchers';
import { windowActive } from './maintenance-windows';
import { silenceActive } from './silences';

/** What the policy says of one alert; an empty verdict lets it through untouched. */
export interface AlertVerdict {
  /** The active silences that match it. */
  silencedBy?: string[];
  /** The active maintenance window that covers it (a `suppress` one before the others). */
  maintenance?: { windowId: string; mode: MaintenanceWindow['mode'] };
  /** The firing alerts (fingerprints) that inhibit it. */
  inhibitedBy?: string[];
}

/**
 * The verdict on `alert` at `now` (ms). Only a firing alert is judged: a resolve always goes
 * through, so an incident the alert joined before the silence can still resolve.
 */
export function alertVerdict(
  alert: Pick<Alert, 'fingerprint' | 'status' | 'labels' | 'alertname' | 'service' | 'severity'>,
  state: AlertPolicyState,
  now: number,
): AlertVerdict {
  if (alert.status !== 'firing') return {};
  const labels = alertLabels(alert);
  const verdict: AlertVerdict = {};
  const silencedBy = [...state.silences.values()]
    .filter((s) => silenceActive(s, now) && allMatch(s.matchers, labels))
    .map((s) => s.id);
  if (silencedBy.length > 0) verdict.silencedBy = silencedBy;
  const windows = [...state.windows.values()]
    .filter((e) => (e.expiredAt === undefined || now < e.expiredAt) && windowActive(e.window, now))
    .map((e) => e.window)
    .filter((w) => allMatch(w.matchers, labels));
  const window = windows.find((w) => w.mode === 'suppress') ?? windows[0];
  if (window) verdict.maintenance = { windowId: window.id, mode: window.mode };
  const inhibitedBy = state.inhibitorsOf(alert.fingerprint, labels, now);
  if (inhibitedBy.length > 0) verdict.inhibitedBy = inhibitedBy;
  return verdict;
}

/** Whether the alert may not open or extend an incident: silenced, suppressed or inhibited. */
export function withholdsAlert(verdict: AlertVerdict): boolean {
  return (
    verdict.silencedBy !== undefined ||
    verdict.inhibitedBy !== undefined ||
    verdict.maintenance?.mode === 'suppress'
  );
}

/** One line for logs and people: why the alert was held back or annotated. */
export function verdictText(verdict: AlertVerdict): string {
  const parts: string[] = [];
  if (verdict.silencedBy) parts.push(`silenced by ${verdict.silencedBy.join(', ')}`);
  if (verdict.maintenance)
    parts.push(
      `in maintenance window ${verdict.maintenance.windowId} (${verdict.maintenance.mode})`,
    );
  if (verdict.inhibitedBy)
    parts.push(`inhibited by firing alert ${verdict.inhibitedBy.join(', ')}`);
  return parts.join('; ') || 'no policy applies';
}

/**
 * The active maintenance window (any mode) over a remediation target, seen as an alert on that
 * service would be: the window's matchers against `{ service: target }`. A window that names
 * other labels (a cluster, say) does not cover a target by name.
 */
export function maintenanceOfTarget(
  state: AlertPolicyState,
  target: string,
  now: number,
): string | undefined {
  const labels = { service: target };
  for (const entry of state.windows.values())
    if (windowState(entry, now) === 'active' && allMatch(entry.window.matchers, labels))
      return entry.window.id;
  return undefined;
}
