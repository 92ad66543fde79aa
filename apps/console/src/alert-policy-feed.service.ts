import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AlertPolicyState } from '@vigil/alert-policy';
import { Topics, type AlertPolicyEvent } from '@vigil/contracts';
import {
  type ContractConsumer,
  EventPublisher,
  ServiceConsumers,
  subscription,
  VIGIL_LOGGER,
} from '@vigil/messaging';

/**
 * Silences, maintenance windows and inhibition rules as `vigil.alert-policy.v1` tells them, read
 * from the start under a throwaway group (a read model, like the incident board).
 */
@Injectable()
export class AlertPolicyFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly state = new AlertPolicyState();
  private consumer?: ContractConsumer;

  constructor(
    @Inject(ServiceConsumers) private readonly consumers: ServiceConsumers,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.consumers.start(
      [subscription(Topics.alertPolicy, async (event) => this.take(event))],
      { groupId: `vigil-console-policy-${randomUUID()}`, fromBeginning: true },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  /**
   * Publishes a change and applies it at once, so the next read shows it; reading it back from
   * the topic applies it again, which changes nothing.
   */
  async publish(event: AlertPolicyEvent): Promise<void> {
    await this.publisher.publish(Topics.alertPolicy, event);
    this.take(event);
  }

  private take(event: AlertPolicyEvent): void {
    const refused = this.state.apply(event);
    if (refused)
      this.logger.warn({ msg: 'policy change ignored', eventId: event.eventId, refused });
  }
}
