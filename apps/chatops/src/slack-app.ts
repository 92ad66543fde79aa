import type { LoggerService } from '@nestjs/common';
import { App, LogLevel } from '@slack/bolt';
import type { ChatopsConfig } from './chatops.config';
import { SignedHttpReceiver } from './signed-http-receiver';
import { SlackGateway } from './slack-gateway';
import { SlackLogger } from './slack-logger';

export const SLACK_APP = Symbol('SLACK_APP');

export interface SlackParts {
  app: App;
  gateway: SlackGateway;
  /** Only in HTTP mode; Socket Mode uses bolt's own receiver. */
  receiver?: SignedHttpReceiver;
}

const LEVEL: Record<ChatopsConfig['LOG_LEVEL'], LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

/**
 * The bolt app over either receiver. The Web API client retries little by itself: the card
 * publisher retries later with what is current then, rather than a stale call for half an hour.
 */
export function createSlackApp(config: ChatopsConfig, logger: LoggerService): SlackParts {
  const logLevel = LEVEL[config.LOG_LEVEL];
  const slackLogger = new SlackLogger(logger, logLevel);
  const clientOptions = {
    ...(config.SLACK_API_URL && { slackApiUrl: config.SLACK_API_URL }),
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
    timeout: 10_000,
  };
  const common = {
    logger: slackLogger,
    logLevel,
    clientOptions,
    convoStore: false as const,
    // An authorize function instead of `token`: bolt would otherwise cache a failed auth.test
    // at start and refuse every request after it, and Slack being away must not be fatal.
    authorize: async () => ({ botToken: config.SLACK_BOT_TOKEN }),
  };
  const receiver =
    config.CHATOPS_MODE === 'http'
      ? new SignedHttpReceiver(signingSecret(config), logger, slackLogger)
      : undefined;
  const app = receiver
    ? new App({ ...common, receiver })
    : new App({ ...common, socketMode: true, appToken: config.SLACK_APP_TOKEN });
  return { app, gateway: new SlackGateway(app.client, config.SLACK_BOT_TOKEN), receiver };
}

function signingSecret(config: ChatopsConfig): string {
  // The config schema already demands it; an empty key would make signatures forgeable.
  if (!config.SLACK_SIGNING_SECRET)
    throw new Error('SLACK_SIGNING_SECRET is required in http mode');
  return config.SLACK_SIGNING_SECRET;
}
