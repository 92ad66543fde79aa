import { parse as parseYaml } from 'yaml';
import type { InhibitionRule, LabelMatcher } from '@vigil/contracts';
import { allMatch, MatcherError, parseMatchers } from './label-matchers';
import { PolicyError } from './policy-error';

type Labels = Readonly<Record<string, string>>;

/**
 * Inhibition rules in Alertmanager's YAML form: a whole Alertmanager config (its `inhibit_rules`)
 * or the list alone. Each rule has `source_matchers`, `target_matchers` (lists of matcher
 * strings) and `equal`; the older `source_match`/`source_match_re` maps are read too. Throws a
 * PolicyError naming the rule (by its place, from 1) and the bad matcher.
 */
export function parseInhibitionRules(yamlText: string): InhibitionRule[] {
  let document: unknown;
  try {
    document = parseYaml(yamlText);
  } catch (error) {
    throw new PolicyError(`not YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const list = isRecord(document) ? document['inhibit_rules'] : document;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new PolicyError('inhibit_rules must be a list of rules');
  return list.map((rule, index) => {
    try {
      return readRule(rule);
    } catch (error) {
      if (error instanceof PolicyError || error instanceof MatcherError)
        throw new PolicyError(`inhibit rule ${index + 1}: ${error.message}`);
      throw error;
    }
  });
}

function readRule(rule: unknown): InhibitionRule {
  if (!isRecord(rule)) throw new PolicyError('a rule must be a mapping');
  const sourceMatchers = sideMatchers(rule, 'source');
  const targetMatchers = sideMatchers(rule, 'target');
  if (targetMatchers.length === 0)
    throw new PolicyError('target_matchers is empty: the rule would mute every alert');
  const equal = rule['equal'] ?? [];
  if (!Array.isArray(equal) || !equal.every((e) => typeof e === 'string'))
    throw new PolicyError('equal must be a list of label names');
  return { sourceMatchers, targetMatchers, equal };
}

function sideMatchers(rule: Record<string, unknown>, side: 'source' | 'target'): LabelMatcher[] {
  const matchers: LabelMatcher[] = [];
  const listed = rule[`${side}_matchers`] ?? [];
  if (!Array.isArray(listed)) throw new PolicyError(`${side}_matchers must be a list of strings`);
  for (const text of listed) {
    if (typeof text !== 'string')
      throw new PolicyError(`${side}_matchers must be a list of strings`);
    matchers.push(...parseMatchers(text));
  }
  for (const [key, op] of [
    [`${side}_match`, '='],
    [`${side}_match_re`, '=~'],
  ] as const) {
    const map = rule[key];
    if (map === undefined) continue;
    if (!isRecord(map)) throw new PolicyError(`${key} must be a mapping of label to value`);
    for (const [name, value] of Object.entries(map))
      matchers.push(...parseMatchers(`${name}${op}${JSON.stringify(String(value))}`));
  }
  return matchers;
}

/** A firing alert as inhibition sees it. */
export interface FiringAlert {
  fingerprint: string;
  labels: Labels;
}

/**
 * The source alerts that inhibit `target` under `rule`: firing, matching the source side, equal on
 * the `equal` labels (absent on both counts as equal), and not the target itself.
 */
export function inhibitingSources(
  rule: InhibitionRule,
  target: FiringAlert,
  firing: Iterable<FiringAlert>,
): string[] {
  if (!allMatch(rule.targetMatchers, target.labels)) return [];
  const sources: string[] = [];
  for (const source of firing) {
    if (source.fingerprint === target.fingerprint) continue;
    if (!allMatch(rule.sourceMatchers, source.labels)) continue;
    if (rule.equal.every((name) => (source.labels[name] ?? '') === (target.labels[name] ?? '')))
      sources.push(source.fingerprint);
  }
  return sources;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
