import type { AlertRule } from './alert-rule';
import { assertValidRules, validateRules } from './rule-validation';

const base: AlertRule = {
  alert: 'Base',
  expr: {
    kind: 'threshold',
    value: { kind: 'range', fn: 'avg', select: { metric: 'cpu' }, windowMs: 30_000 },
    op: '>',
    threshold: 0.9,
  },
  for: 30_000,
  severity: 'warning',
  annotations: { summary: 'cpu' },
};

describe('validateRules', () => {
  it('accepts a sound rule', () => {
    expect(validateRules([base])).toEqual([]);
  });

  it('names every problem with its rule', () => {
    const broken: AlertRule = {
      ...base,
      alert: 'Broken',
      for: -1,
      labels: { severity: 'page' },
      annotations: { summary: ' ' },
      expr: {
        kind: 'threshold',
        value: {
          kind: 'range',
          fn: 'rate',
          select: { metric: 'm', matchers: [{ label: 'status', op: '=~', value: '5(' }] },
          windowMs: 0,
        },
        op: '>',
        threshold: Number.NaN,
      },
    };
    expect(validateRules([broken, base, base])).toEqual([
      'Broken: the threshold must be a finite number',
      'Broken: m: status=~"5(" is not a valid regex',
      'Broken: m: windowMs must be above 0',
      'Broken: `for` must be 0 or more milliseconds',
      'Broken: the summary is empty',
      'Broken: the label "severity" is set from the rule itself',
      'Base: the alert name is used twice',
    ]);
  });

  it('refuses parts that could never be joined into one alert', () => {
    const cpu = { kind: 'range', fn: 'rate', select: { metric: 'r' }, windowMs: 60_000 } as const;
    const rule: AlertRule = {
      ...base,
      expr: {
        kind: 'any',
        of: [
          {
            kind: 'threshold',
            value: { kind: 'ratio', numerator: { ...cpu, by: ['service'] }, denominator: cpu },
            op: '>',
            threshold: 1,
          },
          {
            kind: 'absent',
            select: { metric: 'up' },
            staleAfterMs: 1,
            by: ['instance'],
            services: ['a'],
          },
        ],
      },
    };
    expect(validateRules([rule])).toEqual([
      'Base: a ratio needs the same `by` labels on both sides',
      'Base: expected `services` need `service` among the `by` labels',
      'Base: the conditions of `any` need the same `by` labels',
    ]);
  });

  it('throws all problems at once for start-up', () => {
    expect(() => assertValidRules([{ ...base, keepFiringFor: -5 }])).toThrow(
      'invalid alert rules: Base: `keepFiringFor` must be 0 or more milliseconds',
    );
  });
});
