import { renderFaults, renderSoak } from '../results/results-tables';
import type { SoakResults } from '../soak/rss-series';
import type { FaultsResults, FaultTrial } from './faults-results';

const trial = (fault: string, target: string, more: Partial<FaultTrial> = {}): FaultTrial => ({
  fault,
  target,
  alertsSent: 300,
  alertsAccepted: 100,
  alertsNeverAccepted: 0,
  refusals: 0,
  incidents: 20,
  alertsLost: 0,
  incidentsDuplicated: 0,
  incidentsMissing: 0,
  plans: 2,
  plansDuplicated: 0,
  stepsApplied: 3,
  stepsAppliedTwice: 0,
  ledgerDuplicates: 0,
  dlqRecords: 0,
  dlqReasons: {},
  durationS: 120,
  ...more,
});

/** A run of the bench's default storm with these trials. */
const faultsTable = (trials: FaultTrial[], expectedFrom?: FaultsResults['expectedFrom']) =>
  renderFaults({
    date: '2026-12-03',
    storm: { groups: 20, perGroup: 5, repeats: 3, seconds: 60 },
    shopRps: 5,
    outageS: 60,
    trials,
    ...(expectedFrom && { expectedFrom }),
  });

describe('the faults table', () => {
  const table = faultsTable([
    trial('none', '-'),
    trial('kill', 'planner', { plansDuplicated: 1, recoveryS: 14.4 }),
    trial('neo4j', 'neo4j', { dlqRecords: 7, stepsAppliedTwice: 1, ledgerDuplicates: 1 }),
  ]);

  it('has a row per fault with its counts and recovery time', () => {
    expect(table).toMatch(
      /\| none \(the reference\) +\| 0 +\| 0 \/ 0 +\| 0 \(of 2\) +\|.*\| - +\|/,
    );
    expect(table).toMatch(
      /\| kill planner +\| 0 +\| 0 \/ 0 +\| 1 \(of 2\) +\| 0 \(of 3\) +\| 0 +\| 14 s +\|/,
    );
  });

  it('adds the audit trail and the ledger, and says when a fault never recovered', () => {
    expect(table).toMatch(
      /\| neo4j neo4j +\| 0 +\| 0 \/ 0 +\| 0 \(of 2\) +\| 2 \(of 3\) +\| 7 +\| not recovered +\|/,
    );
  });
});

describe('the faults table of a run judged against the offline correlator', () => {
  it('says so, and a run with no fault is no longer called the reference', () => {
    const table = faultsTable([trial('none', '-', { incidentsDuplicated: 1 })], 'offline');
    expect(table).toMatch(/\| none +\| 0 +\| 1 \/ 0 +\|/);
    expect(table).toContain('one uninterrupted offline correlator makes of the same alert stream');
  });
});

describe("the faults table of a run judged against the correlator's own input", () => {
  it('shows the difference from ingest order beside the counts, and says it is no target', () => {
    const table = faultsTable(
      [trial('none', '-', { ingestOrder: { incidentsDuplicated: 2, incidentsMissing: 0 } })],
      'offline-input',
    );
    expect(table).toMatch(/\| none +\| 0 +\| 0 \/ 0 +\| 2 \/ 0 +\| 0 \(of 2\) +\|/);
    expect(table).toContain('the very records the live one read, in the order it read them');
    expect(table).toContain('reported, not a target');
  });
});

/** A 15-minute soak from minute 10 on, with `more` (the series, growths, the estate). */
const soakTable = (more: Pick<SoakResults, 'series' | 'growth'> & Partial<SoakResults>) =>
  renderSoak({
    date: '2026-12-03',
    minutes: 15,
    alertsPerS: 20,
    shopRps: 5,
    baseMinute: 10,
    ...more,
  });

describe('the soak table', () => {
  it('shows each service at start, at the base minute, at the end and the growth', () => {
    const table = soakTable({
      series: [
        { minute: 0, rss: { rca: 90 } },
        { minute: 15, rss: { rca: 130 } },
      ],
      growth: { rca: { fromMiB: 120, toMiB: 126, percent: 5 } },
    });
    expect(table).toMatch(/\| rca +\| 90 MiB +\| 120 MiB +\| 126 MiB +\| \+5\.0% +\|/);
    expect(table).toContain('< 10% RSS growth after minute 10');
    expect(table).toContain('services never seen before');
  });

  it('shows the growth of the anonymous part beside, and says the estate repeats', () => {
    const table = soakTable({
      estateMinutes: 10,
      series: [{ minute: 0, rss: { rca: 90 }, anon: { rca: 60 } }],
      growth: { rca: { fromMiB: 120, toMiB: 126, percent: 5 } },
      anonGrowth: { rca: { fromMiB: 80, toMiB: 80, percent: 0 } },
    });
    expect(table).toMatch(/\| rca +\| 90 MiB +\| 120 MiB +\| 126 MiB +\| \+5\.0% +\| 0\.0% +\|/);
    expect(table).toContain('services that repeat every 10 minutes');
  });

  it('names the settings that bounded every store in a short-retention run, and nothing otherwise', () => {
    const base = {
      series: [{ minute: 0, rss: { rca: 90 } }],
      growth: { rca: { fromMiB: 120, toMiB: 126, percent: 5 } },
    };
    const short = soakTable({
      ...base,
      retention: 'short',
      retentionSettings: { rca: { RCA_MAX_AGE_MS: '240000', RCA_HISTORY_MS: '240000' } },
    });
    expect(short).toContain(
      '`--retention short`: rca `RCA_MAX_AGE_MS=240000`, `RCA_HISTORY_MS=240000`)',
    );
    expect(short).toContain('full by minute 10');
    expect(soakTable({ ...base, retention: 'default' })).not.toContain('--retention short');
  });

  it('names the allocator each service ran with, services of one allocator together', () => {
    const percent = { fromMiB: 100, toMiB: 101, percent: 1 };
    const table = soakTable({
      series: [{ minute: 0, rss: { rca: 90 } }],
      growth: { rca: percent, ingest: percent, ruler: percent, console: percent },
      allocators: {
        rca: { LD_PRELOAD: '/usr/lib/libjemalloc.so.2' },
        ingest: { MALLOC_ARENA_MAX: '2' },
        ruler: { MALLOC_ARENA_MAX: '2' },
      },
    });
    expect(table).toContain(
      "Memory allocator: jemalloc for rca; glibc with `MALLOC_ARENA_MAX=2` for ingest and ruler; glibc's default for console.",
    );
  });
});
