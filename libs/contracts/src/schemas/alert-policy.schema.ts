import { z } from 'zod';
import { isoTime, schemaVersion1 } from './common';

/**
 * One label matcher in Alertmanager's sense: `=`, `!=`, `=~` and `!~`. A regex is anchored at both
 * ends, as Alertmanager anchors it. libs/alert-policy parses the text form and checks the regex.
 */
export const labelMatcherSchema = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a label name: letters, digits and _, not first a digit'),
  op: z.enum(['=', '!=', '=~', '!~']),
  value: z.string().max(1000),
});

const matcherList = z.array(labelMatcherSchema).min(1).max(50);
const policyId = z.string().min(1).max(200);

/** Alertmanager's silence: matching alerts neither open nor extend an incident while it lasts. */
export const silenceSchema = z.object({
  id: policyId,
  matchers: matcherList,
  startsAt: isoTime,
  endsAt: isoTime,
  createdBy: z.string().min(1).max(200),
  comment: z.string().max(2000),
});

export const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/** When a maintenance window is on: once, or every week on some days at a local time. */
export const maintenanceScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), startsAt: isoTime, endsAt: isoTime }),
  z.object({
    kind: z.literal('weekly'),
    days: z.array(weekday).min(1).max(7),
    /** Local wall-clock time in `timeZone`, HH:MM. */
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour'),
    /** Elapsed time, so a window over a DST change lasts as long as any other. */
    durationMs: z
      .number()
      .int()
      .positive()
      .max(7 * 24 * 3_600_000),
    /** An IANA time zone, e.g. Europe/Berlin. */
    timeZone: z.string().min(1).max(100),
    /** The recurrence holds from this instant, if given. */
    from: isoTime.optional(),
    /** And until this one. */
    until: isoTime.optional(),
  }),
]);

/**
 * Planned work: matching alerts are annotated and, in `suppress` mode, open no incident; in
 * `open-no-remediate` mode the incident opens but no plan is drafted for it.
 */
export const maintenanceWindowSchema = z.object({
  id: policyId,
  matchers: matcherList,
  schedule: maintenanceScheduleSchema,
  mode: z.enum(['suppress', 'open-no-remediate']),
  createdBy: z.string().min(1).max(200),
  comment: z.string().max(2000),
});

/** Alertmanager's inhibit rule: a firing source alert mutes the targets that share `equal` labels. */
export const inhibitionRuleSchema = z.object({
  sourceMatchers: z.array(labelMatcherSchema).max(50),
  targetMatchers: z.array(labelMatcherSchema).max(50),
  equal: z.array(z.string().min(1).max(200)).max(50),
});

const base = {
  schemaVersion: schemaVersion1,
  eventId: z.string().min(1).max(300),
  at: isoTime,
  /** Who made the change (a stable key; `displayName` is only shown) and through what. */
  by: z.object({
    user: z.string().min(1).max(200),
    displayName: z.string().min(1).max(200).optional(),
  }),
  via: z.enum(['console', 'slack', 'cli', 'api', 'import']),
};

/** The key of the inhibition rules' events: there is one rule set. */
export const inhibitionRulesKey = 'inhibition-rules';

/** Every change to silences, maintenance windows and inhibition rules, on `vigil.alert-policy.v1`. */
export const alertPolicyEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('silence.created'), silence: silenceSchema }),
  z.object({ ...base, type: z.literal('silence.updated'), silence: silenceSchema }),
  z.object({ ...base, type: z.literal('silence.expired'), silenceId: policyId }),
  z.object({ ...base, type: z.literal('maintenance.created'), window: maintenanceWindowSchema }),
  z.object({ ...base, type: z.literal('maintenance.updated'), window: maintenanceWindowSchema }),
  z.object({ ...base, type: z.literal('maintenance.expired'), windowId: policyId }),
  /** The whole rule set at once, replacing the last (from Alertmanager's YAML). */
  z.object({
    ...base,
    type: z.literal('inhibition.replaced'),
    rules: z.array(inhibitionRuleSchema).max(500),
  }),
]);

/** The Kafka key: the silence's or window's id, so each one's history stays in order. */
export function alertPolicyEventKey(event: AlertPolicyEvent): string {
  switch (event.type) {
    case 'silence.created':
    case 'silence.updated':
      return event.silence.id;
    case 'silence.expired':
      return event.silenceId;
    case 'maintenance.created':
    case 'maintenance.updated':
      return event.window.id;
    case 'maintenance.expired':
      return event.windowId;
    case 'inhibition.replaced':
      return inhibitionRulesKey;
  }
}

export type LabelMatcher = z.infer<typeof labelMatcherSchema>;
export type Silence = z.infer<typeof silenceSchema>;
export type Weekday = z.infer<typeof weekday>;
export type MaintenanceSchedule = z.infer<typeof maintenanceScheduleSchema>;
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;
export type InhibitionRule = z.infer<typeof inhibitionRuleSchema>;
export type AlertPolicyEvent = z.infer<typeof alertPolicyEventSchema>;
