import {
  formatMatchers,
  MatcherError,
  matcherMatches,
  allMatch,
  parseMatcher,
  parseMatchers,
} from './label-matchers';

describe('parseMatchers', () => {
  it('reads every operator, with and without braces', () => {
    const expected = [
      { name: 'service', op: '=', value: 'checkout' },
      { name: 'env', op: '!=', value: 'dev' },
      { name: 'alertname', op: '=~', value: 'High.*' },
      { name: 'pod', op: '!~', value: 'canary-.*' },
    ];
    expect(
      parseMatchers('{service="checkout", env!="dev", alertname=~"High.*", pod!~"canary-.*"}'),
    ).toEqual(expected);
    expect(
      parseMatchers('service="checkout",env!="dev",alertname=~"High.*",pod!~"canary-.*",'),
    ).toEqual(expected);
  });

  it('reads plain values, and quoted values with commas, braces and escapes', () => {
    expect(parseMatchers('{job=api, msg="a, b} \\"c\\" \\\\"}')).toEqual([
      { name: 'job', op: '=', value: 'api' },
      { name: 'msg', op: '=', value: 'a, b} "c" \\' },
    ]);
  });

  it('writes matchers that read back the same', () => {
    const matchers = parseMatchers('{a="x\\"y", b=~"p|q"}');
    expect(parseMatchers(formatMatchers(matchers))).toEqual(matchers);
  });

  it.each([
    ['service', 'bad matcher service: expected name, =, !=, =~ or !~, value'],
    ['9lives="x"', 'bad matcher 9lives="x": "9lives" is not a label name'],
    ['job="api', 'bad matcher job="api: a quoted value is not closed'],
    ['{job="api"', 'bad matcher {job="api": unbalanced braces'],
    ['job="a"b"', 'bad matcher job="a"b"'],
  ])('names the malformed matcher %s', (text, message) => {
    expect(() => parseMatchers(text)).toThrow(MatcherError);
    expect(() => parseMatchers(text)).toThrow(message);
  });

  it('names the matcher whose regex does not compile', () => {
    expect(() => parseMatchers('service="api", job=~"(["')).toThrow(
      /bad matcher job=~"\(\[": invalid regular expression/,
    );
  });

  it('refuses what RE2 (and so Alertmanager) refuses: lookaround and backreferences', () => {
    expect(() => parseMatcher('job=~"(?!api).*"')).toThrow(/not RE2/);
    expect(() => parseMatcher('job=~"(a)\\\\1"')).toThrow(/not RE2/);
  });
});

describe('matching', () => {
  const labels = { service: 'checkout', job: 'api-gateway' };

  it('anchors a regex at both ends, as Alertmanager does', () => {
    expect(matcherMatches(parseMatcher('job=~"api"'), labels)).toBe(false);
    expect(matcherMatches(parseMatcher('job=~"api.*"'), labels)).toBe(true);
    expect(matcherMatches(parseMatcher('job=~"a|api-gateway"'), labels)).toBe(true);
    expect(matcherMatches(parseMatcher('job!~"api.*"'), labels)).toBe(false);
  });

  it('counts an absent label as empty', () => {
    expect(matcherMatches(parseMatcher('team=""'), labels)).toBe(true);
    expect(matcherMatches(parseMatcher('team!="payments"'), labels)).toBe(true);
    expect(matcherMatches(parseMatcher('team=~".+"'), labels)).toBe(false);
  });

  it('needs every matcher of a list', () => {
    expect(allMatch(parseMatchers('{service="checkout", job=~"api-.*"}'), labels)).toBe(true);
    expect(allMatch(parseMatchers('{service="checkout", job="web"}'), labels)).toBe(false);
  });
});
