import {
  createOpenAiClient,
  openAiEmbedder,
  openAiJsonCompletion,
  type CompleteJson,
  type LlmSettings,
} from '@vigil/llm';

/** What drafts runbooks and embeds incidents: an OpenAI-compatible endpoint, or a spec's fake. */
export interface PlannerModel {
  complete: CompleteJson;
  /** The incident's text as a vector; undefined when the endpoint cannot embed. */
  embed(text: string): Promise<number[] | undefined>;
  /** Many texts in one request (one vector each, in order); undefined when it cannot. */
  embedAll?(texts: string[]): Promise<number[][] | undefined>;
}

/** Provide this to replace the endpoint the settings name (specs). */
export const PLANNER_MODEL = Symbol('PLANNER_MODEL');

/** One client for the life of the service: it keeps its connections. */
export function openAiPlannerModel(settings: LlmSettings): PlannerModel {
  const client = createOpenAiClient(settings);
  return {
    complete: openAiJsonCompletion(client, settings),
    embed: openAiEmbedder(client),
    embedAll: async (texts) => {
      try {
        const response = await client.embeddings.create({
          model: 'all-minilm-l6-v2',
          input: texts,
          encoding_format: 'float',
        });
        const vectors = [...response.data].sort((a, b) => a.index - b.index);
        return vectors.length === texts.length ? vectors.map((d) => d.embedding) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
