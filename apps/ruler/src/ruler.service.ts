import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { RuleEvaluator, toAlertmanagerWebhooks, type AlertInstance } from '@vigil/alert-rules';
import { Topics } from '@vigil/contracts';
import {
  type ContractConsumer,
  ServiceConsumers,
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import type { RulerSettings } from './ruler.config';
import { loadRuleSet } from './rule-set';

/**
 * Prometheus' rule evaluation and Alertmanager's sending in one: metric batches in, rules every
 * interval, firing and resolved alerts posted to ingest's Alertmanager webhook. A failed post is
 * not retried here: firing alerts are re-sent every repeat interval anyway.
 */
@Injectable()
export class RulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly evaluator: RuleEvaluator;
  private consumer?: ContractConsumer;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(VIGIL_SETTINGS) private readonly settings: RulerSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(ServiceConsumers) private readonly consumers: ServiceConsumers,
  ) {
    this.evaluator = new RuleEvaluator(loadRuleSet(settings.rules, settings.servicePrefix));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.consumers.start([
      subscription(Topics.metrics, async (batch) => this.evaluator.ingest(batch)),
    ]);
    this.timer = setInterval(() => void this.evaluate(), this.settings.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.consumer?.stop();
  }

  private async evaluate(): Promise<void> {
    const { transitions, notifications } = this.evaluator.evaluate(Date.now());
    for (const t of transitions)
      if (t.to === 'firing' || t.to === 'resolved')
        this.logger.log({ msg: `alert ${t.to}`, alert: t.alert.rule, labels: t.alert.labels });
    if (notifications.length > 0) await this.send(notifications);
  }

  private async send(alerts: AlertInstance[]): Promise<void> {
    for (const webhook of toAlertmanagerWebhooks(alerts, { receiver: 'vigil-ruler' })) {
      try {
        const response = await fetch(this.settings.ingestUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${this.settings.ingestToken}`,
          },
          body: JSON.stringify(webhook),
          signal: AbortSignal.timeout(5_000),
        });
        if (!response.ok)
          this.logger.warn?.({
            msg: 'ingest refused alerts',
            status: response.status,
            body: await response.text(),
          });
      } catch (error) {
        this.logger.warn?.({
          msg: 'could not post alerts to ingest',
          error: (error as Error).message,
        });
      }
    }
  }
}
