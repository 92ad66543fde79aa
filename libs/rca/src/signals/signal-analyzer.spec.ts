import { type Anomaly, anomalySchema, type LogRecord, type MetricBatch } from '@vigil/contracts';
import { fittedAnomalyId, maxAnomalyIdLength, SignalAnalyzer } from './signal-analyzer';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const STEP = 10_000;
const iso = (i: number) => new Date(T0 + i * STEP).toISOString();

/** A line of payment-db's log at step `i`. */
const dbLine = (i: number, level: LogRecord['level'], body: string): LogRecord => ({
  schemaVersion: 1,
  service: 'payment-db',
  level,
  body,
  attributes: {},
  time: iso(i),
});
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
    const line = dbLine;
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

describe('SignalAnalyzer.atomically (a handler tried again finds what its first try found)', () => {
  const failed = new Error('publishing failed');

  /**
   * What `analyzer` finds in each unit of work. A unit `retried` fails once after observing (its
   * publish, say), then is tried again; one `parked` fails and is not tried again (it is left out).
   */
  async function run(
    analyzer: SignalAnalyzer,
    units: Array<() => Anomaly[]>,
    outcome: (unit: number) => 'ok' | 'retried' | 'parked' = () => 'ok',
  ): Promise<Anomaly[][]> {
    const out: Anomaly[][] = [];
    for (const [i, observe] of units.entries()) {
      if (outcome(i) !== 'ok') {
        const failing = analyzer.atomically(async () => {
          observe();
          throw failed;
        });
        await expect(failing).rejects.toBe(failed);
        if (outcome(i) === 'parked') continue;
      }
      out.push(await analyzer.atomically(async () => observe()));
    }
    return out;
  }

  /** Four metric series a batch (one of them new, so one is dropped: maxSeries is 4), two shift. */
  function metricUnits(analyzer: SignalAnalyzer): Array<() => Anomaly[]> {
    return Array.from({ length: 40 }, (_, b) => () => {
      const samples = [];
      for (let i = b * 5; i < b * 5 + 5; i++)
        for (const [name, shift] of [
          ['latency_p99_ms', i >= 150 ? 80 : 0],
          ['error_rate', i >= 170 ? 40 : 0],
          ['cpu', 0],
          [`queue_${b % 3}`, 0],
        ] as const)
          samples.push({ name, value: 100 + wobble(i) + shift, labels: {}, time: iso(i) });
      return analyzer.observeMetrics({ schemaVersion: 1, service: 'checkout', samples });
    });
  }

  /**
   * Log lines of more templates than the miner keeps (some generalised as they repeat), new ones
   * after the warm-up, bursts of errors of more templates than are tracked.
   */
  function logUnits(analyzer: SignalAnalyzer): Array<() => Anomaly[]> {
    const words = ['alpha', 'beta', 'gamma', 'delta', 'omega'];
    const units: Array<() => Anomaly[]> = [];
    for (let i = 0; i < 240; i++) {
      const lines: Array<[LogRecord['level'], string]> = [
        ['info', `checkpoint complete: wrote ${i} buffers`],
        ['warn', `${words[(i >> 3) % 5]} stage ${words[i % 3]} done`],
      ];
      if (i >= 200)
        for (let k = 0; k < 8; k++) lines.push(['error', `${words[k % 3]} lock timeout on ${k}`]);
      for (const [level, body] of lines)
        units.push(() => analyzer.observeLog(dbLine(i, level, body)));
    }
    return units;
  }

  const options = {
    maxSeries: 4,
    log: {
      warmupMs: 60_000,
      maxNovelTemplates: 4,
      maxTrackedTemplates: 2,
      miner: { maxClustersPerService: 6 },
    },
  };
  const series = (analyzer: SignalAnalyzer) =>
    [...analyzer['detectors']].map(([key, detector]) => [key, detector.snapshot()]);
  const parked = (unit: number) => unit % 5 === 0;

  it('undoes metric observations whose publishing failed: the retry finds the same anomalies', async () => {
    const control = new SignalAnalyzer(options);
    const retried = new SignalAnalyzer(options);

    const expected = await run(control, metricUnits(control));
    const found = await run(retried, metricUnits(retried), () => 'retried');

    expect(expected.flat().map((a) => a.signal)).toEqual([
      expect.objectContaining({ metric: 'latency_p99_ms' }),
      expect.objectContaining({ metric: 'error_rate' }),
    ]);
    expect(found).toEqual(expected);
    expect(series(retried)).toEqual(series(control));
  });

  it('undoes log observations whose publishing failed, templates and all: the retry finds the same', async () => {
    const control = new SignalAnalyzer(options);
    const retried = new SignalAnalyzer(options);

    const expected = await run(control, logUnits(control));
    const found = await run(retried, logUnits(retried), () => 'retried');

    const patterns = expected.flat().map((a) => a.signal.kind === 'log' && a.signal.pattern);
    expect(new Set(patterns)).toEqual(new Set(['new-template', 'error-burst']));
    expect(found).toEqual(expected);
    expect(retried['logs'].snapshot()).toEqual(control['logs'].snapshot());
  });

  it('leaves no trace of a unit that failed and was not tried again (a message parked)', async () => {
    const control = new SignalAnalyzer(options);
    const analyzer = new SignalAnalyzer(options);
    const skipParked = (units: Array<() => Anomaly[]>) => units.filter((_, i) => !parked(i));

    const expected = [
      ...(await run(control, skipParked(metricUnits(control)))),
      ...(await run(control, skipParked(logUnits(control)))),
    ];
    const found = [
      ...(await run(analyzer, metricUnits(analyzer), (i) => (parked(i) ? 'parked' : 'ok'))),
      ...(await run(analyzer, logUnits(analyzer), (i) => (parked(i) ? 'parked' : 'ok'))),
    ];

    expect(expected.flat().length).toBeGreaterThan(0);
    expect(found).toEqual(expected);
    expect(series(analyzer)).toEqual(series(control));
    expect(analyzer['logs'].snapshot()).toEqual(control['logs'].snapshot());
  });

  it('puts back exactly what each unit it undoes changed: series, log templates, counts', async () => {
    const analyzer = new SignalAnalyzer(options);
    const state = () => ({ series: series(analyzer), logs: analyzer['logs'].snapshot() });
    let generalised = false;

    for (const observe of [...metricUnits(analyzer), ...logUnits(analyzer)]) {
      const before = state();
      const failing = analyzer.atomically(async () => {
        observe();
        throw failed;
      });
      await expect(failing).rejects.toBe(failed);
      expect(JSON.stringify(state())).toBe(JSON.stringify(before));
      await analyzer.atomically(async () => void observe());
      generalised ||= analyzer
        .templates('payment-db')
        .some((t) => /stage <\*> done/.test(t.template));
    }
    expect(generalised).toBe(true);
  });

  it('refuses a unit of work inside another', async () => {
    const analyzer = new SignalAnalyzer();
    await expect(
      analyzer.atomically(() => analyzer.atomically(async () => undefined)),
    ).rejects.toThrow(/open already/);
  });
});

describe('anomaly ids', () => {
  const shift = (service: string, labels: Record<string, string>): MetricBatch => ({
    schemaVersion: 1,
    service,
    samples: Array.from({ length: 200 }, (_, i) => ({
      name: 'latency_p99_ms',
      value: 100 + wobble(i) + (i >= 150 ? 80 : 0),
      labels,
      time: iso(i),
    })),
  });

  it('fit the 200 characters of vigil.anomalies.v1 when labels or the service name are long, and stay distinct and stable', () => {
    const long = 'r'.repeat(180);
    const ids = [
      shift('checkout', { route: `${long}a` }),
      shift('checkout', { route: `${long}b` }),
      shift('s'.repeat(200), { route: 'cart' }),
    ].map((batch) => {
      const [anomaly] = new SignalAnalyzer().observeMetrics(batch);
      expect(anomalySchema.safeParse(anomaly).success).toBe(true);
      return anomaly?.anomalyId ?? '';
    });

    for (const id of ids) expect(id.length).toBeLessThanOrEqual(maxAnomalyIdLength);
    expect(new Set(ids).size).toBe(3);
    expect(
      new SignalAnalyzer().observeMetrics(shift('checkout', { route: `${long}a` }))[0]?.anomalyId,
    ).toBe(ids[0]);
    // an id that fits is left as it reads
    expect(new SignalAnalyzer().observeMetrics(shift('checkout', {}))[0]?.anomalyId).toBe(
      `checkout/latency_p99_ms/${T0 + 150 * STEP}`,
    );
  });

  it('cuts a long id between characters, not inside one', () => {
    const id = fittedAnomalyId(`${'a'.repeat(166)}${'😀'.repeat(40)}`);
    expect(id.length).toBeLessThanOrEqual(maxAnomalyIdLength);
    expect(id).toMatch(/^a{166}(😀)*#[0-9a-f]{32}$/u);
  });
});
