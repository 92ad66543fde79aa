import type { ConsumerConfig, Kafka } from 'kafkajs';
import { consumerFetchWaitMs, createKafka, withShortFetchWaits } from './kafka-client';

/** A port nothing listens on: privileged (tcpmux), used by no service here or on a laptop. */
const closedPort = 1;

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

describe('createKafka', () => {
  // a service's client retries for about a minute (it rides out a broker restart): past this
  // test's timeout, so the test fails if a command got the service's patience
  it('tells a waiting command that the broker is unreachable instead of retrying for a minute', async () => {
    const brokers = [`127.0.0.1:${closedPort}`];
    const admin = createKafka({ brokers, clientId: 'spec', patience: 'command' }).admin();
    await expect(admin.connect()).rejects.toThrow(/ECONNREFUSED/);
  }, 20_000);
});
