import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { contextFromHeaders, traceHeaders } from './trace-headers';

describe('trace context in Kafka headers', () => {
  beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  afterAll(() => propagation.disable());

  it('carries the producer span across as a W3C traceparent header', () => {
    const spanContext = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
    };
    const headers = traceHeaders(trace.setSpanContext(context.active(), spanContext));
    expect(headers.traceparent).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');

    const kafkaHeaders = { traceparent: Buffer.from(headers.traceparent) };
    const continued = trace.getSpanContext(contextFromHeaders(kafkaHeaders));
    expect(continued).toMatchObject({
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
      isRemote: true,
    });
  });

  it('starts no trace from messages without headers', () => {
    expect(trace.getSpanContext(contextFromHeaders(undefined))).toBeUndefined();
  });
});
