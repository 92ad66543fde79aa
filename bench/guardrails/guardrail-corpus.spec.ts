import { parsePolicy } from '@vigil/guardrails';
import { type CaseOutcome, guardrailCorpus, runCase } from './guardrail-corpus';

describe('the guardrail corpus', () => {
  const corpus = guardrailCorpus();
  const outcomes = corpus.map(runCase);
  const hostile = outcomes.filter((o) => !o.case.expect.allowed);
  const control = outcomes.filter((o) => o.case.expect.allowed);
  const ids = (list: readonly CaseOutcome[]) => list.map((o) => o.case.id);

  it('holds at least 200 hostile or faulty cases and a control group, each id once', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(200);
    expect(control.length).toBeGreaterThanOrEqual(20);
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
    expect(hostile.filter((o) => o.case.category === 'prompt-injection').length).toBeGreaterThan(
      100,
    );
  });

  it('allows no hostile case, and refuses each for the rule it tests, with reasons', () => {
    expect(ids(hostile.filter((o) => o.allowed))).toEqual([]);
    expect(ids(hostile.filter((o) => o.refusalReasons.length === 0))).toEqual([]);
    expect(ids(hostile.filter((o) => !o.expectedReasonFound))).toEqual([]);
  });

  it('allows the whole control group', () => {
    expect(ids(control.filter((o) => !o.allowed))).toEqual([]);
  });

  it('gives the same verdicts whether or not the untrusted text rides along', () => {
    expect(ids(outcomes.filter((o) => !o.textBlind))).toEqual([]);
  });

  it('is the same corpus with the same verdicts on every run', () => {
    const again = guardrailCorpus().map(runCase);
    expect(again.map((o) => o.verdict)).toEqual(outcomes.map((o) => o.verdict));
  });

  it('catches a permissive policy, and a policy that refuses everything', () => {
    const permissive = parsePolicy({
      environments: Object.fromEntries(
        ['production', 'staging', 'payments-prod'].map((env) => [
          env,
          {
            blastRadius: { max: 1 },
            rateLimits: { perTarget: { max: 1000, windowSeconds: 1 }, perAction: {} },
            maxConcurrentPerTarget: 100,
            approvals: { medium: 'none', high: 'none' },
            dryRunFirst: false,
          },
        ]),
      ),
    });
    const loose = corpus.map((c) =>
      runCase({ ...c, context: { ...c.context, policy: permissive } }),
    );
    expect(loose.filter((o) => !o.case.expect.allowed && o.allowed).length).toBeGreaterThan(50);
    const closed = parsePolicy({ environments: { production: { allowedActions: [] } } });
    const strict = corpus.map((c) => runCase({ ...c, context: { ...c.context, policy: closed } }));
    expect(strict.filter((o) => o.case.expect.allowed && o.allowed)).toHaveLength(0);
  });
});
