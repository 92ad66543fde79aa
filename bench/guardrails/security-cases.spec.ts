import { securityCases } from './security-cases';

describe('the security cases of bench:guardrails', () => {
  const cases = securityCases();
  const controls = cases.filter((c) => c.id.includes('(control)'));
  const attacks = cases.filter((c) => !c.id.includes('(control)'));

  it('refuses every attack, each with a reason', () => {
    expect(attacks.filter((c) => !c.refused).map((c) => c.id)).toEqual([]);
    expect(attacks.filter((c) => c.reason === '').map((c) => c.id)).toEqual([]);
  });

  it('refuses producers without the ACL by naming the missing ACL, and lets the owner write', () => {
    const producers = attacks.filter((c) => c.id.startsWith('producer without the ACL'));
    expect(producers).toHaveLength(4);
    expect(producers.map((c) => c.reason)).toContain(
      'the broker has no ACL allowing User:ingest WRITE on Topic:vigil.remediation.plans.v1',
    );
    expect(controls.map((c) => [c.id, c.refused])).toEqual([
      ['signed approval of the plan as it is (control)', false],
      ['executor writing its audit trail (control)', false],
    ]);
  });
});
