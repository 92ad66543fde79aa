import { z } from 'zod';

/** Which OpenAI-compatible endpoint drafts runbooks: the local model gateway unless configured. */
export const llmEnvSchema = z.object({
  OPENAI_BASE_URL: z
    .url({ error: 'must be the URL of an OpenAI-compatible API, e.g. http://127.0.0.1:3107/v1' })
    .default('http://127.0.0.1:3107/v1'),
  OPENAI_API_KEY: z.string().min(1).default('local'),
  VIGIL_LLM_MODEL: z.string().min(1).default('gemma-3-270m'),
  VIGIL_LLM_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int()
    .positive()
    .default(120_000),
});
export type LlmConfig = z.output<typeof llmEnvSchema>;
