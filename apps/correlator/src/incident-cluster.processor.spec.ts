import { Topics, type Alert } from '@vigil/contracts';
import {
  batchSubscription,
  ContractConsumer,
  EventPublisher,
  InMemoryKafka,
  quietLogger,
} from '@vigil/messaging';
import { alertRouter } from './alert-router';
import type { IncidentClusterProcessor } from './incident-cluster.processor';
import { criticalAlert, keywordEmbedder, specClusterer } from './testing/clusterer-kit';

/**
 * The symptom prototypes (errors, slowness, unavailability) stay apart from the local conditions
 * (disk, CPU, memory ...).
 */
const embedder = keywordEmbedder([
  /error|fail|5xx|exception/i,
  /latency|slow|too long/i,
  /unavailable|refused|timed? ?out|not answering|down/i,
  /disk|filesystem|free space/i,
  /cpu|throttl/i,
  /memory/i,
  /certificate|tls/i,
  /replica|autoscal/i,
  /job/i,
  /lag|queue/i,
  /restart/i,
]);

const t0 = Date.now();
const at = (minute: number) => new Date(t0 + minute * 60_000).toISOString();
function alert(
  name: string,
  service: string,
  summary: string,
  minute: number,
  cluster = 'prod',
): Alert {
  return criticalAlert({ alertname: name, service, cluster }, summary, at(minute));
}
const resolved = (a: Alert, minute: number): Alert => ({
  ...a,
  status: 'resolved',
  endsAt: at(minute),
  receivedAt: at(minute),
});

describe('correlator: scope router and incident clusterer on one partition', () => {
  let kafka: InMemoryKafka;
  let processor: IncidentClusterProcessor;
  /** The wall clock the clusterer's expiry ticks read. */
  let wall = 0;
  const consumers: ContractConsumer[] = [];

  beforeEach(async () => {
    kafka = new InMemoryKafka();
    const publisher = new EventPublisher(kafka.client);
    wall = Date.now();
    const clusterer = await specClusterer(publisher, embedder, ['search'], () => wall);
    const settings = clusterer.settings;
    processor = clusterer.processor;
    processor.restore(0, undefined);
    // The router as the service runs it; the clusterer fed as its stateful consumer would.
    const stages = [
      alertRouter(publisher, settings.correlation.scopeLabels),
      batchSubscription(Topics.correlatorScopedAlerts, (records) =>
        processor.process(
          0,
          records.map(({ event, meta }) => ({ event, offset: meta.offset })),
        ),
      ),
    ];
    for (const stage of stages) {
      const consumer = new ContractConsumer(kafka.client, {
        groupId: 'vigil-correlator-spec',
        subscriptions: [stage],
        publisher,
        logger: quietLogger,
      });
      await consumer.start();
      consumers.push(consumer);
    }
  });

  afterEach(async () => {
    for (const consumer of consumers.splice(0)) await consumer.stop();
  });

  const incidents = () => kafka.published(Topics.incidents);

  it('opens one incident for a database that is down and its caller’s errors, and resolves it when both resolve', async () => {
    const db = alert('PostgresDown', 'orders-db', 'orders-db is not answering', 0);
    const errors = alert('HighErrorRate', 'orders', '5xx error ratio above 10% on orders', 1);
    await kafka.send(Topics.alertsRaw, [db]);
    await kafka.send(Topics.alertsRaw, [errors]);

    expect(incidents().map((e) => e.type)).toEqual(['opened', 'alert-attached']);
    const [opened, attached] = incidents();
    expect(attached?.incidentId).toBe(opened?.incidentId);
    expect(attached?.incident.services.sort()).toEqual(['orders', 'orders-db']);

    await kafka.send(Topics.alertsRaw, [resolved(db, 5)]);
    expect(incidents().map((e) => e.type)).not.toContain('resolved');
    await kafka.send(Topics.alertsRaw, [resolved(errors, 6)]);
    expect(incidents().at(-1)).toMatchObject({
      type: 'resolved',
      incidentId: opened?.incidentId,
      incident: { status: 'resolved' },
    });
  });

  it('keeps trouble on an unrelated service, and errors in another cluster, in incidents of their own', async () => {
    await kafka.send(Topics.alertsRaw, [
      alert('PostgresDown', 'orders-db', 'orders-db is not answering', 0),
    ]);
    await kafka.send(Topics.alertsRaw, [
      alert('DiskAlmostFull', 'search', 'filesystem /var on search is 95% full', 1),
    ]);
    await kafka.send(Topics.alertsRaw, [
      alert('HighErrorRate', 'orders', '5xx error ratio above 10% on orders', 1, 'staging'),
    ]);

    const opened = incidents().filter((e) => e.type === 'opened');
    expect(opened).toHaveLength(3);
    expect(incidents().map((e) => e.type)).not.toContain('alert-attached');
  });

  it('parks a raw alert that breaks the contract in the DLQ and still correlates the next one', async () => {
    await kafka.sendRaw(Topics.alertsRaw.name, [{ key: 'x', value: '{"alertname": 42}' }]);
    await kafka.send(Topics.alertsRaw, [
      alert('PostgresDown', 'orders-db', 'orders-db is not answering', 0),
    ]);

    expect(kafka.published(Topics.dlq).map((d) => d.errorKind)).toEqual(['schema-violation']);
    expect(incidents().map((e) => e.type)).toEqual(['opened']);
  });

  it('resolves an incident whose alert never sends a resolve once it is not re-sent within 5 minutes, on a quiet stream', async () => {
    await kafka.send(Topics.alertsRaw, [
      alert('PostgresDown', 'orders-db', 'orders-db is not answering', 0),
    ]);
    wall += 4 * 60_000;
    await processor.expire();
    expect(incidents().map((e) => e.type)).toEqual(['opened']);

    wall += 2 * 60_000;
    await processor.expire();
    expect(incidents().at(-1)).toMatchObject({
      type: 'resolved',
      reason: 'resolve-timeout',
      at: at(5),
      incident: { status: 'resolved' },
    });
  });

  it('keeps the resolve deadlines of a partition across a restart from its snapshot', async () => {
    await kafka.send(Topics.alertsRaw, [
      alert('PostgresDown', 'orders-db', 'orders-db is not answering', 0),
    ]);
    const snapshot = JSON.parse(JSON.stringify(processor.snapshot(0))) as Record<string, unknown>;
    processor.release(0);
    processor.restore(0, snapshot);

    wall += 6 * 60_000;
    await processor.expire();
    expect(incidents().map((e) => e.type)).toEqual(['opened', 'resolved']);
  });
});
