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
import { publishOwn } from './publish-own';

export const SIGNAL_ANALYZER = Symbol('SIGNAL_ANALYZER');

/**
 * Metrics and logs in, anomalies (with their onset) out on vigil.anomalies.v1. A message is
 * analysed and its anomalies published as one unit: when the publish fails, the analyzer is put
 * back as it was, so the handler's next try finds (and publishes) the same anomalies; anomalies
 * that break the topic's contract park the message on the DLQ with the reason, at once.
 */
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
      subscription(Topics.metrics, (batch) =>
        this.analyse(() => this.analyzer.observeMetrics(batch)),
      ),
      subscription(Topics.logs, (record) => this.analyse(() => this.analyzer.observeLog(record))),
    ]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private analyse(observe: () => Anomaly[]): Promise<void> {
    return this.analyzer.atomically(() => this.emit(observe()));
  }

  private async emit(anomalies: Anomaly[]): Promise<void> {
    if (anomalies.length === 0) return;
    await publishOwn(this.publisher, Topics.anomalies, anomalies);
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
