import { z } from 'zod';
import { alertStatus } from './alert.schema';
import { isoTime } from './common';

/** Producers write numbers and booleans as label values; they are kept as their JSON text. */
const scalarText = z.preprocess(
  (value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
  z.string({ error: 'expected a string, number or boolean' }),
);
const looseStringMap = z.record(z.string(), scalarText).default({});

const genericAlertFields = {
  /** The alert's identity name; `title` or `labels.alertname` stand in for it when absent. */
  alertname: z.string().trim().min(1).optional(),
  /** A human title; used as the name when there is no alertname, and as the summary otherwise. */
  title: z.string().trim().min(1).optional(),
  /** Wins over the service labels; cleaned to a plain entity name (spaces become "-"). */
  service: z.string().trim().min(1).optional(),
  /** critical/page/high, error/major, warning/warn/minor, info/low/none, any case. */
  severity: z.string().trim().min(1).max(50).optional(),
  status: z.string().trim().toLowerCase().pipe(alertStatus).default('firing'),
  labels: looseStringMap,
  annotations: looseStringMap,
  summary: z.string().optional(),
  description: z.string().optional(),
  /** When the problem began; the time of receipt when absent. */
  startsAt: isoTime.optional(),
  /** When it ended; only meaningful with status "resolved" (the time of receipt when absent). */
  endsAt: isoTime.optional(),
  /** Stable id of the alert across firing/resolved; derived from the labels when absent. */
  fingerprint: z.string().trim().min(1).max(128).optional(),
  /** Who sent it (a tool or team name); "generic" when absent. */
  source: z.string().trim().min(1).max(100).optional(),
  generatorUrl: z.string().max(2000).optional(),
  generatorURL: z.string().max(2000).optional(),
};

/**
 * One alert as producers POST it to `/api/v1/alerts` (alone or in an array). Forgiving about
 * what may be left out; unknown fields are refused with their names rather than dropped unseen.
 */
export const genericAlertSchema = z
  .strictObject(genericAlertFields, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}; put extra data in labels or annotations`
        : undefined,
  })
  .refine((alert) => Boolean(alert.alertname || alert.title || alert.labels.alertname), {
    message: 'an alert needs a name: set alertname, title or labels.alertname',
    path: ['alertname'],
  });

/**
 * A batch. Check Array.isArray before choosing this or `genericAlertSchema`: a union of the two
 * would report only "invalid input" at the root instead of the field that is wrong.
 */
export const genericAlertBatchSchema = z.array(genericAlertSchema);

export type GenericAlert = z.output<typeof genericAlertSchema>;
