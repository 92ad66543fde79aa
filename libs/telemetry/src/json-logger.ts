import type { LoggerService } from '@nestjs/common';
import { trace } from '@opentelemetry/api';

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';
const rank: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: string) => void;

/**
 * One JSON object per line, with the active trace and span ids, so logs can be searched by field
 * and joined with traces. Implements Nest's LoggerService, so framework logs come out the same way.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly minLevel: LogLevelName = 'info',
    private readonly sink: LogSink = (line) => process.stdout.write(`${line}\n`),
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  private write(level: LogLevelName, message: unknown, rest: unknown[]): void {
    if (rank[level] < rank[this.minLevel]) return;
    // Nest passes the context (a class name) as the last string argument.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const spanContext = trace.getActiveSpan()?.spanContext();
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      context,
      ...toFields(message),
      trace_id: spanContext?.traceId,
      span_id: spanContext?.spanId,
    };
    for (const extra of rest) Object.assign(entry, toFields(extra, 'detail'));
    this.sink(JSON.stringify(entry));
  }
}

function toFields(value: unknown, key = 'msg'): Record<string, unknown> {
  if (value instanceof Error) return { msg: value.message, error: value.name, stack: value.stack };
  if (value !== null && typeof value === 'object') return { ...(value as Record<string, unknown>) };
  return value === undefined ? {} : { [key]: value };
}
