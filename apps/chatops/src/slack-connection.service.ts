import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { App } from '@slack/bolt';
import { VIGIL_LOGGER, VIGIL_SETTINGS } from '@vigil/messaging';
import type { ChatopsSettings } from './chatops.config';
import { SLACK_APP } from './slack-app';
import { SlackGateway } from './slack-gateway';

const RETRY_MAX_MS = 60_000;

/**
 * Checks the bot token once at start (a wrong one is named in the log, not fatal) and, in Socket
 * Mode, keeps trying to connect until Slack answers; the health endpoint is up meanwhile.
 */
@Injectable()
export class SlackConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    @Inject(VIGIL_SETTINGS) private readonly settings: ChatopsSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(SLACK_APP) private readonly app: App,
    @Inject(SlackGateway) private readonly slack: SlackGateway,
  ) {}

  onApplicationBootstrap(): void {
    void this.checkToken();
    if (this.settings.mode === 'socket') void this.connect(1_000);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    if (this.settings.mode === 'socket') await this.app.stop().catch(() => undefined);
  }

  private async checkToken(): Promise<void> {
    try {
      const who = await this.slack.identity();
      this.logger.log({ msg: 'Slack bot token accepted', ...who }, 'SlackConnection');
    } catch (error) {
      this.logger.warn(
        {
          msg: 'Slack did not accept SLACK_BOT_TOKEN (auth.test); cards and replies will fail until it does',
          error: (error as Error).message,
        },
        'SlackConnection',
      );
    }
  }

  private async connect(waitMs: number): Promise<void> {
    if (this.stopped) return;
    try {
      await this.app.start();
      this.logger.log({ msg: 'connected to Slack over Socket Mode' }, 'SlackConnection');
    } catch (error) {
      this.logger.warn(
        {
          msg: 'Socket Mode connection failed; trying again',
          error: (error as Error).message,
          retryInMs: waitMs,
        },
        'SlackConnection',
      );
      this.retry = setTimeout(() => void this.connect(Math.min(waitMs * 2, RETRY_MAX_MS)), waitMs);
    }
  }
}
