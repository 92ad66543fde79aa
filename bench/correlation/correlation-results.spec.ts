import { type CorrelationResults, renderCorrelation } from './correlation-results';

const figures = (f1: number, found: number) => ({
  items: 1000,
  trueIncidents: 100,
  predictedIncidents: found,
  compression: 1000 / found,
  precision: 0.95,
  recall: 0.9,
  f1,
  macroPurity: 0.93,
});

const results: CorrelationResults = {
  meta: {
    date: '2026-12-03T02:30:00.000Z',
    commit: '0123456789abcdef',
    seeds: { tuned: 'tuned-seed', storm: 'storm-seed' },
    alertmanager: { version: '0.35.0', speedup: 60 },
  },
  families: {
    tuned: { overall: { vigil: figures(0.93, 110), fingerprint: figures(0.5, 300) } },
    storm: {
      overall: {
        metrics: { vigil: figures(0.96, 98), 'alertmanager-real': figures(0.55, 400) },
        held: {
          vigil: { truthHeld: 850, leaked: 0, incidentsTouched: 0 },
          'alertmanager-real': { truthHeld: 850, leaked: 12, incidentsTouched: 3 },
        },
      },
    },
  },
};

describe('renderCorrelation', () => {
  const table = renderCorrelation(results);

  it('gives each family its methods with incidents, compression and pairwise figures', () => {
    expect(table).toMatch(
      /\| 13 tuned scenarios +\| Vigil +\| 110 \/ 100 +\| 9\.1x +\| 0\.95 \/ 0\.90 \/ 0\.93 +\| 0\.93 +\| - +\|/,
    );
    expect(table).toMatch(
      /\| storm family +\| Alertmanager v0\.35\.0 \(real\) +\| 400 \/ 100 +\| 2\.5x +\| 0\.95 \/ 0\.90 \/ 0\.55 .*\| 12 of 850 +\|/,
    );
  });

  it('leaves out methods the run did not have', () => {
    expect(table).not.toMatch(/storm family +\| fingerprint/);
    expect(table).not.toMatch(/tuned scenarios +\| Alertmanager v0\.35\.0/);
  });

  it('names the seeds, the replay speed, the date and the commit', () => {
    expect(table).toContain('"storm-seed" (storm, frozen before its first run)');
    expect(table).toContain('replayed 60x faster than real time');
    expect(table).toContain('Run of 2026-12-03 at commit 0123456');
  });
});
