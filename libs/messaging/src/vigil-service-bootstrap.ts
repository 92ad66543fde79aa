import { type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import { EventPublisher } from './event-publisher';
import { KAFKA } from './messaging.module';
import type { RetryPolicy } from './retry-policy';
import { VigilKafkaTransport } from './vigil-kafka-transport';

export interface VigilServiceOptions {
  /** The root module; it must import MessagingModule.forRoot. */
  module: unknown;
  logger: LoggerService;
  port: number;
  host?: string;
  /** Consumer group of the app's @EventPattern handlers; omit for an app that only produces. */
  consumerGroup?: string;
  retryPolicy?: RetryPolicy;
  /**
   * false for an app that reads request bodies itself (its own size limit, media type check, or
   * refusing before the body is read); Nest's default parser takes JSON bodies up to 100 kB.
   */
  bodyParser?: boolean;
}

/** Starts a Vigil app: HTTP (/metrics, /healthz and its own routes) and its Kafka consumers. */
export async function startVigilService(options: VigilServiceOptions): Promise<INestApplication> {
  const app = await NestFactory.create(options.module as never, {
    logger: options.logger,
    bufferLogs: false,
    bodyParser: options.bodyParser ?? true,
  });
  app.enableShutdownHooks();
  if (options.consumerGroup) {
    app.connectMicroservice(
      {
        strategy: new VigilKafkaTransport({
          kafka: app.get<Kafka>(KAFKA),
          publisher: app.get(EventPublisher),
          groupId: options.consumerGroup,
          logger: options.logger,
          retryPolicy: options.retryPolicy,
        }),
      },
      { inheritAppConfig: true },
    );
    await app.startAllMicroservices();
  }
  await app.listen(options.port, options.host ?? '127.0.0.1');
  return app;
}
