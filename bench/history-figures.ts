// What bench:history measures and writes to bench/results/history.json.

export interface LatencyFigure {
  queries: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface HistoryResults {
  date: string;
  cpus: number;
  loadAverage: number;
  stored: { incidents: number; events: number; spanDays: number; open: number; fillS: number };
  /** The console's start-up work that grows with history: its board folded from the store. */
  consoleStart: {
    runs: number;
    medianMs: number;
    maxMs: number;
    incidents: number;
    events: number;
  };
  list: LatencyFigure;
  search: LatencyFigure;
  /** Similar past incidents of one incident: candidates from the store, ranked. */
  similar: LatencyFigure;
  reports: Array<{ name: string; incidents: number; medianMs: number; maxMs: number }>;
  /** The 90-day report's figures equal the same figures counted from the generated raw events. */
  reportMatchesRawEvents: boolean;
  targets: { consoleStartMs: number; p95Ms: number };
  met: { consoleStart: boolean; list: boolean; search: boolean };
}
