import type { LoggerService } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { topicByName } from '@vigil/contracts';
import { ContractConsumer, type MessageMeta, type Subscription } from './contract-consumer';
import type { EventPublisher } from './event-publisher';
import { PermanentError, type RetryPolicy } from './retry-policy';

export interface VigilKafkaTransportOptions {
  kafka: Kafka;
  publisher: EventPublisher;
  groupId: string;
  logger: LoggerService;
  retryPolicy?: RetryPolicy;
}

/**
 * The @nestjs/microservices transport of every Vigil app. Handlers are ordinary
 * `@EventPattern(Topics.x.name)` methods; the transport gives them decoded, validated events and
 * takes care of retries, the DLQ and offsets (see ContractConsumer).
 */
export class VigilKafkaTransport extends Server implements CustomTransportStrategy {
  private consumer?: ContractConsumer;

  constructor(private readonly options: VigilKafkaTransportOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.consumer = new ContractConsumer(this.options.kafka, {
        groupId: this.options.groupId,
        publisher: this.options.publisher,
        logger: this.options.logger,
        retryPolicy: this.options.retryPolicy,
        subscriptions: this.subscriptions(),
      });
      await this.consumer.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  on(): never {
    throw new Error('VigilKafkaTransport has no transport events to listen to');
  }

  unwrap<T>(): T {
    return this.options.kafka as T;
  }

  private subscriptions(): Subscription[] {
    return [...this.getHandlers().entries()].map(([pattern, handler]) => {
      const topic = topicByName(pattern);
      if (!topic)
        throw new Error(
          `@EventPattern('${pattern}') is not a topic of the registry in libs/contracts`,
        );
      const invoke = async (event: unknown, meta: MessageMeta): Promise<void> => {
        const result = await handler(event, meta);
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      };
      return { topic, handler: invoke };
    });
  }
}

export { PermanentError };
