import { loadEnvConfig } from '@vigil/config';
import { Topics, type MetricBatch } from '@vigil/contracts';
import { type InMemoryKafka, inMemoryMessaging } from '@vigil/messaging';
import { SignalAnalyzer } from '@vigil/rca';
import { signalsEnv } from './signals.config';
import { SignalsService } from './signals.service';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const STEP = 10_000;
const iso = (i: number) => new Date(T0 + i * STEP).toISOString();
const wobble = (i: number) => Math.sin(i * 1.3) * 2 + Math.cos(i * 0.7);

/** Checkout's p99 latency, steady for 150 samples and 80 ms higher from then on. */
function latencyJump(from: number, to: number): MetricBatch {
  return {
    schemaVersion: 1,
    service: 'checkout',
    samples: Array.from({ length: to - from }, (_, k) => {
      const i = from + k;
      return {
        name: 'latency_p99_ms',
        value: 100 + wobble(i) + (i >= 150 ? 80 : 0),
        labels: {},
        time: iso(i),
      };
    }),
  };
}

describe('SignalsService (metrics and logs in, anomalies out)', () => {
  let kafka: InMemoryKafka;
  let service: SignalsService;

  beforeEach(async () => {
    const settings = loadEnvConfig(signalsEnv, {}, () => undefined);
    const analyzer = new SignalAnalyzer({
      maxSeries: settings.maxSeries,
      log: { warmupMs: settings.logWarmupMs },
    });
    const messaging = inMemoryMessaging(settings);
    kafka = messaging.kafka;
    service = new SignalsService(
      messaging.consumers,
      messaging.publisher,
      messaging.logger,
      analyzer,
    );
    await service.onApplicationBootstrap();
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
});
