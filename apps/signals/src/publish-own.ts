import { describeIssues, type TopicDefinition } from '@vigil/contracts';
import { type EventPublisher, PermanentError } from '@vigil/messaging';
import { ZodError, type z } from 'zod';

/**
 * Publishes what the service made of a message, in one `publishMany`. Output that breaks its
 * topic's contract would break it at every try: that is a PermanentError, so the message goes to
 * the DLQ at once with the reason (nothing of the events is sent: they are checked before).
 */
export async function publishOwn<S extends z.ZodType>(
  publisher: EventPublisher,
  topic: TopicDefinition<S>,
  events: ReadonlyArray<z.input<S>>,
): Promise<void> {
  try {
    await publisher.publishMany(topic, events);
  } catch (error) {
    if (error instanceof ZodError)
      throw new PermanentError(`output breaks ${topic.name}: ${describeIssues(error)}`, {
        cause: error,
      });
    throw error;
  }
}
