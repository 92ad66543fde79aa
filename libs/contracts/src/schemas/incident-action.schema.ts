import { z } from 'zod';
import { isoTime, schemaVersion1 } from './common';
import { vigilRole } from './remediation.schema';

/**
 * What a person did to an incident, from the console, Slack or the API, on
 * `vigil.incident-actions.v1`: acknowledging says someone is on it; resolving closes it for people
 * (the correlator still opens a new incident if the alerts come back).
 */
export const incidentActionSchema = z.object({
  schemaVersion: schemaVersion1,
  actionId: z.string().min(1).max(300),
  incidentId: z.string().min(1),
  action: z.enum(['acknowledge', 'resolve']),
  /** `user` is a stable key (see remediation decisions); `displayName` is only shown. */
  by: z.object({
    user: z.string().min(1).max(200),
    role: vigilRole,
    displayName: z.string().min(1).max(200).optional(),
  }),
  via: z.enum(['console', 'slack', 'api']),
  at: isoTime,
  note: z.string().max(2000).optional(),
});
export type IncidentAction = z.infer<typeof incidentActionSchema>;
