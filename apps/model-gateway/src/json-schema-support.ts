/**
 * The JSON Schema subset node-llama-cpp turns into a grammar. It silently ignores the rest
 * (a `pattern`, an unknown `type`), which would let output through that the caller's schema
 * rejects; so the gateway refuses such schemas up front, naming each unsupported part.
 */
const GRAMMAR_KEYWORDS = new Set([
  'type',
  'const',
  'enum',
  'oneOf',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'maxProperties',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'format',
  '$defs',
  '$ref',
  'description',
]);

/** Annotations that do not constrain values, so ignoring them is harmless. */
const ANNOTATIONS = new Set(['title', '$schema', '$id', '$comment', 'examples', 'default']);

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);
const FORMATS = new Set(['date-time', 'time', 'date']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function unsupportedSchemaParts(schema: unknown, path = 'schema'): string[] {
  if (!isObject(schema)) return [`${path}: must be a schema object`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    const at = `${path}.${key}`;
    if (ANNOTATIONS.has(key)) continue;
    if (!GRAMMAR_KEYWORDS.has(key)) problems.push(`${at}: not supported by the grammar`);
    else problems.push(...keywordProblems(key, value, at));
  }
  return problems;
}

function keywordProblems(key: string, value: unknown, at: string): string[] {
  switch (key) {
    case 'type': {
      const types = Array.isArray(value) ? value : [value];
      return types
        .filter((t) => typeof t !== 'string' || !TYPES.has(t))
        .map((t) => `${at}: unknown type ${JSON.stringify(t)}`);
    }
    case 'format':
      return FORMATS.has(String(value))
        ? []
        : [`${at}: only date-time, time and date are supported`];
    case 'properties':
    case '$defs':
      return isObject(value)
        ? Object.entries(value).flatMap(([name, sub]) =>
            unsupportedSchemaParts(sub, `${at}.${name}`),
          )
        : [`${at}: must be an object of schemas`];
    case 'oneOf':
    case 'prefixItems':
      return Array.isArray(value)
        ? value.flatMap((sub, i) => unsupportedSchemaParts(sub, `${at}.${i}`))
        : [`${at}: must be an array of schemas`];
    case 'items':
      return unsupportedSchemaParts(value, at);
    case 'additionalProperties':
      return typeof value === 'boolean' ? [] : unsupportedSchemaParts(value, at);
    default:
      return [];
  }
}
