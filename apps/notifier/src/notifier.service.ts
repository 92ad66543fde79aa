import { readFileSync } from 'node:fs';
import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Topics } from '@vigil/contracts';
import { signatureHeaderValue } from '@vigil/executor-adapters';
import {
  type ContractConsumer,
  EventPublisher,
  ServiceConsumers,
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import { type NotificationConfig, parseNotificationConfig } from '@vigil/notification';
import { parse as parseYaml } from 'yaml';
import { NotificationDispatcher } from './notification-dispatcher';
import { NotificationLedger } from './notification-ledger';
import type { NotifierSettings } from './notifier.config';

/** The routes file, YAML or JSON (JSON is YAML), validated; the error names the file and field. */
export function loadRoutes(file: string): NotificationConfig {
  try {
    return parseNotificationConfig(parseYaml(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(
      `NOTIFIER_ROUTES ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Reads incidents and people's actions and hands them to the dispatcher. */
@Injectable()
export class NotifierService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;
  private dispatcher?: NotificationDispatcher;

  constructor(
    @Inject(ServiceConsumers) private readonly consumers: ServiceConsumers,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(VIGIL_SETTINGS) private readonly settings: NotifierSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { settings } = this;
    const dispatcher = new NotificationDispatcher({
      config: loadRoutes(settings.routesFile),
      ledger: new NotificationLedger(settings.ledgerDir, settings.group),
      publisher: this.publisher,
      logger: this.logger,
      sign: signatureHeaderValue,
      group: settings.group,
      timeoutMs: settings.timeoutMs,
      retry: settings.retry,
    });
    this.dispatcher = dispatcher;
    this.consumer = await this.consumers.start([
      subscription(Topics.incidents, (e, meta) => dispatcher.onIncident(e, meta)),
      subscription(Topics.incidentActions, (a, meta) => dispatcher.onAction(a, meta)),
    ]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.dispatcher?.stop();
    await this.consumer?.stop();
  }
}
