import type { Kafka } from 'kafkajs';
import { Topics } from '@vigil/contracts';
import type { EventPublisher } from './event-publisher';
import { ServiceLease } from './service-lease';

type Listener = (event: { payload: Record<string, unknown> }) => void;

/** A kafkajs consumer that does nothing but count its runs and let the test say when it joined or crashed. */
class ScriptedConsumer {
  readonly events = { GROUP_JOIN: 'group_join', CRASH: 'crash' };
  readonly listeners = new Map<string, Listener>();
  on(event: string, listener: Listener): void {
    this.listeners.set(event, listener);
  }
  connect = (): Promise<void> => Promise.resolve();
  subscribe = (): Promise<void> => Promise.resolve();
  runs = 0;
  run = (): Promise<void> => {
    this.runs++;
    return Promise.resolve();
  };
  disconnect = (): Promise<void> => Promise.resolve();
  join(holding: boolean): void {
    this.listeners.get('group_join')?.({
      payload: { memberAssignment: holding ? { [Topics.serviceLeases.name]: [0] } : {} },
    });
  }
  crash(restart: boolean): void {
    this.listeners.get('crash')?.({ payload: { error: new Error('broker gone'), restart } });
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function lease() {
  const consumers: ScriptedConsumer[] = [];
  const kafka = {
    consumer: () => {
      const consumer = new ScriptedConsumer();
      consumers.push(consumer);
      return consumer;
    },
  } as unknown as Kafka;
  const changes: boolean[] = [];
  const publisher = { publish: async () => undefined } as unknown as EventPublisher;
  const serviceLease = new ServiceLease(kafka, {
    name: 'executor/test',
    groupId: 'lease-test',
    publisher,
    rejoinDelayMs: 5,
    onChange: async (active) => {
      changes.push(active);
    },
  });
  return { serviceLease, consumers, changes };
}

describe('ServiceLease', () => {
  it('joins again when kafkajs gives up on its consumer, and takes the lease back', async () => {
    const { serviceLease, consumers, changes } = lease();
    const started = serviceLease.start();
    await flush();
    consumers[0].join(true);
    expect(await started).toBe(true);

    // an error kafkajs does not retry (a broker restart can end in one): the consumer stays stopped
    consumers[0].crash(false);
    await flush();
    expect(serviceLease.active).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(consumers[0].runs).toBe(2);

    consumers[0].join(true);
    await flush();
    expect(serviceLease.active).toBe(true);
    expect(changes).toEqual([true, false, true]);
    await serviceLease.stop();
  });

  it('leaves a restart to kafkajs when kafkajs restarts the consumer itself', async () => {
    const { serviceLease, consumers } = lease();
    const started = serviceLease.start();
    await flush();
    consumers[0].join(true);
    await started;
    consumers[0].crash(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(consumers[0].runs).toBe(1);
    expect(serviceLease.active).toBe(false);
    await serviceLease.stop();
  });

  it('does not join again once stopped', async () => {
    const { serviceLease, consumers } = lease();
    const started = serviceLease.start();
    await flush();
    consumers[0].join(false);
    expect(await started).toBe(false);
    await serviceLease.stop();
    consumers[0].crash(false);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(consumers[0].runs).toBe(1);
  });
});
