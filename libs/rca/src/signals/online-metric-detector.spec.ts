import {
  type MetricAnomaly,
  OnlineMetricDetector,
  type OnlineMetricDetectorSnapshot,
} from './online-metric-detector';
import { seededRandom } from './testing/seeded-random';

const T0 = 1_700_000_000_000;
const STEP = 15_000;
const at = (i: number): number => T0 + i * STEP;

/** N(100, 2) noise plus `shape(i)` for `points` points, fed to `detector`; returns its reports. */
function run(
  shape: (i: number) => number,
  points: number,
  seed = 1,
  detector = new OnlineMetricDetector(),
): Array<MetricAnomaly & { index: number }> {
  const { gaussian } = seededRandom(seed);
  const reports: Array<MetricAnomaly & { index: number }> = [];
  for (let i = 0; i < points; i++) {
    const report = detector.observe(at(i), 100 + 2 * gaussian() + shape(i));
    if (report) reports.push({ ...report, index: i });
  }
  return reports;
}

describe('OnlineMetricDetector', () => {
  it('stays quiet on noise', () => {
    for (const seed of [1, 2, 3, 4]) expect(run(() => 0, 2000, seed)).toEqual([]);
  });

  it('does not report a single spike or a pair of spikes', () => {
    expect(run((i) => (i === 300 || i === 302 ? 40 : 0), 400)).toEqual([]);
  });

  it('reports a step once, soon, with the onset at the step', () => {
    for (const seed of [1, 2, 3]) {
      const reports = run((i) => (i >= 300 ? 20 : 0), 380, seed);
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ kind: 'opened', direction: 'up', onset: at(300) });
      expect(reports[0].index).toBeLessThanOrEqual(304);
      expect(reports[0].score).toBeGreaterThan(4);
      expect(reports[0].window).toEqual({ start: at(300), end: at(reports[0].index) });
    }
  });

  it('dates a ramp near its start, before the threshold was crossed', () => {
    const reports = run((i) => (i >= 300 ? (i - 300) * 1.5 : 0), 340);
    expect(reports[0].onset).toBeGreaterThanOrEqual(at(298));
    expect(reports[0].onset).toBeLessThanOrEqual(at(304));
    expect(reports[0].index).toBeGreaterThan(304);
  });

  it('re-arms after recovery and then catches the next shift', () => {
    const reports = run((i) => (i >= 300 && i < 340 ? 20 : i >= 500 ? -20 : 0), 540);
    expect(reports.map((r) => [r.kind, r.direction, r.onset])).toEqual([
      ['opened', 'up', at(300)],
      ['opened', 'down', at(500)],
    ]);
  });

  it('escalates when the same shift grows a lot, keeping its onset', () => {
    const reports = run((i) => (i >= 300 ? (i >= 320 ? 200 : 20) : 0), 340);
    expect(reports.map((r) => r.kind)).toEqual(['opened', 'escalated']);
    expect(reports[1].onset).toBe(reports[0].onset);
    expect(reports[1].score).toBeGreaterThan(2 * reports[0].score);
  });

  it('accepts a lasting shift as the new normal and detects the return from it', () => {
    const detector = new OnlineMetricDetector({ maxAnomalyPoints: 60 });
    const reports = run((i) => (i >= 300 && i < 600 ? 30 : 0), 640, 1, detector);
    expect(reports.map((r) => r.direction)).toEqual(['up', 'down']);
    expect(Math.abs(reports[0].onset - at(300))).toBeLessThanOrEqual(STEP);
    expect(Math.abs(reports[1].onset - at(600))).toBeLessThanOrEqual(STEP);
  });

  it('gives no verdict while learning', () => {
    const detector = new OnlineMetricDetector();
    const reports = run((i) => (i >= 10 ? 50 : 0), 22, 1, detector);
    expect(reports).toEqual([]);
    expect(detector.state).toBe('learning');
  });

  it('ignores non-finite values and points out of time order', () => {
    const detector = new OnlineMetricDetector();
    run(() => 0, 100, 1, detector);
    for (let i = 0; i < 5; i++) {
      expect(detector.observe(at(100 + i), Number.NaN)).toBeUndefined();
      expect(detector.observe(at(50), 1000)).toBeUndefined();
    }
    expect(detector.state).toBe('normal');
  });

  it('does not flag a tiny change of a flat series, but flags a flat zero going up', () => {
    const flat = new OnlineMetricDetector();
    const zero = new OnlineMetricDetector();
    const flatReports: MetricAnomaly[] = [];
    const zeroReports: MetricAnomaly[] = [];
    for (let i = 0; i < 200; i++) {
      const a = flat.observe(at(i), i >= 100 ? 5.02 : 5);
      const b = zero.observe(at(i), i >= 100 ? 3 : 0);
      if (a) flatReports.push(a);
      if (b) zeroReports.push(b);
    }
    expect(flatReports).toEqual([]);
    expect(zeroReports.map((r) => [r.direction, r.onset])).toEqual([['up', at(100)]]);
  });

  it('resumes from a JSON snapshot exactly where it stopped', () => {
    const shape = (i: number): number => (i >= 300 && i < 340 ? 20 : i >= 420 ? 200 : 0);
    const { gaussian } = seededRandom(9);
    const values = Array.from({ length: 500 }, (_, i) => 100 + 2 * gaussian() + shape(i));
    const straight = new OnlineMetricDetector();
    const expected = values.map((v, i) => straight.observe(at(i), v));

    let detector = new OnlineMetricDetector();
    const actual = values.map((v, i) => {
      if (i % 97 === 0) {
        const json = JSON.parse(
          JSON.stringify(detector.snapshot()),
        ) as OnlineMetricDetectorSnapshot;
        detector = OnlineMetricDetector.restore(json);
      }
      return detector.observe(at(i), v);
    });
    expect(actual).toEqual(expected);
    expect(expected.filter(Boolean).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps bounded state however long it runs', () => {
    const detector = new OnlineMetricDetector();
    run((i) => (i % 1000 > 600 ? 30 : 0), 5000, 3, detector);
    const snapshot = detector.snapshot();
    expect(snapshot.baseline.values.length).toBeLessThanOrEqual(120);
    expect(snapshot.recent.values.length).toBeLessThanOrEqual(5);
    expect(snapshot.held.values.length).toBeLessThanOrEqual(120);
  });

  it('rejects a config that could never work', () => {
    expect(() => new OnlineMetricDetector({ minExceeding: 6 })).toThrow(RangeError);
    expect(() => new OnlineMetricDetector({ recoveryPoints: 2 })).toThrow(/recoveryPoints/);
  });
});
