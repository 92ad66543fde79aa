import { Topics, type MetricBatch } from '@vigil/contracts';
import { subscription } from './contract-consumer';
import type { ConsumerSettings } from './service-consumers';
import { inMemoryMessaging } from './testing/service-spec';

const batch = (service: string): MetricBatch => ({
  schemaVersion: 1,
  service,
  samples: [{ name: 'error_rate', value: 0.01, labels: {}, time: new Date().toISOString() }],
});

/** The services whose batches a consumer started on `settings` sees: one sent before, one after. */
async function seen(settings: ConsumerSettings, fromBeginning?: boolean): Promise<string[]> {
  const { kafka, consumers } = inMemoryMessaging(settings);
  await kafka.send(Topics.metrics, [batch('before')]);
  const services: string[] = [];
  const consumer = await consumers.start(
    [subscription(Topics.metrics, async (event) => void services.push(event.service))],
    fromBeginning === undefined ? {} : { fromBeginning },
  );
  await kafka.settle();
  await kafka.send(Topics.metrics, [batch('after')]);
  await consumer.stop();
  return services;
}

describe('ServiceConsumers', () => {
  it('starts a new group where the settings say: earliest replays, latest reads from now on', async () => {
    expect(await seen({ group: 'g', startAt: 'earliest' })).toEqual(['before', 'after']);
    expect(await seen({ group: 'g', startAt: 'latest' })).toEqual(['after']);
  });

  it('replays from the beginning when the settings name no start position', async () => {
    expect(await seen({ group: 'g' })).toEqual(['before', 'after']);
  });

  it('lets one consumer start elsewhere than the settings say', async () => {
    expect(await seen({ group: 'g', startAt: 'latest' }, true)).toEqual(['before', 'after']);
  });

  it("consumes in the settings' group, or in the group the service names", async () => {
    const { kafka, consumers } = inMemoryMessaging({ group: 'vigil-app' });
    const consumer = jest.spyOn(kafka, 'consumer');
    const none = [subscription(Topics.metrics, async () => undefined)];
    await (await consumers.start(none)).stop();
    await (await consumers.start(none, { groupId: 'vigil-app-1' })).stop();
    expect(consumer.mock.calls.map(([options]) => options.groupId)).toEqual([
      'vigil-app',
      'vigil-app-1',
    ]);
  });

  it('refuses to start without a group', async () => {
    const { consumers } = inMemoryMessaging({});
    await expect(
      consumers.start([subscription(Topics.metrics, async () => undefined)]),
    ).rejects.toThrow('a consumer needs a group');
  });
});
