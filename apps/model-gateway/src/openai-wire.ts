import { z } from 'zod';

/**
 * The OpenAI wire format the gateway speaks: request schemas (zod, so a bad request gets a 400
 * that names the field) and the response shapes the official SDK expects. Pure: no I/O.
 */

const textPartSchema = z.object({ type: z.literal('text'), text: z.string() });

const messageContentSchema = z.union([z.string(), z.array(textPartSchema)], {
  error: 'must be a string or an array of {type: "text", text} parts',
});

export const chatMessageSchema = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant'], {
    error: 'must be one of system, developer, user, assistant',
  }),
  content: messageContentSchema,
});
export type ChatMessage = z.output<typeof chatMessageSchema>;

const jsonSchemaFormat = z.object({
  type: z.literal('json_schema'),
  json_schema: z.object({
    name: z.string().min(1, 'must not be empty'),
    description: z.string().optional(),
    schema: z.record(z.string(), z.unknown(), { error: 'must be a JSON schema object' }),
    strict: z.boolean().nullish(),
  }),
});

export const responseFormatSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('text') }),
    z.object({ type: z.literal('json_object') }),
    jsonSchemaFormat,
  ],
  { error: 'type must be text, json_object or json_schema' },
);
export type ResponseFormat = z.output<typeof responseFormatSchema>;

const stopSchema = z.union([z.string(), z.array(z.string()).max(4, 'at most 4 stop sequences')]);

export const chatCompletionRequestSchema = z
  .object({
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
    n: z.literal(1, { error: 'only n = 1 is supported' }).nullish(),
    stream: z.literal(false, { error: 'streaming is not supported; leave stream unset' }).nullish(),
    response_format: responseFormatSchema.nullish(),
    frequency_penalty: z.number().min(-2).max(2).nullish(),
    presence_penalty: z.number().min(-2).max(2).nullish(),
    tools: z.array(z.unknown()).max(0, 'tools are not supported').nullish(),
  })
  .refine((r) => r.max_tokens == null || r.max_completion_tokens == null, {
    message: 'give max_tokens or max_completion_tokens, not both',
    path: ['max_tokens'],
  });
export type ChatCompletionRequest = z.output<typeof chatCompletionRequestSchema>;

export const embeddingsRequestSchema = z.object({
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
  user: z.string().nullish(),
});
export type EmbeddingsRequest = z.output<typeof embeddingsRequestSchema>;

/** "messages.0.role: must be one of ..." for every issue: the 400 says what is wrong and where. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
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
