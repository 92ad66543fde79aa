import { fullTextQuery } from './incident-store.repository';

describe('fullTextQuery', () => {
  it('requires every word', () => {
    expect(fullTextQuery('payment  timeouts')).toBe('+payment +timeouts');
  });

  it("escapes Lucene's operators, so people's words are never a syntax error", () => {
    expect(fullTextQuery('checkout-api (5xx) title:x')).toBe(
      '+checkout\\-api +\\(5xx\\) +title\\:x',
    );
  });

  it('has no query when no word is left', () => {
    expect(fullTextQuery(' ( ) * ')).toBeUndefined();
  });
});
