import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineEnvConfig, envDurationMs, envLogLevel, envPort } from '@vigil/config';

const wholeNumber = (what: string, min: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a whole number of ${what}` })
    .int(`must be a whole number of ${what}`)
    .min(min, `must be at least ${min}`)
    .default(fallback);

/** An empty variable counts as unset (a blank API key must not mean "the key is ''"). */
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

export const modelGatewayEnvSchema = z.object({
  MODEL_GATEWAY_PORT: envPort(3107).describe('HTTP port of the OpenAI-compatible API.'),
  MODEL_GATEWAY_GGUF_PATH: optionalText.describe(
    'The GGUF chat model; unset: <models dir>/gguf/gemma-3-270m-Q4_K_M.gguf.',
  ),
  MODEL_GATEWAY_CHAT_MODEL: z
    .string()
    .min(1, 'must not be empty')
    .default('gemma-3-270m')
    .describe('The id clients send as model for chat completions.'),
  MODEL_GATEWAY_THREADS: wholeNumber('threads', 1, availableParallelism())
    .meta({ defaultText: 'number of CPU cores' })
    .describe('Threads each model run uses.'),
  MODEL_GATEWAY_CONTEXT_SIZE: wholeNumber('tokens', 256, 2048)
    .meta({ unit: 'tokens' })
    .describe('Context window of the chat model.'),
  MODEL_GATEWAY_MAX_TOKENS: wholeNumber('tokens', 1, 512)
    .meta({ unit: 'tokens' })
    .describe(
      'The largest max_tokens a request may ask for, and the default when it asks for none.',
    ),
  MODEL_GATEWAY_TIMEOUT_MS: envDurationMs(120_000, { min: 100 }).describe(
    'Deadline of a request, waiting in the queue included.',
  ),
  MODEL_GATEWAY_QUEUE_LIMIT: wholeNumber('requests', 1, 16).describe(
    'Requests waiting or running at most; more get 429.',
  ),
  MODEL_GATEWAY_API_KEY: optionalText.describe(
    "When set, /v1/* needs Authorization: Bearer <key> (the OpenAI SDK's apiKey).",
  ),
  LOG_LEVEL: envLogLevel,
});

/** What the model gateway runs with: read once from the environment. */
export const modelGatewaySettingsSchema = modelGatewayEnvSchema.transform((env) => ({
  logLevel: env.LOG_LEVEL,
  port: env.MODEL_GATEWAY_PORT,
  ggufPath: env.MODEL_GATEWAY_GGUF_PATH,
  chatModel: env.MODEL_GATEWAY_CHAT_MODEL,
  threads: env.MODEL_GATEWAY_THREADS,
  contextSize: env.MODEL_GATEWAY_CONTEXT_SIZE,
  maxTokens: env.MODEL_GATEWAY_MAX_TOKENS,
  timeoutMs: env.MODEL_GATEWAY_TIMEOUT_MS,
  queueLimit: env.MODEL_GATEWAY_QUEUE_LIMIT,
  apiKey: env.MODEL_GATEWAY_API_KEY,
}));
export type ModelGatewaySettings = z.output<typeof modelGatewaySettingsSchema>;

export const modelGatewayEnv = defineEnvConfig({
  app: 'model-gateway',
  schema: modelGatewaySettingsSchema,
});

export const DEFAULT_GGUF_FILE = join('gguf', 'gemma-3-270m-Q4_K_M.gguf');

export const EMBEDDING_MODEL_ID = 'all-minilm-l6-v2';

/** Names clients commonly use for the same model; /v1/models lists only the first one. */
export const EMBEDDING_MODEL_ALIASES: readonly string[] = [
  EMBEDDING_MODEL_ID,
  'Xenova/all-MiniLM-L6-v2',
  'sentence-transformers/all-MiniLM-L6-v2',
];

export function ggufPath(settings: ModelGatewaySettings, modelsDir: () => string): string {
  return settings.ggufPath ?? join(modelsDir(), DEFAULT_GGUF_FILE);
}
