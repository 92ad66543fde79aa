import { loadEnvConfig } from '@vigil/config';
import { type LogRecord, Topics, type MetricBatch } from '@vigil/contracts';
import { type EventPublisher, type InMemoryKafka, inMemoryMessaging } from '@vigil/messaging';
import { SignalAnalyzer } from '@vigil/rca';
import { signalsEnv } from './signals.config';
import { SignalsService } from './signals.service';
import { brokerDown, failPublishes } from './testing/publish-failures';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const STEP = 10_000;
const iso = (i: number) => new Date(T0 + i * STEP).toISOString();
const wobble = (i: number) => Math.sin(i * 1.3) * 2 + Math.cos(i * 0.7);

/** Checkout's p99 latency, steady for 150 samples and 80 ms higher from then on. */
function latencyJump(from: number, to: number, labels: Record<string, string> = {}): MetricBatch {
  return {
    schemaVersion: 1,
    service: 'checkout',
    samples: Array.from({ length: to - from }, (_, k) => {
      const i = from + k;
      return {
        name: 'latency_p99_ms',
        value: 100 + wobble(i) + (i >= 150 ? 80 : 0),
        labels,
        time: iso(i),
      };
    }),
  };
}

/** payment-db's log: a checkpoint line every 10 s, and from the 100th a burst of lock timeouts. */
function lockTimeouts(): LogRecord[] {
  const line = (i: number, level: LogRecord['level'], body: string): LogRecord => ({
    schemaVersion: 1,
    service: 'payment-db',
    level,
    body,
    attributes: {},
    time: iso(i),
  });
  const lines: LogRecord[] = [];
  for (let i = 0; i < 120; i++) {
    lines.push(line(i, 'info', `checkpoint complete: wrote ${i} buffers`));
    if (i >= 100)
      for (let k = 0; k < 8; k++)
        lines.push(line(i, 'error', `lock timeout on relation payments_${k} after ${5000 + k} ms`));
  }
  return lines;
}

describe('SignalsService (metrics and logs in, anomalies out)', () => {
  let kafka: InMemoryKafka;
  let publisher: EventPublisher;
  let service: SignalsService;

  async function startService(): Promise<{
    kafka: InMemoryKafka;
    publisher: EventPublisher;
    service: SignalsService;
  }> {
    const settings = loadEnvConfig(signalsEnv, {}, () => undefined);
    const analyzer = new SignalAnalyzer({
      maxSeries: settings.maxSeries,
      log: { warmupMs: settings.logWarmupMs },
    });
    const messaging = inMemoryMessaging(settings);
    const started = new SignalsService(
      messaging.consumers,
      messaging.publisher,
      messaging.logger,
      analyzer,
    );
    await started.onApplicationBootstrap();
    return { kafka: messaging.kafka, publisher: messaging.publisher, service: started };
  }

  beforeEach(async () => {
    ({ kafka, publisher, service } = await startService());
  });

  afterEach(() => service.onApplicationShutdown());

  it('publishes one anomaly, dated at the jump, when a metric jumps', async () => {
    // Batches as a scraper sends them: a few samples at a time.
    for (let i = 0; i < 200; i += 10) await kafka.send(Topics.metrics, [latencyJump(i, i + 10)]);

    const anomalies = kafka.published(Topics.anomalies);
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({
      service: 'checkout',
      signal: { kind: 'metric', metric: 'latency_p99_ms', direction: 'up' },
      onset: iso(150),
    });
  });

  it('publishes nothing while a metric stays steady', async () => {
    await kafka.send(Topics.metrics, [latencyJump(0, 140)]);
    expect(kafka.published(Topics.anomalies)).toEqual([]);
  });

  it('parks a malformed and a schema-violating record in the DLQ and goes on with the next', async () => {
    await kafka.sendRaw(Topics.metrics.name, [
      { key: 'checkout', value: '{"service": "checkout", "samples": [' },
      { key: 'checkout', value: JSON.stringify({ schemaVersion: 1, service: 'checkout' }) },
    ]);
    await kafka.sendRaw(Topics.logs.name, [{ key: 'payment-db', value: 'not json at all' }]);
    await kafka.send(Topics.metrics, [latencyJump(0, 200)]);

    const parked = kafka.published(Topics.dlq);
    expect(parked.map((p) => [p.originalTopic, p.errorKind])).toEqual([
      [Topics.metrics.name, 'malformed-json'],
      [Topics.metrics.name, 'schema-violation'],
      [Topics.logs.name, 'malformed-json'],
    ]);
    expect(parked[0]?.consumerGroup).toBe('vigil-signals');
    // the good batch after the bad ones is still analysed
    expect(kafka.published(Topics.anomalies).map((a) => a.service)).toContain('checkout');
  });

  it('publishes the anomaly once when its publish meets a broker error (the retry finds it again)', async () => {
    failPublishes(publisher, Topics.anomalies, (call) => (call === 0 ? brokerDown() : undefined));

    for (let i = 0; i < 200; i += 10) await kafka.send(Topics.metrics, [latencyJump(i, i + 10)]);

    const anomalies = kafka.published(Topics.anomalies);
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ service: 'checkout', onset: iso(150) });
    expect(kafka.published(Topics.dlq)).toEqual([]);
  });

  it('publishes the log anomalies it would have published had no publish failed once', async () => {
    const control = await startService();
    for (const line of lockTimeouts()) await control.kafka.send(Topics.logs, [line]);
    await control.service.onApplicationShutdown();
    const expected = control.kafka.published(Topics.anomalies);
    expect(expected.map((a) => a.signal)).toContainEqual(
      expect.objectContaining({ pattern: 'error-burst' }),
    );

    // every publish fails once
    failPublishes(publisher, Topics.anomalies, (call) =>
      call % 2 === 0 ? brokerDown() : undefined,
    );
    for (const line of lockTimeouts()) await kafka.send(Topics.logs, [line]);

    expect(kafka.published(Topics.anomalies)).toEqual(expected);
    expect(kafka.published(Topics.dlq)).toEqual([]);
  });

  it('publishes the anomaly of a series whose labels are longer than an id may be, with an id that fits', async () => {
    const labels = { route: `/${'catalog/'.repeat(22)}` };
    expect(labels.route.length).toBeGreaterThan(170);

    await kafka.send(Topics.metrics, [latencyJump(0, 200, labels)]);

    const [anomaly, ...more] = kafka.published(Topics.anomalies);
    expect(more).toEqual([]);
    expect(anomaly?.signal).toMatchObject({ metric: expect.stringContaining(labels.route) });
    expect(anomaly?.anomalyId.length).toBeLessThanOrEqual(200);
    expect(kafka.published(Topics.dlq)).toEqual([]);
  });

  it('parks the message with the reason when its anomaly breaks the topic contract, and forgets it', async () => {
    // what a bug that made an id too long would do: the publisher refuses the event
    const publishAgain = failPublishes(publisher, Topics.anomalies, (_, [anomaly]) => {
      const refused = Topics.anomalies.schema.safeParse({
        ...(anomaly as object),
        anomalyId: 'x'.repeat(201),
      });
      return refused.error;
    });

    await kafka.send(Topics.metrics, [latencyJump(0, 200)]);

    expect(kafka.published(Topics.anomalies)).toEqual([]);
    expect(kafka.published(Topics.dlq)).toMatchObject([
      {
        originalTopic: Topics.metrics.name,
        errorKind: 'processing-failed',
        attempts: 1,
        reason: expect.stringMatching(
          /^handler refused: output breaks vigil\.anomalies\.v1: anomalyId: /,
        ),
      },
    ]);
    // the analyzer took nothing of the parked message in: replayed, it finds the anomaly
    publishAgain();
    await kafka.send(Topics.metrics, [latencyJump(0, 200)]);
    expect(kafka.published(Topics.anomalies)).toMatchObject([{ onset: iso(150) }]);
  });
});
