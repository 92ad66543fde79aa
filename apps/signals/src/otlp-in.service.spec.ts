import { loadEnvConfig } from '@vigil/config';
import { Topics } from '@vigil/contracts';
import type { LoggerService } from '@nestjs/common';
import {
  type EventPublisher,
  type InMemoryKafka,
  inMemoryMessaging,
  quietLogger,
} from '@vigil/messaging';
import {
  logsPayload,
  ServiceLogger,
  ServiceTracer,
  SeverityNumber,
  SpanKind,
  tracePayload,
} from '@vigil/otlp/testing';
import { OtlpInService } from './otlp-in.service';
import { signalsEnv } from './signals.config';
import { brokerDown, failPublishes } from './testing/publish-failures';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');

/** Builds the service on Kafka in memory with the settings of `env`, and starts it. */
async function startService(
  env: Record<string, string> = {},
  logger = quietLogger,
  publishing: (publisher: EventPublisher) => void = () => undefined,
) {
  const settings = loadEnvConfig(signalsEnv, env, () => undefined);
  const messaging = inMemoryMessaging(settings, logger);
  publishing(messaging.publisher);
  const service = new OtlpInService(
    messaging.consumers,
    messaging.publisher,
    messaging.logger,
    settings,
    messaging.kafka.client,
  );
  await service.onApplicationBootstrap();
  return { kafka: messaging.kafka, service };
}

/** frontend calls cart; each service's spans are one Collector message. */
function frontendCallsCart() {
  const frontend = new ServiceTracer({ 'service.name': 'frontend' });
  const cart = new ServiceTracer({ 'service.name': 'cart' });
  const root = frontend.start('GET /', { kind: SpanKind.SERVER }, T0);
  const server = cart.start('GET /cart', { kind: SpanKind.SERVER, parent: root }, T0 + 1);
  server.end(T0 + 9);
  root.end(T0 + 10);
  return { frontend: frontend.finished(), cart: cart.finished() };
}

describe('OtlpInService (the Collector topics in, spans and logs out)', () => {
  let kafka: InMemoryKafka;
  let service: OtlpInService | undefined;

  afterEach(() => service?.onApplicationShutdown());

  it('reads otlp_proto traces from otlp_spans into spans on vigil.traces.v1 and calls on vigil.spans.v1', async () => {
    ({ kafka, service } = await startService());
    const { frontend, cart } = frontendCallsCart();

    await kafka.sendRaw('otlp_spans', [{ value: tracePayload(cart, 'otlp_proto') }]);
    await kafka.sendRaw('otlp_spans', [{ value: tracePayload(frontend, 'otlp_proto') }]);

    expect(kafka.published(Topics.spans)).toMatchObject([
      { caller: 'frontend', callee: 'cart', durationMs: 8, status: 'ok' },
    ]);
    const [root] = frontend;
    expect(kafka.published(Topics.traces)).toMatchObject([
      { service: 'cart', operation: 'GET /cart', parentSpanId: root.spanContext().spanId },
      { service: 'frontend', operation: 'GET /', durationMs: 10 },
    ]);
  });

  it('publishes the call once, and each trace span once, when publishing the call meets a broker error', async () => {
    ({ kafka, service } = await startService({}, quietLogger, (publisher) =>
      failPublishes(publisher, Topics.spans, (call) => (call === 0 ? brokerDown() : undefined)),
    ));
    const { frontend, cart } = frontendCallsCart();

    await kafka.sendRaw('otlp_spans', [{ value: tracePayload(cart, 'otlp_proto') }]);
    // frontend's span completes the call that cart's waited for: its publish fails once
    await kafka.sendRaw('otlp_spans', [{ value: tracePayload(frontend, 'otlp_proto') }]);

    expect(kafka.published(Topics.spans)).toMatchObject([
      { caller: 'frontend', callee: 'cart', durationMs: 8, status: 'ok' },
    ]);
    expect(kafka.published(Topics.traces)).toMatchObject([
      { service: 'cart', operation: 'GET /cart' },
      { service: 'frontend', operation: 'GET /' },
    ]);
    expect(kafka.published(Topics.dlq)).toEqual([]);
  });

  it('parks a message whose output breaks its topic contract at once, with the reason', async () => {
    ({ kafka, service } = await startService({}, quietLogger, (publisher) =>
      failPublishes(
        publisher,
        Topics.spans,
        (_, [call]) => Topics.spans.schema.safeParse({ ...(call as object), durationMs: -1 }).error,
      ),
    ));
    const { frontend, cart } = frontendCallsCart();

    await kafka.sendRaw('otlp_spans', [{ value: tracePayload(cart, 'otlp_proto') }]);
    await kafka.sendRaw('otlp_spans', [{ value: tracePayload(frontend, 'otlp_proto') }]);

    expect(kafka.published(Topics.spans)).toEqual([]);
    expect(kafka.published(Topics.dlq)).toMatchObject([
      {
        originalTopic: 'otlp_spans',
        offset: '1',
        attempts: 1,
        reason: expect.stringMatching(
          /^handler refused: output breaks vigil\.spans\.v1: durationMs: /,
        ),
      },
    ]);
  });

  it('reads the configured topic and encoding, and parks what is not OTLP on the DLQ', async () => {
    ({ kafka, service } = await startService({
      SIGNALS_OTLP_LOGS_TOPIC: 'collector-logs',
      SIGNALS_OTLP_LOGS_ENCODING: 'otlp_json',
    }));
    const logger = new ServiceLogger({ 'service.name': 'payment' });
    logger.emit({ body: 'card declined', severityNumber: SeverityNumber.ERROR });

    await kafka.sendRaw('collector-logs', [
      { value: logsPayload(logger.finished(), 'otlp_json') },
      { value: logsPayload(logger.finished(), 'otlp_proto') },
    ]);

    expect(kafka.published(Topics.logs)).toMatchObject([
      { service: 'payment', level: 'error', body: 'card declined' },
    ]);
    expect(kafka.published(Topics.dlq)).toMatchObject([
      {
        originalTopic: 'collector-logs',
        offset: '1',
        errorKind: 'schema-violation',
        reason: expect.stringContaining('not otlp_json: ExportLogsServiceRequest: not JSON'),
      },
    ]);
  });

  it('drops a span dated past 9999 with a warning, and publishes the rest of its message', async () => {
    const warnings: unknown[] = [];
    const logger: LoggerService = { ...quietLogger, warn: (message) => warnings.push(message) };
    ({ kafka, service } = await startService(
      { SIGNALS_OTLP_TRACES_ENCODING: 'otlp_json' },
      logger,
    ));
    const { frontend, cart } = frontendCallsCart();
    const request = JSON.parse(tracePayload([...cart, ...frontend], 'otlp_json').toString('utf8'));
    // 10^23 ns: past what a JS Date holds (8.64e21 ns)
    for (const resourceSpans of request.resourceSpans)
      for (const span of resourceSpans.scopeSpans[0].spans)
        if (span.name === 'GET /cart') span.startTimeUnixNano = '100000000000000000000000';

    await kafka.sendRaw('otlp_spans', [{ value: Buffer.from(JSON.stringify(request)) }]);

    expect(kafka.published(Topics.traces)).toMatchObject([
      { service: 'frontend', operation: 'GET /', durationMs: 10 },
    ]);
    expect(kafka.published(Topics.dlq)).toEqual([]);
    expect(warnings).toEqual([
      expect.objectContaining({
        msg: 'OTLP records dropped',
        topic: 'otlp_spans',
        offset: '0',
        dropped: 1,
        reasons: [expect.stringMatching(/"GET \/cart" .*its start time is past 9999-12-31/)],
      }),
    ]);
  });

  it('reads nothing when SIGNALS_OTLP_IN is false', async () => {
    ({ kafka, service } = await startService({ SIGNALS_OTLP_IN: 'false' }));
    await kafka.sendRaw('otlp_spans', [{ value: Buffer.from('not otlp') }]);
    expect(kafka.published(Topics.dlq)).toEqual([]);
  });
});
