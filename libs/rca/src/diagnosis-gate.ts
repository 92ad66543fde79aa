import {
  diagnosisLabel,
  matchSignature,
  type FaultClass,
  type SignatureMatch,
} from '@vigil/action-catalog';
import type { RcaResult, RootCauseCandidate } from '@vigil/contracts';
import { classifyFault } from './fault-class';
import { fromRcaCandidate } from './rca-result-mapping';

export interface DiagnosisGateOptions {
  /** The leading candidate must have led this long (by the results' own times) before a plan... */
  settleMs: number;
  /**
   * ...unless it outscores the runner-up by this factor (or has no runner-up) with a fault its own
   * evidence proves (see `selfEvident`)...
   */
  decisiveRatio: number;
  /** ...and has led this many results in a row (a ranking is published only when it changes). */
  minLeads: number;
  /**
   * A leader less than this many times the runner-up's score has not been told apart from it:
   * while evidence arrives, a revision moves the leading scores by more than that (0.48 -> 0.71 ->
   * 1.40 in seconds), so a narrow lead that has held `settleMs` says little. Such a leader waits
   * `closeRaceSettleMs` instead. In two bench:loop runs the first revisions of an incident led
   * with a service whose own change was older or smaller (a young process's memory), narrowly,
   * for the settle time, and it was restarted seconds before the cause took a clear lead.
   */
  clearLeadRatio: number;
  /** How long a leader that is not clearly ahead (see `clearLeadRatio`) must lead. */
  closeRaceSettleMs: number;
  /** Plans per incident; after that every change of diagnosis is for a human. */
  maxPlans: number;
  /**
   * A leader known only by its alerts (no metric, no log of its own) must lead this long, and is
   * never decisive: the callers of a failing service alert first, before its own signals show.
   */
  alertsOnlySettleMs: number;
  /**
   * After a plan on a service completes, how long diagnoses that name it among their leading
   * candidates wait: its callers' error and latency windows take a while to clear, and a ranking
   * read meanwhile blames the callers that still show the symptoms.
   */
  coolDownMs: number;
  /** How many leading candidates are looked at for a service under treatment. */
  treatedWithin: number;
  /** A plan whose end is never heard of (nobody approves it) holds its service this long. */
  inFlightMs: number;
}

export const defaultDiagnosisGateOptions: DiagnosisGateOptions = {
  settleMs: 8_000,
  decisiveRatio: 2,
  minLeads: 1,
  clearLeadRatio: 1.25,
  closeRaceSettleMs: 30_000,
  maxPlans: 2,
  alertsOnlySettleMs: 30_000,
  coolDownMs: 60_000,
  treatedWithin: 3,
  inFlightMs: 10 * 60_000,
};

/** What a plan for a candidate is drafted for: its fault class, and a signature its logs show. */
export interface Diagnosis {
  faultClass: FaultClass;
  signature?: SignatureMatch;
  /** The two as one label (see `diagnosisLabel`): a diagnosis is planned for once. */
  label: string;
}

export type GateVerdict =
  | { act: true; candidate: RootCauseCandidate; diagnosis: Diagnosis; reason: string }
  | {
      act: false;
      reason: string;
      /** Ask again this much later: nothing may arrive meanwhile. */ retryInMs?: number;
    };

interface IncidentDiagnosis {
  leader?: string;
  leaderSince: number;
  leads: number;
  /**
   * What plans were drafted for, as service and fault class: a diagnosis that comes back is not
   * planned twice, but one whose evidence now shows another kind of fault (the config change
   * behind errors first treated as plain errors) gets its own plan.
   */
  planned: Set<string>;
}

/**
 * Decides when a root-cause result is firm enough to draft a plan. Rankings move while evidence
 * arrives (callers alert before the service that broke them); planning at every move acts on
 * services that are only symptoms and floods the executor with plans for one incident.
 */
export class DiagnosisGate {
  private readonly incidents = new Map<string, IncidentDiagnosis>();
  /** Service -> until when its treatment is under way or settling. */
  private readonly treatment = new Map<string, { until: number; inFlight: boolean }>();
  private readonly options: DiagnosisGateOptions;

  constructor(options: Partial<DiagnosisGateOptions> = {}) {
    this.options = { ...defaultDiagnosisGateOptions, ...options };
  }

  /** `at`: when the question is asked, if later than the result (asking again after a wait). */
  observe(result: RcaResult, at = Date.parse(result.generatedAt)): GateVerdict {
    const [leader, runnerUp] = result.candidates;
    if (!leader) return { act: false, reason: 'no candidate' };
    const state = this.track(result.incidentId, leader.service, at);
    const treated = this.underTreatment(result, at);
    if (treated) return treated;
    const diagnosis = diagnosisOf(leader);
    if (state.planned.has(plannedKey(leader.service, diagnosis.label)))
      return {
        act: false,
        reason: `a plan for ${leader.service} (${diagnosis.label}) was already drafted`,
      };
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
        ? {
            act: true,
            candidate: leader,
            diagnosis,
            reason: `${leader.service} has led for ${ledMs} ms`,
          }
        : {
            act: false,
            reason: `${leader.service} leads on alerts alone, for ${ledMs} ms`,
            retryInMs: this.options.alertsOnlySettleMs - ledMs,
          };
    const ahead = !runnerUp || leader.score >= runnerUp.score * this.options.decisiveRatio;
    if (ahead && selfEvident(diagnosis))
      return {
        act: true,
        candidate: leader,
        diagnosis,
        reason: `${leader.service} leads decisively`,
      };
    const close =
      runnerUp !== undefined && leader.score < runnerUp.score * this.options.clearLeadRatio;
    const settleMs = close ? this.options.closeRaceSettleMs : this.options.settleMs;
    const led = close
      ? `led narrowly ahead of ${runnerUp.service} (${leader.score} to ${runnerUp.score})`
      : 'led';
    if (ledMs >= settleMs)
      return {
        act: true,
        candidate: leader,
        diagnosis,
        reason: `${leader.service} has ${led} for ${ledMs} ms`,
      };
    return {
      act: false,
      reason: `${leader.service} has ${led} for ${ledMs} ms only`,
      retryInMs: settleMs - ledMs,
    };
  }

  /** A plan on `service` is out: diagnoses naming it wait until it ends (see `treated`). */
  treating(service: string, at: number): void {
    this.treatment.set(service, { until: at + this.options.inFlightMs, inFlight: true });
  }

  /** The plan on `service` ended at `at`: worked (wait out its effects) or not (wait no more). */
  treated(service: string, at: number, worked: boolean): void {
    if (worked)
      this.treatment.set(service, { until: at + this.options.coolDownMs, inFlight: false });
    else this.treatment.delete(service);
  }

  /**
   * Forgets treatments whose wait is over at `now`. Each is also dropped when a later ranking
   * names its service, but a service never named again (a pod's name, a job that ran once) would
   * otherwise stay for good.
   */
  sweep(now: number): void {
    for (const [service, treatment] of this.treatment)
      if (treatment.until <= now) this.treatment.delete(service);
  }

  /** Services whose treatment is under way or settling (what {@link sweep} bounds). */
  get treatments(): number {
    return this.treatment.size;
  }

  /**
   * A plan under way or settling on a leading candidate, or on a service this incident already
   * planned for, holds the diagnosis: a crashed service drops out of its incident's ranking while
   * its callers, starved of it, still show the symptoms, and a plan on them would treat those.
   */
  private underTreatment(result: RcaResult, at: number): GateVerdict | undefined {
    const leading = result.candidates.slice(0, this.options.treatedWithin).map((c) => c.service);
    const plannedHere = [...(this.incidents.get(result.incidentId)?.planned ?? [])].map(
      serviceOfPlannedKey,
    );
    for (const service of new Set([...leading, ...plannedHere])) {
      const treatment = this.treatment.get(service);
      if (treatment === undefined) continue;
      if (treatment.until <= at) {
        this.treatment.delete(service);
        continue;
      }
      // in flight, the plan's end is what to wait for (looked for every few seconds: rankings are
      // published only when they change); settling, the clock is
      return treatment.inFlight
        ? {
            act: false,
            reason: `a plan on ${service} is under way`,
            retryInMs: Math.min(5_000, treatment.until - at),
          }
        : {
            act: false,
            reason: `${service} was just treated: its effects are awaited`,
            retryInMs: treatment.until - at,
          };
    }
    return undefined;
  }

  /**
   * Records that a plan was drafted for `service` and `diagnosis` (the candidate the last verdict
   * let through, or, at a restart, a plan read back from the plans topic before any ranking came):
   * its fault class, with the evidence signature it was drafted from (see `diagnosisLabel`).
   */
  planned(incidentId: string, service: string, diagnosis: string): void {
    const state = this.incidents.get(incidentId) ?? {
      leaderSince: 0,
      leads: 0,
      planned: new Set(),
    };
    state.planned.add(plannedKey(service, diagnosis));
    this.incidents.set(incidentId, state);
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

const PLANNED_KEY_SEPARATOR = '\n';
const plannedKey = (service: string, diagnosis: string) =>
  `${service}${PLANNED_KEY_SEPARATOR}${diagnosis}`;
const serviceOfPlannedKey = (key: string) => key.slice(0, key.indexOf(PLANNED_KEY_SEPARATOR));

/**
 * What a plan for the candidate would be drafted for: its fault class, and the evidence signature
 * its own logs show. Errors planned for as plain errors, whose logs then name a full volume, are
 * a new diagnosis with a treatment of its own.
 */
export function diagnosisOf(candidate: RootCauseCandidate): Diagnosis {
  const faultClass = classifyFault(fromRcaCandidate(candidate));
  const signature = matchSignature(
    candidate.service,
    candidate.evidence.logTemplates.map((t) => t.template),
  );
  return {
    faultClass,
    ...(signature && { signature }),
    label: diagnosisLabel(faultClass, signature?.signature.id),
  };
}

/**
 * Faults a service's own evidence proves: it is gone, was changed, holds the resource, or its logs
 * name the fault. Errors, latency and load can all be a callee's, and show on its callers first,
 * before the callee's own signals arrive: however far ahead, such a leader waits `settleMs` (a
 * crashed payment's caller, failing and busier, once led alone for a moment and was scaled).
 */
const selfEvidentFaults: ReadonlySet<FaultClass> = new Set<FaultClass>([
  'crash',
  'bad-deploy',
  'bad-config',
  'memory-leak',
  'cpu-saturation',
]);

function selfEvident(diagnosis: Diagnosis): boolean {
  return diagnosis.signature !== undefined || selfEvidentFaults.has(diagnosis.faultClass);
}

function alertsOnly(candidate: RootCauseCandidate): boolean {
  return candidate.evidence.metrics.length + candidate.evidence.logTemplates.length === 0;
}

function hasOwnEvidence(candidate: RootCauseCandidate): boolean {
  const { metrics, logTemplates, alerts } = candidate.evidence;
  return metrics.length + logTemplates.length + alerts.length > 0;
}
