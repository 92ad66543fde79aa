import {
  type LogAnomaly,
  LogAnomalyDetector,
  type LogAnomalyDetectorSnapshot,
  type LogLine,
  type LogLineLevel,
} from './log-anomaly-detector';
import { seededRandom } from './testing/seeded-random';

const T0 = 1_700_000_000_000;
const SECOND = 1000;
const MINUTE = 60 * SECOND;

const line = (time: number, level: LogLineLevel, body: string, service = 'orders'): LogLine => ({
  service,
  level,
  body,
  time,
});

/**
 * Ten minutes of ordinary life for a service: a request line every 2 s and, once a minute, a
 * timeout error; the same few statements with varying numbers.
 */
function ordinaryLife(from: number, to: number, service = 'orders'): LogLine[] {
  const lines: LogLine[] = [];
  for (let t = from; t < to; t += 2 * SECOND) {
    const n = (t / SECOND) % 997;
    lines.push(line(t, 'info', `GET /api/orders/${n} HTTP/1.1 200 ${n * 3}`, service));
    if ((t - from) % MINUTE === 0) {
      lines.push(line(t + 1, 'error', `upstream timeout after ${n} ms for order ${n}`, service));
    }
  }
  return lines;
}

function feed(detector: LogAnomalyDetector, lines: LogLine[]): LogAnomaly[] {
  return lines.flatMap((l) => detector.observe(l));
}

function errors(
  from: number,
  count: number,
  everyMs: number,
  body: (i: number) => string,
): LogLine[] {
  return Array.from({ length: count }, (_, i) => line(from + i * everyMs, 'error', body(i)));
}

const refused = (i: number): string => `connection refused to 10.0.3.${i % 250}:5432`;

describe('LogAnomalyDetector error bursts', () => {
  it('reports a burst of one error statement once, dated by its first line', () => {
    const detector = new LogAnomalyDetector();
    expect(feed(detector, ordinaryLife(T0, T0 + 10 * MINUTE))).toEqual([]);
    const burstStart = T0 + 10 * MINUTE + 3 * SECOND;
    const found = feed(detector, errors(burstStart, 60, 300, refused));
    const bursts = found.filter((f) => f.pattern === 'error-burst');
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toMatchObject({
      service: 'orders',
      template: 'connection refused to <*>',
      scope: 'template',
      onset: burstStart,
    });
    expect(bursts[0].score).toBeGreaterThanOrEqual(5);
    expect(bursts[0].templateId).toBe(detector.templateMiner.add('orders', refused(1)).templateId);
  });

  it('does not call a handful of errors a burst', () => {
    const detector = new LogAnomalyDetector();
    feed(detector, ordinaryLife(T0, T0 + 10 * MINUTE));
    const found = feed(detector, errors(T0 + 10 * MINUTE, 3, 500, refused));
    expect(found.filter((f) => f.pattern === 'error-burst')).toEqual([]);
  });

  it('ignores a burst of warnings', () => {
    const detector = new LogAnomalyDetector();
    feed(detector, ordinaryLife(T0, T0 + 10 * MINUTE));
    const warnings = errors(T0 + 10 * MINUTE, 60, 200, refused).map((l) => ({
      ...l,
      level: 'warn' as const,
    }));
    expect(feed(detector, warnings).filter((f) => f.pattern === 'error-burst')).toEqual([]);
  });

  it('dates a burst that ramps up by its first elevated bucket', () => {
    const detector = new LogAnomalyDetector();
    feed(detector, ordinaryLife(T0, T0 + 10 * MINUTE));
    const rampStart = T0 + 10 * MINUTE + 2 * SECOND;
    const found = feed(detector, [
      ...errors(rampStart, 4, 2 * SECOND, refused),
      ...errors(rampStart + 10 * SECOND, 40, 200, refused),
    ]);
    expect(found.filter((f) => f.pattern === 'error-burst').map((f) => f.onset)).toEqual([
      rampStart,
    ]);
  });

  it('reports many different errors rising together as a service burst', () => {
    const detector = new LogAnomalyDetector();
    feed(detector, ordinaryLife(T0, T0 + 10 * MINUTE));
    const at = T0 + 10 * MINUTE;
    const statements = [
      'disk quota exceeded on volume data',
      'cache node unreachable, falling back',
      'payment gateway returned invalid signature',
      'inventory lock wait exceeded',
      'kafka producer queue is full',
      'tls handshake with ledger failed',
    ];
    const lines = [...statements, statements[0]].map((body, i) =>
      line(at + i * 100, 'error', body),
    );
    const bursts = feed(detector, lines).filter((f) => f.pattern === 'error-burst');
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toMatchObject({ scope: 'service', template: statements[0], onset: at });
  });

  it('stays quiet on a steady error rate and catches a jump in it', () => {
    const detector = new LogAnomalyDetector({ warmupMs: 0 });
    const { uniform } = seededRandom(4);
    const lines: LogLine[] = [];
    for (let t = T0; t < T0 + 20 * MINUTE; t += 100) {
      // About 10 errors per 10 s bucket, then about 60 from minute 15.
      const p = t >= T0 + 15 * MINUTE ? 0.6 : 0.1;
      if (uniform() < p) lines.push(line(t, 'error', refused(t / 100)));
    }
    const bursts = feed(detector, lines).filter((f) => f.pattern === 'error-burst');
    expect(bursts).toHaveLength(1);
    expect(bursts[0].onset).toBeGreaterThanOrEqual(T0 + 15 * MINUTE);
    expect(bursts[0].onset).toBeLessThan(T0 + 15 * MINUTE + 10 * SECOND);
  });

  it('re-arms after the errors calm down and reports the next burst', () => {
    const detector = new LogAnomalyDetector();
    feed(detector, ordinaryLife(T0, T0 + 10 * MINUTE));
    const first = T0 + 10 * MINUTE;
    const second = first + 5 * MINUTE;
    const found = feed(detector, [
      ...errors(first, 300, 200, refused), // one minute of errors
      ...ordinaryLife(first + MINUTE, second),
      ...errors(second, 100, 200, refused),
    ]);
    expect(found.filter((f) => f.pattern === 'error-burst').map((f) => f.onset)).toEqual([
      first,
      second,
    ]);
  });
});

describe('LogAnomalyDetector new templates', () => {
  it('reports nothing new during warm-up, however many statements start-up prints', () => {
    const detector = new LogAnomalyDetector();
    const startup = ['starting server', 'loaded 12 routes', 'connected to db', 'listening on 8080'];
    const found = feed(
      detector,
      startup.map((body, i) => line(T0 + i * SECOND, 'info', body)),
    );
    expect(found).toEqual([]);
  });

  it('reports a never-seen statement after warm-up, scoring errors above info', () => {
    const detector = new LogAnomalyDetector();
    feed(detector, ordinaryLife(T0, T0 + 10 * MINUTE));
    const at = T0 + 10 * MINUTE;
    const [info] = detector.observe(line(at, 'info', 'feature flag checkout-v2 enabled'));
    const [error] = detector.observe(
      line(at + 1, 'error', 'ledger rejected entry 991: negative balance'),
    );
    expect(info).toMatchObject({ pattern: 'new-template', onset: at, count: 1 });
    expect(error).toMatchObject({
      pattern: 'new-template',
      template: 'ledger rejected entry <*>: negative balance',
    });
    expect(error.score).toBeGreaterThan(info.score);
  });

  it('does not call a known statement with new numbers new', () => {
    const detector = new LogAnomalyDetector();
    feed(detector, ordinaryLife(T0, T0 + 10 * MINUTE));
    const found = detector.observe(
      line(T0 + 10 * MINUTE, 'error', 'upstream timeout after 99999 ms for order 123456'),
    );
    expect(found).toEqual([]);
  });

  it('raises a new statement as it repeats, without a report per line', () => {
    const detector = new LogAnomalyDetector();
    feed(detector, ordinaryLife(T0, T0 + 10 * MINUTE));
    const at = T0 + 10 * MINUTE;
    const found = feed(
      detector,
      Array.from({ length: 20 }, (_, i) =>
        line(at + i * 7 * SECOND, 'warn', `retrying shipment ${i} via backup carrier`),
      ),
    );
    const news = found.filter((f) => f.pattern === 'new-template');
    expect(news.map((f) => f.count)).toEqual([1, 4, 16]);
    expect(news[2].score).toBeGreaterThan(news[1].score);
    expect(news[1].score).toBeGreaterThan(news[0].score);
    expect(new Set(news.map((f) => f.onset))).toEqual(new Set([at]));
  });
});

describe('LogAnomalyDetector state', () => {
  it('resumes from a JSON snapshot with the same results', () => {
    const lines = [
      ...ordinaryLife(T0, T0 + 10 * MINUTE),
      ...errors(T0 + 10 * MINUTE, 80, 150, refused),
      line(T0 + 11 * MINUTE, 'error', 'ledger rejected entry 5: negative balance'),
      ...ordinaryLife(T0 + 11 * MINUTE, T0 + 14 * MINUTE),
      ...errors(T0 + 14 * MINUTE, 80, 150, refused),
    ];
    const straight = new LogAnomalyDetector();
    const expected = lines.map((l) => straight.observe(l));
    let detector = new LogAnomalyDetector();
    const actual = lines.map((l, i) => {
      if (i % 50 === 0) {
        const json = JSON.parse(JSON.stringify(detector.snapshot())) as LogAnomalyDetectorSnapshot;
        detector = LogAnomalyDetector.restore(json);
      }
      return detector.observe(l);
    });
    expect(actual).toEqual(expected);
    expect(expected.flat().length).toBeGreaterThanOrEqual(3);
  });

  it('keeps bounded state when a service logs ever new errors', () => {
    const detector = new LogAnomalyDetector({ maxTrackedTemplates: 20, maxNovelTemplates: 10 });
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
    const lines: LogLine[] = [];
    for (let i = 0; i < 400; i++) {
      const body = `${words[i % 8]} ${words[(i >> 3) % 8]} failed in stage ${words[(i >> 6) % 8]}`;
      lines.push(line(T0 + i * 2 * SECOND, 'error', body));
    }
    feed(detector, lines);
    const [service] = detector.snapshot().services;
    expect(service.templates.length).toBeLessThanOrEqual(20);
    expect(service.novel.length).toBeLessThanOrEqual(10);
    expect(service.errors.entries.length).toBeLessThanOrEqual(61);
  });
});
