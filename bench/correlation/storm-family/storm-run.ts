import { AlertPolicyState, alertVerdict, withholdsAlert } from '@vigil/alert-policy';
import type { Alert } from '@vigil/contracts';
import {
  type GroupingMetrics,
  type ResolveTimeoutRule,
  alertmanagerGrouping,
  correlateAlerts,
  correlationConfig,
  evaluateGrouping,
  fingerprintGrouping,
  resolveTimeoutOf,
} from '@vigil/correlation';
import { replayIntoAlertmanager } from '../../alertmanager/alertmanager-replay';
import type { StormCorpus } from './storm-family';

const MIN = 60_000;

/**
 * What an operator sets for these sources, the same for Vigil and for the real Alertmanager: a
 * resolve timeout of about three re-send intervals (Prometheus keeps the 5-minute default), a day
 * for CloudWatch alarms, which notify on state changes only. As in bench/lifecycle.bench.ts.
 */
export const STORM_RESOLVE_TIMEOUTS: ResolveTimeoutRule[] = [
  { match: { source: 'loki' }, timeoutMs: 15 * MIN },
  { match: { source: 'alertmanager' }, timeoutMs: 15 * MIN },
  { match: { source: 'grafana' }, timeoutMs: 15 * MIN },
  { match: { source: 'newrelic' }, timeoutMs: 15 * MIN },
  { match: { source: 'datadog' }, timeoutMs: 30 * MIN },
  { match: { source: 'zabbix' }, timeoutMs: 30 * MIN },
  { match: { source: 'cloudwatch' }, timeoutMs: 24 * 60 * MIN },
];

export const STORM_METHODS = ['vigil', 'alertmanager-real', 'alertmanager', 'fingerprint'] as const;
export type StormMethod = (typeof STORM_METHODS)[number];

/** A label meaning: in no incident (held back by a silence or window, or a resolve of nothing). */
export const HELD = 'held';

export interface HeldFigures {
  /** Occurrences the truth holds back (silenced or under maintenance). */
  truthHeld: number;
  /** Of those, how many the method still put into an incident. */
  leaked: number;
  /** Incidents (groups) that held-back occurrences opened or joined. */
  incidentsTouched: number;
  /** Occurrences the truth lets through that the method held back. */
  wronglyHeld: number;
}

export interface StormScenarioResult {
  id: string;
  truth: string[];
  heldTruth: boolean[];
  groups: Partial<Record<StormMethod, string[]>>;
  metrics: Partial<Record<StormMethod, GroupingMetrics>>;
  held: Partial<Record<StormMethod, HeldFigures>>;
  correlateMs: number;
  alertmanager?: {
    notifications: number;
    refused: number;
    wallSeconds: number;
    speedup: number;
    maxLateStreamSeconds: number;
    p99LateStreamSeconds: number;
  };
}

/**
 * Vigil as it runs live on this stream: the correlator's policy gate (libs/alert-policy, fed the
 * scenario's policy events) holds back silenced and maintained alerts, the rest are correlated
 * with expiry by endsAt or resolve timeout and the maximum age.
 */
export async function runVigil(
  scenario: StormCorpus,
  embed: (texts: string[]) => Promise<Float32Array[]>,
): Promise<string[]> {
  const state = new AlertPolicyState();
  for (const event of scenario.policy) {
    const refused = state.apply(event);
    if (refused)
      throw new Error(`${scenario.id}: policy event ${event.eventId} refused: ${refused}`);
  }
  const admitted: Alert[] = [];
  const position: number[] = [];
  scenario.alerts.forEach(({ alert }, i) => {
    const now = Date.parse(alert.receivedAt);
    state.observe(alert, now);
    if (withholdsAlert(alertVerdict(alert, state, now))) return;
    admitted.push(alert);
    position.push(i);
  });
  const { incidentOf } = await correlateAlerts(admitted, {
    embed,
    topology: scenario.topology,
    config: { resolveTimeouts: STORM_RESOLVE_TIMEOUTS },
    expire: true,
    expireUntil: scenario.end,
  });
  const groups = scenario.alerts.map(() => HELD);
  position.forEach((i, k) => (groups[i] = incidentOf[k] || HELD));
  return groups;
}

/** The real Alertmanager on the same stream, with the same silences, windows and timeouts. */
export async function runRealAlertmanager(scenario: StormCorpus, speedup: number) {
  const config = correlationConfig({ resolveTimeouts: STORM_RESOLVE_TIMEOUTS });
  return replayIntoAlertmanager(
    scenario.alerts.map((a) => a.alert),
    {
      speedup,
      start: scenario.start,
      resolveTimeoutMs: (alert) => resolveTimeoutOf(alert, config),
      // maintenance windows too: Alertmanager's time intervals follow the wall clock, which the
      // replay compresses, so each window's occurrence goes in as a silence over the same matchers
      silences: scenario.rules.map((r) => ({
        matchers: r.matchers,
        from: r.from,
        to: r.to,
        comment: `${r.kind} ${r.id}`,
      })),
    },
  );
}

export function reimplementedBaselines(
  scenario: StormCorpus,
): Record<'alertmanager' | 'fingerprint', string[]> {
  const alerts = scenario.alerts.map((a) => a.alert);
  return { alertmanager: alertmanagerGrouping(alerts), fingerprint: fingerprintGrouping(alerts) };
}

/**
 * Grouping figures over the occurrences the truth lets through (a held one opens no incident, so
 * it has no pairs to get right); an occurrence the method held back anyway stands alone. How the
 * held ones fared is counted apart.
 */
export function scoreStorm(
  truth: readonly string[],
  heldTruth: readonly boolean[],
  groups: readonly string[],
): { metrics: GroupingMetrics; held: HeldFigures } {
  const keptTruth: string[] = [];
  const keptGroups: string[] = [];
  let leaked = 0;
  let wronglyHeld = 0;
  const touched = new Set<string>();
  groups.forEach((group, i) => {
    if (heldTruth[i]) {
      if (group !== HELD) {
        leaked++;
        touched.add(group);
      }
      return;
    }
    if (group === HELD) wronglyHeld++;
    keptTruth.push(truth[i]);
    keptGroups.push(group === HELD ? `alone:${i}` : group);
  });
  return {
    metrics: evaluateGrouping(keptTruth, keptGroups),
    held: {
      truthHeld: heldTruth.filter(Boolean).length,
      leaked,
      incidentsTouched: touched.size,
      wronglyHeld,
    },
  };
}
