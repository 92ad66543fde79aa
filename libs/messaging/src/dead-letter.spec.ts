import type { KafkaMessage } from 'kafkajs';
import { decodeEvent, Topics } from '@vigil/contracts';
import { toDlqRecord } from './dead-letter';

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
});
