import type { LogEvidence } from '../rca-case';
import type { LogLine } from '../signals/log-anomaly-detector';
import {
  logAnomaliesOverTime,
  logCaseEvidence,
  logEvidenceFromLines,
  logLineSeries,
  strongestLogEvidence,
} from './log-evidence';

const MINUTE = 60_000;

/** A quiet cart service: one INFO line every 10 s for `minutes`. */
function normalLines(minutes: number): LogLine[] {
  return Array.from({ length: minutes * 6 }, (_, i) => ({
    service: 'cart',
    level: 'info' as const,
    body: `GET /cart/${i} 200 in ${10 + (i % 7)} ms`,
    time: i * 10_000,
  }));
}

const refused = (time: number): LogLine => ({
  service: 'cart',
  level: 'error',
  body: `redis connection refused to 10.0.0.${time % 9}:6379`,
  time,
});

describe('logEvidenceFromLines', () => {
  it('gives new-template evidence for a never-seen ERROR after `from`, on its service', () => {
    const from = 20 * MINUTE;
    const lines = [...normalLines(30), refused(22 * MINUTE), refused(22 * MINUTE + 5_000)];
    const evidence = logEvidenceFromLines(lines, { from });
    expect(evidence).toEqual([
      expect.objectContaining({
        service: 'cart',
        pattern: 'new-template',
        onset: 22 * MINUTE,
        template: expect.stringContaining('redis connection refused'),
      }),
    ]);
    expect(evidence[0].score).toBeGreaterThan(0);
  });

  it('reads lines in time order, whatever order they come in', () => {
    const from = 20 * MINUTE;
    const lines = [refused(22 * MINUTE), ...normalLines(30)].reverse();
    expect(logEvidenceFromLines(lines, { from }).map((e) => e.onset)).toEqual([22 * MINUTE]);
  });

  it('learns from lines before `from`: a template seen then is no news after it', () => {
    const from = 20 * MINUTE;
    const lines = [...normalLines(30), refused(12 * MINUTE), refused(22 * MINUTE)];
    expect(logEvidenceFromLines(lines, { from })).toEqual([]);
    // the same error before `from` is news at its time, but that is not the case's evidence
    expect(logAnomaliesOverTime(lines).map((e) => e.onset)).toContain(12 * MINUTE);
  });
});

describe('strongestLogEvidence', () => {
  const evidence = (
    score: number,
    onset: number,
    more: Partial<LogEvidence> = {},
  ): LogEvidence => ({
    service: 'cart',
    templateId: 'T1',
    template: 'redis connection refused <*>',
    pattern: 'error-burst',
    score,
    onset,
    ...more,
  });

  it('keeps the strongest per service, template and pattern with onset in the window', () => {
    const found = strongestLogEvidence(
      [
        evidence(2, 100),
        evidence(5, 150),
        evidence(9, 50), // before the window
        evidence(9, 400), // after it
        evidence(1, 120, { pattern: 'new-template' }),
        evidence(3, 130, { service: 'checkout' }),
      ],
      100,
      300,
    );
    expect(found).toEqual([
      evidence(5, 100),
      evidence(1, 120, { pattern: 'new-template' }),
      evidence(3, 130, { service: 'checkout' }),
    ]);
  });
});

describe('logLineSeries', () => {
  it('counts lines and error-or-worse lines per service and bin, an empty bin as zero', () => {
    const at = (s: number) => Date.parse('2026-12-02T10:00:00Z') + s * 1000;
    const series = logLineSeries([
      { service: 'cart', level: 'info', body: 'a', time: at(1) },
      { service: 'cart', level: 'error', body: 'b', time: at(2) },
      { service: 'cart', level: 'warn', body: 'no seat left', time: at(25) },
      { service: 'cart', level: 'fatal', body: 'd', time: at(26) },
    ]);
    const errors = series.find((s) => s.metric === 'log_error_lines');
    const lines = series.find((s) => s.metric === 'log_lines');
    // a warning is a line, not a failure
    expect(errors?.values).toEqual([1, 0, 1]);
    expect(lines?.values).toEqual([2, 0, 2]);
    expect(errors?.times).toEqual([at(0), at(10), at(20)]);
  });
});

describe('logCaseEvidence', () => {
  it("gives a case's evidence once per service, template and pattern, with volume and mix series", () => {
    const from = 10 * MINUTE;
    const errors = Array.from({ length: 60 }, (_, i) => refused(from + 3_000 + i * 5_000));
    const { evidence, series } = logCaseEvidence([...normalLines(20), ...errors], from);
    const keys = evidence.map((e) => `${e.service}/${e.templateId}/${e.pattern}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(evidence).toContainEqual(
      expect.objectContaining({ service: 'cart', pattern: 'new-template', onset: from + 3_000 }),
    );
    expect([...new Set(series.map((s) => s.metric))].sort()).toEqual([
      'log_error_lines',
      'log_lines',
      'log_template_shift',
    ]);
  });

  it('counts what began shortly before the anomalous period, not what began long before', () => {
    const start = 20 * MINUTE;
    const newError = (template: string, time: number): LogLine => ({
      service: 'cart',
      level: 'error',
      body: `${template} for order ${time}`,
      time,
    });
    const lines = [
      ...normalLines(30),
      // an old failure, then the fault's first errors a little before the estimated start
      ...[0, 1, 2].map((i) => newError('ledger export failed', start - 5 * MINUTE + i * 1_000)),
      ...[0, 1, 2].map((i) => newError('payment refused by gateway', start - 30_000 + i * 1_000)),
    ];
    const templates = logCaseEvidence(lines, start).evidence.map((e) => e.template);
    expect(templates.some((t) => t.startsWith('payment refused'))).toBe(true);
    expect(templates.some((t) => t.startsWith('ledger export'))).toBe(false);
  });

  it('takes nothing from the minutes before the period of a service whose lines only began then', () => {
    const start = 20 * MINUTE;
    // cart logs all along; the auditor's recording begins 30 s before the period
    const auditor = Array.from({ length: 30 }, (_, i) => ({
      service: 'auditor',
      level: 'info' as const,
      body: `audit batch ${i} written`,
      time: start - 30_000 + i * 2_000,
    }));
    const errors = [0, 1, 2].map((i) => refused(start - 30_000 + i * 1_000));
    const evidence = logCaseEvidence([...normalLines(30), ...auditor, ...errors], start).evidence;
    expect(evidence.map((e) => e.service)).toEqual(['cart']);
  });
});
