import { planIdFor } from './plan-draft';

describe('planIdFor', () => {
  const first = { episode: 0, attempt: 1 };

  it('is the same for the same incident, service, episode and attempt', () => {
    expect(planIdFor('inc-7', 'payment', first)).toBe(planIdFor('inc-7', 'payment', first));
    expect(planIdFor('inc-7', 'payment', first)).toMatch(/^plan-inc-7-[0-9a-f]{16}$/);
  });

  it('differs when any of them differs', () => {
    const ids = [
      planIdFor('inc-7', 'payment', first),
      planIdFor('inc-8', 'payment', first),
      planIdFor('inc-7', 'checkout', first),
      planIdFor('inc-7', 'payment', { episode: 1, attempt: 1 }),
      planIdFor('inc-7', 'payment', { episode: 0, attempt: 2 }),
      planIdFor('inc-7', 'payment', { episode: 10, attempt: 1 }),
      planIdFor('inc-7', 'payment', { episode: 1, attempt: 0 }),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});
