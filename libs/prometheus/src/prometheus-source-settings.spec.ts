import {
  defaultPrometheusQueries,
  formatPrometheusQueries,
  parsePrometheusQueries,
} from './prometheus-source-settings';

describe('the queries setting', () => {
  it('reads name=expr entries, splitting each at its first =', () => {
    expect(
      parsePrometheusQueries(' errors=sum by ($by) (x{$selector, code="500"}) ; up=up{$selector};'),
    ).toEqual([
      { metric: 'errors', expr: 'sum by ($by) (x{$selector, code="500"})' },
      { metric: 'up', expr: 'up{$selector}' },
    ]);
  });

  it('reads back what it writes, the defaults included', () => {
    expect(parsePrometheusQueries(formatPrometheusQueries(defaultPrometheusQueries))).toEqual(
      defaultPrometheusQueries,
    );
  });

  it('says which entry is wrong', () => {
    expect(() => parsePrometheusQueries('')).toThrow('at least one');
    expect(() => parsePrometheusQueries('up{$selector}')).toThrow(
      '"up{$selector}" is not name=expr',
    );
    expect(() => parsePrometheusQueries('up=up')).toThrow('the query of up has no $selector');
    expect(() => parsePrometheusQueries('up=up{$selector};up=up{$selector}')).toThrow(
      'up is named twice',
    );
  });
});
