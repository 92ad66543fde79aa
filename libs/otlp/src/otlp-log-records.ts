import type { LogRecord } from '@vigil/contracts';
import { entityOfResource, entityOrUndefined } from './otlp-entity';
import { isWritableTime, type OtlpLog } from './otlp-model';

type LogLevel = LogRecord['level'];

const levelsBySeverity: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** The largest body `vigil.logs.v1` holds; longer ones are cut, and say so. */
const maxBody = 16_000;

/**
 * The level of a record: from its severity number (1-4 TRACE ... 21-24 FATAL), else from its
 * severity text (`WARNING`, `err`, `Critical` ...), else `info`.
 */
export function levelOf(log: Pick<OtlpLog, 'severityNumber' | 'severityText'>): LogLevel {
  if (log.severityNumber >= 1 && log.severityNumber <= 24)
    return levelsBySeverity[Math.floor((log.severityNumber - 1) / 4)] ?? 'info';
  const text = log.severityText.trim().toLowerCase();
  if (text.startsWith('trace')) return 'trace';
  if (text.startsWith('debug')) return 'debug';
  if (text.startsWith('warn')) return 'warn';
  if (text.startsWith('err')) return 'error';
  if (/^(fatal|crit|alert|emerg|panic)/.test(text)) return 'fatal';
  return 'info';
}

/**
 * A log record of `vigil.logs.v1`: the entity is the resource's `service.name`, the instance its
 * `service.instance.id`; the time is when it happened, else when it was observed, else `receivedAt`
 * (a time that is 0, OTLP's "unknown", or past 9999-12-31 is none). The record's trace and span
 * ids, when it has them, are kept as `trace_id` and `span_id`.
 */
export function toLogRecord(log: OtlpLog, receivedAt: Date): LogRecord {
  const instance = entityOrUndefined(log.resource.serviceInstanceId);
  const timeMs =
    [log.timeMs, log.observedTimeMs].find((ms) => ms > 0 && isWritableTime(ms)) ??
    receivedAt.getTime();
  const body = log.body ?? '';
  return {
    schemaVersion: 1,
    service: entityOfResource(log.resource),
    ...(instance ? { instance } : {}),
    level: levelOf(log),
    body: body.length > maxBody ? `${body.slice(0, maxBody - 1)}…` : body,
    attributes: {
      ...log.attributes,
      ...(log.traceId ? { trace_id: log.traceId } : {}),
      ...(log.spanId ? { span_id: log.spanId } : {}),
    },
    time: new Date(timeMs).toISOString(),
  };
}
