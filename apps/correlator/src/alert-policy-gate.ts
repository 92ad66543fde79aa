import type { LoggerService } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Counter } from 'prom-client';
import {
  alertVerdict,
  AlertPolicyState,
  verdictText,
  withholdsAlert,
  type AlertVerdict,
} from '@vigil/alert-policy';
import { Topics, type Alert, type AlertPolicyEvent, type IncidentEvent } from '@vigil/contracts';
import type { EventPublisher } from '@vigil/messaging';
import { metricsRegistry } from '@vigil/telemetry';
import { WholeTopicReader } from './whole-topic-reader';

const alertsHeldBack = new Counter({
  name: 'vigil_correlator_alerts_held_back_total',
  help: 'Firing alerts that opened or extended no incident, by why (silenced, maintenance, inhibited)',
  labelNames: ['why'] as const,
  registers: [metricsRegistry],
});

/** The alerts a batch may correlate, and how to mark the incident events they lead to. */
export interface AdmittedAlerts {
  admitted: Alert[];
  annotate: (events: IncidentEvent[]) => IncidentEvent[];
}

/** Everything passes untouched when the correlator runs without a gate (unit specs, offline). */
export function admitAlerts(gate: AlertPolicyGate | undefined, alerts: Alert[]): AdmittedAlerts {
  return gate ? gate.admit(alerts) : { admitted: alerts, annotate: (events) => events };
}

/** Silences and windows over for this long are forgotten by the gate (the topic keeps them). */
const forgetEndedAfterMs = 24 * 3_600_000;

/**
 * Silences, maintenance windows and inhibition for the correlator: every instance reads the
 * whole `vigil.alert-policy.v1` (its own throwaway group, from the beginning) into an
 * AlertPolicyState, and asks it about each alert before the clusterer sees it. An alert held back
 * is logged with its verdict and counted; the raw topic keeps it.
 */
export class AlertPolicyGate extends WholeTopicReader<typeof Topics.alertPolicy.schema> {
  readonly state: AlertPolicyState;

  /**
   * `resolveTimeoutMs`: how long a firing alert without `endsAt` inhibits others after it was
   * last seen; the correlator's longest resolve timeout, after which it takes such an alert as
   * ended (without it, an hour: see AlertPolicyOptions).
   */
  constructor(
    kafka: Kafka,
    publisher: EventPublisher,
    logger: LoggerService,
    resolveTimeoutMs?: number,
  ) {
    super(kafka, publisher, logger, {
      topic: Topics.alertPolicy,
      groupPrefix: 'vigil-correlator-policy',
      what: 'alert policy',
    });
    this.state = new AlertPolicyState({ sourceMaxAgeMs: resolveTimeoutMs });
  }

  protected async handle(event: AlertPolicyEvent): Promise<void> {
    const refused = this.state.apply(event);
    if (refused)
      this.logger.warn({ msg: 'policy change ignored', eventId: event.eventId, refused });
  }

  /**
   * Judges each alert at its own arrival time, so a replay after a restart judges as the first
   * run did. Every alert is noted first: a firing one may inhibit the ones after it.
   */
  admit(alerts: Alert[]): AdmittedAlerts {
    const admitted: Alert[] = [];
    const holds = new Map<string, string>();
    const latest = alerts.at(-1);
    if (latest) this.state.forgetEnded(Date.parse(latest.receivedAt) - forgetEndedAfterMs);
    for (const alert of alerts) {
      const now = Date.parse(alert.receivedAt);
      this.state.observe(alert, now);
      const verdict = alertVerdict(alert, this.state, now);
      if (withholdsAlert(verdict)) {
        this.heldBack(alert, verdict);
        continue;
      }
      if (verdict.maintenance) holds.set(alert.fingerprint, verdict.maintenance.windowId);
      admitted.push(alert);
    }
    return { admitted, annotate: (events) => events.map((e) => withHold(e, holds)) };
  }

  private heldBack(alert: Alert, verdict: AlertVerdict): void {
    const why = verdict.silencedBy ? 'silenced' : verdict.maintenance ? 'maintenance' : 'inhibited';
    alertsHeldBack.inc({ why });
    this.logger.log({
      msg: 'alert held back',
      fingerprint: alert.fingerprint,
      alertname: alert.alertname,
      service: alert.service,
      verdict: verdictText(verdict),
    });
  }
}

/** An incident opened or joined by an alert under an `open-no-remediate` window gets no plan. */
function withHold(event: IncidentEvent, holds: ReadonlyMap<string, string>): IncidentEvent {
  if (event.type !== 'opened' && event.type !== 'alert-attached') return event;
  const windowId = holds.get(event.fingerprint);
  return windowId ? { ...event, remediationHold: { maintenanceWindowId: windowId } } : event;
}
