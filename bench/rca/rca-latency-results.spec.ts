import { milliseconds, renderRcaLatency, type RcaLatencyResults } from './rca-latency-results';

const size = (services: number, ms: number[], subgraphNodes: number) => ({
  services,
  entities: services * 1.1,
  edges: services * 4,
  subgraphNodes,
  queryMs: ms[0],
  subgraphRankMs: ms[1],
  maintainedRankMs: ms[2],
  coldRankMs: ms[3],
  coldMaxRankMs: ms[3] * 1.5,
  baselineUpkeepUsPerSeries: 6.04,
});

const results: RcaLatencyResults = {
  date: '2026-12-08',
  cpus: 2,
  loadAverage: 1.4,
  runs: 7,
  pointsPerSeries: 120,
  stepSeconds: 10,
  metricsPerService: 5,
  hops: 2,
  alertingServices: 5,
  sizes: [size(100, [66.2, 3.31, 8.14, 5.06], 87), size(10_000, [12.6, 7.34, 139.7, 241.2], 163)],
};

/** The table's body rows, cells trimmed. */
function cells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| -'))
    .slice(1)
    .map((line) =>
      line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

describe('the rca-latency README table', () => {
  it('shows each size with its query, subgraph and ranking times', () => {
    expect(cells(renderRcaLatency(results))).toEqual([
      ['100', '66 ms', '87', '3.3 ms', '8.1 ms', '5.1 ms'],
      ['10,000', '13 ms', '163', '7.3 ms', '**140 ms**', '241 ms'],
    ]);
  });

  it('bolds the maintained whole-topology figure at the largest size only, in any order', () => {
    const reversed = { ...results, sizes: [...results.sizes].reverse() };
    const rows = cells(renderRcaLatency(reversed));
    expect(rows.map((r) => r[4])).toEqual(['**140 ms**', '8.1 ms']);
    expect(rows.flat().filter((cell) => cell.includes('**'))).toHaveLength(1);
  });

  it('names the query from the hops and alerting services the file gives', () => {
    const header = renderRcaLatency({ ...results, hops: 3, alertingServices: 4 }).split('\n')[0];
    expect(header).toContain('Neo4j neighbourhood query (3 hops of 4 services)');
  });

  it('says what was run, on what machine, when and from which file', () => {
    const sentence = renderRcaLatency(results).split('\n\n')[1];
    expect(sentence).toContain('5 metrics x 120 points (20 minutes at 10 s) per service');
    expect(sentence).toContain('6.0 us per series');
    expect(sentence).toContain('Medians of 7 runs on 2 cores at load average 1.4.');
    const idle = renderRcaLatency({ ...results, loadAverage: 1 }).split('\n\n')[1];
    expect(idle).toContain('at load average 1.0.');
    expect(sentence).toContain(
      'Run of 2026-12-08, from `bench/results/rca-latency.json` (`npm run bench:rca-latency`).',
    );
  });

  it('judges the target on the largest topology when the run recorded one', () => {
    expect(renderRcaLatency(results)).not.toContain('Target:');
    const largest = Math.max(...results.sizes.map((s) => s.maintainedRankMs));
    expect(renderRcaLatency({ ...results, targetMs: largest + 1 })).toContain(': met.');
    expect(renderRcaLatency({ ...results, targetMs: largest })).toContain(': not met.');
  });

  it('keeps a Markdown table Prettier leaves as it is: every line as wide as the header', () => {
    const lines = renderRcaLatency(results).split('\n\n')[0].split('\n');
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });
});

describe('milliseconds', () => {
  it('keeps one decimal below 10 ms and whole milliseconds from 10 on', () => {
    expect([0.456, 3.31, 9.94, 10.4, 139.7, 241.2, 1173.2].map(milliseconds)).toEqual([
      '0.46 ms',
      '3.3 ms',
      '9.9 ms',
      '10 ms',
      '140 ms',
      '241 ms',
      '1,173 ms',
    ]);
  });
});
