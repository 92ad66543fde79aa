import { z } from 'zod';
import { entityName, isoTime, schemaVersion1, stringMap } from './common';

export const alertSeverity = z.enum(['critical', 'error', 'warning', 'info']);
export const alertStatus = z.enum(['firing', 'resolved']);

/** A normalized alert on `vigil.alerts.raw.v1`, whatever its source (Alertmanager, generic JSON, Kafka producers). */
export const alertSchema = z.object({
  schemaVersion: schemaVersion1,
  fingerprint: z.string().min(1).max(128),
  source: z.string().min(1).max(100),
  status: alertStatus,
  alertname: z.string().min(1).max(300),
  severity: alertSeverity,
  service: entityName,
  summary: z.string().max(2000).optional(),
  description: z.string().max(8000).optional(),
  labels: stringMap,
  annotations: stringMap,
  startsAt: isoTime,
  endsAt: isoTime.optional(),
  receivedAt: isoTime,
  generatorUrl: z.string().max(2000).optional(),
});
export type Alert = z.infer<typeof alertSchema>;
export type AlertSeverity = z.infer<typeof alertSeverity>;
