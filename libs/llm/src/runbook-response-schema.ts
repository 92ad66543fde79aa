import { z } from 'zod';
import { actionCatalog } from '@vigil/action-catalog';

type Json = Record<string, unknown>;

// What a grammar can enforce; bounds and patterns are checked by validation afterwards.
const kept = new Set([
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minLength',
  'maxLength',
]);

/**
 * A grammar cannot enforce numeric bounds, but it can enforce an enum: a bounded integer becomes
 * the list of its first values (20 at most), so a small model cannot write 10^16 replicas.
 */
function boundedInteger(schema: Json): Json | undefined {
  const { type, minimum, maximum } = schema;
  if (type !== 'integer' || typeof minimum !== 'number' || typeof maximum !== 'number')
    return undefined;
  const last = Math.min(maximum, minimum + 19);
  return { enum: Array.from({ length: last - minimum + 1 }, (_, i) => minimum + i) };
}

function grammarSafe(schema: Json): Json {
  const bounded = boundedInteger(schema);
  if (bounded) return bounded;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!kept.has(key)) continue;
    if (key === 'properties' && typeof value === 'object' && value !== null)
      out[key] = Object.fromEntries(
        Object.entries(value as Json).map(([k, v]) => [k, grammarSafe(v as Json)]),
      );
    else if (key === 'items' && typeof value === 'object' && value !== null)
      out[key] = grammarSafe(value as Json);
    else out[key] = value;
  }
  return out;
}

/** Only the parameters an action requires: a grammar writes every listed property, defaults fill the rest. */
function requiredParams(params: z.ZodType): Json {
  const schema = z.toJSONSchema(params) as Json;
  const required = (schema.required as string[] | undefined) ?? [];
  const properties = (schema.properties as Record<string, Json> | undefined) ?? {};
  return {
    type: 'object',
    properties: Object.fromEntries(required.map((name) => [name, grammarSafe(properties[name])])),
    required,
    additionalProperties: false,
  };
}

/**
 * The JSON Schema the model must answer in, for one incident: one of the catalog's actions per
 * step, with its required parameters, and a target from the incident's own topology (an enum, so
 * the grammar cannot even write another name).
 */
export function runbookResponseSchema(targets: readonly string[], maxSteps = 3): Json {
  const step = (name: string, params: z.ZodType): Json => ({
    type: 'object',
    properties: {
      action: { const: name },
      target: { enum: [...targets] },
      params: requiredParams(params),
      rationale: { type: 'string', maxLength: 200 },
    },
    required: ['action', 'target', 'params', 'rationale'],
    additionalProperties: false,
  });
  return {
    type: 'object',
    properties: {
      summary: { type: 'string', maxLength: 300 },
      steps: {
        type: 'array',
        minItems: 1,
        maxItems: maxSteps,
        items: { oneOf: Object.values(actionCatalog).map((a) => step(a.name, a.params)) },
      },
    },
    required: ['summary', 'steps'],
    additionalProperties: false,
  };
}
