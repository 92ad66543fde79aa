import type { Alert, AlertPolicyEvent, LabelMatcher } from '@vigil/contracts';

/**
 * The silences and maintenance windows people set during a storm, twice over: as the policy
 * events Vigil reads (`vigil.alert-policy.v1`) and Alertmanager gets, and as the plain facts the
 * ground truth is computed from (which labels, which UTC interval). The truth side evaluates the
 * matchers with its own few lines below rather than with libs/alert-policy, so a bug there shows
 * up as a miss instead of being copied into the truth.
 */
export interface HoldRule {
  /** The silence's or window's id. */
  id: string;
  kind: 'silence' | 'maintenance';
  matchers: LabelMatcher[];
  /** The interval the rule holds alerts back in, epoch ms: [from, to). */
  from: number;
  to: number;
}

export class PolicyBook {
  readonly events: AlertPolicyEvent[] = [];
  readonly rules: HoldRule[] = [];

  constructor(private readonly scenarioId: string) {}

  /** A silence as Alertmanager's UI or amtool makes one. */
  silence(
    name: string,
    matchers: LabelMatcher[],
    from: number,
    to: number,
    createdBy: string,
    comment: string,
  ): void {
    const id = `${this.scenarioId}/${name}`;
    this.rules.push({ id, kind: 'silence', matchers, from, to });
    this.events.push({
      schemaVersion: 1,
      eventId: `${id}/created`,
      at: new Date(Math.min(from, to)).toISOString(),
      by: { user: createdBy },
      via: 'cli',
      type: 'silence.created',
      silence: {
        id,
        matchers,
        startsAt: new Date(from).toISOString(),
        endsAt: new Date(to).toISOString(),
        createdBy,
        comment,
      },
    });
  }

  /**
   * A one-off window, or a weekly one whose occurrence during the scenario is [from, to) in UTC;
   * the scenario states both, so the truth needs no time-zone arithmetic.
   */
  maintenance(
    name: string,
    matchers: LabelMatcher[],
    occurrence: { from: number; to: number },
    schedule:
      | { kind: 'once' }
      | {
          kind: 'weekly';
          days: Array<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'>;
          start: string;
          timeZone: string;
        },
    createdBy: string,
    comment: string,
  ): void {
    const id = `${this.scenarioId}/${name}`;
    const { from, to } = occurrence;
    this.rules.push({ id, kind: 'maintenance', matchers, from, to });
    this.events.push({
      schemaVersion: 1,
      eventId: `${id}/created`,
      at: new Date(from - 24 * 3_600_000).toISOString(),
      by: { user: createdBy },
      via: 'console',
      type: 'maintenance.created',
      window: {
        id,
        matchers,
        schedule:
          schedule.kind === 'once'
            ? {
                kind: 'once',
                startsAt: new Date(from).toISOString(),
                endsAt: new Date(to).toISOString(),
              }
            : { ...schedule, durationMs: to - from },
        mode: 'suppress',
        createdBy,
        comment,
      },
    });
  }
}

/** The labels an alert shows to matchers: its own, with alertname, service and severity filled in. */
export function labelsOf(alert: Alert): Record<string, string> {
  return {
    alertname: alert.alertname,
    service: alert.service,
    severity: alert.severity,
    ...alert.labels,
  };
}

function matches(m: LabelMatcher, labels: Record<string, string>): boolean {
  const value = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(value);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(value);
  }
}

/** The rule that holds a firing alert back at `at` (ms), if any. */
export function holdingRule(
  rules: readonly HoldRule[],
  alert: Alert,
  at: number,
): HoldRule | undefined {
  if (alert.status !== 'firing') return undefined;
  const labels = labelsOf(alert);
  return rules.find(
    (r) => r.from <= at && at < r.to && r.matchers.every((m) => matches(m, labels)),
  );
}

export const eq = (name: string, value: string): LabelMatcher => ({ name, op: '=', value });
export const re = (name: string, value: string): LabelMatcher => ({ name, op: '=~', value });
