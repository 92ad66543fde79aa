import { z } from 'zod';
import { alertStatus } from './alert.schema';
import { isoTime, stringMap } from './common';

/**
 * One alert of an Alertmanager webhook notification. Times are RFC 3339 with up to nanosecond
 * precision; Alertmanager writes Go's zero time ("0001-01-01T00:00:00Z") for an unknown end.
 */
export const alertmanagerAlertSchema = z.object({
  status: alertStatus,
  labels: stringMap,
  annotations: stringMap.default({}),
  startsAt: isoTime,
  endsAt: isoTime.optional(),
  generatorURL: z.string().default(''),
  fingerprint: z.string().max(128).default(''),
});

/**
 * The body Alertmanager POSTs to a `webhook_configs` receiver (payload version "4", unchanged
 * since Alertmanager 0.7). Unknown fields are ignored, so a newer Alertmanager that adds fields
 * still gets through; the version is checked so a changed format is refused, not misread.
 */
export const alertmanagerWebhookSchema = z.object({
  version: z.literal('4', { error: 'expected "4" (the Alertmanager webhook payload version)' }),
  groupKey: z.string().default(''),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: alertStatus.optional(),
  receiver: z.string().default(''),
  groupLabels: stringMap.default({}),
  commonLabels: stringMap.default({}),
  commonAnnotations: stringMap.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(alertmanagerAlertSchema),
});
export type AlertmanagerAlert = z.output<typeof alertmanagerAlertSchema>;
export type AlertmanagerWebhook = z.output<typeof alertmanagerWebhookSchema>;
