import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One registry per process; every app exposes it on GET /metrics. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'vigil_' });

export const messagesConsumed = new Counter({
  name: 'vigil_messages_consumed_total',
  help: 'Kafka messages handled, by topic and outcome (ok, dlq, retried)',
  labelNames: ['topic', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const messagesPublished = new Counter({
  name: 'vigil_messages_published_total',
  help: 'Kafka messages published, by topic',
  labelNames: ['topic'] as const,
  registers: [metricsRegistry],
});

export const handlerDuration = new Histogram({
  name: 'vigil_message_handler_seconds',
  help: 'Time spent handling one Kafka message, by topic',
  labelNames: ['topic'] as const,
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  registers: [metricsRegistry],
});
