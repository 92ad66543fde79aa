/**
 * What `bench:loop` writes (bench/results/loop-<date>.json and loop.json): one record per fault
 * injected, and the figures per policy and fault family the README's table is made from. Pure:
 * the bench measures, this sums up.
 */

import type { PlanSource } from '@vigil/action-catalog';

export type LoopPolicy = 'demo' | 'production';
/**
 * `old`: the first kinds, all but a bad deploy cured by any restart; `restart-proof`: held outside
 * the process, with a known-good runbook; `novel`: held outside the process, no known-good
 * runbook (only a plan composed from the catalog heals it).
 */
export type FaultFamily = 'old' | 'restart-proof' | 'novel';

export interface PlanRecord {
  planId: string;
  /** Where the steps came from: the model's draft, an evidence signature, or a known-good runbook. */
  provenance: PlanSource;
  faultClass: string;
  /** `action@target`, in order. */
  steps: string[];
  /** Each guardrail verdict, in order: `step: verdict` (allow, needs-approval, deny ...). */
  verdicts: string[];
  /** The plan's last event: plan-completed, plan-aborted, or none while it waited. */
  end: string;
  /** Seconds from the executor asking for an approval to the approval, when it asked. */
  approvalWaitS?: number;
}

export interface FaultRecord {
  policy: LoopPolicy;
  repeat: number;
  fault: string;
  family: FaultFamily;
  heldIn: string;
  service: string;
  injectedAt: string;
  /** Seconds from the injection. */
  detectedS?: number;
  rightCauseS?: number;
  plannedS?: number;
  actedS?: number;
  endedS?: number;
  plans: PlanRecord[];
  /** The service is well again (healthy on its good release, errors and p99 normal, no fault left). */
  healed: boolean;
  /** Healed, and some plan on the way waited for a person's approval. */
  approved: boolean;
  /** Seconds all plans of this fault waited for approval. */
  approvalWaitS: number;
  /** Injection to verified recovery; and the same without the time spent waiting for approval. */
  mttrS?: number;
  mttrExcludingApprovalS?: number;
  /** What left the service worse than before an action, or changed a service nobody diagnosed. */
  harm: string[];
  /** Services other than the faulty one that steps acted on. */
  wrongTargets: string[];
  alerts: number;
  note: string;
}

export interface LoopSummary {
  policy: LoopPolicy;
  /** A family, or `restart-proof+novel` (the targets' row), or `all`. */
  family: FaultFamily | 'restart-proof+novel' | 'all';
  faults: number;
  healed: number;
  healedWithoutHuman: number;
  healedWithApproval: number;
  /** Not healed: left to a person. */
  escalated: number;
  /** Median over the faults where someone was asked; and the total over all faults. */
  approvalWaitMedianS?: number;
  approvalWaitTotalS: number;
  harmful: number;
  wrongTargets: number;
  rightCause: number;
  detectMedianS?: number;
  rightCauseMedianS?: number;
  mttrMedianS?: number;
  mttrExcludingApprovalMedianS?: number;
  /** Plans by provenance over all the faults. */
  plansByModel: number;
  plansKnownGood: number;
  /** Absent from runs before plans were drafted from evidence signatures. */
  plansBySignature?: number;
}

export interface LoopTargets {
  healedShare: number;
  harmful: number;
  wrongTargets: number;
  mttrExcludingApprovalMedianS: number;
}

export interface LoopResults {
  meta: {
    date: string;
    startedAt: string;
    finishedAt: string;
    repeat: number;
    faults: string[];
    policies: LoopPolicy[];
    /** One environment per repeat, or every repeat in one (older runs: shared). */
    environment?: 'per-repeat' | 'shared';
    /**
     * Where the alerts came from: real Prometheus and Alertmanager, or apps/ruler (older runs,
     * without this field, ran on the ruler).
     */
    alerting?: 'prometheus' | 'ruler';
    approvalDelayMs: number;
    rps: number;
    cpus: number;
    loadAverage: number;
    /** Why the run is as it is: fewer repeats than published figures need, faults left out ... */
    note: string;
  };
  faults: FaultRecord[];
  /** Over this run's faults and those of the runs beside it. */
  summary: LoopSummary[];
  /**
   * Earlier runs of other policies kept in the same file (`--beside`), whole: one run per policy
   * takes hours here, and the README's one table shows every policy.
   */
  beside?: Array<Omit<LoopResults, 'beside'>>;
  /** Restart-proof and novel faults under the production policy, with approvals counted. */
  targets: LoopTargets & { met: Record<keyof LoopTargets, boolean> };
}

export const loopTargets: LoopTargets = {
  healedShare: 0.8,
  harmful: 0,
  wrongTargets: 0,
  mttrExcludingApprovalMedianS: 90,
};

export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const defined = (xs: Array<number | undefined>) => xs.filter((x): x is number => x !== undefined);

export function summarise(
  policy: LoopPolicy,
  family: LoopSummary['family'],
  records: readonly FaultRecord[],
): LoopSummary {
  const healed = records.filter((r) => r.healed);
  const asked = records.filter((r) => r.approvalWaitS > 0);
  const plans = records.flatMap((r) => r.plans);
  return {
    policy,
    family,
    faults: records.length,
    healed: healed.length,
    healedWithoutHuman: healed.filter((r) => !r.approved).length,
    healedWithApproval: healed.filter((r) => r.approved).length,
    escalated: records.length - healed.length,
    approvalWaitMedianS: median(asked.map((r) => r.approvalWaitS)),
    approvalWaitTotalS: records.reduce((a, r) => a + r.approvalWaitS, 0),
    harmful: records.filter((r) => r.harm.length > 0).length,
    wrongTargets: records.reduce((a, r) => a + r.wrongTargets.length, 0),
    rightCause: records.filter((r) => r.rightCauseS !== undefined).length,
    detectMedianS: median(defined(records.map((r) => r.detectedS))),
    rightCauseMedianS: median(defined(records.map((r) => r.rightCauseS))),
    mttrMedianS: median(defined(healed.map((r) => r.mttrS))),
    mttrExcludingApprovalMedianS: median(defined(healed.map((r) => r.mttrExcludingApprovalS))),
    plansByModel: plans.filter((p) => p.provenance === 'model').length,
    plansKnownGood: plans.filter((p) => p.provenance === 'known-good').length,
    plansBySignature: plans.filter((p) => p.provenance === 'evidence-signature').length,
  };
}

/** Per policy: each family present, restart-proof and novel together, and everything. */
export function summariseAll(records: readonly FaultRecord[]): LoopSummary[] {
  const policies = [...new Set(records.map((r) => r.policy))];
  const families: FaultFamily[] = ['old', 'restart-proof', 'novel'];
  return policies.flatMap((policy) => {
    const mine = records.filter((r) => r.policy === policy);
    const rows = families
      .filter((f) => mine.some((r) => r.family === f))
      .map((f) =>
        summarise(
          policy,
          f,
          mine.filter((r) => r.family === f),
        ),
      );
    const hard = mine.filter((r) => r.family !== 'old');
    if (hard.length > 0) rows.push(summarise(policy, 'restart-proof+novel', hard));
    rows.push(summarise(policy, 'all', mine));
    return rows;
  });
}

/** The targets, judged on the production row of restart-proof and novel faults. */
export function judgeTargets(summary: readonly LoopSummary[]): LoopResults['targets'] {
  const row = summary.find((s) => s.policy === 'production' && s.family === 'restart-proof+novel');
  const share = row && row.faults > 0 ? row.healed / row.faults : 0;
  return {
    ...loopTargets,
    met: {
      healedShare: !!row && share >= loopTargets.healedShare,
      harmful: !!row && row.harmful <= loopTargets.harmful,
      wrongTargets: !!row && row.wrongTargets <= loopTargets.wrongTargets,
      mttrExcludingApprovalMedianS:
        row?.mttrExcludingApprovalMedianS !== undefined &&
        row.mttrExcludingApprovalMedianS < loopTargets.mttrExcludingApprovalMedianS,
    },
  };
}

/**
 * The runs of `earlier` (a loop results file) whose policies this run does not measure, to keep
 * beside it; a policy measured again replaces its old run.
 */
export function runsBeside(
  earlier: LoopResults | undefined,
  policies: readonly LoopPolicy[],
): NonNullable<LoopResults['beside']> {
  if (!earlier) return [];
  const { beside = [], ...run } = earlier;
  return [run, ...beside]
    .map((r) => ({ ...r, faults: r.faults.filter((f) => !policies.includes(f.policy)) }))
    .filter((r) => r.faults.length > 0)
    .map((r) => {
      const summary = summariseAll(r.faults);
      return {
        ...r,
        meta: { ...r.meta, policies: r.meta.policies.filter((p) => !policies.includes(p)) },
        summary,
        targets: judgeTargets(summary),
      };
    });
}
