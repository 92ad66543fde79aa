import type { LoggerService } from '@nestjs/common';
import { EventPublisher } from '../event-publisher';
import { type ConsumerSettings, ServiceConsumers } from '../service-consumers';
import { InMemoryKafka } from './in-memory-kafka';

/** A logger that writes nothing: a spec asserts on what a service publishes, not on its logs. */
export const quietLogger: LoggerService = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** What a service built in a spec gets where Nest would inject Kafka: all of it in memory. */
export interface InMemoryMessaging {
  kafka: InMemoryKafka;
  publisher: EventPublisher;
  consumers: ServiceConsumers;
  logger: LoggerService;
}

/** Kafka in memory with the real publisher and consumers on it, for a service with `settings`. */
export function inMemoryMessaging(
  settings: ConsumerSettings,
  logger: LoggerService = quietLogger,
): InMemoryMessaging {
  const kafka = new InMemoryKafka();
  const publisher = new EventPublisher(kafka.client);
  const consumers = new ServiceConsumers(kafka.client, publisher, logger, settings);
  return { kafka, publisher, consumers, logger };
}

/** Waits until `check` holds (a service's timer has run, say), or fails naming `what`. */
export async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
