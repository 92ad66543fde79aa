import type { KafkaMessage } from 'kafkajs';
import {
  decodeEvent,
  ForeignTopics,
  Topics,
  type DlqRecord,
  type TopicDefinition,
} from '@vigil/contracts';
import { readDeadLetters } from '@vigil/messaging';
import {
  logsPayload,
  ServiceLogger,
  ServiceTracer,
  SeverityNumber,
  SpanKind,
  SpanStatusCode,
  tracePayload,
} from '@vigil/otlp/testing';
import { otlpLogsPayload, otlpTopic, otlpTracesPayload } from '@vigil/otlp';
import type { z } from 'zod';
import { collectFromTopic } from '../support/kafka-test-kit';
import { KafkaSuite, newRunId } from '../support/kafka-suite';
import { waitFor } from '../support/wait-for';

const port = 3951;
const runId = newRunId();
// Topics and groups of this run only: nothing of the demo's or another run's is read or parked.
const tracesTopic = otlpTopic(
  ForeignTopics.otlpSpans,
  `vigil-test-otlp-spans-${runId}`,
  otlpTracesPayload('otlp_proto'),
);
const logsTopic = otlpTopic(
  ForeignTopics.otlpLogs,
  `vigil-test-otlp-logs-${runId}`,
  otlpLogsPayload('otlp_json'),
);
const group = `vigil-test-otlp-${runId}`;
const service = (name: string) => `o${runId}-${name}`;

/** The events on a Vigil topic that `keep` picks, once `count` of them are there. */
async function eventsOn<S extends z.ZodType>(
  topic: TopicDefinition<S>,
  keep: (event: z.output<S>) => boolean,
  count: number,
  suite: KafkaSuite,
): Promise<Array<z.output<S>>> {
  const decode = (message: KafkaMessage) => decodeEvent(topic, message.value);
  const pick = (message: KafkaMessage) => {
    const decoded = decode(message);
    return decoded.ok && keep(decoded.value);
  };
  const messages = await collectFromTopic(suite.kafka, topic.name, pick, (m) => m.length >= count);
  return messages.flatMap((m) => {
    const decoded = decode(m);
    return decoded.ok ? [decoded.value] : [];
  });
}

describe("OTLP in: the Collector's Kafka exporter topics into Vigil's spans and logs", () => {
  let suite: KafkaSuite;

  beforeAll(async () => {
    suite = await KafkaSuite.open();
    await suite.startConsumers({
      app: 'signals',
      env: {
        SIGNALS_PORT: String(port),
        SIGNALS_GROUP: group,
        // The run's OTLP topics are new and its own: its group reads them from their start. The
        // detectors' group has its offsets put at the end of their topics first, as usual.
        SIGNALS_START_AT: 'earliest',
        SIGNALS_OTLP_TRACES_TOPIC: tracesTopic.name,
        SIGNALS_OTLP_TRACES_ENCODING: 'otlp_proto',
        SIGNALS_OTLP_LOGS_TOPIC: logsTopic.name,
        SIGNALS_OTLP_LOGS_ENCODING: 'otlp_json',
        LOG_LEVEL: 'warn',
      },
      port,
      groups: [group, `${group}.otlp`],
      topics: [Topics.metrics, Topics.logs],
    });
  });

  afterAll(() => suite?.close());

  it('turns otlp_proto traces, otlp_json logs into trace spans, call spans and log records, and parks malformed OTLP', async () => {
    // frontend calls cart (cart fails the call) and payment (a CLIENT span naming its peer)
    const frontend = new ServiceTracer({ 'service.name': service('frontend') });
    const cart = new ServiceTracer({ 'service.name': service('cart') });
    const root = frontend.start('GET /checkout', { kind: SpanKind.SERVER });
    const cartServer = cart.start('GET /cart', { kind: SpanKind.SERVER, parent: root });
    cartServer.setStatus({ code: SpanStatusCode.ERROR });
    cartServer.end();
    const pay = frontend.start('POST', {
      kind: SpanKind.CLIENT,
      parent: root,
      attributes: { 'peer.service': service('payment') },
    });
    pay.end();
    root.end();
    const logger = new ServiceLogger({ 'service.name': service('payment') });
    logger.emit({ body: 'card declined', severityNumber: SeverityNumber.ERROR });

    const key = root.spanContext().traceId; // as partition_traces_by_id keys them
    await suite.publisher.sendRaw(tracesTopic.name, [
      { key, value: tracePayload(cart.finished(), 'otlp_proto') },
      { key, value: Buffer.from('not otlp at all') },
      { key, value: tracePayload(frontend.finished(), 'otlp_proto') },
    ]);
    await suite.publisher.sendRaw(logsTopic.name, [
      { value: logsPayload(logger.finished(), 'otlp_json') },
    ]);

    const calls = await eventsOn(Topics.spans, (c) => c.caller === service('frontend'), 2, suite);
    expect(calls.map(({ callee, status }) => ({ callee, status }))).toEqual(
      expect.arrayContaining([
        { callee: service('cart'), status: 'error' },
        { callee: service('payment'), status: 'ok' },
      ]),
    );
    // every span, with its parent, for RCA's whole traces
    const traced = await eventsOn(Topics.traces, (t) => t.traceId === key, 3, suite);
    expect(traced).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: service('frontend'), operation: 'GET /checkout' }),
        expect.objectContaining({
          service: service('cart'),
          parentSpanId: root.spanContext().spanId,
          status: 'error',
        }),
        expect.objectContaining({ service: service('frontend'), operation: 'POST' }),
      ]),
    );
    const logs = await eventsOn(Topics.logs, (l) => l.service === service('payment'), 1, suite);
    expect(logs[0]).toMatchObject({ level: 'error', body: 'card declined' });

    let parked: DlqRecord[] = [];
    await waitFor('the malformed message on the DLQ', async () => {
      parked = (await readDeadLetters(suite.kafka)).flatMap((s) =>
        s.record?.originalTopic === tracesTopic.name ? [s.record] : [],
      );
      return parked.length > 0;
    });
    expect(parked).toEqual([
      expect.objectContaining({
        consumerGroup: `${group}.otlp`,
        errorKind: 'schema-violation',
        reason: expect.stringMatching(/not otlp_proto: ExportTraceServiceRequest: .*wire type/),
        valueBase64: Buffer.from('not otlp at all').toString('base64'),
      }),
    ]);
  });
});
