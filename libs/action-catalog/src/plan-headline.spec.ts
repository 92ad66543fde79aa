import { planHeadline } from './plan-headline';

describe('planHeadline', () => {
  it('names the diagnosis and every step in order', () => {
    expect(
      planHeadline('bad-deploy', 'payment', [
        { action: 'run-diagnostic', target: 'payment' },
        { action: 'rollback-deployment', target: 'payment' },
      ]),
    ).toBe('bad-deploy on payment: run-diagnostic payment, then rollback-deployment payment');
  });

  it('cuts a long plan to one line people can read', () => {
    const steps = Array.from({ length: 20 }, (_, i) => ({
      action: 'restart' as const,
      target: `service-${i}`,
    }));
    const headline = planHeadline('crash', 'service-0', steps);
    expect(headline.length).toBe(200);
    expect(headline.endsWith('…')).toBe(true);
    expect(headline.startsWith('crash on service-0: restart service-0')).toBe(true);
  });
});
