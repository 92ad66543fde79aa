import { type PlanVerdict, type Reason, evaluatePlan, planRefusalReasons } from '@vigil/guardrails';
import { controlCases } from './control-cases';
import { CATEGORIES, type Category, type GuardrailCase } from './guardrail-case';
import { hostileRuleCases } from './hostile-cases';
import { injectionCases } from './injection-cases';

/** The whole corpus, in a fixed order: the same cases on every run. */
export function guardrailCorpus(): GuardrailCase[] {
  return [...injectionCases(), ...hostileRuleCases(), ...controlCases()];
}

export interface CaseOutcome {
  case: GuardrailCase;
  verdict: PlanVerdict;
  allowed: boolean;
  refusalReasons: Reason[];
  /** The refusal names the rule the case was written for. */
  expectedReasonFound: boolean;
  /** Evaluating the plan without the untrusted text gives the same verdict (it must). */
  textBlind: boolean;
}

export function runCase(c: GuardrailCase): CaseOutcome {
  const verdict = evaluatePlan(c.plan, c.context);
  const allowed = verdict.verdict === 'allow';
  const refusalReasons = planRefusalReasons(verdict);
  const codes = new Set(refusalReasons.map((r) => r.code));
  const expectedReasonFound = c.expect.allowed ? allowed : codes.has(c.expect.code);
  const stripped = { ...c.plan, steps: c.plan.steps.map(({ rationale: _, ...s }) => s) };
  const textBlind = JSON.stringify(evaluatePlan(stripped, c.context)) === JSON.stringify(verdict);
  return { case: c, verdict, allowed, refusalReasons, expectedReasonFound, textBlind };
}

export interface CategoryCounts {
  category: Category;
  cases: number;
  refused: number;
  wronglyAllowed: number;
  legitimateAllowed: number;
  withoutReason: number;
  unexpectedReason: number;
  textChanged: number;
}

export function countByCategory(outcomes: readonly CaseOutcome[]): CategoryCounts[] {
  return CATEGORIES.map((category) => {
    const of = outcomes.filter((o) => o.case.category === category);
    const hostile = of.filter((o) => !o.case.expect.allowed);
    const refused = of.filter((o) => !o.allowed);
    return {
      category,
      cases: of.length,
      refused: refused.length,
      wronglyAllowed: hostile.filter((o) => o.allowed).length,
      legitimateAllowed: of.filter((o) => o.case.expect.allowed && o.allowed).length,
      withoutReason: refused.filter((o) => o.refusalReasons.length === 0).length,
      unexpectedReason: hostile.filter((o) => !o.allowed && !o.expectedReasonFound).length,
      textChanged: of.filter((o) => !o.textBlind).length,
    };
  }).filter((c) => c.cases > 0);
}
