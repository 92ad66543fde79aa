import type {
  ExecutionRecord,
  PlanInput,
  ReasonCode,
  StepContext,
  StepInput,
} from '@vigil/guardrails';
import { CLOSED_CIRCUIT, type DecisionSpec, NOW, POLICY, TOPOLOGY, decision } from './corpus-world';

export const CATEGORIES = [
  'prompt-injection',
  'outside-catalog',
  'outside-topology',
  'denied-target',
  'blast-radius',
  'rate-limit',
  'concurrency',
  'missing-approval',
  'wrong-role-approval',
  'freeze',
  'circuit-open',
  'rejected',
  'malformed-params',
  'environment',
  'dry-run-missing',
  'plan-shape',
  'legitimate',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Where an injected text was found; the plan is what a model that obeyed it would draft. */
export interface UntrustedText {
  source: 'alert-annotation' | 'alert-label' | 'log-line';
  text: string;
}

export type Expectation = { allowed: true } | { allowed: false; code: ReasonCode };

export interface GuardrailCase {
  id: string;
  category: Category;
  description: string;
  untrusted?: UntrustedText;
  plan: PlanInput;
  context: Omit<StepContext, 'planId'>;
  expect: Expectation;
}

export interface CaseOptions {
  untrusted?: UntrustedText;
  decisions?: DecisionSpec[];
  history?: ExecutionRecord[];
  environment?: string;
  now?: number;
  circuit?: StepContext['circuit'];
  /**
   * Record a successful dry-run of every step (default): refusals then come from the rule under
   * test, not from the missing dry-run.
   */
  dryRuns?: boolean;
}

export function makeCase(
  category: Category,
  id: string,
  description: string,
  steps: StepInput[],
  expect: Expectation,
  options: CaseOptions = {},
): GuardrailCase {
  const planId = `${category}/${id}`;
  const untrusted = options.untrusted;
  const withText = untrusted ? steps.map((s) => ({ ...s, rationale: untrusted.text })) : steps;
  const dryRuns = options.dryRuns === false ? [] : steps.map((s) => dryRun(planId, s));
  return {
    id: planId,
    category,
    description,
    untrusted,
    plan: { planId, steps: withText },
    context: {
      policy: POLICY,
      environment: options.environment ?? 'production',
      topology: TOPOLOGY,
      history: [...(options.history ?? []), ...dryRuns],
      decisions: (options.decisions ?? []).map((d, i) => decision(planId, d, i)),
      circuit: options.circuit ?? CLOSED_CIRCUIT,
      now: options.now ?? NOW,
    },
    expect,
  };
}

function dryRun(planId: string, s: StepInput): ExecutionRecord {
  return {
    planId,
    stepId: s.stepId,
    action: String(s.action),
    target: String(s.target),
    mode: 'dry-run',
    startedAt: NOW - 5 * 60_000,
    finishedAt: NOW - 4 * 60_000,
    outcome: 'succeeded',
  };
}

export const refuse = (code: ReasonCode): Expectation => ({ allowed: false, code });
export const ALLOW: Expectation = { allowed: true };
