import {
  normalizeAlertmanagerWebhook,
  normalizeGenericAlerts,
  type NormalizationOptions,
} from '@vigil/alert-normalization';
import {
  type Alert,
  alertmanagerWebhookSchema,
  describeIssues,
  genericAlertBatchSchema,
  genericAlertSchema,
} from '@vigil/contracts';
import type { z } from 'zod';
import { IngestRejection } from './ingest-rejection';

export type AlertSourceKind = 'alertmanager' | 'generic';

export interface DecodedAlerts {
  alerts: Alert[];
  /** Things the sender should know that do not make the payload wrong. */
  warnings: string[];
}

/**
 * Turns one parsed JSON body into contract alerts. `count` reads the number of alerts before
 * validation, so an oversized batch is refused without validating (and describing) every element.
 */
export interface AlertPayloadDecoder {
  count(json: unknown): number;
  decode(json: unknown, options: NormalizationOptions): DecodedAlerts;
}

function schemaViolation(error: z.ZodError, what: string): IngestRejection {
  return new IngestRejection(
    400,
    'schema-violation',
    `${what}: ${describeIssues(error)}`,
    {},
    error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

function parseWith<S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw schemaViolation(parsed.error, what);
  return parsed.data;
}

const alertmanagerDecoder: AlertPayloadDecoder = {
  count: (json) => {
    const alerts = (json as { alerts?: unknown } | null)?.alerts;
    return Array.isArray(alerts) ? alerts.length : 0;
  },
  decode: (json, options) => {
    const webhook = parseWith(
      alertmanagerWebhookSchema,
      json,
      'not an Alertmanager webhook payload (version 4)',
    );
    const warnings =
      webhook.truncatedAlerts > 0
        ? [
            `Alertmanager left out ${webhook.truncatedAlerts} alerts of group ${webhook.groupKey} (max_alerts of the webhook config)`,
          ]
        : [];
    return { alerts: normalizeAlertmanagerWebhook(webhook, options), warnings };
  },
};

const genericDecoder: AlertPayloadDecoder = {
  count: (json) => (Array.isArray(json) ? json.length : 1),
  decode: (json, options) => {
    const batch = Array.isArray(json);
    const inputs = batch
      ? parseWith(genericAlertBatchSchema, json, 'not an array of alerts')
      : [parseWith(genericAlertSchema, json, 'not an alert')];
    const result = normalizeGenericAlerts(inputs, options);
    if (result.ok) return { alerts: result.alerts, warnings: [] };
    const issues = result.problems.map((p) => ({
      // Same paths as the schema's: "3.severity" in a batch, "severity" for a single alert.
      path: batch ? `${p.index}.${p.field}` : p.field,
      message: p.message,
    }));
    throw new IngestRejection(
      400,
      'schema-violation',
      issues.map((i) => `${i.path}: ${i.message}`).join('; '),
      {},
      issues,
    );
  },
};

export const alertPayloadDecoders: Readonly<Record<AlertSourceKind, AlertPayloadDecoder>> = {
  alertmanager: alertmanagerDecoder,
  generic: genericDecoder,
};
