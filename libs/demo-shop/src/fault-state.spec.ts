import { noFaults, parseFaults, requestFate } from './fault-state';

describe('faults', () => {
  it('parses what chaos sends, with defaults for the rest', () => {
    expect(parseFaults({ latencyMs: 400 })).toEqual({
      ok: true,
      faults: { ...noFaults, latencyMs: 400 },
    });
  });

  it('refuses nonsense, naming the field', () => {
    const parsed = parseFaults({ errorRate: 2, colour: 'red' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toContain('errorRate');
      expect(parsed.reason).toContain('colour');
    }
  });

  it('fails the share of requests asked for, and every one when unavailable', () => {
    const faults = { ...noFaults, errorRate: 0.25, latencyMs: 30 };
    const fates = Array.from({ length: 100 }, (_, i) => requestFate(faults, i / 100));
    expect(fates.filter((f) => f.fail === 'error')).toHaveLength(25);
    expect(fates.every((f) => f.extraLatencyMs === 30)).toBe(true);
    expect(requestFate({ ...noFaults, unavailable: true }, 0.99).fail).toBe('unavailable');
    expect(requestFate(noFaults, 0).fail).toBeUndefined();
  });
});
