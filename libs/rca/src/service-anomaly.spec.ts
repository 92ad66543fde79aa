import type { LogEvidence, RcaCase } from './rca-case';
import { serviceAnomalies } from './service-anomaly';

const T0 = Date.parse('2026-12-02T10:00:00Z');

function caseWithLog(template: string): RcaCase {
  const log: LogEvidence = {
    service: 'travel',
    templateId: 't1',
    template,
    pattern: 'new-template',
    score: 12,
    onset: T0 + 30_000,
  };
  return {
    topology: { services: ['travel'], edges: [] },
    series: [],
    logs: [log],
    anomalyStart: T0,
  };
}

describe('serviceAnomalies: log evidence', () => {
  it('reads a never-seen error line as the service failing, not only as new code', () => {
    const travel = serviceAnomalies(
      caseWithLog('<*> ERROR dispatcherServlet threw exception [Request processing failed]'),
    ).get('travel');
    expect(travel?.novel).toBeGreaterThan(0.5);
    expect(travel?.failing).toBeGreaterThan(0.5);
  });

  it('reads a never-seen info line as new code only', () => {
    const travel = serviceAnomalies(caseWithLog('<*> INFO route <*> loaded')).get('travel');
    expect(travel?.novel).toBeGreaterThan(0.5);
    expect(travel?.failing).toBe(0);
  });
});
