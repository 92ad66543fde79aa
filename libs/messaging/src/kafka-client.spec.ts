import type { ConsumerConfig, Kafka } from 'kafkajs';
import { consumerFetchWaitMs, withShortFetchWaits } from './kafka-client';

/** A client whose consumer() hands back the config it was given, to see what kafkajs would get. */
const echoing = () =>
  withShortFetchWaits({
    consumer: (config: ConsumerConfig) => config,
    admin: () => 'the admin',
  } as unknown as Kafka);

describe('withShortFetchWaits', () => {
  it('gives every consumer the short fetch wait, so a stop does not wait out a 5 s fetch', () => {
    const config = echoing().consumer({ groupId: 'g' }) as unknown as ConsumerConfig;
    expect(config).toEqual({ groupId: 'g', maxWaitTimeInMs: consumerFetchWaitMs });
    expect(consumerFetchWaitMs).toBeLessThan(5_000);
  });

  it('keeps a wait the caller chose, and leaves the rest of the client as it was', () => {
    const kafka = echoing();
    const config = kafka.consumer({ groupId: 'g', maxWaitTimeInMs: 100 });
    expect(config).toEqual({ groupId: 'g', maxWaitTimeInMs: 100 });
    expect(kafka.admin()).toBe('the admin');
  });
});
