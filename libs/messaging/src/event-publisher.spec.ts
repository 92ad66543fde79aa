import type { Kafka, Message, ProducerRecord } from 'kafkajs';
import { EventPublisher, partitionOfKey, splitBySize } from './event-publisher';

const message = (i: number, bytes: number): Message => ({
  key: `k${i}`,
  value: 'x'.repeat(bytes),
});

/** A Kafka whose producer records every send, and refuses a send over `limit` record bytes as the broker would. */
function recordingKafka(limit: number): { kafka: Kafka; sends: ProducerRecord[] } {
  const sends: ProducerRecord[] = [];
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async (record: ProducerRecord) => {
      const bytes = record.messages.reduce((n, m) => n + String(m.value).length, 0);
      if (bytes > limit) throw Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE' });
      sends.push(record);
      return [];
    },
  };
  return { kafka: { producer: () => producer } as unknown as Kafka, sends };
}

describe('splitBySize', () => {
  it('cuts a long list into consecutive parts under the limit, in order', () => {
    const messages = Array.from({ length: 100 }, (_, i) => message(i, 1000));
    const parts = splitBySize(messages, 10_000);
    expect(parts.length).toBeGreaterThan(10);
    expect(parts.flat()).toEqual(messages);
    for (const part of parts) expect(part.length * 1000).toBeLessThanOrEqual(10_000);
  });

  it('sends a message larger than the limit in a part of its own', () => {
    const parts = splitBySize([message(0, 10), message(1, 50_000), message(2, 10)], 10_000);
    expect(parts.map((p) => p.map((m) => m.key))).toEqual([['k0'], ['k1'], ['k2']]);
  });

  it('keeps a small send whole', () => {
    expect(splitBySize([message(0, 10), message(1, 10)], 10_000)).toHaveLength(1);
  });
});

describe('EventPublisher.sendRaw', () => {
  it('writes a send bigger than one broker request in parts, every record once and in order', async () => {
    const { kafka, sends } = recordingKafka(100_000);
    const publisher = new EventPublisher(kafka, { maxSendBytes: 90_000 });
    const messages = Array.from({ length: 1000 }, (_, i) => message(i, 500));
    await publisher.sendRaw('vigil.alerts.raw.v1', messages);
    expect(sends.length).toBeGreaterThan(1);
    expect(sends.flatMap((s) => s.messages)).toEqual(messages);
  });
});

describe('partitionOfKey', () => {
  it('puts a key on one partition whatever the topic, and spreads keys over all of them', () => {
    const keys = Array.from({ length: 60 }, (_, i) => `inc-${i}`);
    const on = keys.map((key) => partitionOfKey('vigil.rca.v1', key, 3));
    expect(keys.map((key) => partitionOfKey('vigil.incidents.v1', key, 3))).toEqual(on);
    expect(new Set(on)).toEqual(new Set([0, 1, 2]));
    expect(partitionOfKey('t', 'inc-1', 1)).toBe(0);
  });
});
