import { z } from 'zod';
import { entityName, isoTime, schemaVersion1 } from './common';

export const rootCauseEvidenceSchema = z.object({
  metrics: z.array(
    z.object({
      metric: z.string(),
      score: z.number(),
      onset: isoTime,
      direction: z.enum(['up', 'down']).optional(),
    }),
  ),
  logTemplates: z.array(
    z.object({
      templateId: z.string(),
      template: z.string(),
      score: z.number(),
      pattern: z.enum(['error-burst', 'new-template']).optional(),
    }),
  ),
  alerts: z.array(z.object({ fingerprint: z.string(), alertname: z.string(), startsAt: isoTime })),
  /** Versions deployed on it shortly before or during the incident; absent when nobody reports releases. */
  deploys: z.array(z.object({ version: z.string(), at: isoTime })).optional(),
  /** Config versions made current on it shortly before or during the incident; absent likewise. */
  configChanges: z.array(z.object({ version: z.string(), at: isoTime })).optional(),
  /**
   * Steps of its work that usually came next and stopped coming: `to` followed `from` in a share
   * `usual` of the requests before, and came `observed` times of the `expected` since. With
   * `witness`, the steps are that caller's, right after its call to this service (its answers
   * changed). `surprise`: -log10 of the chance of so few, corrected for the steps tested.
   */
  missingSteps: z
    .array(
      z.object({
        from: z.string().min(1).max(500),
        to: z.string().min(1).max(500),
        usual: z.number().min(0).max(1),
        expected: z.number().nonnegative(),
        observed: z.number().int().nonnegative(),
        surprise: z.number().finite(),
        witness: entityName.optional(),
      }),
    )
    .optional(),
  onset: isoTime.optional(),
});

export const rootCauseCandidateSchema = z.object({
  service: entityName,
  rank: z.number().int().positive(),
  score: z.number().finite(),
  evidence: rootCauseEvidenceSchema,
  /** From the candidate to the symptoms it explains, following the call graph. */
  path: z.array(entityName).min(1),
});

/**
 * Where a ranking's evidence came from and whether each source answered: `missing` means it was
 * ranked without that source (e.g. Prometheus unreachable), `partial` that some of its queries failed.
 */
export const rcaEvidenceSourceSchema = z.object({
  name: z.string().min(1),
  status: z.enum(['ok', 'partial', 'missing']),
  detail: z.string().max(500).optional(),
});

/** A ranked root-cause answer for one incident on `vigil.rca.v1`; later revisions supersede earlier ones. */
export const rcaResultSchema = z.object({
  schemaVersion: schemaVersion1,
  incidentId: z.string().min(1),
  revision: z.number().int().nonnegative(),
  generatedAt: isoTime,
  method: z.string().min(1),
  candidates: z.array(rootCauseCandidateSchema),
  /** The evidence sources asked for this revision; absent from producers that do not say. */
  sources: z.array(rcaEvidenceSourceSchema).optional(),
});
export type RootCauseCandidate = z.infer<typeof rootCauseCandidateSchema>;
/** A step of a service's work that stopped coming, as a candidate's evidence carries it. */
export type MissingStep = NonNullable<RootCauseCandidate['evidence']['missingSteps']>[number];
export type RcaResult = z.infer<typeof rcaResultSchema>;
export type RcaEvidenceSource = z.infer<typeof rcaEvidenceSourceSchema>;
