import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Topics, type Anomaly } from '@vigil/contracts';
import {
  type ContractConsumer,
  EventPublisher,
  ServiceConsumers,
  subscription,
  VIGIL_LOGGER,
} from '@vigil/messaging';
import type { SignalAnalyzer } from '@vigil/rca';

export const SIGNAL_ANALYZER = Symbol('SIGNAL_ANALYZER');

/** Metrics and logs in, anomalies (with their onset) out on vigil.anomalies.v1. */
@Injectable()
export class SignalsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;

  constructor(
    @Inject(ServiceConsumers) private readonly consumers: ServiceConsumers,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(SIGNAL_ANALYZER) private readonly analyzer: SignalAnalyzer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.consumers.start([
      subscription(Topics.metrics, (batch) => this.emit(this.analyzer.observeMetrics(batch))),
      subscription(Topics.logs, (record) => this.emit(this.analyzer.observeLog(record))),
    ]);
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
