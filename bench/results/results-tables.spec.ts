import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRcaReal, renderReadme, type RcaRealResults } from './results-tables';

const root = join(__dirname, '..', '..');

describe('README tables from committed result files', () => {
  it('match what the committed files give (else run `npm run readme:tables`)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('<!-- results:rca-real -->');
    expect(renderReadme(readme, join(root, 'bench', 'results'))).toBe(readme);
  });

  it('renders each method with its figures per fault type and overall', () => {
    const metrics = (ac1: number) => ({ cases: 4, ac1, ac3: 1, avg5: 0.9 });
    const results: RcaRealResults = {
      date: '2026-12-02',
      peakMemoryMiB: 700,
      rankingTimeMs: { vigil: { p50: 2, p95: 9, max: 12 } },
      figures: [
        { system: 'shop', lateS: 0, faultType: 'all', method: 'vigil', metrics: metrics(0.75) },
        { system: 'shop', lateS: 0, faultType: 'cpu', method: 'vigil', metrics: metrics(0.5) },
        { system: 'shop', lateS: 60, faultType: 'all', method: 'vigil', metrics: metrics(0.25) },
      ],
    };
    const table = renderRcaReal(results);
    expect(table).toMatch(
      /\| vigil +\| 0\.50 \/ 1\.00 +\| 0\.75 \/ 1\.00 \/ 0\.90 +\| 0\.25 \/ 1\.00 \/ 0\.90 +\|/,
    );
    expect(table).toContain('p95 9.0 ms');
  });

  it('leaves a section alone when its result file is missing', () => {
    const text = 'a\n<!-- results:nothing-here -->\nold\n<!-- /results:nothing-here -->\n';
    expect(renderReadme(text, join(root, 'bench', 'results'))).toBe(text);
  });
});
