import type { LoggerService } from '@nestjs/common';
import { LogLevel, type Logger } from '@slack/bolt';

const rank: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

function text(parts: unknown[]): string {
  return parts
    .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p)))
    .join(' ');
}

/** Bolt's and the Web API client's logs, as the app's JSON log lines. */
export class SlackLogger implements Logger {
  constructor(
    private readonly logger: LoggerService,
    private level: LogLevel,
  ) {}

  debug(...msg: unknown[]): void {
    if (this.enabled(LogLevel.DEBUG)) this.logger.debug?.({ msg: text(msg) }, 'slack');
  }
  info(...msg: unknown[]): void {
    if (this.enabled(LogLevel.INFO)) this.logger.log({ msg: text(msg) }, 'slack');
  }
  warn(...msg: unknown[]): void {
    if (this.enabled(LogLevel.WARN)) this.logger.warn({ msg: text(msg) }, 'slack');
  }
  error(...msg: unknown[]): void {
    this.logger.error({ msg: text(msg) }, 'slack');
  }
  setLevel(level: LogLevel): void {
    this.level = level;
  }
  getLevel(): LogLevel {
    return this.level;
  }
  setName(): void {
    // one app, one name: the context field says "slack"
  }

  private enabled(level: LogLevel): boolean {
    return rank[level] >= rank[this.level];
  }
}
