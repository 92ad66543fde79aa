import { z } from 'zod';
import { entityName, isoTime, schemaVersion1 } from './common';

/** Evidence that a service behaves unusually, on `vigil.anomalies.v1`. */
export const anomalySchema = z.object({
  schemaVersion: schemaVersion1,
  anomalyId: z.string().min(1).max(200),
  service: entityName,
  signal: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('metric'),
      metric: z.string().min(1),
      direction: z.enum(['up', 'down']),
    }),
    z.object({
      kind: z.literal('log'),
      templateId: z.string().min(1),
      template: z.string().max(4000),
      pattern: z.enum(['error-burst', 'new-template']),
    }),
  ]),
  score: z.number().finite().nonnegative(),
  onset: isoTime,
  window: z.object({ start: isoTime, end: isoTime }),
  detectedAt: isoTime,
});
export type Anomaly = z.infer<typeof anomalySchema>;
