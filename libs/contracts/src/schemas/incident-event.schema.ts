import { z } from 'zod';
import { alertSeverity } from './alert.schema';
import { entityName, isoTime, schemaVersion1 } from './common';

/** Why an alert joined an incident: shown to people, so it carries the evidence. */
export const attachReasonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('first-alert') }),
  z.object({ kind: z.literal('same-fingerprint') }),
  z.object({ kind: z.literal('similar-text'), score: z.number(), similarTo: z.string() }),
  z.object({
    kind: z.literal('topology-neighbour'),
    /** 0 when the alert is on a service the incident already has. */
    hops: z.number().int().nonnegative(),
    via: z.array(entityName),
  }),
  /** People split it out of `fromIncidentId` (feedback `feedbackId` on vigil.incident-feedback.v1). */
  z.object({
    kind: z.literal('split-by-people'),
    fromIncidentId: z.string().min(1),
    feedbackId: z.string().min(1),
  }),
  /**
   * People merged alerts of these kinds (service and alertname) before: `kinds` is the alert's
   * kind and the incident's kind it was merged with, `feedbackId` the correction that taught it.
   */
  z.object({
    kind: z.literal('learned-from-people'),
    kinds: z.array(z.string()).length(2),
    feedbackId: z.string().min(1),
  }),
]);

export const incidentSummarySchema = z.object({
  title: z.string().min(1).max(500),
  severity: alertSeverity,
  status: z.enum(['open', 'resolved']),
  services: z.array(entityName),
  alertCount: z.number().int().nonnegative(),
  openedAt: isoTime,
  updatedAt: isoTime,
});

/** What people need to see of the alert that joined, so readers need not replay the alert topic. */
export const attachedAlertSchema = z.object({
  alertname: z.string().min(1).max(500),
  service: entityName,
  severity: alertSeverity,
  summary: z.string().max(2000).optional(),
  startsAt: isoTime,
  /** It fired and resolved over and over lately (a flapping rule): one threshold to fix, not new trouble. */
  flapping: z.boolean().optional(),
});

/**
 * Why an incident resolved: every alert sent its resolve, or the last ones were not refreshed by
 * their own `endsAt` (expired) or within their source's resolve timeout, or the incident reached
 * its maximum age (what still fires then starts a new incident).
 */
export const incidentEndReasonSchema = z.enum([
  'resolved',
  'expired',
  'resolve-timeout',
  'max-age',
]);

/**
 * The alert that opened or joined the incident is under a maintenance window in
 * `open-no-remediate` mode: people see the incident, but no plan is drafted for it.
 */
export const remediationHoldSchema = z.object({
  maintenanceWindowId: z.string().min(1).max(200),
});

const base = {
  schemaVersion: schemaVersion1,
  eventId: z.string().min(1),
  incidentId: z.string().min(1),
  at: isoTime,
  incident: incidentSummarySchema,
};

/** Incident lifecycle on `vigil.incidents.v1`. */
export const incidentEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('opened'),
    fingerprint: z.string(),
    reason: attachReasonSchema,
    alert: attachedAlertSchema.optional(),
    remediationHold: remediationHoldSchema.optional(),
  }),
  z.object({
    ...base,
    type: z.literal('alert-attached'),
    fingerprint: z.string(),
    reason: attachReasonSchema,
    alert: attachedAlertSchema.optional(),
    remediationHold: remediationHoldSchema.optional(),
  }),
  z.object({ ...base, type: z.literal('merged'), mergedIncidentId: z.string().min(1) }),
  z.object({ ...base, type: z.literal('resolved'), reason: incidentEndReasonSchema.optional() }),
]);
export type RemediationHold = z.infer<typeof remediationHoldSchema>;
export type AttachedAlert = z.infer<typeof attachedAlertSchema>;
export type IncidentEndReason = z.infer<typeof incidentEndReasonSchema>;
export type AttachReason = z.infer<typeof attachReasonSchema>;
export type IncidentSummary = z.infer<typeof incidentSummarySchema>;
export type IncidentEvent = z.infer<typeof incidentEventSchema>;
