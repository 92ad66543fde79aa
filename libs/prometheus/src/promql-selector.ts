/**
 * PromQL text built from entity names. Names come from the topology (people and producers write
 * them), so every one is quoted and escaped: a name can never change the shape of a query.
 */

/** RE2 metacharacters; Prometheus anchors a regex matcher at both ends. */
const regexSpecial = /[.*+?^${}()|[\]\\]/g;

/** A regex that matches exactly this text. */
export function escapeRegex(text: string): string {
  return text.replace(regexSpecial, '\\$&');
}

/** A PromQL double-quoted string literal (Go escaping) holding this text. */
export function promqlString(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `"${escaped}"`;
}

/** A label name as Prometheus accepts it. */
export const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** One matcher, `label="value"`, `label=~"regex"`, ..., in a comma-separated list. */
const matcherPattern = String.raw`\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*`;
const matcherListPattern = new RegExp(`^(?:${matcherPattern}(?:,${matcherPattern})*)?$`);

/** Whether text is a list of label matchers that can go inside `{...}` (empty is fine). */
export function isMatcherList(text: string): boolean {
  return matcherListPattern.test(text);
}

/**
 * The matchers that pick these entities by one label, `service=~"a|b"`, with the deployment's
 * own matchers (e.g. `job="shop"`) in front. Undefined when there is no name to match.
 */
export function entityMatchers(
  label: string,
  names: readonly string[],
  extraMatchers = '',
): string | undefined {
  if (!labelNamePattern.test(label)) throw new Error(`"${label}" is not a Prometheus label name`);
  if (!isMatcherList(extraMatchers))
    throw new Error(`"${extraMatchers}" is not a list of label matchers like job="shop"`);
  const unique = [...new Set(names)].filter((n) => n !== '').sort();
  if (unique.length === 0) return undefined;
  const own = `${label}=~${promqlString(unique.map(escapeRegex).join('|'))}`;
  const extra = extraMatchers.trim();
  return extra ? `${extra}, ${own}` : own;
}

/** What a query template's placeholders stand for. */
export interface QueryParts {
  /** The label matchers, without braces: `$selector`. */
  selector: string;
  /** The label the result is grouped by: `$by`. */
  by: string;
  /** The range of rate() and friends, as a PromQL duration: `$window`. */
  window: string;
}

/** A query template with `$selector`, `$by` and `$window` filled in. */
export function expandQuery(template: string, parts: QueryParts): string {
  return template
    .split('$selector')
    .join(parts.selector)
    .split('$window')
    .join(parts.window)
    .split('$by')
    .join(parts.by);
}

/** Milliseconds as a PromQL duration in whole seconds (at least 1s): 30000 -> `30s`. */
export function promqlDuration(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}
