import type { LabelMatcher } from '@vigil/contracts';

export type MatcherOp = LabelMatcher['op'];

/** A matcher that cannot be used, named as the person wrote it. */
export class MatcherError extends Error {
  constructor(
    readonly matcher: string,
    readonly problem: string,
  ) {
    super(`bad matcher ${matcher}: ${problem}`);
    this.name = 'MatcherError';
  }
}

const labelName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const matcherShape = /^\s*([^=!~\s"]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/**
 * Matchers in Alertmanager's syntax: `{a="b", c=~"d.*"}` or the same without braces. Values are
 * double-quoted (with `\"`, `\\` and `\n` escapes) or plain words. Throws a MatcherError naming
 * the first matcher it cannot read, or whose regex is not valid.
 */
export function parseMatchers(text: string): LabelMatcher[] {
  let body = text.trim();
  if (body.startsWith('{') || body.endsWith('}')) {
    if (!(body.startsWith('{') && body.endsWith('}')))
      throw new MatcherError(text, 'unbalanced braces');
    body = body.slice(1, -1);
  }
  const parts = splitOutsideQuotes(body, text);
  // a trailing comma is allowed, as Alertmanager allows it
  if (parts.length > 0 && parts[parts.length - 1]?.trim() === '') parts.pop();
  return parts.map((part) => parseMatcher(part));
}

/** One matcher such as `job=~"api|web"`. */
export function parseMatcher(text: string): LabelMatcher {
  const shown = text.trim();
  const match = matcherShape.exec(text);
  if (!match) throw new MatcherError(shown || '(empty)', 'expected name, =, !=, =~ or !~, value');
  const [, name = '', op = '=', raw = ''] = match;
  if (!labelName.test(name))
    throw new MatcherError(shown, `"${name}" is not a label name (letters, digits and _)`);
  const matcher: LabelMatcher = { name, op: op as MatcherOp, value: unquote(raw, shown) };
  checkMatcher(matcher);
  return matcher;
}

/** Throws a MatcherError if the matcher's regex would not compile or is not RE2. */
export function checkMatcher(matcher: LabelMatcher): void {
  if (matcher.op === '=~' || matcher.op === '!~') compile(matcher);
}

/** The text form, quoted so that parseMatcher reads it back. */
export function formatMatcher(matcher: LabelMatcher): string {
  const escaped = matcher.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `${matcher.name}${matcher.op}"${escaped}"`;
}

export function formatMatchers(matchers: readonly LabelMatcher[]): string {
  return `{${matchers.map(formatMatcher).join(', ')}}`;
}

/** A label that is absent counts as the empty string, as in Alertmanager. */
export function matcherMatches(
  matcher: LabelMatcher,
  labels: Readonly<Record<string, string>>,
): boolean {
  const value = labels[matcher.name] ?? '';
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return compile(matcher).test(value);
    case '!~':
      return !compile(matcher).test(value);
  }
}

/** All of them match (an empty list matches everything). */
export function allMatch(
  matchers: readonly LabelMatcher[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return matchers.every((m) => matcherMatches(m, labels));
}

/** A matcher list that matches an alert with no labels would match every alert. */
export function matchesEverything(matchers: readonly LabelMatcher[]): boolean {
  return allMatch(matchers, {});
}

const compiled = new Map<string, RegExp>();
const maxCompiled = 10_000;

// RE2 (Alertmanager's engine) has no lookaround and no backreferences: refuse them rather than
// accept a silence that Alertmanager itself would refuse.
const notRe2 = /\(\?<?[=!]|\\[1-9]|\\k</;

function compile(matcher: LabelMatcher): RegExp {
  const cached = compiled.get(matcher.value);
  if (cached) return cached;
  if (notRe2.test(matcher.value))
    throw new MatcherError(
      formatMatcher(matcher),
      'lookaround and backreferences are not RE2 (Alertmanager refuses them)',
    );
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${matcher.value})$`);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new MatcherError(formatMatcher(matcher), `invalid regular expression (${why})`);
  }
  if (compiled.size >= maxCompiled) compiled.clear();
  compiled.set(matcher.value, regex);
  return regex;
}

function unquote(raw: string, shown: string): string {
  if (!raw.startsWith('"')) {
    if (raw.includes('"')) throw new MatcherError(shown, 'unbalanced quotes');
    return raw;
  }
  let value = '';
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') {
      if (i !== raw.length - 1) throw new MatcherError(shown, 'text after the closing quote');
      return value;
    }
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = raw[++i];
    if (next === 'n') value += '\n';
    else if (next === '"' || next === '\\') value += next;
    else throw new MatcherError(shown, `unknown escape \\${next ?? ''}`);
  }
  throw new MatcherError(shown, 'the value has no closing quote');
}

/** Splits on commas that are not inside a quoted value. */
function splitOutsideQuotes(body: string, whole: string): string[] {
  if (body.trim() === '') return [];
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted && c === '\\') {
      current += c + (body[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  if (quoted) throw new MatcherError(whole.trim(), 'a quoted value is not closed');
  parts.push(current);
  return parts;
}
