import type { LogLine } from '../signals/log-anomaly-detector';
import { scoreMetric } from '../signals/metric-change-scorer';
import { EventMixShift } from './event-mix-shift';
import { logTemplateShiftSeries } from './log-evidence';

const SECOND = 1000;

/** A price service logging two statements per request, until `from` when the second stops. */
function priceLines(seconds: number, from: number): LogLine[] {
  const lines: LogLine[] = [];
  for (let t = 0; t < seconds; t++) {
    lines.push({
      service: 'price',
      level: 'info',
      body: `query price for route ${t}`,
      time: t * SECOND,
    });
    if (t < from)
      lines.push({
        service: 'price',
        level: 'info',
        body: `price found for train type ${t % 3} and route ${t}`,
        time: t * SECOND + 1,
      });
  }
  return lines;
}

describe('EventMixShift', () => {
  it('is near 0 while a service keeps its mix, whatever its volume', () => {
    const shift = new EventMixShift({ binMs: 10 * SECOND });
    for (let t = 0; t < 300; t++) {
      // twice the traffic in the second half, same operations in the same proportions
      const calls = t < 150 ? 1 : 2;
      for (let k = 0; k < calls; k++) {
        shift.add('cart', t * SECOND, 'GetCart');
        shift.add('cart', t * SECOND, 'GetCart > redis');
      }
    }
    const [series] = shift.toSeries('trace_operation_shift');
    expect(Math.max(...series.values)).toBeLessThan(0.05);
  });

  it('rises when a usual event vanishes or a new one appears', () => {
    const shift = new EventMixShift({ binMs: 10 * SECOND });
    for (let t = 0; t < 300; t++) {
      shift.add('cart', t * SECOND, 'GetCart');
      shift.add('cart', t * SECOND, t < 200 ? 'GetCart > redis' : 'GetCart > fallback');
    }
    const [series] = shift.toSeries('trace_operation_shift');
    const before = series.values.filter((_, i) => series.times[i] < 200 * SECOND);
    const after = series.values.filter((_, i) => series.times[i] >= 200 * SECOND);
    expect(Math.max(...before)).toBeLessThan(0.05);
    expect(Math.min(...after.slice(0, 3))).toBeGreaterThan(0.3);
  });

  it('gives no point before a service has enough history to compare with', () => {
    const shift = new EventMixShift({ binMs: 10 * SECOND, minReference: 20 });
    for (let t = 0; t < 15; t++) shift.add('email', t * 10 * SECOND, 'Send');
    expect(shift.toSeries('x')).toEqual([]);
  });
});

describe('logTemplateShiftSeries', () => {
  it('scores a statement that stops being logged (an exception thrown before it) as a change', () => {
    const series = logTemplateShiftSeries(priceLines(600, 400), { binMs: 10 * SECOND });
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ service: 'price', metric: 'log_template_shift' });
    expect(scoreMetric(series[0], 400 * SECOND)?.score).toBeGreaterThan(10);
    expect(scoreMetric(series[0], 400 * SECOND)?.direction).toBe('up');
  });

  it('does not score a service that only logs less', () => {
    const lines = priceLines(600, 600).filter(
      (l) => l.time < 400 * SECOND || Math.floor(l.time / SECOND) % 2 === 0,
    );
    const [series] = logTemplateShiftSeries(lines, { binMs: 10 * SECOND });
    expect(scoreMetric(series, 400 * SECOND)?.score ?? 0).toBeLessThan(3);
  });
});
