import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { JsonLogger } from './json-logger';

function capture(minLevel: 'debug' | 'info' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = new JsonLogger('topology-sync', minLevel, (line) => lines.push(JSON.parse(line)));
  return { logger, lines };
}

describe('JsonLogger', () => {
  it('writes one JSON object per call with service, level, message and Nest context', () => {
    const { logger, lines } = capture();
    logger.log('consumer started', 'TopologyConsumer');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'topology-sync',
        msg: 'consumer started',
        context: 'TopologyConsumer',
      }),
    ]);
    expect(Date.parse(String(lines[0].time))).not.toBeNaN();
  });

  it('keeps structured fields and errors searchable', () => {
    const { logger, lines } = capture();
    logger.warn({ msg: 'sent to DLQ', topic: 'vigil.logs.v1', offset: '7' });
    logger.error(new Error('bolt connection lost'));
    expect(lines[0]).toMatchObject({
      level: 'warn',
      msg: 'sent to DLQ',
      topic: 'vigil.logs.v1',
      offset: '7',
    });
    expect(lines[1]).toMatchObject({ level: 'error', msg: 'bolt connection lost', error: 'Error' });
  });

  it('drops levels below the minimum', () => {
    const { logger, lines } = capture('info');
    logger.debug('noise');
    expect(lines).toHaveLength(0);
  });

  it('stamps the active trace and span ids', () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const { logger, lines } = capture();
      const spanContext = {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: 1,
      };
      context.with(trace.setSpanContext(context.active(), spanContext), () => logger.log('inside'));
      logger.log('outside');
      expect(lines[0]).toMatchObject({
        msg: 'inside',
        trace_id: spanContext.traceId,
        span_id: spanContext.spanId,
      });
      expect(lines[1].trace_id).toBeUndefined();
    } finally {
      context.disable();
    }
  });
});
