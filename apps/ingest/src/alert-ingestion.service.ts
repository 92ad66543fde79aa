import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { NormalizationOptions } from '@vigil/alert-normalization';
import { type Alert, describeIssues, Topics } from '@vigil/contracts';
import { EventPublisher, VIGIL_SETTINGS } from '@vigil/messaging';
import type { IncomingMessage } from 'node:http';
import { ZodError } from 'zod';
import { alertPayloadDecoders, type AlertSourceKind } from './alert-payload-decoders';
import type { IngestSettings } from './ingest.config';
import { alertsAccepted, alertsInFlight } from './ingest-metrics';
import { IngestRejection } from './ingest-rejection';
import { readJsonBody } from './json-body';
import { InFlightLimiter, type Refusal } from './in-flight-limiter';

export interface IngestReceipt {
  accepted: number;
}

/** The clock of `receivedAt`; a provider so tests can fix it. */
export const INGEST_CLOCK = Symbol('INGEST_CLOCK');
export type Clock = () => Date;

/**
 * One request from body to Kafka ack: refuse early when saturated, read and check the body,
 * normalize, then publish the whole payload in one send and answer only once Kafka has it.
 */
@Injectable()
export class AlertIngestion implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertIngestion.name);
  private readonly limiter: InFlightLimiter;
  private readonly normalization: NormalizationOptions;
  /** Retry-After is in whole seconds (RFC 9110). */
  private readonly retryAfter: string;

  constructor(
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(VIGIL_SETTINGS) private readonly settings: IngestSettings,
    @Inject(INGEST_CLOCK) clock: Clock,
  ) {
    this.limiter = new InFlightLimiter(
      settings.maxInFlightAlerts,
      (n) => alertsInFlight.set(n),
      settings.stallMs,
    );
    this.normalization = { now: clock, serviceLabels: settings.serviceLabels };
    this.retryAfter = String(Math.ceil(settings.retryAfterMs / 1000));
  }

  /** Connects before the port opens, so a healthy ingest is one that can reach Kafka. */
  async onApplicationBootstrap(): Promise<void> {
    await this.publisher.connect();
  }

  async receive(source: AlertSourceKind, request: IncomingMessage): Promise<IngestReceipt> {
    // Before the body is read: a saturated ingest should not spend memory on it.
    const refusal = this.limiter.refusal;
    if (refusal) throw this.overloaded(refusal);
    const json = await readJsonBody(request, this.settings.maxBodyBytes);
    const decoder = alertPayloadDecoders[source];
    const count = decoder.count(json);
    if (count > this.limiter.capacity) throw this.batchTooLarge(count);
    const { alerts, warnings } = decoder.decode(json, this.normalization);
    for (const warning of warnings) this.logger.warn({ msg: warning, source });
    if (alerts.length === 0) return { accepted: 0 };
    await this.publishAcked(alerts);
    alertsAccepted.inc({ source }, alerts.length);
    return { accepted: alerts.length };
  }

  private async publishAcked(alerts: Alert[]): Promise<void> {
    const ticket = this.limiter.tryAcquire(alerts.length);
    if (ticket === undefined) throw this.overloaded(this.limiter.refusal ?? 'full');
    try {
      await this.publisher.publishMany(Topics.alertsRaw, alerts);
      this.limiter.release(ticket, 'acked');
    } catch (error) {
      const rejection = this.publishFailure(error);
      this.limiter.release(
        ticket,
        rejection.reason === 'kafka-unavailable' ? 'kafka-failed' : 'other',
      );
      throw rejection;
    }
  }

  private publishFailure(error: unknown): IngestRejection {
    if (error instanceof ZodError)
      // A normalizer bug, not the sender's: say which field, so the report is actionable.
      return new IngestRejection(
        500,
        'internal-error',
        `a normalized alert breaks ${Topics.alertsRaw.name}: ${describeIssues(error)}`,
      );
    if ((error as { type?: unknown }).type === 'MESSAGE_TOO_LARGE')
      return new IngestRejection(
        413,
        'payload-too-large',
        'the alerts are too large for one Kafka request; send fewer alerts per request',
      );
    this.logger.error({
      msg: 'publishing alerts to Kafka failed',
      error: (error as Error).message,
    });
    return new IngestRejection(
      503,
      'kafka-unavailable',
      'alerts could not be written to Kafka; nothing was accepted, retry later',
      { 'Retry-After': this.retryAfter },
    );
  }

  private overloaded(refusal: Refusal): IngestRejection {
    const headers = { 'Retry-After': this.retryAfter };
    if (refusal === 'stalled')
      return new IngestRejection(
        503,
        'kafka-stalled',
        `Kafka has acknowledged nothing for ${Math.round(this.limiter.sinceAckMs() / 1000)} s (INGEST_STALL_MS ${this.limiter.stallMs}); nothing was accepted, retry later`,
        headers,
      );
    return new IngestRejection(
      503,
      'overloaded',
      `ingest is at its limit of ${this.limiter.capacity} alerts waiting for Kafka; retry later`,
      headers,
    );
  }

  private batchTooLarge(count: number): IngestRejection {
    return new IngestRejection(
      413,
      'batch-too-large',
      `${count} alerts in one request, more than INGEST_MAX_IN_FLIGHT (${this.limiter.capacity}); split the batch (Alertmanager: max_alerts)`,
    );
  }
}
