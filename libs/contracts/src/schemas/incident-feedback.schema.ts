import { z } from 'zod';
import { entityName, isoTime, schemaVersion1 } from './common';
import { vigilRole } from './remediation.schema';

const incidentId = z.string().min(1).max(200);
const fingerprint = z.string().min(1).max(200);

/**
 * An alert as the person saw it when they corrected the grouping: its kind (service and
 * alertname) is what the correlator learns from, so the event still teaches after the correlator
 * has forgotten these alerts.
 */
export const feedbackAlertSchema = z.object({
  fingerprint,
  alertname: z.string().min(1).max(500),
  service: entityName,
  /** The incident it was in when the person acted. */
  incidentId,
});

const base = {
  schemaVersion: schemaVersion1,
  feedbackId: z.string().min(1).max(300),
  /** The incident the person acted on: the one that stays (merge) or the one split (split). */
  incidentId,
  /** `user` is a stable key (see remediation decisions); `displayName` is only shown. */
  by: z.object({
    user: z.string().min(1).max(200),
    role: vigilRole,
    displayName: z.string().min(1).max(200).optional(),
  }),
  via: z.enum(['console', 'slack', 'api']),
  at: isoTime,
  note: z.string().max(2000).optional(),
  /**
   * The alerts of the incidents involved, as people saw them (those whose details they saw), in
   * the order they joined: the first of each incident is the one that opened it.
   */
  alerts: z.array(feedbackAlertSchema).max(2000),
};

/**
 * People's corrections of the correlator's grouping, on `vigil.incident-feedback.v1`:
 * - `merge`: the incidents in `mergedIncidentIds` belong to `incidentId`; their alerts move there,
 *   and alerts of these kinds join each other later;
 * - `split`: the alerts in `fingerprints` are another incident than the rest of `incidentId`; they
 *   move to `newIncidentId`, and alerts of these kinds stay apart later.
 * The correlator applies both to its live incidents and learns from them (the topic is kept for
 * ever: it is the memory).
 */
export const incidentFeedbackSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('merge'),
    mergedIncidentIds: z.array(incidentId).min(1).max(20),
  }),
  z.object({
    ...base,
    type: z.literal('split'),
    fingerprints: z.array(fingerprint).min(1).max(1000),
    newIncidentId: incidentId,
  }),
]);
export type FeedbackAlert = z.infer<typeof feedbackAlertSchema>;
export type IncidentFeedback = z.infer<typeof incidentFeedbackSchema>;
