import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Topics } from '@vigil/contracts';
import { embedSymptomPrototypes, longestResolveTimeout } from '@vigil/correlation';
import { CachedEmbedder, SentenceEmbedder } from '@vigil/embeddings';
import { TopologyRepository } from '@vigil/graph';
import {
  ContractConsumer,
  EventPublisher,
  KAFKA,
  StatefulPartitionConsumer,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import { AlertPolicyGate } from './alert-policy-gate';
import { alertRouter } from './alert-router';
import type { CorrelatorSettings } from './correlator.config';
import { FeedbackConsumer } from './feedback-consumer';
import { IncidentClusterProcessor } from './incident-cluster.processor';
import { TopologyProvider } from './topology-provider';

/** Wires the two stages: the scope router and the stateful incident clusterer. */
@Injectable()
export class CorrelatorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private router?: ContractConsumer;
  private clusterer?: StatefulPartitionConsumer<typeof Topics.correlatorScopedAlerts.schema>;
  private topology?: TopologyProvider;
  private policy?: AlertPolicyGate;
  private feedback?: FeedbackConsumer;

  constructor(
    @Inject(VIGIL_SETTINGS) private readonly settings: CorrelatorSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(TopologyRepository) private readonly repository: TopologyRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const correlation = this.settings.correlation;
    this.topology = new TopologyProvider(
      this.repository,
      correlation.dependencyMaxHops,
      this.logger,
      this.settings.observedEdgeMaxAgeMs,
    );
    // Silences, maintenance windows and inhibition rules are read before the first alert is judged.
    // an alert that is not re-sent inhibits others no longer than the correlator keeps it firing
    this.policy = new AlertPolicyGate(
      this.kafka,
      this.publisher,
      this.logger,
      longestResolveTimeout(correlation),
    );
    this.router = new ContractConsumer(this.kafka, {
      groupId: `${this.settings.group}-router`,
      subscriptions: [alertRouter(this.publisher, correlation.scopeLabels, this.logger)],
      publisher: this.publisher,
      logger: this.logger,
      fromBeginning: this.settings.startAt === 'earliest',
    });
    // The model loads while the topology and the policy topics are read (network): start-up waits
    // for the slower of them, not for their sum.
    const [{ embedder, prototypes }] = await Promise.all([
      this.loadEmbedder(),
      this.topology.start(this.settings.topologyRefreshMs),
      this.policy.start(),
    ]);

    const processor = new IncidentClusterProcessor(
      correlation,
      this.topology,
      embedder,
      this.publisher,
      prototypes,
    );
    processor.policy = this.policy;
    // People's merges and splits are learned before the first alert is placed.
    this.feedback = new FeedbackConsumer(this.kafka, this.publisher, this.logger);
    this.feedback.target = processor;
    await this.feedback.start();
    processor.feedback = this.feedback;
    this.clusterer = new StatefulPartitionConsumer(this.kafka, {
      groupId: this.settings.group,
      topic: Topics.correlatorScopedAlerts,
      changelog: Topics.correlatorChangelog,
      processor,
      publisher: this.publisher,
      logger: this.logger,
      snapshotIntervalMs: this.settings.snapshotIntervalMs,
      // Alerts that never send a resolve end by time, also when no other alert arrives.
      tickIntervalMs: this.settings.expiryIntervalMs,
      fromBeginning: this.settings.startAt === 'earliest',
    });
    await this.clusterer.start();
    // Last: with CORRELATOR_START_AT=latest, a new clusterer group starts at the end of the scoped
    // topic, so alerts routed before it joined would never be read.
    await this.router.start();
  }

  /**
   * The sentence model and the symptom prototypes it embeds. Normalized-text embeddings: a
   * template's vector never depends on which variant came first, so a restarted correlator
   * computes exactly what an uninterrupted one did.
   */
  private async loadEmbedder(): Promise<{
    embedder: CachedEmbedder;
    prototypes: Awaited<ReturnType<typeof embedSymptomPrototypes>>;
  }> {
    const embedder = new CachedEmbedder(
      await SentenceEmbedder.load({ modelsDir: this.settings.modelsDir }),
      { embedText: 'normalized', maxEntries: 50_000 },
    );
    return { embedder, prototypes: await embedSymptomPrototypes((texts) => embedder.embed(texts)) };
  }

  async onApplicationShutdown(): Promise<void> {
    this.topology?.stop();
    await this.router?.stop();
    await this.clusterer?.stop();
    await this.policy?.stop();
    await this.feedback?.stop();
  }
}
