import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Topics } from '@vigil/contracts';
import { embedSymptomPrototypes } from '@vigil/correlation';
import { CachedEmbedder, SentenceEmbedder } from '@vigil/embeddings';
import { TopologyRepository } from '@vigil/graph';
import {
  ContractConsumer,
  EventPublisher,
  KAFKA,
  StatefulPartitionConsumer,
} from '@vigil/messaging';
import { alertRouter } from './alert-router';
import { correlationSettings, type CorrelatorConfig } from './correlator.config';
import { IncidentClusterProcessor } from './incident-cluster.processor';
import { TopologyProvider } from './topology-provider';

export const CORRELATOR_CONFIG = Symbol('CORRELATOR_CONFIG');
export const CORRELATOR_LOGGER = Symbol('CORRELATOR_LOGGER');

/** Wires the two stages: the scope router and the stateful incident clusterer. */
@Injectable()
export class CorrelatorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private router?: ContractConsumer;
  private clusterer?: StatefulPartitionConsumer<typeof Topics.correlatorScopedAlerts.schema>;
  private topology?: TopologyProvider;

  constructor(
    @Inject(CORRELATOR_CONFIG) private readonly config: CorrelatorConfig,
    @Inject(CORRELATOR_LOGGER) private readonly logger: LoggerService,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(TopologyRepository) private readonly repository: TopologyRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const settings = correlationSettings(this.config);
    // Normalized-text embeddings: a template's vector never depends on which variant came first,
    // so a restarted correlator computes exactly what an uninterrupted one did.
    const embedder = new CachedEmbedder(
      await SentenceEmbedder.load({ modelsDir: this.config.VIGIL_MODELS_DIR }),
      {
        embedText: 'normalized',
        maxEntries: 50_000,
      },
    );
    this.topology = new TopologyProvider(
      this.repository,
      settings.dependencyMaxHops,
      this.logger,
      this.config.CORRELATOR_OBSERVED_EDGE_MAX_AGE_MINUTES * 60_000,
    );
    await this.topology.start(this.config.CORRELATOR_TOPOLOGY_REFRESH_MS);

    this.router = new ContractConsumer(this.kafka, {
      groupId: `${this.config.CORRELATOR_GROUP}-router`,
      subscriptions: [alertRouter(this.publisher, settings.scopeLabels)],
      publisher: this.publisher,
      logger: this.logger,
      fromBeginning: this.config.CORRELATOR_START_AT === 'earliest',
    });
    this.clusterer = new StatefulPartitionConsumer(this.kafka, {
      groupId: this.config.CORRELATOR_GROUP,
      topic: Topics.correlatorScopedAlerts,
      changelog: Topics.correlatorChangelog,
      processor: new IncidentClusterProcessor(
        settings,
        this.topology,
        embedder,
        this.publisher,
        await embedSymptomPrototypes((texts) => embedder.embed(texts)),
      ),
      publisher: this.publisher,
      logger: this.logger,
      snapshotIntervalMs: this.config.CORRELATOR_SNAPSHOT_INTERVAL_MS,
      fromBeginning: this.config.CORRELATOR_START_AT === 'earliest',
    });
    await this.clusterer.start();
    await this.router.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.topology?.stop();
    await this.router?.stop();
    await this.clusterer?.stop();
  }
}
