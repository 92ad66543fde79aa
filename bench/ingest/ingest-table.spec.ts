import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReadme } from '../results/results-tables';
import type { AlertPathRow, IngestResults } from './ingest-results';
import { targetsMet } from './ingest-results';
import { renderIngest } from './ingest-table';

function pathRow(transport: 'plaintext' | 'tls', endToEndPerS: number, p99: number): AlertPathRow {
  return {
    transport,
    kafka: transport === 'tls' ? 'TLS + SCRAM-SHA-512, ACLs' : 'plaintext',
    offeredPerS: 10_000,
    seconds: 20,
    sent: 200_000,
    accepted: 200_000,
    rejected: 0,
    acceptedPerS: 10_000,
    endToEndPerS,
    correlatorHandled: 200_000,
    correlatorDlq: 0,
    newAlerts: 20_000,
    traced: 20_000,
    latencyMs: { p50: 120, p99, max: p99 + 50 },
    p99ByWindowMs: [p99],
    cpuS: { ingest: 12.5, 'correlator-1': 15, 'correlator-2': 14 },
    rssMiB: { ingest: 200 },
    loadAverage: [1.5, 1.2, 1],
  };
}

function results(rows: AlertPathRow[]): IngestResults {
  return {
    date: '2026-12-03T03:00:00.000Z',
    commit: 'abc1234',
    node: 'v20',
    cpus: 2,
    correlators: 2,
    newShare: 0.1,
    target: { perS: 10_000, p99Ms: 1_000, tlsWithinShare: 0.2 },
    alertPath: rows,
    accept: [
      {
        receiver: 'Alertmanager v0.35.0',
        batchSize: 500,
        concurrency: 4,
        seconds: 10,
        accepted: 500_000,
        rejected: 0,
        acceptedPerS: 50_000,
        requestP99Ms: 40,
        loadAverage: [1, 1, 1],
      },
    ],
    met: targetsMet(rows),
  };
}

describe('bench:ingest targets', () => {
  it('are met only at the target rate end to end, with every alert accepted, every new one traced and p99 under 1 s', () => {
    expect(targetsMet([pathRow('plaintext', 10_020, 600)]).plaintext).toBe(true);
    // taking every alert is not enough: the correlators must keep pace until the last incident
    expect(targetsMet([pathRow('plaintext', 9_902, 600)]).plaintext).toBe(false);
    expect(targetsMet([pathRow('plaintext', 10_020, 1_400)]).plaintext).toBe(false);
    const refused = { ...pathRow('plaintext', 10_020, 600), rejected: 500, acceptedPerS: 9_975 };
    expect(targetsMet([refused]).plaintext).toBe(false);
    const lost = { ...pathRow('plaintext', 10_020, 600), traced: 19_990 };
    expect(targetsMet([lost]).plaintext).toBe(false);
  });

  it('hold the floor when a run offered at the floor takes nearly all of it', () => {
    const floorRow = (acceptedPerS: number): AlertPathRow => ({
      ...pathRow('plaintext', 1_990, 60),
      offeredPerS: 2_000,
      acceptedPerS,
    });
    expect(targetsMet([floorRow(1_995)]).floor).toBe(true);
    expect(targetsMet([floorRow(1_900)]).floor).toBe(false);
  });

  it('judge TLS against plaintext end to end, within 20%', () => {
    expect(
      targetsMet([pathRow('plaintext', 9_700, 600), pathRow('tls', 8_000, 900)]).tlsWithin,
    ).toBe(true);
    expect(
      targetsMet([pathRow('plaintext', 9_700, 600), pathRow('tls', 7_000, 900)]).tlsWithin,
    ).toBe(false);
    expect(targetsMet([pathRow('plaintext', 9_700, 600)]).tlsWithin).toBe(false);
    const cutOff = { ...pathRow('tls', 9_000, 900), traced: 15_000 };
    expect(targetsMet([pathRow('plaintext', 9_700, 600), cutOff]).tlsWithin).toBe(false);
  });
});

describe('bench:ingest floor and ladder', () => {
  const atRate = (offeredPerS: number, p99: number): AlertPathRow => ({
    ...pathRow('plaintext', offeredPerS, p99),
    offeredPerS,
    acceptedPerS: offeredPerS,
  });

  it('holds the floor when a plaintext run at 2,000 alerts/s or more keeps p99 under 1 s', () => {
    expect(targetsMet([atRate(10_000, 9_000), atRate(2_000, 700)]).floor).toBe(true);
    expect(targetsMet([atRate(10_000, 9_000), atRate(2_000, 1_200)]).floor).toBe(false);
    expect(targetsMet([atRate(1_000, 300)]).floor).toBe(false);
  });

  it('judges the 10,000 target only on runs offered at that rate, not on a ladder run', () => {
    const met = targetsMet([atRate(10_000, 9_000), atRate(2_000, 700)]);
    expect(met.plaintext).toBe(false);
    expect(targetsMet([atRate(2_000, 700)]).plaintext).toBe(false);
  });

  it('prints the floor verdict under the table', () => {
    const rows = [atRate(10_000, 9_000), atRate(2_000, 700)];
    const table = renderIngest({ ...results(rows), floor: { perS: 2_000, p99Ms: 1_000 } });
    expect(table).toContain('Floor: 2,000 alerts/s on plaintext');
    expect(table).toContain('p99 < 1000 ms: met.');
    expect(table).toMatch(/\| Vigil, plaintext +\| 2,000 for 20 s /);
  });

  it('says whether the rows were timed after a warm-up or from a cold start', () => {
    const warmed = renderIngest(results([{ ...atRate(10_000, 600), warmUpS: 5 }]));
    expect(warmed).toContain('timed after 5 s of untimed load at the same rate');
    const cold = renderIngest(results([atRate(10_000, 600)]));
    expect(cold).toContain('Timed from a cold start');
    expect(cold).not.toContain('untimed load');
  });

  it('shows the worst p99 after the first 5 s beside the whole run: the warm-up apart', () => {
    const warm = { ...atRate(10_000, 2_700), p99ByWindowMs: [2_962, 457, 285, 195] };
    const table = renderIngest(results([warm]));
    expect(table).toMatch(/\| 120 \/ 2700 ms +\| 457 ms +\|/);
  });
});

describe('renderIngest', () => {
  it('renders both transports and Alertmanager side by side, with the share of TLS and the verdicts', () => {
    const table = renderIngest(
      results([pathRow('plaintext', 10_100, 600), pathRow('tls', 9_090, 900)]),
    );
    expect(table).toMatch(
      /\| Vigil, plaintext +\| 10,000 for 20 s +\| 10,000 \(0 refused\) +\| 10,100 +\| 120 \/ 600 ms/,
    );
    expect(table).toMatch(/\| Vigil, TLS \+ SCRAM-SHA-512, ACLs .*\| 9,090 /);
    expect(table).toMatch(
      /\| Alertmanager v0\.35\.0 +\| as fast as taken +\| 50,000 \(0 refused\)/,
    );
    expect(table).toContain('200,000 of 200,000, 0 to the DLQ');
    expect(table).toContain('TLS end to end 90% of plaintext (at least 80%: met)');
    expect(table).toContain('plaintext met, TLS not met');
  });

  it('does not compare TLS with a run cut off before every new alert was traced', () => {
    const cutOff = { ...pathRow('tls', 9_000, 900), traced: 15_000 };
    const table = renderIngest(results([pathRow('plaintext', 9_700, 600), cutOff]));
    expect(table).toContain('TLS against plaintext not comparable');
  });

  it('says when TLS was not measured', () => {
    const table = renderIngest(results([pathRow('plaintext', 9_700, 600)]));
    expect(table).toContain('TLS against plaintext not measured in this run (at least 80%)');
    expect(table).toContain('TLS not met');
  });
});

describe('the README section results:ingest', () => {
  it('is rendered from ingest.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ingest-table-'));
    const json = results([pathRow('plaintext', 9_700, 600)]);
    writeFileSync(join(dir, 'ingest.json'), JSON.stringify(json));
    const readme = 'before\n<!-- results:ingest -->\nold\n<!-- /results:ingest -->\nafter\n';
    expect(renderReadme(readme, dir)).toBe(
      `before\n<!-- results:ingest -->\n\n${renderIngest(json)}\n\n<!-- /results:ingest -->\nafter\n`,
    );
  });
});
