import type { RootCauseCandidate } from '@vigil/contracts';
import { evidenceBrief, missingStepText } from './evidence-text';

type Evidence = RootCauseCandidate['evidence'];
const at = '2026-12-07T11:36:10.000Z';
const none: Evidence = { metrics: [], logTemplates: [], alerts: [] };
const step = {
  from: 'call ts-price-service GET /prices',
  to: 'log 9f2c',
  usual: 0.39,
  expected: 7.84,
  observed: 0,
  surprise: 3.2,
};

describe('missingStepText', () => {
  it('says which step stopped, how few came and how often it usually follows', () => {
    expect(missingStepText(step)).toBe(
      'missing step call ts-price-service GET /prices → log 9f2c: 0 of 7.8 expected (usually 39%)',
    );
  });

  it('names the caller whose work showed it', () => {
    expect(missingStepText({ ...step, witness: 'ts-basic-service' })).toContain(
      "in ts-basic-service's work after calling it",
    );
  });
});

describe('evidenceBrief', () => {
  it('has nothing to say for a candidate without evidence', () => {
    expect(evidenceBrief(none)).toEqual([]);
  });

  it('shows one item of each kind before a second of any, strongest first, and counts the rest', () => {
    const evidence: Evidence = {
      metrics: [
        { metric: 'memory_usage', score: 0.4, onset: at, direction: 'up' },
        { metric: 'cpu_usage', score: 0.9, onset: at, direction: 'up' },
        { metric: 'latency_p99', score: 0.6, onset: at },
      ],
      logTemplates: [
        { templateId: 't1', template: 'pool exhausted', score: 0.5, pattern: 'new-template' },
      ],
      alerts: [{ fingerprint: 'f1', alertname: 'HighCpu', startsAt: at }],
      deploys: [{ version: 'v42', at }],
    };
    expect(evidenceBrief(evidence)).toEqual([
      'deploy v42',
      'cpu_usage up',
      'log new-template "pool exhausted"',
      '3 more',
    ]);
    expect(evidenceBrief(evidence, 6)).toEqual([
      'deploy v42',
      'cpu_usage up',
      'log new-template "pool exhausted"',
      'alert HighCpu',
      'latency_p99 changed',
      'memory_usage up',
    ]);
  });

  it('shortens a long template or step to one line', () => {
    const long = `order ${'x'.repeat(100)}\n  at line 3`;
    const [log, missing] = evidenceBrief({
      ...none,
      logTemplates: [{ templateId: 't', template: long, score: 1 }],
      missingSteps: [{ ...step, from: long }],
    });
    expect(log).toHaveLength(`log template ""`.length + 60);
    expect(log).not.toContain('\n');
    expect(missing).toMatch(/^missing step after order x+…$/);
  });
});
