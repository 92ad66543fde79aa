import { get } from 'node:http';
import type { KafkaMessage } from 'kafkajs';
import { decodeEvent, Topics, type TopicDefinition } from '@vigil/contracts';
import type { z } from 'zod';
import { collectFromTopic } from '../support/kafka-test-kit';
import { KafkaSuite, newRunId } from '../support/kafka-suite';
import type { ServiceProcess } from '../support/service-process';

const runId = newRunId();
const signalsPort = 3952;
// A shop of this run's own: its names carry the run's prefix, its ports sit above the demo's.
const prefix = `s${runId}-`;
const portOffset = 21_000;
const catalogPort = 4230 + portOffset;
const databasePort = 4290 + portOffset;
const tracesTopic = `vigil-test-shop-spans-${runId}`;
const logsTopic = `vigil-test-shop-logs-${runId}`;
const group = `vigil-test-shop-otel-${runId}`;

const shopEnv = (service: string, port: number) => ({
  PORT: String(port),
  VIGIL_SERVICE: `${prefix}${service}`,
  SHOP_PREFIX: prefix,
  SHOP_PORT_OFFSET: String(portOffset),
  SHOP_TRACES_AND_LOGS: 'otlp_proto',
  SHOP_OTLP_TRACES_TOPIC: tracesTopic,
  SHOP_OTLP_LOGS_TOPIC: logsTopic,
  SHOP_TELEMETRY_INTERVAL_MS: '500',
});

function request(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) =>
    get({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject),
  );
}

async function eventsOn<S extends z.ZodType>(
  suite: KafkaSuite,
  topic: TopicDefinition<S>,
  keep: (event: z.output<S>) => boolean,
): Promise<Array<z.output<S>>> {
  const decode = (m: KafkaMessage) => decodeEvent(topic, m.value);
  const messages = await collectFromTopic(
    suite.kafka,
    topic.name,
    (m) => {
      const decoded = decode(m);
      return decoded.ok && keep(decoded.value);
    },
    (kept) => kept.length > 0,
    60_000,
  );
  return messages.flatMap((m) => {
    const decoded = decode(m);
    return decoded.ok ? [decoded.value] : [];
  });
}

describe('the demo shop instrumented with the OpenTelemetry SDK, read by signals', () => {
  let suite: KafkaSuite;
  let catalog: ServiceProcess;

  beforeAll(async () => {
    suite = await KafkaSuite.open();
    await suite.startConsumers({
      app: 'signals',
      env: {
        SIGNALS_PORT: String(signalsPort),
        SIGNALS_GROUP: group,
        // The run's OTLP topics are its own and new: read them from their start.
        SIGNALS_START_AT: 'earliest',
        SIGNALS_OTLP_TRACES_TOPIC: tracesTopic,
        SIGNALS_OTLP_TRACES_ENCODING: 'otlp_proto',
        SIGNALS_OTLP_LOGS_TOPIC: logsTopic,
        SIGNALS_OTLP_LOGS_ENCODING: 'otlp_proto',
        LOG_LEVEL: 'warn',
      },
      port: signalsPort,
      groups: [group, `${group}.otlp`],
    });
    await suite.startApp('demo-shop', shopEnv('catalog-db', databasePort), databasePort);
    catalog = await suite.startApp('demo-shop', shopEnv('catalog', catalogPort), catalogPort);
  }, 180_000);

  afterAll(async () => {
    await suite.close();
  });

  it("turns the shop's SERVER and CLIENT spans into whole traces and its call graph, and its logs into log records", async () => {
    for (let i = 0; i < 5; i++) expect(await request(catalogPort, '/api/list')).toBe(200);

    const calls = await eventsOn(suite, Topics.spans, (c) => c.caller === `${prefix}catalog`);
    expect(calls[0]).toMatchObject({ callee: `${prefix}catalog-db`, status: 'ok' });
    expect(calls[0]?.traceId).toMatch(/^[0-9a-f]{32}$/);

    // one request is one trace: catalog-db's SERVER span is the child of catalog's CLIENT span
    const served = await eventsOn(suite, Topics.traces, (t) => t.service === `${prefix}catalog-db`);
    const sameTrace = await eventsOn(
      suite,
      Topics.traces,
      (t) => t.traceId === served[0]?.traceId && t.service === `${prefix}catalog`,
    );
    expect(sameTrace.map((t) => t.spanId)).toContain(served[0]?.parentSpanId);

    const logs = await eventsOn(suite, Topics.logs, (l) => l.service === `${prefix}catalog`);
    expect(logs[0]).toMatchObject({
      instance: `${prefix}catalog-${catalogPort}`,
      body: expect.stringContaining('started on port'),
    });
    expect(catalog.child.exitCode).toBeNull();
  }, 120_000);
});
