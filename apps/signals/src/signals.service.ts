import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { Topics, type Anomaly } from '@vigil/contracts';
import {
  ContractConsumer,
  EventPublisher,
  KAFKA,
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import type { SignalAnalyzer } from '@vigil/rca';
import type { SignalsSettings } from './signals.config';

export const SIGNAL_ANALYZER = Symbol('SIGNAL_ANALYZER');

/** Metrics and logs in, anomalies (with their onset) out on vigil.anomalies.v1. */
@Injectable()
export class SignalsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;

  constructor(
    @Inject(VIGIL_SETTINGS) private readonly settings: SignalsSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(SIGNAL_ANALYZER) private readonly analyzer: SignalAnalyzer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new ContractConsumer(this.kafka, {
      groupId: this.settings.group,
      subscriptions: [
        subscription(Topics.metrics, (batch) => this.emit(this.analyzer.observeMetrics(batch))),
        subscription(Topics.logs, (record) => this.emit(this.analyzer.observeLog(record))),
      ],
      publisher: this.publisher,
      logger: this.logger,
      fromBeginning: this.settings.startAt === 'earliest',
    });
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async emit(anomalies: Anomaly[]): Promise<void> {
    if (anomalies.length === 0) return;
    await this.publisher.publishMany(Topics.anomalies, anomalies);
    for (const anomaly of anomalies) {
      this.logger.log(
        {
          msg: 'anomaly',
          service: anomaly.service,
          signal: anomaly.signal.kind === 'metric' ? anomaly.signal.metric : anomaly.signal.pattern,
          score: anomaly.score,
          onset: anomaly.onset,
        },
        'SignalsService',
      );
    }
  }
}
