import { RunbookMemory } from './runbook-memory';

describe('RunbookMemory', () => {
  it('finds the most similar past runbooks first, above a floor, and forgets the oldest', () => {
    const memory = new RunbookMemory(3);
    const runbook = (summary: string) => ({ summary, faultClass: 'crash', steps: [] });
    memory.remember([1, 0, 0], runbook('payment crashed'));
    memory.remember([0.9, 0.1, 0], runbook('payment crashed again'));
    memory.remember([0, 1, 0], runbook('cart slow'));
    expect(memory.similar([1, 0.05, 0]).map((r) => r.summary)).toEqual([
      'payment crashed',
      'payment crashed again',
    ]);
    memory.remember([0, 0, 1], runbook('disk full'));
    expect(memory.size).toBe(3);
    expect(memory.similar([1, 0, 0]).map((r) => r.summary)).toEqual(['payment crashed again']);
  });
});
