import type { Kafka } from 'kafkajs';
import type { Alert, IncidentEvent, IncidentFeedback } from '@vigil/contracts';
import { correlationConfig, IncidentCorrelator, ServiceGraph } from '@vigil/correlation';
import { firingAlert, unitVector } from '@vigil/correlation/testing';
import type { Embedder } from '@vigil/embeddings';
import type { EventPublisher } from '@vigil/messaging';
import { FeedbackConsumer } from './feedback-consumer';
import { IncidentClusterProcessor } from './incident-cluster.processor';
import type { TopologyProvider } from './topology-provider';

const graph = new ServiceGraph({ services: ['db', 'batch'], edges: [] }, 2);
const prototypes = { symptoms: [], localConditions: [] };
const t0 = Date.parse('2026-11-27T10:00:00Z');

function alert(name: string, service: string, minute: number): Alert {
  return firingAlert({ alertname: name, service }, new Date(t0 + minute * 60_000).toISOString());
}

const vector = (axis: number) => unitVector(2, axis);

const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };

function consumer() {
  return new FeedbackConsumer({} as Kafka, {} as EventPublisher, logger);
}

describe('FeedbackConsumer', () => {
  it('applies a correction to the incidents held, and again to a partition restored from an older snapshot', async () => {
    const live = new IncidentCorrelator(correlationConfig(), graph, prototypes);
    const a = live.process(alert('DiskFull', 'db', 0), vector(0)).incidentId;
    const b = live.process(alert('CronJobSlow', 'batch', 1), vector(1)).incidentId;
    const before = live.snapshot();
    const feedback: IncidentFeedback = {
      schemaVersion: 1,
      feedbackId: 'fb-1',
      type: 'merge',
      incidentId: a,
      mergedIncidentIds: [b],
      by: { user: 'ann', role: 'responder' },
      via: 'console',
      at: new Date(t0).toISOString(),
      alerts: [],
    };
    const published: IncidentEvent[] = [];
    const feedbackConsumer = consumer();
    feedbackConsumer.target = {
      applyEverywhere: async (apply) => {
        published.push(...apply(live));
      },
    };
    await feedbackConsumer.take(feedback);
    expect(published).toMatchObject([{ type: 'merged', incidentId: a, mergedIncidentId: b }]);
    expect(live.canonicalIncident(b)).toBe(a);

    // a crash before the next snapshot: the partition comes back without the merge ...
    const restored = new IncidentCorrelator(correlationConfig(), graph, prototypes, before);
    expect(restored.canonicalIncident(b)).toBe(b);
    // ... and gets it again, with what people taught
    feedbackConsumer.restored(restored);
    expect(restored.canonicalIncident(b)).toBe(a);
    expect(feedbackConsumer.memory.size()).toEqual({ join: 0, apart: 0 });
  });

  it('learns each correction, also when no partition is held yet', async () => {
    const feedbackConsumer = consumer();
    await feedbackConsumer.take({
      schemaVersion: 1,
      feedbackId: 'fb-2',
      type: 'split',
      incidentId: 'inc-a',
      fingerprints: ['f2'],
      newIncidentId: 'inc-new',
      by: { user: 'ann', role: 'responder' },
      via: 'console',
      at: new Date(t0).toISOString(),
      alerts: [
        { fingerprint: 'f1', alertname: 'DiskFull', service: 'db', incidentId: 'inc-a' },
        { fingerprint: 'f2', alertname: 'CronJobSlow', service: 'batch', incidentId: 'inc-a' },
      ],
    });
    expect(feedbackConsumer.memory.relation('CronJobSlow@batch', ['DiskFull@db'])).toMatchObject({
      relation: 'apart',
      feedbackId: 'fb-2',
    });
  });

  it('publishes what a correction changed on the partitions held, and on a failed publish keeps it for the retry', async () => {
    const publishMany = jest.fn(async () => undefined);
    const embedder: Embedder = {
      dimension: 2,
      embed: async (texts) => texts.map((t) => vector(t.includes('Disk') ? 0 : 1)),
    };
    const processor = new IncidentClusterProcessor(
      correlationConfig(),
      { current: graph } as TopologyProvider,
      embedder,
      { publishMany } as unknown as EventPublisher,
      prototypes,
    );
    const feedbackConsumer = consumer();
    feedbackConsumer.target = processor;
    processor.feedback = feedbackConsumer;
    processor.restore(0, undefined);
    const records = [alert('DiskFull', 'db', 0), alert('CronJobSlow', 'batch', 1)].map((a, i) => ({
      event: {
        schemaVersion: 1 as const,
        scope: 'default',
        alert: a,
        origin: { partition: 0, offset: String(i) },
      },
      offset: String(i),
    }));
    await processor.process(0, records);
    const opened = (publishMany.mock.calls[0] as unknown as [unknown, IncidentEvent[]])[1];
    const [a, b] = opened.map((e) => e.incidentId);
    const feedback: IncidentFeedback = {
      schemaVersion: 1,
      feedbackId: 'fb-3',
      type: 'merge',
      incidentId: a,
      mergedIncidentIds: [b],
      by: { user: 'ann', role: 'responder' },
      via: 'console',
      at: new Date(t0).toISOString(),
      alerts: [],
    };
    publishMany.mockRejectedValueOnce(new Error('kafka is away'));
    await expect(feedbackConsumer.take(feedback)).rejects.toThrow('kafka is away');
    await feedbackConsumer.take(feedback); // the consumer's retry of the same message
    // once for the alerts, once failed, once more on the retry
    expect(publishMany).toHaveBeenCalledTimes(3);
    const sent = (publishMany.mock.calls.at(-1) as unknown as [unknown, IncidentEvent[]])[1];
    expect(sent).toMatchObject([{ type: 'merged', incidentId: a, mergedIncidentId: b }]);
  });
});
