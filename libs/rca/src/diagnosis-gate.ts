import type { RcaResult, RootCauseCandidate } from '@vigil/contracts';

export interface DiagnosisGateOptions {
  /** The leading candidate must have led this long (by the results' own times) before a plan... */
  settleMs: number;
  /** ...unless it outscores the runner-up by this factor (or has no runner-up)... */
  decisiveRatio: number;
  /** ...and has led this many results in a row (a ranking is published only when it changes). */
  minLeads: number;
  /** Plans per incident; after that every change of diagnosis is for a human. */
  maxPlans: number;
  /**
   * A leader known only by its alerts (no metric, no log of its own) must lead this long, and is
   * never decisive: the callers of a failing service alert first, before its own signals show.
   */
  alertsOnlySettleMs: number;
}

export const defaultDiagnosisGateOptions: DiagnosisGateOptions = {
  settleMs: 8_000,
  decisiveRatio: 2,
  minLeads: 1,
  maxPlans: 2,
  alertsOnlySettleMs: 30_000,
};

export type GateVerdict =
  | { act: true; candidate: RootCauseCandidate; reason: string }
  | {
      act: false;
      reason: string;
      /** Ask again this much later: nothing may arrive meanwhile. */ retryInMs?: number;
    };

interface IncidentDiagnosis {
  leader?: string;
  leaderSince: number;
  leads: number;
  /** Services a plan was drafted for: a diagnosis that comes back is not planned twice. */
  planned: Set<string>;
}

/**
 * Decides when a root-cause result is firm enough to draft a plan. Rankings move while evidence
 * arrives (callers alert before the service that broke them); planning at every move acts on
 * services that are only symptoms and floods the executor with plans for one incident.
 */
export class DiagnosisGate {
  private readonly incidents = new Map<string, IncidentDiagnosis>();
  private readonly options: DiagnosisGateOptions;

  constructor(options: Partial<DiagnosisGateOptions> = {}) {
    this.options = { ...defaultDiagnosisGateOptions, ...options };
  }

  /** `at`: when the question is asked, if later than the result (asking again after a wait). */
  observe(result: RcaResult, at = Date.parse(result.generatedAt)): GateVerdict {
    const [leader, runnerUp] = result.candidates;
    if (!leader) return { act: false, reason: 'no candidate' };
    const state = this.track(result.incidentId, leader.service, at);
    if (state.planned.has(leader.service))
      return { act: false, reason: `a plan for ${leader.service} was already drafted` };
    if (state.planned.size >= this.options.maxPlans)
      return {
        act: false,
        reason: `${state.planned.size} plans drafted for this incident; the next is for a human`,
      };
    if (!hasOwnEvidence(leader))
      return { act: false, reason: `${leader.service} leads with no evidence of its own` };
    const ledMs = at - state.leaderSince;
    if (state.leads < this.options.minLeads)
      return { act: false, reason: `${leader.service} has led ${state.leads} result(s) only` };
    if (alertsOnly(leader))
      return ledMs >= this.options.alertsOnlySettleMs
        ? { act: true, candidate: leader, reason: `${leader.service} has led for ${ledMs} ms` }
        : {
            act: false,
            reason: `${leader.service} leads on alerts alone, for ${ledMs} ms`,
            retryInMs: this.options.alertsOnlySettleMs - ledMs,
          };
    if (!runnerUp || leader.score >= runnerUp.score * this.options.decisiveRatio)
      return { act: true, candidate: leader, reason: `${leader.service} leads decisively` };
    if (ledMs >= this.options.settleMs)
      return { act: true, candidate: leader, reason: `${leader.service} has led for ${ledMs} ms` };
    return {
      act: false,
      reason: `${leader.service} has led for ${ledMs} ms only`,
      retryInMs: this.options.settleMs - ledMs,
    };
  }

  /** Records that a plan was drafted for the candidate the last verdict let through. */
  planned(incidentId: string, service: string): void {
    this.incidents.get(incidentId)?.planned.add(service);
  }

  plansFor(incidentId: string): number {
    return this.incidents.get(incidentId)?.planned.size ?? 0;
  }

  /** The incident is over: its diagnosis history goes. */
  forget(incidentId: string): void {
    this.incidents.delete(incidentId);
  }

  private track(incidentId: string, leader: string, at: number): IncidentDiagnosis {
    const state = this.incidents.get(incidentId) ?? {
      leaderSince: at,
      leads: 0,
      planned: new Set<string>(),
    };
    if (state.leader !== leader) {
      state.leader = leader;
      state.leaderSince = at;
      state.leads = 0;
    }
    state.leads++;
    this.incidents.set(incidentId, state);
    return state;
  }
}

function alertsOnly(candidate: RootCauseCandidate): boolean {
  return candidate.evidence.metrics.length + candidate.evidence.logTemplates.length === 0;
}

function hasOwnEvidence(candidate: RootCauseCandidate): boolean {
  const { metrics, logTemplates, alerts } = candidate.evidence;
  return metrics.length + logTemplates.length + alerts.length > 0;
}
