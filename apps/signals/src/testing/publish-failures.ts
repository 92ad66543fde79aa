import type { TopicDefinition } from '@vigil/contracts';
import type { EventPublisher } from '@vigil/messaging';
import { KafkaJSConnectionError } from 'kafkajs';
import type { z } from 'zod';

/** The specs' ways to make publishing fail. */

/** The broker gone for a moment: kafkajs' error, which the consumer's retry policy finds transient. */
export const brokerDown = (): Error =>
  new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092', {
    broker: '127.0.0.1:9092',
  });

/**
 * Makes `publisher.publishMany` to `topic` throw what `failure` returns for the call (counted from
 * 0 on that topic) and its events, and publish when it returns nothing. Returns what ends it.
 */
export function failPublishes(
  publisher: EventPublisher,
  topic: TopicDefinition<z.ZodType>,
  failure: (call: number, events: readonly unknown[]) => Error | undefined,
): () => void {
  const publishMany = publisher.publishMany.bind(publisher);
  let calls = 0;
  publisher.publishMany = (async (to, events, options) => {
    const error = to.name === topic.name ? failure(calls++, events) : undefined;
    if (error) throw error;
    return publishMany(to, events, options);
  }) as EventPublisher['publishMany'];
  return () => {
    publisher.publishMany = publishMany;
  };
}
