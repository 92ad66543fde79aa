import type { LoggerService } from '@nestjs/common';
import type { IncidentAction, IncidentEvent } from '@vigil/contracts';
import { type EventPublisher, type MessageMeta, sendToDeadLetter } from '@vigil/messaging';
import {
  deliveryKey,
  type IncidentNotification,
  type NotificationConfig,
  notificationOfAction,
  notificationOfIncident,
  type Receiver,
  requestFor,
  route,
  type RetrySchedule,
  type WebhookSigner,
} from '@vigil/notification';
import type { NotificationLedger } from './notification-ledger';
import { sendWithRetries } from './notification-sender';

export interface DispatcherOptions {
  config: NotificationConfig;
  ledger: NotificationLedger;
  publisher: EventPublisher;
  logger: LoggerService;
  sign: WebhookSigner;
  group: string;
  timeoutMs: number;
  retry: RetrySchedule;
}

/**
 * Incident events and people's actions out to the receivers their routes name: each (receiver,
 * incident, action) once, recorded in the ledger before the offset is committed; one that fails
 * every try goes to the DLQ with the reason, and the others still go out.
 */
export class NotificationDispatcher {
  private readonly stopping = new AbortController();

  constructor(private readonly options: DispatcherOptions) {}

  stop(): void {
    this.stopping.abort();
  }

  async onIncident(event: IncidentEvent, meta: MessageMeta): Promise<void> {
    const notification = notificationOfIncident(event);
    if (!notification) return;
    if (notification.action === 'trigger') this.options.ledger.rememberIncident(notification);
    // A resolve goes where the trigger went: routed on the labels of the alert that opened it.
    const known = this.options.ledger.incident(event.incidentId);
    const n =
      notification.action === 'trigger' || !known
        ? notification
        : { ...known, action: notification.action, at: notification.at };
    await this.dispatch(n, event, meta);
  }

  async onAction(action: IncidentAction, meta: MessageMeta): Promise<void> {
    const known = this.options.ledger.incident(action.incidentId);
    if (!known) {
      // never triggered here (before the notifier ran, or routed nowhere): nobody to tell
      this.options.logger.log({
        msg: 'action on an incident never notified',
        incidentId: action.incidentId,
      });
      return;
    }
    await this.dispatch(notificationOfAction(action, known), action, meta);
  }

  private async dispatch(
    n: IncidentNotification,
    source: unknown,
    meta: MessageMeta,
  ): Promise<void> {
    const receivers = route(n, this.options.config);
    await Promise.all(receivers.map((r) => this.deliver(r, n, source, meta)));
  }

  private async deliver(
    receiver: Receiver,
    n: IncidentNotification,
    source: unknown,
    meta: MessageMeta,
  ): Promise<void> {
    const { ledger, logger } = this.options;
    const key = deliveryKey(receiver.name, n.incidentId, n.action);
    if (ledger.handled(key)) return;
    const request = requestFor(receiver, n, {
      now: Date.now(),
      sign: this.options.sign,
      deliveryKey: key,
    });
    const outcome = await sendWithRetries(request, {
      timeoutMs: this.options.timeoutMs,
      retry: this.options.retry,
      signal: this.stopping.signal,
    });
    if (outcome.ok) {
      ledger.sent(key);
      logger.log({
        msg: 'notified',
        receiver: receiver.name,
        incidentId: n.incidentId,
        action: n.action,
      });
      return;
    }
    const reason = `receiver ${receiver.name} (${receiver.kind}) ${n.action} of ${n.incidentId}: ${outcome.reason} after ${outcome.attempts} attempts`;
    if (this.stopping.signal.aborted) throw new Error(`stopping: ${reason}`);
    await sendToDeadLetter(this.options.publisher, {
      topic: meta.topic,
      partition: meta.partition,
      consumerGroup: this.options.group,
      errorKind: 'processing-failed',
      reason,
      attempts: outcome.attempts,
      message: {
        key: meta.key === null ? null : Buffer.from(meta.key),
        value: Buffer.from(JSON.stringify(source)),
        headers: meta.headers,
        offset: meta.offset,
        timestamp: String(Date.now()),
        attributes: 0,
      },
    });
    ledger.deadLettered(key, reason);
    logger.warn({ msg: 'notification dead-lettered', reason });
  }
}
