import type { RemediationExecution, RootCauseCandidate } from '@vigil/contracts';
import { IncidentPlanBook } from './incident-plan-book';
import { knownGoodDraft } from './known-good-first';
import { planFromDraft, type PlanDraft } from './plan-draft';
import { SIGNATURE_AUTHOR, signatureDraft } from './signature-draft';
import { at, incidentEvent, iso, ranking } from './testing/plan-book-fixtures';

const ENOSPC = `ENOSPC: no space left on device, write '/data/cart/sessions'`;

/** cart failing its requests, with `logs` among its own evidence. */
const failing = (logs: string[] = []): RootCauseCandidate => ({
  service: 'cart',
  rank: 1,
  score: 50,
  path: ['cart', 'frontend'],
  evidence: {
    metrics: [{ metric: 'http_error_ratio', score: 30, onset: iso(0), direction: 'up' }],
    logTemplates: logs.map((template, i) => ({
      templateId: `t${i}`,
      template,
      score: 8,
      pattern: 'error-burst' as const,
    })),
    alerts: [{ fingerprint: 'f-cart', alertname: 'HighErrorRatio', startsAt: iso(0) }],
  },
});

function publish(book: IncidentPlanBook, draft: PlanDraft, seconds: number) {
  const author = draft.signature ? SIGNATURE_AUTHOR : 'test-model';
  const plan = planFromDraft(draft, at(seconds), author, book.nextPlanNumber(draft.incidentId));
  book.published(plan, draft, at(seconds));
  return plan;
}

const failed = (plan: { planId: string; incidentId: string }, seconds: number) =>
  ({
    schemaVersion: 1,
    eventId: `${plan.planId}:end`,
    planId: plan.planId,
    incidentId: plan.incidentId,
    type: 'plan-aborted',
    at: iso(seconds),
    detail: { cause: 'failed' },
  }) satisfies RemediationExecution;

/** The value, or a failed test saying what was missing. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what}`);
  return value;
}

function openBook(maxPlans = 2): IncidentPlanBook {
  const book = new IncidentPlanBook({ maxPlans });
  book.onIncident(incidentEvent('inc-1', 'opened', 0), at(0));
  return book;
}

/** What the planner does with a decision that carries a signature. */
function draftFromSignature(book: IncidentPlanBook, seconds: number): PlanDraft | undefined {
  const result = ranking('inc-1', seconds, failing([ENOSPC]));
  book.onRanking(result, at(seconds));
  const decision = book.shouldDraft(result, at(seconds));
  if (!decision.draft || !decision.signature) return undefined;
  const draft = signatureDraft({
    incidentId: 'inc-1',
    target: 'cart',
    faultClass: decision.faultClass,
    replicas: 2,
    match: decision.signature,
  });
  return book.acceptDraft(draft).accept ? draft : undefined;
}

describe('plans from evidence signatures', () => {
  it("treats what the target's own logs name, and says where the plan came from", () => {
    const book = openBook();
    const draft = draftFromSignature(book, 0);
    expect(draft).toBeDefined();
    const plan = publish(book, must(draft, 'draft'), 0);
    expect(plan.faultClass).toBe('errors');
    expect(plan.steps.map((s) => `${s.action} ${s.target}`)).toEqual(['free-disk cart']);
    expect(plan.steps[0]?.params).toEqual({ area: 'tmp' });
    expect(plan.provenance).toMatchObject({
      model: SIGNATURE_AUTHOR,
      promptHash: 'evidence-signature:volume-full',
      fallbackUsed: false,
    });
  });

  it('plans again when errors first treated as plain errors turn out to hold a signature', () => {
    // room for a third plan: what stops one must be the diagnosis, not the count
    const book = openBook(3);
    const plain = ranking('inc-1', 0, failing());
    book.onRanking(plain, at(0));
    // plain errors may be a callee's: the lead must hold a while (the gate's settle time)
    expect(book.shouldDraft(plain, at(0))).toMatchObject({ draft: false, lookAgainAt: at(8.05) });
    const first = book.shouldDraft(plain, at(8.05), true);
    expect(first).toMatchObject({ draft: true, faultClass: 'errors' });
    expect(first.draft && first.signature).toBeFalsy();
    const runbook = must(
      knownGoodDraft({ incidentId: 'inc-1', target: 'cart', faultClass: 'errors', replicas: 2 }),
      'runbook',
    );
    expect(book.acceptDraft(runbook).accept).toBe(true);
    const restart = publish(book, runbook, 0);
    // the restart does not free the volume: its plan fails, and nothing retries a runbook
    expect(book.onExecution(failed(restart, 40))).toMatchObject({ next: 'stop' });

    const draft = draftFromSignature(book, 50);
    expect(draft?.steps.map((s) => s.action)).toEqual(['free-disk']);
    const freed = publish(book, must(draft, 'draft'), 50);
    book.onExecution(failed(freed, 60));
    // the same signature again is the same diagnosis: planned once
    expect(draftFromSignature(book, 70)).toBeUndefined();
    const again = ranking('inc-1', 71, failing([ENOSPC]));
    book.onRanking(again, at(71));
    expect(book.shouldDraft(again, at(71))).toMatchObject({
      draft: false,
      reason: 'a plan for cart (errors+volume-full) was already drafted',
    });
  });

  it("is followed by the fault class's runbook once when it fails on its own", () => {
    const book = openBook();
    const plan = publish(book, must(draftFromSignature(book, 0), 'draft'), 0);
    const next = book.onExecution(failed(plan, 30));
    expect(next).toMatchObject({ next: 'retry', draft: { fallbackUsed: true, target: 'cart' } });
  });

  it('is not drafted again by a planner that learned it from the plans topic', () => {
    const first = openBook();
    const plan = publish(first, must(draftFromSignature(first, 0), 'draft'), 0);
    const second = openBook();
    second.learnPlan(plan, at(1));
    expect(draftFromSignature(second, 2)).toBeUndefined();
  });
});
