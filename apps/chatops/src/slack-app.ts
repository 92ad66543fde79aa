import type { LoggerService } from '@nestjs/common';
import { App, LogLevel } from '@slack/bolt';
import type { ChatopsSettings } from './chatops.config';
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

const LEVEL: Record<ChatopsSettings['logLevel'], LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

/**
 * The bolt app over either receiver. The Web API client retries little by itself: the card
 * publisher retries later with what is current then, rather than a stale call for half an hour.
 */
export function createSlackApp(settings: ChatopsSettings, logger: LoggerService): SlackParts {
  const slack = settings.slack;
  const logLevel = LEVEL[settings.logLevel];
  const slackLogger = new SlackLogger(logger, logLevel);
  const clientOptions = {
    ...(slack.apiUrl && { slackApiUrl: slack.apiUrl }),
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
    authorize: async () => ({ botToken: slack.botToken }),
  };
  const receiver =
    settings.mode === 'http'
      ? new SignedHttpReceiver(signingSecret(slack), logger, slackLogger)
      : undefined;
  const app = receiver
    ? new App({ ...common, receiver })
    : new App({ ...common, socketMode: true, appToken: slack.appToken });
  return { app, gateway: new SlackGateway(app.client, slack.botToken), receiver };
}

function signingSecret(slack: ChatopsSettings['slack']): string {
  // The config schema already demands it; an empty key would make signatures forgeable.
  if (!slack.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required in http mode');
  return slack.signingSecret;
}
