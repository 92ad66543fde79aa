import { z } from 'zod';
import { entityName, isoTime, schemaVersion1, stringMap } from './common';

export const metricSampleSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus-style metric name'),
  value: z.number().finite(),
  labels: stringMap.default({}),
  time: isoTime,
});

/** Metric samples of one service on `vigil.metrics.v1`; batched because samples arrive by the hundred. */
export const metricBatchSchema = z.object({
  schemaVersion: schemaVersion1,
  service: entityName,
  instance: entityName.optional(),
  samples: z.array(metricSampleSchema).min(1).max(10_000),
  /**
   * The instance stops reporting on purpose (a graceful stop, a scale-down): its series end with
   * this batch, as Prometheus ends a vanished target's series with staleness markers. Without it
   * silence means the instance died.
   */
  final: z.boolean().optional(),
});
export type MetricSample = z.infer<typeof metricSampleSchema>;
export type MetricBatch = z.infer<typeof metricBatchSchema>;
