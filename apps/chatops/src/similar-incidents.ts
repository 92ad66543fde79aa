import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { LazyEmbedder } from '@vigil/embeddings';
import type { IncidentStoreRepository } from '@vigil/graph';
import {
  type IncidentView,
  rankSimilarIncidentsWith,
  type SimilarIncident,
  similarityFactsOf,
} from '@vigil/incident-view';
import { VIGIL_LOGGER } from '@vigil/messaging';
import { ChatopsStore } from './chatops-store';

/** Where past incidents come from: the store and the sentence embedder (fakes in specs). */
export interface SimilarSources {
  store: Pick<IncidentStoreRepository, 'candidatesLike'>;
  embed?: (texts: string[]) => Promise<readonly ArrayLike<number>[] | undefined>;
  close?: () => Promise<void>;
}

export const SIMILAR_SOURCES = Symbol('SIMILAR_SOURCES');

/** Past incidents a card shows at most. */
const SHOWN = 3;

/**
 * Past incidents like a live one, from the incident store (Neo4j, written by topology-sync),
 * ranked by root cause, alert meaning (the local MiniLM, loaded at the first card; words without
 * it) and topology. The live incident need not be stored yet: it is described by its facts. The
 * store unreachable gives no past incidents and one warning, never a card that is not sent.
 */
@Injectable()
export class SimilarIncidents implements OnApplicationShutdown {
  private readonly sources: SimilarSources;
  private failing = false;

  constructor(
    @Inject(ChatopsStore) store: Pick<ChatopsStore, 'repository'>,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Optional() @Inject(SIMILAR_SOURCES) sources?: SimilarSources,
  ) {
    this.sources = sources ?? this.storeSources(store);
  }

  async of(view: IncidentView): Promise<SimilarIncident[]> {
    const target = similarityFactsOf(view);
    try {
      const candidates = await this.sources.store.candidatesLike(target);
      const similar = await rankSimilarIncidentsWith(this.sources.embed, target, candidates, {
        limit: SHOWN,
      });
      this.failing = false;
      return similar;
    } catch (error) {
      if (!this.failing)
        this.logger.warn(
          {
            msg: 'incident store unreadable: cards go without past incidents',
            error: error instanceof Error ? error.message : String(error),
          },
          'SimilarIncidents',
        );
      this.failing = true;
      return [];
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sources.close?.();
  }

  private storeSources(store: Pick<ChatopsStore, 'repository'>): SimilarSources {
    const embedder = new LazyEmbedder({
      onUnavailable: (error) =>
        this.logger.warn(
          {
            msg: 'no sentence embedder: past incidents compare alert words',
            error: error instanceof Error ? error.message : String(error),
          },
          'SimilarIncidents',
        ),
    });
    return {
      store: store.repository,
      embed: (texts) => embedder.embed(texts),
      // the store's driver is ChatopsStore's to close
      close: () => embedder.dispose(),
    };
  }
}
