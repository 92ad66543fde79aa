import { readFileSync } from 'node:fs';
import {
  buildShopAlertRules,
  shopServiceNames,
  validateRules,
  type AlertRule,
} from '@vigil/alert-rules';

/** The rules to evaluate: the demo shop's, or a JSON file of rules (checked, each problem named). */
export function loadRuleSet(spec: string, servicePrefix: string): AlertRule[] {
  if (spec === 'shop')
    return buildShopAlertRules(shopServiceNames.map((s) => `${servicePrefix}${s}`));
  let rules: AlertRule[];
  try {
    rules = JSON.parse(readFileSync(spec, 'utf8')) as AlertRule[];
  } catch (error) {
    throw new Error(`RULER_RULES ${spec}: cannot read it as JSON (${String(error)})`);
  }
  const problems = Array.isArray(rules) ? validateRules(rules) : ['must be an array of rules'];
  if (problems.length > 0) throw new Error(`RULER_RULES ${spec}: ${problems.join('; ')}`);
  return rules;
}
