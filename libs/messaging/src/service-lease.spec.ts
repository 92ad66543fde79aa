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

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A lease started on a scripted consumer whose first join gave it the partition or not. */
async function startedLease(holding: boolean) {
  let consumer: ScriptedConsumer | undefined;
  const kafka = {
    consumer: () => (consumer = new ScriptedConsumer()),
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
  const started = serviceLease.start();
  await flush();
  if (!consumer) throw new Error('the lease made no consumer');
  consumer.join(holding);
  const active = await started;
  return { serviceLease, consumer, changes, active };
}

describe('ServiceLease', () => {
  it('joins again when kafkajs gives up on its consumer, and takes the lease back', async () => {
    const { serviceLease, consumer, changes, active } = await startedLease(true);
    expect(active).toBe(true);

    // an error kafkajs does not retry (a broker restart can end in one): the consumer stays stopped
    consumer.crash(false);
    await flush();
    expect(serviceLease.active).toBe(false);
    await wait(30);
    expect(consumer.runs).toBe(2);

    consumer.join(true);
    await flush();
    expect(serviceLease.active).toBe(true);
    expect(changes).toEqual([true, false, true]);
    await serviceLease.stop();
  });

  it('leaves a restart to kafkajs when kafkajs restarts the consumer itself', async () => {
    const { serviceLease, consumer } = await startedLease(true);
    consumer.crash(true);
    await wait(30);
    expect(consumer.runs).toBe(1);
    expect(serviceLease.active).toBe(false);
    await serviceLease.stop();
  });

  it('does not join again once stopped', async () => {
    const { serviceLease, consumer, active } = await startedLease(false);
    expect(active).toBe(false);
    await serviceLease.stop();
    consumer.crash(false);
    await wait(30);
    expect(consumer.runs).toBe(1);
  });
});
