import type { LogLine } from '../signals/log-anomaly-detector';
import { scoreMetric } from '../signals/metric-change-scorer';
import { EventMixShift } from './event-mix-shift';
import { logBehaviourSeries, logPathShiftSeries, logTemplateShiftSeries } from './log-evidence';

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

  it('compares a window of bins with what came before the window, and says how long it is', () => {
    // one request every 5 s: two events per 10 s bin, a third of them take another branch
    const shift = new EventMixShift({ binMs: 10 * SECOND, windowBins: 6 });
    for (let t = 0; t < 600; t += 5)
      shift.add('travel', t * SECOND, t % 15 === 0 ? 'query > seats' : 'query > seats > price');
    const [series] = shift.toSeries('log_path_shift');
    expect(series.windowMs).toBe(60 * SECOND);
    // six bins hold twelve paths: the window's mix is the usual one, give or take one path
    expect(Math.max(...series.values.slice(3))).toBeLessThan(0.15);
  });

  it('measures the share of new events beyond what a reference of its size leaves unseen', () => {
    const seasoned = new EventMixShift({ binMs: 10 * SECOND, windowBins: 6 });
    const thin = new EventMixShift({ binMs: 10 * SECOND, windowBins: 6, minReference: 5 });
    for (let t = 0; t < 300; t++) {
      // a service that repeats its two paths, then takes a third
      seasoned.add('route', t * SECOND, t >= 240 ? 'query > error' : `query > ${t % 2}`);
      // one whose every path has an id in it: new paths are its normal
      thin.add('preserve', t * SECOND, `order ${t}`);
    }
    const [route] = seasoned.toSeries('log_path_novelty', 'novelty');
    const [preserve] = thin.toSeries('log_path_novelty', 'novelty');
    expect(route.values[route.times.indexOf(230 * SECOND)]).toBe(0);
    expect(route.values[route.values.length - 1]).toBeGreaterThan(0.9);
    expect(Math.max(...preserve.values)).toBeLessThan(0.05);
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

/** Spans of a travel service: each logs query, seats and price, until `from`, when price throws. */
function travelLines(seconds: number, from: number, spanIds = true): LogLine[] {
  const lines: LogLine[] = [];
  for (let t = 0; t < seconds; t += 4) {
    const span = spanIds ? { traceId: `trace-${t}`, spanId: `span-${t}` } : {};
    const at = (k: number) => t * SECOND + k;
    lines.push({
      service: 'travel',
      level: 'info',
      body: `query trips for ${t}`,
      time: at(0),
      ...span,
    });
    lines.push({
      service: 'travel',
      level: 'info',
      body: `seats left ${t % 7}`,
      time: at(1),
      ...span,
    });
    // the exception skips the price line in every other request; the templates stay the usual ones
    if (t < from || t % 8 !== 0)
      lines.push({
        service: 'travel',
        level: 'info',
        body: `price ${t % 5} computed`,
        time: at(2),
        ...span,
      });
    else
      lines.push({
        service: 'travel',
        level: 'info',
        body: `query trips for ${t + 1}`,
        time: at(3),
        ...span,
      });
  }
  return lines;
}

describe('logPathShiftSeries', () => {
  it('sees requests that skip a statement half way, where the template mix barely moves', () => {
    const lines = travelLines(1200, 900);
    const novelty = logPathShiftSeries(lines).find((s) => s.metric === 'log_path_novelty');
    const template = logTemplateShiftSeries(lines).find((s) => s.service === 'travel');
    const before = (s: { times: number[]; values: number[] }) =>
      s.values.filter((_, i) => s.times[i] < 900 * SECOND);
    // a new path is news for one window; then it is part of what the service does
    const after = (s: { times: number[]; values: number[] }) =>
      s.values.filter((_, i) => s.times[i] >= 910 * SECOND && s.times[i] < 960 * SECOND);
    if (!novelty || !template) throw new Error('no series for travel');
    expect(Math.max(...before(novelty))).toBe(0);
    expect(Math.max(...after(novelty))).toBeGreaterThan(0.4);
    // the same requests as template mixes: one line in six moved
    expect(Math.max(...after(template))).toBeLessThan(0.2);
  });

  it('leaves out lines without trace and span ids, and logBehaviourSeries gives both kinds', () => {
    expect(logPathShiftSeries(travelLines(1200, 900, false))).toEqual([]);
    const metrics = logBehaviourSeries(travelLines(1200, 900)).map((s) => s.metric);
    expect(metrics).toEqual(['log_template_shift', 'log_path_shift', 'log_path_novelty']);
  });
});
