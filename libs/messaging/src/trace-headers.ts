import { context, propagation, type Context, type TextMapGetter } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

const headerGetter: TextMapGetter<IHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** W3C trace context (traceparent, tracestate, baggage) of the active span, as Kafka headers. */
export function traceHeaders(active: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier;
}

/** The context a producer sent along, to continue its trace while handling the message. */
export function contextFromHeaders(headers: IHeaders | undefined): Context {
  return propagation.extract(context.active(), headers ?? {}, headerGetter);
}

export function headersAsStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(headers ?? {})) {
    const value = headerGetter.get(headers ?? {}, key);
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
