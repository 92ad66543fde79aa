import { z } from 'zod';
import { actionCatalog, fittingActions, scaleRange, type FaultClass } from '@vigil/action-catalog';

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

type ActionName = keyof typeof actionCatalog;

/** What the plan is for: the answer may only treat this diagnosis. */
export interface DiagnosisBounds {
  faultClass: FaultClass;
  target: string;
  replicas: number;
  /** false: the platform says nothing was released lately, so there is nothing to roll back. */
  released?: boolean;
}

const counting = (from: number, to: number) =>
  Array.from({ length: Math.min(20, to - from + 1) }, (_, i) => from + i);

function stepSchema(name: ActionName, targets: readonly string[], diagnosis?: DiagnosisBounds) {
  const params = requiredParams(actionCatalog[name].params);
  if (name === 'scale' && diagnosis) {
    // the grammar writes only a proportionate count: a small model asked for 10 instances of one
    const { from, to } = scaleRange(diagnosis.replicas);
    params.properties = { replicas: { enum: counting(from, to) } };
  }
  if (name === 'restart' && diagnosis) {
    // a batch larger than the service restarts it all at once: no rolling restart left
    params.properties = { batchSize: { enum: counting(1, Math.max(1, diagnosis.replicas)) } };
    params.required = ['batchSize'];
  }
  return {
    type: 'object',
    properties: {
      action: { const: name },
      target: { enum: [...targets] },
      params,
      rationale: { type: 'string', maxLength: 120 },
    },
    required: ['action', 'target', 'params', 'rationale'],
    additionalProperties: false,
  };
}

/**
 * The steps of an answer for a diagnosis: actions that treat it, on the diagnosed service,
 * optionally after one diagnostic. What a validator would refuse afterwards, a small model
 * cannot even write; what it chooses (which treatment, in what size, and why) is still its own.
 */
function treatmentSteps(diagnosis: DiagnosisBounds): Json {
  const targets = [diagnosis.target];
  const fitting = fittingActions[diagnosis.faultClass].filter(
    (a) =>
      !(a === 'rollback-deployment' && diagnosis.released === false) &&
      // a failover promotes a replica: one instance has none to promote
      !(a === 'failover' && diagnosis.replicas < 2),
  );
  const treat = { oneOf: fitting.map((a) => stepSchema(a, targets, diagnosis)) };
  if (fitting.includes('run-diagnostic'))
    return { type: 'array', minItems: 1, maxItems: 3, items: treat };
  return {
    oneOf: [
      { type: 'array', minItems: 1, maxItems: 2, items: treat },
      {
        type: 'array',
        minItems: 2,
        maxItems: 2,
        prefixItems: [stepSchema('run-diagnostic', targets, diagnosis), treat],
      },
    ],
  };
}

/**
 * The JSON Schema the model must answer in, for one incident: one of the catalog's actions per
 * step, with its required parameters, and a target from the incident's own topology (an enum, so
 * the grammar cannot even write another name). With a diagnosis, only steps that treat it.
 */
export function runbookResponseSchema(
  targets: readonly string[],
  maxSteps = 3,
  diagnosis?: DiagnosisBounds,
): Json {
  const anyStep = {
    type: 'array',
    minItems: 1,
    maxItems: maxSteps,
    items: {
      oneOf: Object.values(actionCatalog).map((a) => stepSchema(a.name as ActionName, targets)),
    },
  };
  return {
    type: 'object',
    properties: {
      summary: { type: 'string', maxLength: 160 },
      steps: diagnosis ? treatmentSteps(diagnosis) : anyStep,
    },
    required: ['summary', 'steps'],
    additionalProperties: false,
  };
}
