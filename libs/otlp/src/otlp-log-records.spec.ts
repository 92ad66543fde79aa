import { logRecordSchema } from '@vigil/contracts';
import { decodeOtlpLogs } from './otlp-decode';
import { levelOf, toLogRecord } from './otlp-log-records';
import type { OtlpLog } from './otlp-model';
import { logsPayload, ServiceLogger, SeverityNumber } from './testing/sdk-payloads';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');
const received = new Date(T0 + 60_000);

function log(resource: Record<string, string>, record: Parameters<ServiceLogger['emit']>[0]) {
  const logger = new ServiceLogger(resource);
  logger.emit(record);
  const [decoded] = decodeOtlpLogs(logsPayload(logger.finished(), 'otlp_json'), 'otlp_json');
  if (!decoded) throw new Error('no record decoded');
  return decoded;
}

describe('toLogRecord', () => {
  it('makes a vigil.logs.v1 record: entity from service.name, instance, level, body, trace ids', () => {
    const decoded: OtlpLog = {
      ...log(
        { 'service.name': 'payment', 'service.instance.id': 'pay-1' },
        {
          timestamp: new Date(T0),
          severityNumber: SeverityNumber.ERROR,
          body: 'card declined',
          attributes: { 'order.id': 'o-17' },
        },
      ),
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    };

    const record = toLogRecord(decoded, received);

    expect(record).toEqual({
      schemaVersion: 1,
      service: 'payment',
      instance: 'pay-1',
      level: 'error',
      body: 'card declined',
      attributes: {
        'order.id': 'o-17',
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        span_id: 'b7ad6b7169203331',
      },
      time: new Date(T0).toISOString(),
    });
    expect(logRecordSchema.safeParse(record).success).toBe(true);
  });

  it('names a service that set no service.name as the SDKs do, and cleans names entities cannot hold', () => {
    expect(toLogRecord(log({}, { body: 'x' }), received).service).toMatch(/^unknown_service/);
    expect(
      toLogRecord(log({ 'service.name': 'my shop "cart"' }, { body: 'x' }), received),
    ).toMatchObject({ service: 'my-shop-cart-' });
  });

  it('dates a record by its time, else its observed time, else when it was received', () => {
    const undated = { ...log({ 'service.name': 'cart' }, { body: 'x' }), timeMs: 0 };
    expect(toLogRecord(undated, received).time).toBe(
      new Date(undated.observedTimeMs).toISOString(),
    );
    expect(toLogRecord({ ...undated, observedTimeMs: 0 }, received).time).toBe(
      received.toISOString(),
    );
  });

  it('dates a record whose time is past what a date holds by its observed time, and keeps it', () => {
    const record = log({ 'service.name': 'cart' }, { body: 'x', timestamp: new Date(T0) });
    // 10^17 ms is past a JS Date (toISOString throws); 3 * 10^14 ms the year 11476, no RFC 3339
    for (const timeMs of [1e17, 3e14, Infinity]) {
      const out = toLogRecord({ ...record, timeMs }, received);
      expect(out.time).toBe(new Date(record.observedTimeMs).toISOString());
      expect(logRecordSchema.safeParse(out).success).toBe(true);
    }
    expect(toLogRecord({ ...record, timeMs: 1e17, observedTimeMs: 3e14 }, received).time).toBe(
      received.toISOString(),
    );
  });

  it('cuts a body longer than the topic holds', () => {
    const long = log({ 'service.name': 'cart' }, { body: 'x'.repeat(20_000) });
    const record = toLogRecord(long, received);
    expect(record.body).toHaveLength(16_000);
    expect(logRecordSchema.safeParse(record).success).toBe(true);
  });
});

describe('levelOf', () => {
  it.each([
    [SeverityNumber.TRACE2, '', 'trace'],
    [SeverityNumber.DEBUG, '', 'debug'],
    [SeverityNumber.INFO4, '', 'info'],
    [SeverityNumber.WARN, 'ERROR', 'warn'],
    [SeverityNumber.ERROR3, '', 'error'],
    [SeverityNumber.FATAL, '', 'fatal'],
    [0, 'Warning', 'warn'],
    [0, 'err', 'error'],
    [0, 'CRITICAL', 'fatal'],
    [0, '', 'info'],
  ])('severity %i, text %j is %s', (severityNumber, severityText, level) => {
    expect(levelOf({ severityNumber, severityText })).toBe(level);
  });
});
