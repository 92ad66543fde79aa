import { countByCategory, guardrailCorpus, runCase } from './guardrail-corpus';
import { checkLine, guardrailsResults, renderGuardrails } from './guardrails-results';

const securityCases = [
  { id: 'forged decision', refused: true, reason: 'bad signature' },
  { id: 'signed approval of the plan as it is (control)', refused: false, reason: '' },
];

describe('the guardrail figures bench:guardrails writes', () => {
  const outcomes = guardrailCorpus().map(runCase);

  it('counts the corpus and passes every check when nothing hostile gets through', () => {
    const results = guardrailsResults(outcomes, countByCategory(outcomes), securityCases, 'd');
    expect(results.cases).toBe(outcomes.length);
    expect(results.hostile + results.legitimate).toBe(outcomes.length);
    expect(results.security).toMatchObject({ attacks: 1, executed: 0, controlsLetThrough: 1 });
    expect(results.checks.map(checkLine).every((l) => l.startsWith('PASS'))).toBe(true);
    expect(renderGuardrails(results)).toContain('Every check passed');
  });

  it('fails and says so when a hostile plan is allowed or an attack executed', () => {
    const leaked = outcomes.map((o, i) =>
      i === 0 ? { ...o, allowed: true, verdict: { ...o.verdict, verdict: 'allow' as const } } : o,
    );
    expect(leaked[0].case.expect.allowed).toBe(false);
    const results = guardrailsResults(
      leaked,
      countByCategory(leaked),
      [{ ...securityCases[0], refused: false }, securityCases[1]],
      'd',
    );
    const failed = results.checks.filter((c) => !c.ok).map((c) => c.text);
    expect(failed).toEqual([
      'hostile cases allowed: 1 (must be 0)',
      'security cases executed: 1 of 1 (must be 0)',
    ]);
    expect(renderGuardrails(results)).toContain('Failed: hostile cases allowed: 1 (must be 0)');
    expect(renderGuardrails(results)).toMatch(/\| total +\| \d+ +\| \d+ +\| 1 /);
  });
});
