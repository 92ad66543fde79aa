import { z } from 'zod';

/** Which OpenAI-compatible endpoint drafts runbooks: the local model gateway unless configured. */
export const llmEnvSchema = z.object({
  OPENAI_BASE_URL: z
    .url({ error: 'must be the URL of an OpenAI-compatible API, e.g. http://127.0.0.1:3107/v1' })
    .default('http://127.0.0.1:3107/v1')
    .describe('OpenAI-compatible API that drafts runbooks (the model gateway by default).'),
  OPENAI_API_KEY: z.string().min(1).default('local').describe('API key sent to OPENAI_BASE_URL.'),
  VIGIL_LLM_MODEL: z
    .string()
    .min(1)
    .default('gemma-3-270m')
    .describe('Model id sent with each completion request.'),
  VIGIL_LLM_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int()
    .positive()
    .default(120_000)
    .meta({ unit: 'ms' })
    .describe('Deadline of one request to the model.'),
});
export type LlmEnv = z.output<typeof llmEnvSchema>;

/** Which endpoint and model draft runbooks, and how long one request may take. */
export interface LlmSettings {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

export function llmSettingsFromEnv(env: LlmEnv): LlmSettings {
  return {
    baseUrl: env.OPENAI_BASE_URL,
    apiKey: env.OPENAI_API_KEY,
    model: env.VIGIL_LLM_MODEL,
    timeoutMs: env.VIGIL_LLM_TIMEOUT_MS,
  };
}
