import type { LoggerService, Provider } from '@nestjs/common';
import { LazyEmbedder } from '@vigil/embeddings';
import type { IncidentStoreRepository } from '@vigil/graph';
import { rankSimilarIncidentsWith, type SimilarIncident } from '@vigil/incident-view';
import { VIGIL_LOGGER } from '@vigil/messaging';

/** Texts to sentence vectors (MiniLM), or undefined when there is no model. */
export type EmbedTexts = (texts: string[]) => Promise<readonly ArrayLike<number>[] | undefined>;

/** The console's sentence embedder for similar past incidents; provide another in specs. */
export const SIMILARITY_EMBEDDER = Symbol('SIMILARITY_EMBEDDER');

/**
 * The local MiniLM, loaded the first time someone looks at similar incidents: a console nobody
 * asks never holds the model. Without it the ranking compares alert words.
 */
export const similarityEmbedderProvider: Provider = {
  provide: SIMILARITY_EMBEDDER,
  inject: [VIGIL_LOGGER],
  useFactory: (logger: LoggerService): EmbedTexts => {
    const embedder = new LazyEmbedder({
      onUnavailable: (error) =>
        logger.warn(
          {
            msg: 'no sentence embedder: similar incidents compare alert words',
            error: error instanceof Error ? error.message : String(error),
          },
          'SimilarIncidents',
        ),
    });
    return (texts) => embedder.embed(texts);
  },
};

/** The stored incidents most like a stored one, best first; undefined when it is not stored. */
export async function similarIncidentsOf(
  store: IncidentStoreRepository,
  embed: EmbedTexts | undefined,
  incidentId: string,
  limit = 5,
): Promise<SimilarIncident[] | undefined> {
  const found = await store.similarCandidates(incidentId);
  if (!found) return undefined;
  return rankSimilarIncidentsWith(embed, found.target, found.candidates, { limit });
}
