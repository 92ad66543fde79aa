import { anomalySchema, type LogRecord, type MetricBatch } from '@vigil/contracts';
import { SignalAnalyzer } from './signal-analyzer';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const STEP = 10_000;
const iso = (i: number) => new Date(T0 + i * STEP).toISOString();
const wobble = (i: number) => Math.sin(i * 1.3) * 2 + Math.cos(i * 0.7);

describe('SignalAnalyzer', () => {
  it('turns a latency shift into one valid metric anomaly dated at the shift', () => {
    const analyzer = new SignalAnalyzer();
    const batch: MetricBatch = {
      schemaVersion: 1,
      service: 'checkout',
      samples: Array.from({ length: 200 }, (_, i) => ({
        name: 'latency_p99_ms',
        value: 100 + wobble(i) + (i >= 150 ? 80 : 0),
        labels: {},
        time: iso(i),
      })),
    };
    const anomalies = analyzer.observeMetrics(batch);
    expect(anomalies).toHaveLength(1);
    expect(anomalySchema.parse(anomalies[0])).toMatchObject({
      service: 'checkout',
      signal: { kind: 'metric', metric: 'latency_p99_ms', direction: 'up' },
      onset: iso(150),
    });
  });

  it('turns a burst of error lines into a log anomaly with its template', () => {
    const analyzer = new SignalAnalyzer();
    const line = (i: number, level: LogRecord['level'], body: string): LogRecord => ({
      schemaVersion: 1,
      service: 'payment-db',
      level,
      body,
      attributes: {},
      time: iso(i),
    });
    const found = [];
    for (let i = 0; i < 120; i++) {
      found.push(
        ...analyzer.observeLog(line(i, 'info', `checkpoint complete: wrote ${i} buffers`)),
      );
      if (i >= 100)
        for (let k = 0; k < 8; k++)
          found.push(
            ...analyzer.observeLog(
              line(i, 'error', `lock timeout on relation payments_${k} after ${5000 + k} ms`),
            ),
          );
    }
    const burst = found.find((a) => a.signal.kind === 'log' && a.signal.pattern === 'error-burst');
    expect(burst && anomalySchema.parse(burst).signal).toMatchObject({
      template: expect.stringMatching(/lock timeout/),
    });
    expect(burst?.onset).toBe(iso(100));
  });
});
