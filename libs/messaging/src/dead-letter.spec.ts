import type { KafkaMessage } from 'kafkajs';
import { decodeEvent, Topics } from '@vigil/contracts';
import {
  DEAD_LETTER_COUNT_HEADER,
  DLQ_MAX_VALUE_BYTES,
  deadLetterCount,
  originalMessage,
  toDlqRecord,
} from './dead-letter';

describe('toDlqRecord', () => {
  const original: KafkaMessage = {
    key: Buffer.from('checkout'),
    value: Buffer.from([0x7b, 0xff, 0x00, 0x22]),
    offset: '17',
    timestamp: '0',
    attributes: 0,
    headers: {
      traceparent: Buffer.from('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'),
    },
  };

  it('keeps the original bytes exactly, the reason, and where the message came from', () => {
    const record = toDlqRecord(
      {
        topic: 'vigil.topology.v1',
        partition: 2,
        message: original,
        consumerGroup: 'vigil-topology-sync',
        errorKind: 'malformed-json',
        reason: 'not valid JSON: Unexpected token',
        attempts: 1,
      },
      new Date('2026-11-27T10:00:00Z'),
    );
    expect(Buffer.from(record.valueBase64 ?? '', 'base64')).toEqual(original.value);
    expect(record).toMatchObject({
      originalTopic: 'vigil.topology.v1',
      partition: 2,
      offset: '17',
      errorKind: 'malformed-json',
      headers: { traceparent: expect.stringMatching(/^00-/) },
    });
    const decoded = decodeEvent(Topics.dlq, JSON.stringify(record));
    expect(decoded.ok && Topics.dlq.keyOf(decoded.value)).toBe('checkout');
  });

  const failed = {
    topic: 'vigil.topology.v1',
    partition: 2,
    message: original,
    consumerGroup: 'vigil-topology-sync',
    errorKind: 'malformed-json' as const,
    reason: 'not valid JSON',
    attempts: 1,
  };

  it('parks a value too big for the DLQ topic cut to its first part, with its size, so parking cannot fail', () => {
    const big = Buffer.alloc(DLQ_MAX_VALUE_BYTES + 10, 0x61);
    const failed = {
      topic: 'vigil.logs.v1',
      partition: 0,
      message: { ...original, value: big },
      consumerGroup: 'g',
      errorKind: 'processing-failed' as const,
      reason: 'too big',
      attempts: 1,
    };
    const record = toDlqRecord(failed);
    expect(record.valueBytes).toBe(big.length);
    // Buffer.equals: Jest's deep equality walks 5 MiB a byte at a time
    const kept = Buffer.from(record.valueBase64 ?? '', 'base64');
    expect(kept.length).toBe(DLQ_MAX_VALUE_BYTES);
    expect(kept.equals(big.subarray(0, DLQ_MAX_VALUE_BYTES))).toBe(true);
    const encoded = Buffer.byteLength(JSON.stringify(record));
    expect(encoded).toBeLessThan(Topics.dlq.maxMessageBytes ?? 0);
    expect(decodeEvent(Topics.dlq, Buffer.from(JSON.stringify(record))).ok).toBe(true);
    expect(toDlqRecord({ ...failed, message: original }).valueBytes).toBeUndefined();
  });

  it('counts how many times the message went to the DLQ, starting at 1', () => {
    const first = toDlqRecord(failed);
    expect(deadLetterCount(first.headers)).toBe(1);
    const again = toDlqRecord({
      ...failed,
      message: { ...original, headers: { [DEAD_LETTER_COUNT_HEADER]: Buffer.from('1') } },
    });
    expect(deadLetterCount(again.headers)).toBe(2);
  });

  it('gives back the original message, to the partition it came from, with the count', () => {
    const message = originalMessage(toDlqRecord(failed));
    expect(message.value).toEqual(original.value);
    expect(message.key).toEqual(original.key);
    expect(message.partition).toBe(2);
    expect(message.headers).toMatchObject({
      traceparent: expect.stringMatching(/^00-/),
      [DEAD_LETTER_COUNT_HEADER]: '1',
    });
  });
});

describe('deadLetterCount', () => {
  it('is 0 for a message that never went to the DLQ, or a count that is no count', () => {
    expect(deadLetterCount({})).toBe(0);
    expect(deadLetterCount({ [DEAD_LETTER_COUNT_HEADER]: 'lots' })).toBe(0);
    expect(deadLetterCount({ [DEAD_LETTER_COUNT_HEADER]: '-3' })).toBe(0);
  });
});
