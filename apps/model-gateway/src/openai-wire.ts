import { z } from 'zod';

/**
 * The OpenAI wire format the gateway speaks: request schemas (zod, so a bad request gets a 400
 * that names the field) and the response shapes the official SDK expects. Pure: no I/O.
 *
 * Every request object is strict: a field the gateway does not know is a 400 that names it, never
 * dropped (a misspelt `max_token` would otherwise run to the token limit). The fields of OpenAI's
 * API fall in four groups, listed in apps/model-gateway/API.md as well:
 * - honoured: model, messages, max_tokens / max_completion_tokens, temperature, top_p, seed, stop,
 *   response_format, frequency_penalty, presence_penalty (and dimensions, encoding_format for
 *   embeddings);
 * - accepted only at the value that asks for nothing the gateway lacks: n 1, stream false,
 *   logprobs false, logit_bias {}, tools [], tool_choice "none", functions [], function_call
 *   "none", modalities ["text"], store false; any other value is a 400 that says it is not
 *   supported;
 * - accepted and not acted on, since they change nothing in the answer: user, metadata,
 *   safety_identifier, service_tier, prompt_cache_key, prompt_cache_retention,
 *   prompt_cache_options, parallel_tool_calls (no tool is ever called), and a json_schema
 *   response format's description and strict (the schema is enforced either way);
 * - refused whenever set (null counts as unset), with a 400 that says why: stream_options,
 *   top_logprobs, audio, prediction, reasoning_effort, verbosity, web_search_options, moderation,
 *   and a message's name.
 */

/** Every field name the schemas below know, for the "did you mean" of an unknown one. */
const knownFields = new Set<string>();

/** An object that refuses keys it does not list (zod's default would drop them unseen). */
function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  for (const name of Object.keys(shape)) knownFields.add(name);
  return z.strictObject(shape);
}

/** An OpenAI field the gateway cannot honour: only null or absent get through. */
const refused = (why: string) => z.null({ error: why }).optional();

const textPartSchema = strictObject({ type: z.literal('text'), text: z.string() });

const messageContentSchema = z.union([z.string(), z.array(textPartSchema)], {
  error: 'must be a string or an array of {type: "text", text} parts',
});

export const chatMessageSchema = strictObject({
  role: z.enum(['system', 'developer', 'user', 'assistant'], {
    error: 'must be one of system, developer, user, assistant',
  }),
  content: messageContentSchema,
  // the prompt has no place for a participant's name
  name: refused('message names are not supported; leave name unset'),
  // an assistant message of an earlier answer, passed back as it came (its refusal is null)
  refusal: z.null({ error: 'must be null: refusals are not supported' }).optional(),
});
export type ChatMessage = z.output<typeof chatMessageSchema>;

const jsonSchemaFormat = strictObject({
  type: z.literal('json_schema'),
  json_schema: strictObject({
    name: z.string().min(1, 'must not be empty'),
    // accepted, not given to the model: the grammar holds the answer to the schema
    description: z.string().nullish(),
    schema: z.record(z.string(), z.unknown(), { error: 'must be a JSON schema object' }),
    // the schema is always enforced, strict or not
    strict: z.boolean().nullish(),
  }),
});

export const responseFormatSchema = z.discriminatedUnion(
  'type',
  [
    strictObject({ type: z.literal('text') }),
    strictObject({ type: z.literal('json_object') }),
    jsonSchemaFormat,
  ],
  { error: 'type must be text, json_object or json_schema' },
);
export type ResponseFormat = z.output<typeof responseFormatSchema>;

const stopSchema = z.union([z.string(), z.array(z.string()).max(4, 'at most 4 stop sequences')]);

const toolsUnsupported = 'tools are not supported';
const functionsUnsupported = 'function calling is not supported';

export const chatCompletionRequestSchema = strictObject({
  // honoured
  model: z.string().min(1, 'must name a model from GET /v1/models'),
  messages: z.array(chatMessageSchema).min(1, 'must hold at least one message'),
  max_tokens: z.number().int('must be a whole number').min(1, 'must be at least 1').nullish(),
  max_completion_tokens: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .nullish(),
  temperature: z
    .number()
    .min(0, 'must be between 0 and 2')
    .max(2, 'must be between 0 and 2')
    .nullish(),
  top_p: z.number().gt(0, 'must be in (0, 1]').max(1, 'must be in (0, 1]').nullish(),
  seed: z.number().int('must be a whole number').nullish(),
  stop: stopSchema.nullish(),
  response_format: responseFormatSchema.nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  // accepted only at the value that asks for nothing the gateway lacks
  n: z.literal(1, { error: 'only n = 1 is supported' }).nullish(),
  stream: z.literal(false, { error: 'streaming is not supported; leave stream unset' }).nullish(),
  logprobs: z.literal(false, { error: 'logprobs are not supported' }).nullish(),
  logit_bias: z
    .record(z.string(), z.number())
    .refine((bias) => Object.keys(bias).length === 0, 'logit_bias is not supported')
    .nullish(),
  tools: z.array(z.unknown()).max(0, toolsUnsupported).nullish(),
  tool_choice: z
    .literal('none', { error: `${toolsUnsupported}; tool_choice may only be "none"` })
    .nullish(),
  functions: z.array(z.unknown()).max(0, functionsUnsupported).nullish(),
  function_call: z
    .literal('none', { error: `${functionsUnsupported}; function_call may only be "none"` })
    .nullish(),
  modalities: z.array(z.literal('text', { error: 'only text output is supported' })).nullish(),
  store: z
    .literal(false, { error: 'stored completions are not supported; leave store unset' })
    .nullish(),
  // accepted and not acted on: they change nothing in the answer
  user: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  safety_identifier: z.string().nullish(),
  service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority']).nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_retention: z.enum(['in_memory', '24h']).nullish(),
  prompt_cache_options: z.record(z.string(), z.unknown()).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  // refused whenever set
  stream_options: refused('streaming is not supported; leave stream_options unset'),
  top_logprobs: refused('logprobs are not supported'),
  audio: refused('audio output is not supported'),
  prediction: refused('predicted outputs are not supported'),
  reasoning_effort: refused('the model does not reason; leave reasoning_effort unset'),
  verbosity: refused('verbosity is not supported'),
  web_search_options: refused('web search is not supported'),
  moderation: refused('moderation is not supported'),
}).refine((r) => r.max_tokens == null || r.max_completion_tokens == null, {
  message: 'give max_tokens or max_completion_tokens, not both',
  path: ['max_tokens'],
});
export type ChatCompletionRequest = z.output<typeof chatCompletionRequestSchema>;

export const embeddingsRequestSchema = strictObject({
  model: z.string().min(1, 'must name a model from GET /v1/models'),
  input: z.union(
    [
      z.string(),
      z
        .array(z.string(), { error: 'must be a string or an array of strings' })
        .min(1, 'must hold at least one string')
        .max(2048, 'at most 2048 inputs per request'),
    ],
    { error: 'must be a string or an array of strings (token arrays are not supported)' },
  ),
  encoding_format: z.enum(['float', 'base64'], { error: 'must be float or base64' }).nullish(),
  dimensions: z.number().int().positive().nullish(),
  // accepted and not acted on
  user: z.string().nullish(),
});
export type EmbeddingsRequest = z.output<typeof embeddingsRequestSchema>;

/** What is wrong with a request: the message, the field it is about, and OpenAI's error code. */
export interface RequestProblem {
  message: string;
  param: string | null;
  code: string | null;
}

const fieldPath = (path: readonly PropertyKey[]) => path.map(String).join('.');

/**
 * "messages.0.role: must be one of ...; max_token: unknown field (did you mean max_tokens?)" for
 * every issue: the 400 says what is wrong and where. `param` is the first field named (null when
 * the body as a whole is wrong); `code` is OpenAI's `unknown_parameter` for an unknown field.
 */
export function requestProblem(error: z.ZodError): RequestProblem {
  const found = error.issues.flatMap(
    (issue): { param: string; text: string; code: string | null }[] =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            param: fieldPath([...issue.path, key]),
            text: `unknown field${suggestion(key)}`,
            code: 'unknown_parameter',
          }))
        : [{ param: fieldPath(issue.path), text: issue.message, code: null }],
  );
  return {
    message: found.map((f) => `${f.param || '(body)'}: ${f.text}`).join('; '),
    param: found[0]?.param ? found[0].param : null,
    code: found[0]?.code ?? null,
  };
}

export function describeIssues(error: z.ZodError): string {
  return requestProblem(error).message;
}

/**
 * " (did you mean max_tokens?)" for a near miss of a field the wire format knows (at any level:
 * a hint, not a verdict), else "".
 */
function suggestion(key: string): string {
  let best: { name: string; distance: number } | undefined;
  for (const name of knownFields) {
    if (name === key) continue; // a field of another object: nothing nearer to offer
    const distance = editDistance(key.toLowerCase(), name);
    if (distance <= 2 && distance < key.length / 2 && (!best || distance < best.distance))
      best = { name, distance };
  }
  return best ? ` (did you mean ${best.name}?)` : '';
}

/** Levenshtein distance, for short field names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

export type FinishReason = 'stop' | 'length';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface ChatCompletionResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: number;
    message: { role: 'assistant'; content: string; refusal: null };
    logprobs: null;
    finish_reason: FinishReason;
  }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export function chatCompletionResponse(args: {
  id: string;
  model: string;
  createdMs: number;
  content: string;
  finishReason: FinishReason;
  usage: Usage;
}): ChatCompletionResponse {
  return {
    id: args.id,
    object: 'chat.completion',
    created: Math.floor(args.createdMs / 1000),
    model: args.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: args.content, refusal: null },
        logprobs: null,
        finish_reason: args.finishReason,
      },
    ],
    usage: {
      prompt_tokens: args.usage.promptTokens,
      completion_tokens: args.usage.completionTokens,
      total_tokens: args.usage.promptTokens + args.usage.completionTokens,
    },
  };
}

export interface EmbeddingsResponse {
  object: 'list';
  data: { object: 'embedding'; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/**
 * The SDK asks for base64 by default (little-endian float32 bytes) and decodes it itself;
 * "float" gives plain number arrays.
 */
export function embeddingsResponse(args: {
  model: string;
  vectors: readonly Float32Array[];
  format: 'float' | 'base64';
  promptTokens: number;
}): EmbeddingsResponse {
  return {
    object: 'list',
    data: args.vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: args.format === 'base64' ? float32ToBase64(vector) : Array.from(vector),
    })),
    model: args.model,
    usage: { prompt_tokens: args.promptTokens, total_tokens: args.promptTokens },
  };
}

function float32ToBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString('base64');
}

export interface ModelCard {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export function modelCard(id: string, createdMs: number): ModelCard {
  return { id, object: 'model', created: Math.floor(createdMs / 1000), owned_by: 'vigil' };
}

export type OpenAiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'server_error';

/** The error body the SDK reads (`error.message` becomes the thrown APIError's message). */
export interface OpenAiErrorBody {
  error: { message: string; type: OpenAiErrorType; param: string | null; code: string | null };
}

export function errorBody(
  message: string,
  type: OpenAiErrorType,
  param: string | null = null,
  code: string | null = null,
): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}
