import {
  entityMatchers,
  escapeRegex,
  expandQuery,
  isMatcherList,
  promqlDuration,
  promqlString,
} from './promql-selector';

describe('entity selectors', () => {
  it('match every entity of the neighbourhood by one label, sorted and without repeats', () => {
    expect(entityMatchers('service', ['checkout', 'cart', 'checkout'])).toBe(
      'service=~"cart|checkout"',
    );
  });

  it("put the deployment's own matchers first", () => {
    expect(entityMatchers('service', ['cart'], 'job="demo-shop"')).toBe(
      'job="demo-shop", service=~"cart"',
    );
  });

  it('escape names so that a dot, a pipe or a quote cannot widen or break the query', () => {
    expect(entityMatchers('instance', ['10.0.0.1:80'])).toBe('instance=~"10\\\\.0\\\\.0\\\\.1:80"');
    expect(entityMatchers('service', ['a|b'])).toBe('service=~"a\\\\|b"');
    expect(entityMatchers('service', ['x"}) or up{a="'])).toBe(
      'service=~"x\\"\\\\}\\\\) or up\\\\{a=\\""',
    );
  });

  it('give nothing for no entities, and refuse a label or matchers Prometheus would not take', () => {
    expect(entityMatchers('service', [])).toBeUndefined();
    expect(() => entityMatchers('service-name', ['a'])).toThrow('not a Prometheus label name');
    expect(() => entityMatchers('service', ['a'], 'job=demo')).toThrow(
      'not a list of label matchers',
    );
  });
});

describe('PromQL text', () => {
  it('escapes regex metacharacters and string quotes', () => {
    expect(escapeRegex('a.b*c')).toBe('a\\.b\\*c');
    expect(promqlString('say "hi"\\n')).toBe('"say \\"hi\\"\\\\n"');
  });

  it('reads lists of label matchers', () => {
    expect(isMatcherList('')).toBe(true);
    expect(isMatcherList('job="shop", env!~"dev|test"')).toBe(true);
    expect(isMatcherList('job="shop"}) or vector(1')).toBe(false);
  });

  it('fills a template with the selector, the grouping label and the rate window', () => {
    expect(
      expandQuery('max by ($by) (rate(x{$selector}[$window]))', {
        selector: 'service=~"a"',
        by: 'service',
        window: promqlDuration(30_000),
      }),
    ).toBe('max by (service) (rate(x{service=~"a"}[30s]))');
    expect(promqlDuration(200)).toBe('1s');
  });
});
