import type { MissingStep, RcaResult } from '@vigil/contracts';
import type { MissingStepEvidence, RankedRootCause } from './rca-case';

export const rcaMethodName = 'vigil-causal-walk-v1';

const iso = (time: number) => new Date(time).toISOString();

/** The contract form of a ranking: the first `limit` candidates, times as ISO strings. */
export function toRcaResult(
  incidentId: string,
  revision: number,
  ranked: readonly RankedRootCause[],
  generatedAt: number,
  limit = 5,
): RcaResult {
  return {
    schemaVersion: 1,
    incidentId,
    revision,
    generatedAt: iso(generatedAt),
    method: rcaMethodName,
    candidates: ranked.slice(0, limit).map((cause, i) => ({
      service: cause.service,
      rank: i + 1,
      score: cause.score,
      path: cause.path.length > 0 ? cause.path : [cause.service],
      evidence: {
        metrics: cause.evidence.metrics.map((m) => ({
          metric: m.metric,
          score: Math.round(m.score * 100) / 100,
          onset: iso(m.onset),
          direction: m.direction,
        })),
        logTemplates: cause.evidence.logs.map((l) => ({
          templateId: l.templateId,
          template: l.template,
          score: Math.round(l.score * 100) / 100,
          pattern: l.pattern,
        })),
        alerts: cause.evidence.alerts.map((a) => ({
          fingerprint: a.fingerprint,
          alertname: a.alertname,
          startsAt: iso(a.startsAt),
        })),
        ...(cause.evidence.deploys && {
          deploys: cause.evidence.deploys.map((d) => ({ version: d.version, at: iso(d.at) })),
        }),
        ...(cause.evidence.configChanges && {
          configChanges: cause.evidence.configChanges.map((d) => ({
            version: d.version,
            at: iso(d.at),
          })),
        }),
        ...(cause.evidence.steps && { missingSteps: cause.evidence.steps.map(missingStepOf) }),
        onset: cause.evidence.onset === undefined ? undefined : iso(cause.evidence.onset),
      },
    })),
  };
}

/** A contract candidate back as the lib's plain data (for classifying it, e.g. in the planner). */
export function fromRcaCandidate(candidate: RcaResult['candidates'][number]): RankedRootCause {
  const { metrics, logTemplates, alerts, deploys, configChanges, onset } = candidate.evidence;
  return {
    service: candidate.service,
    score: candidate.score,
    path: candidate.path,
    evidence: {
      metrics: metrics.map((m) => ({
        metric: m.metric,
        score: m.score,
        onset: Date.parse(m.onset),
        direction: m.direction ?? 'up',
      })),
      logs: logTemplates.map((l) => ({
        service: candidate.service,
        templateId: l.templateId,
        template: l.template,
        pattern: l.pattern ?? 'error-burst',
        score: l.score,
        onset: Date.parse(candidate.evidence.onset ?? '1970-01-01T00:00:00Z'),
      })),
      alerts: alerts.map((a) => ({
        service: candidate.service,
        fingerprint: a.fingerprint,
        alertname: a.alertname,
        startsAt: Date.parse(a.startsAt),
      })),
      ...(deploys && {
        deploys: deploys.map((d) => ({ version: d.version, at: Date.parse(d.at) })),
      }),
      ...(configChanges && {
        configChanges: configChanges.map((d) => ({ version: d.version, at: Date.parse(d.at) })),
      }),
      onset: onset === undefined ? undefined : Date.parse(onset),
    },
  };
}

/**
 * Whether a new ranking says something the previous revision did not: another order among the
 * leading candidates, a leader whose score moved by more than `scoreChange`, or new evidence for
 * one of them. Re-publishing the same answer every few seconds would only be noise downstream.
 */
export function rankingChanged(
  previous: RcaResult | undefined,
  next: RcaResult,
  leading = 3,
  scoreChange = 0.1,
): boolean {
  if (!previous) return next.candidates.length > 0;
  const before = previous.candidates.slice(0, leading);
  const after = next.candidates.slice(0, leading);
  if (before.length !== after.length) return true;
  return after.some((candidate, i) => {
    const old = before[i];
    if (old.service !== candidate.service) return true;
    const relative = Math.abs(candidate.score - old.score) / Math.max(Math.abs(old.score), 1e-9);
    return relative > scoreChange || evidenceSize(candidate) !== evidenceSize(old);
  });
}

function evidenceSize(candidate: RcaResult['candidates'][number]): number {
  const { metrics, logTemplates, alerts, missingSteps } = candidate.evidence;
  return metrics.length + logTemplates.length + alerts.length + (missingSteps?.length ?? 0);
}

/** A missing step as the contract carries it: step names cut to its length, figures rounded. */
function missingStepOf(step: MissingStepEvidence): MissingStep {
  const cut = (name: string) => (name.length > 500 ? `${name.slice(0, 499)}…` : name);
  return {
    from: cut(step.from),
    to: cut(step.to),
    usual: Math.round(step.usual * 1000) / 1000,
    expected: Math.round(step.expected * 10) / 10,
    observed: step.observed,
    surprise: Math.round(step.surprise * 100) / 100,
    ...(step.witness && { witness: step.witness }),
  };
}
