import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { decodeOtlpLogs, decodeOtlpTraces } from '@vigil/otlp';
import { ServiceLogger, ServiceTracer, SeverityNumber, SpanKind } from '@vigil/otlp/testing';
import {
  KafkaOtlpLogExporter,
  KafkaOtlpSpanExporter,
  type OtlpRecordSender,
} from './kafka-otlp-exporter';

type Sent = Parameters<OtlpRecordSender['send']>[0];

/** A producer that keeps what it is sent, or refuses with `failure`. */
function recordingProducer(failure?: Error) {
  const sent: Sent[] = [];
  const producer: OtlpRecordSender = {
    send: async (record) => {
      if (failure) throw failure;
      sent.push(record);
    },
  };
  return { sent, producer };
}

/** The result the SDK would be told. */
function exported(run: (done: (result: ExportResult) => void) => void): Promise<ExportResult> {
  return new Promise((resolve) => run(resolve));
}

/** Two traces of the cart service: a request with a child, and a lone span. */
function cartSpans() {
  const cart = new ServiceTracer({ 'service.name': 'cart' });
  const root = cart.start('GET /cart', { kind: SpanKind.SERVER });
  cart.start('load', { parent: root }).end();
  root.end();
  cart.start('refresh').end();
  return cart.finished();
}

describe('KafkaOtlpSpanExporter', () => {
  it('writes one otlp_proto request per trace on otlp_spans, keyed by the trace id', async () => {
    const { sent, producer } = recordingProducer();
    const spans = cartSpans();

    const result = await exported((done) =>
      new KafkaOtlpSpanExporter({ producer }).export(spans, done),
    );

    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.topic).toBe('otlp_spans');
    const messages = sent[0]?.messages ?? [];
    expect(messages).toHaveLength(2);
    for (const { key, value } of messages) {
      const decoded = decodeOtlpTraces(value, 'otlp_proto');
      expect(decoded.every((s) => s.traceId === key && s.resource.serviceName === 'cart')).toBe(
        true,
      );
    }
    expect(messages.map((m) => decodeOtlpTraces(m.value, 'otlp_proto').length).sort()).toEqual([
      1, 2,
    ]);
  });

  it('writes otlp_json to the topic it is given', async () => {
    const { sent, producer } = recordingProducer();
    const exporter = new KafkaOtlpSpanExporter({
      producer,
      topic: 'traces',
      encoding: 'otlp_json',
    });
    await exported((done) => exporter.export(cartSpans(), done));
    expect(sent[0]?.topic).toBe('traces');
    expect(
      decodeOtlpTraces(sent[0]?.messages[0]?.value ?? Buffer.alloc(0), 'otlp_json'),
    ).not.toEqual([]);
  });

  it('tells the SDK when Kafka refuses, and sends nothing once shut down', async () => {
    const refused = recordingProducer(new Error('broker down'));
    const failed = await exported((done) =>
      new KafkaOtlpSpanExporter({ producer: refused.producer }).export(cartSpans(), done),
    );
    expect(failed).toMatchObject({
      code: ExportResultCode.FAILED,
      error: { message: 'broker down' },
    });

    const { sent, producer } = recordingProducer();
    const exporter = new KafkaOtlpSpanExporter({ producer });
    await exporter.shutdown();
    const late = await exported((done) => exporter.export(cartSpans(), done));
    expect(late.code).toBe(ExportResultCode.FAILED);
    expect(sent).toEqual([]);
  });
});

describe('KafkaOtlpLogExporter', () => {
  it('writes one otlp_proto request per export on otlp_logs', async () => {
    const { sent, producer } = recordingProducer();
    const logger = new ServiceLogger({ 'service.name': 'payment' });
    logger.emit({ body: 'card declined', severityNumber: SeverityNumber.ERROR });
    logger.emit({ body: 'retrying', severityNumber: SeverityNumber.WARN });

    const result = await exported((done) =>
      new KafkaOtlpLogExporter({ producer }).export(logger.finished(), done),
    );

    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(sent.map((s) => s.topic)).toEqual(['otlp_logs']);
    const decoded = decodeOtlpLogs(sent[0]?.messages[0]?.value ?? Buffer.alloc(0), 'otlp_proto');
    expect(decoded.map((l) => [l.resource.serviceName, l.body])).toEqual([
      ['payment', 'card declined'],
      ['payment', 'retrying'],
    ]);
  });
});
