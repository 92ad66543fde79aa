import { webApi } from '@slack/bolt';
import type { CardMessage, SlackCard } from '@vigil/chatops';

type WebClient = webApi.WebClient;

/** The Slack Web API calls the app makes, with the bot token; errors are the caller's to handle. */
export class SlackGateway {
  constructor(
    private readonly client: WebClient,
    private readonly token: string,
  ) {}

  async postCard(channel: string, card: SlackCard): Promise<CardMessage> {
    const answer = await this.client.chat.postMessage({
      token: this.token,
      channel,
      text: card.text,
      blocks: card.blocks,
      unfurl_links: false,
    });
    if (!answer.channel || !answer.ts)
      throw new Error('chat.postMessage answered without the channel and ts of the message');
    return { channel: answer.channel, ts: answer.ts };
  }

  async updateCard(message: CardMessage, card: SlackCard): Promise<void> {
    await this.client.chat.update({
      token: this.token,
      channel: message.channel,
      ts: message.ts,
      text: card.text,
      blocks: card.blocks,
    });
  }

  /** A message only this user sees, in the channel they acted in. */
  async tellUser(channel: string, user: string, text: string): Promise<void> {
    await this.client.chat.postEphemeral({ token: this.token, channel, user, text });
  }

  async identity(): Promise<{ team?: string; user?: string; botId?: string }> {
    const answer = await this.client.auth.test({ token: this.token });
    return { team: answer.team, user: answer.user, botId: answer.bot_id };
  }
}

/** What a failed Slack call tells about retrying: Slack's own error code and any Retry-After. */
export function slackFailure(error: unknown): { code?: string; retryAfterMs?: number } {
  if (typeof error !== 'object' || error === null) return {};
  const failure = error as { code?: unknown; data?: { error?: unknown }; retryAfter?: unknown };
  if (failure.code === webApi.ErrorCode.PlatformError && typeof failure.data?.error === 'string')
    return { code: failure.data.error };
  if (failure.code === webApi.ErrorCode.RateLimitedError && typeof failure.retryAfter === 'number')
    return { code: 'ratelimited', retryAfterMs: failure.retryAfter * 1000 };
  return {};
}
