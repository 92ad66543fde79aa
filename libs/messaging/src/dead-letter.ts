import type { KafkaMessage } from 'kafkajs';
import { Topics, type DlqErrorKind, type DlqRecord } from '@vigil/contracts';
import type { EventPublisher } from './event-publisher';
import { headersAsStrings } from './trace-headers';

export interface FailedMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
  consumerGroup: string;
  errorKind: DlqErrorKind;
  reason: string;
  attempts: number;
}

export function toDlqRecord(failed: FailedMessage, now: Date = new Date()): DlqRecord {
  const { message } = failed;
  return {
    schemaVersion: 1,
    originalTopic: failed.topic,
    partition: failed.partition,
    offset: message.offset,
    consumerGroup: failed.consumerGroup,
    keyBase64: message.key ? message.key.toString('base64') : null,
    valueBase64: message.value ? message.value.toString('base64') : null,
    headers: headersAsStrings(message.headers),
    errorKind: failed.errorKind,
    reason: failed.reason.slice(0, 4000),
    attempts: failed.attempts,
    failedAt: now.toISOString(),
  };
}

/** Parks a message on `vigil.dlq.v1`, keyed by its original key, so the consumer can move on. */
export async function sendToDeadLetter(
  publisher: EventPublisher,
  failed: FailedMessage,
): Promise<void> {
  await publisher.publish(Topics.dlq, toDlqRecord(failed));
}
