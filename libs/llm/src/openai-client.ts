import OpenAI from 'openai';
import type { LlmSettings } from './llm-config';
import type { CompleteJson } from './runbook-drafter';

/** The client type, so services hold one without importing the SDK themselves. */
export type LlmClient = OpenAI;

/** The one place an OpenAI client is made: any OpenAI-compatible endpoint, by configuration. */
export function createOpenAiClient(settings: LlmSettings): OpenAI {
  return new OpenAI({
    baseURL: settings.baseUrl,
    apiKey: settings.apiKey,
    timeout: settings.timeoutMs,
    maxRetries: 1,
  });
}

/** Structured output through the chat completions API: the answer must follow `schema`. */
export function openAiJsonCompletion(client: OpenAI, settings: LlmSettings): CompleteJson {
  return async (messages, schema, { timeoutMs }) => {
    const response = await client.chat.completions.create(
      {
        model: settings.model,
        messages,
        temperature: 0,
        max_tokens: 400,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'runbook', schema, strict: true },
        },
      },
      // the same question again after a timeout only takes as long again: the drafter decides
      { timeout: Math.min(timeoutMs, settings.timeoutMs), maxRetries: 0 },
    );
    return response.choices[0]?.message.content ?? '';
  };
}

/** Embeddings through the same endpoint (the gateway serves MiniLM); undefined when it cannot. */
export function openAiEmbedder(client: OpenAI) {
  return async (text: string): Promise<number[] | undefined> => {
    try {
      const response = await client.embeddings.create({
        model: 'all-minilm-l6-v2',
        input: text,
        encoding_format: 'float',
      });
      return response.data[0]?.embedding;
    } catch {
      return undefined;
    }
  };
}
