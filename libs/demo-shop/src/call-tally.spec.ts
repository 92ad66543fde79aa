import { callSpanSchema } from '@vigil/contracts';
import { CallTally } from './call-tally';

describe('CallTally', () => {
  it('sums calls per callee and outcome into valid spans, then starts over', () => {
    const tally = new CallTally('checkout');
    tally.record('payment', 10, true);
    tally.record('payment', 30, true);
    tally.record('payment', 100, false);
    tally.record('cart', 2, true);
    const spans = tally.flush(new Date('2026-11-27T10:00:00Z'));
    expect(spans).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ callee: 'payment', status: 'ok', count: 2, durationMs: 20 }),
        expect.objectContaining({ callee: 'payment', status: 'error', count: 1, durationMs: 100 }),
        expect.objectContaining({ callee: 'cart', status: 'ok', count: 1 }),
      ]),
    );
    for (const span of spans) expect(callSpanSchema.safeParse(span).success).toBe(true);
    expect(tally.flush(new Date())).toEqual([]);
  });
});
