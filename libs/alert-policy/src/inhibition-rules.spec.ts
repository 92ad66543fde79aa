import { parseInhibitionRules } from './inhibition-rules';

describe('parseInhibitionRules', () => {
  it('reads the matcher lists, equal, and the older match maps', () => {
    const rules = parseInhibitionRules(`
- source_matchers: ['severity="critical"', 'alertname = ClusterDown']
  target_matchers: ['severity=~"warning|info"']
  equal: [cluster, namespace]
- source_match: { alertname: NodeDown }
  target_match_re: { alertname: "Pod.*" }
`);
    expect(rules).toEqual([
      {
        sourceMatchers: [
          { name: 'severity', op: '=', value: 'critical' },
          { name: 'alertname', op: '=', value: 'ClusterDown' },
        ],
        targetMatchers: [{ name: 'severity', op: '=~', value: 'warning|info' }],
        equal: ['cluster', 'namespace'],
      },
      {
        sourceMatchers: [{ name: 'alertname', op: '=', value: 'NodeDown' }],
        targetMatchers: [{ name: 'alertname', op: '=~', value: 'Pod.*' }],
        equal: [],
      },
    ]);
  });

  it('reads an Alertmanager config without rules as none', () => {
    expect(parseInhibitionRules('route: { receiver: default }')).toEqual([]);
  });

  it('names the rule and the bad matcher', () => {
    const yaml = `
inhibit_rules:
  - source_matchers: ['alertname="A"']
    target_matchers: ['alertname="B"']
  - source_matchers: ['alertname="A"']
    target_matchers: ['job=~"(unclosed"']
`;
    expect(() => parseInhibitionRules(yaml)).toThrow(
      /^inhibit rule 2: bad matcher job=~"\(unclosed": invalid regular expression/,
    );
  });

  it('refuses a rule without targets, which would mute every alert', () => {
    expect(() => parseInhibitionRules('- source_matchers: [\'a="b"\']')).toThrow(
      'inhibit rule 1: target_matchers is empty',
    );
  });

  it('refuses what is not YAML', () => {
    expect(() => parseInhibitionRules('inhibit_rules: [')).toThrow(/^not YAML/);
  });
});
