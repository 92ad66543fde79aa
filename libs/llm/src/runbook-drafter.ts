import {
  diagnosisGap,
  runbookFor,
  scaleMisfit,
  validateRunbookDraft,
  type FaultClass,
} from '@vigil/action-catalog';
import type { PlanStep } from '@vigil/contracts';
import { runbookResponseSchema } from './runbook-response-schema';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * Asks a model for JSON following `schema`; returns the raw text of its answer, or throws when
 * it has none within `timeoutMs`.
 */
export type CompleteJson = (
  messages: ChatMessage[],
  schema: Record<string, unknown>,
  options: { timeoutMs: number },
) => Promise<string>;

export interface DraftRequest {
  messages: ChatMessage[];
  /** Entities the runbook may act on: the incident's neighbourhood. */
  targets: string[];
  faultClass: FaultClass;
  /** The leading root-cause candidate (what a draft must treat) and its replica count. */
  fallbackTarget: string;
  fallbackReplicas: number;
  /** Whether the diagnosed service had a release lately; undefined where nobody reports them. */
  released?: boolean;
  /**
   * How long the model may take over all its attempts: a plan that comes late is worse than the
   * known-good runbook now, while the service is down.
   */
  budgetMs: number;
  /** The clock (tests). */
  now?: () => number;
}

/** An attempt with less time than this left is not started: no draft comes back that fast. */
const shortestAttemptMs = 1_500;

export interface DraftOutcome {
  summary: string;
  steps: Array<Omit<PlanStep, 'stepId'>>;
  fallbackUsed: boolean;
  attempts: number;
  /** Why the model's drafts were refused, attempt by attempt. */
  refusals: string[][];
}

/**
 * A model's draft, validated against the catalog and the topology; one retry told every reason;
 * otherwise the catalog's known-good runbook for the diagnosed fault. A model that is down,
 * slow or wrong therefore still yields a safe plan, marked as the fallback.
 */
export async function draftRunbook(
  complete: CompleteJson,
  request: DraftRequest,
): Promise<DraftOutcome> {
  const schema = runbookResponseSchema(request.targets, 3, {
    faultClass: request.faultClass,
    target: request.fallbackTarget,
    replicas: request.fallbackReplicas,
    ...(request.released !== undefined && { released: request.released }),
  });
  const known = new Set(request.targets);
  const refusals: string[][] = [];
  let messages = request.messages;
  const now = request.now ?? Date.now;
  const deadline = now() + request.budgetMs;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const timeoutMs = deadline - now();
    if (timeoutMs < shortestAttemptMs) {
      refusals.push([`no time left for attempt ${attempt} of ${request.budgetMs} ms`]);
      break;
    }
    let answer: string;
    try {
      answer = await complete(messages, schema, { timeoutMs });
    } catch (error) {
      refusals.push([
        `the model did not answer: ${error instanceof Error ? error.message : String(error)}`,
      ]);
      break;
    }
    const check = validateRunbookDraft(answer, known);
    const gap = check.ok
      ? (diagnosisGap(check.steps, request.faultClass, request.fallbackTarget) ??
        scaleMisfit(check.steps, request.fallbackTarget, request.fallbackReplicas) ??
        nothingToRollBack(check.steps, request))
      : undefined;
    if (check.ok && !gap)
      return {
        summary: check.summary,
        steps: check.steps,
        fallbackUsed: false,
        attempts: attempt,
        refusals,
      };
    const reasons = check.ok ? [gap ?? 'refused'] : check.reasons;
    refusals.push(reasons);
    messages = [
      ...request.messages,
      { role: 'assistant', content: answer.slice(0, 2000) },
      {
        role: 'user',
        content: `That draft was refused: ${reasons.join('; ')}. Answer again, fixing all of it.`,
      },
    ];
  }
  return {
    summary: `Known-good runbook for ${request.faultClass} on ${request.fallbackTarget}`,
    steps: runbookFor(request.faultClass, request.fallbackTarget, request.fallbackReplicas),
    fallbackUsed: true,
    attempts: refusals.length,
    refusals,
  };
}

/** A rollback where the platform says nothing was released fails for certain: refused up front. */
function nothingToRollBack(
  steps: ReadonlyArray<Pick<PlanStep, 'action' | 'target'>>,
  request: DraftRequest,
): string | undefined {
  if (request.released !== false) return undefined;
  const step = steps.find((s) => s.action === 'rollback-deployment');
  return step && `${step.target} had no release lately: there is nothing to roll back`;
}
