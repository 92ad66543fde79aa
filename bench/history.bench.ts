// Incident history at scale: fills a store of its own (labels (:BenchIncident), (:BenchHistoryEvent)
// in the benchmarks' own Neo4j, never the demo's) with months of incidents, then times the
// console's start from the store, history list and search queries, and reports.
//   npm run bench:history [-- --incidents 100000 --days 90 --max-alerts 130 --keep]
// Deletes its store at the start (a crashed run's leftovers) and at the end (unless --keep).
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type FoldedIncident,
  graphSettingsFromProcessEnv,
  type IncidentHistoryQuery,
  IncidentStoreRepository,
  Neo4jConnection,
} from '@vigil/graph';
import {
  foldIncidentHistory,
  IncidentBoard,
  incidentReport,
  rankSimilarIncidents,
  storedReportFacts,
  type IncidentReport,
} from '@vigil/incident-view';
import { loadBoardFromStore } from '../apps/console/src/board-from-store';
import {
  ALERTNAMES,
  generateIncident,
  prng,
  SERVICES,
  type CorpusOptions,
  type GeneratedIncident,
} from './history-corpus';
import type { HistoryResults, LatencyFigure } from './history-figures';
import { ensureInfra } from './support/local-infra';
import { percentile } from './support/process-memory';

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 1_000;
const TARGETS = { consoleStartMs: 3_000, p95Ms: 200 };

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

/** What the raw events say over the whole period, to check the report against. */
interface RawTotals {
  incidents: number;
  alerts: number;
  resolved: number;
  healed: number;
  mttrSumMs: number;
  acked: number;
  mttaSumMs: number;
  plans: Map<string, number>;
}

function addTruth(totals: RawTotals, incident: GeneratedIncident): void {
  const t = incident.truth;
  totals.incidents += 1;
  totals.alerts += t.alerts;
  if (t.resolvedMs !== undefined) {
    totals.resolved += 1;
    totals.mttrSumMs += t.resolvedMs - t.openedMs;
  }
  if (t.healed) totals.healed += 1;
  if (t.ackMs !== undefined) {
    totals.acked += 1;
    totals.mttaSumMs += t.ackMs - t.openedMs;
  }
  if (t.plan) totals.plans.set(t.plan.provenance, (totals.plans.get(t.plan.provenance) ?? 0) + 1);
}

/** Generates, folds (as the store's writer does) and stores every incident, batch by batch. */
async function fill(
  store: IncidentStoreRepository,
  count: number,
  options: CorpusOptions,
): Promise<{ events: number; totals: RawTotals; fillS: number }> {
  const totals: RawTotals = {
    incidents: 0,
    alerts: 0,
    resolved: 0,
    healed: 0,
    mttrSumMs: 0,
    acked: 0,
    mttaSumMs: 0,
    plans: new Map(),
  };
  const started = performance.now();
  let events = 0;
  for (let from = 0; from < count; from += BATCH) {
    const generated = Array.from({ length: Math.min(BATCH, count - from) }, (_, i) =>
      generateIncident(from + i, count, options),
    );
    const folded: Array<{ incident: FoldedIncident; eventCount: number }> = [];
    for (const g of generated) {
      addTruth(totals, g);
      const incident = foldIncidentHistory(g.id, g.records);
      if (incident) folded.push({ incident, eventCount: g.records.length });
    }
    const records = generated.flatMap((g) => g.records);
    await store.putMany(records);
    await store.saveMany(folded);
    events += records.length;
    const done = from + generated.length;
    if (done % (10 * BATCH) === 0 || done === count) {
      const s = (performance.now() - started) / 1000;
      console.log(
        `  stored ${done.toLocaleString('en')}/${count.toLocaleString('en')} incidents, ${events.toLocaleString('en')} events (${Math.round(done / s)} incidents/s)`,
      );
    }
  }
  return { events, totals, fillS: (performance.now() - started) / 1000 };
}

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await run();
  return [performance.now() - started, value];
}

function latency(times: number[]): LatencyFigure {
  const sorted = [...times].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    queries: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

/** History list queries as the console's history page asks them: filters, pages, periods. */
function listQueries(endMs: number, runs: number, random: () => number): IncidentHistoryQuery[] {
  const shapes: Array<() => Partial<IncidentHistoryQuery>> = [
    () => ({}),
    () => ({ status: ['resolved'] }),
    () => ({ status: ['open', 'acknowledged'] }),
    () => ({ severity: ['critical'] }),
    () => ({ service: SERVICES[Math.floor(random() * SERVICES.length)] }),
    () => ({ since: endMs - 7 * DAY_MS }),
    () => ({ until: endMs - Math.floor(random() * 80) * DAY_MS }),
    () => ({ offset: Math.floor(random() * 20) * 50 }),
  ];
  return Array.from({ length: runs }, (_, i) => ({
    limit: 50,
    offset: 0,
    ...(shapes[i % shapes.length] ?? (() => ({})))(),
  }));
}

/** Searches in people's words: an alert name, a service, words of the summaries, with filters. */
function searchQueries(runs: number, random: () => number): IncidentHistoryQuery[] {
  const words = ['timeouts database', 'connection pool', 'latency', '5xx', 'restarts memory'];
  const shapes: Array<() => Partial<IncidentHistoryQuery>> = [
    () => ({ q: ALERTNAMES[Math.floor(random() * ALERTNAMES.length)] }),
    () => ({ q: words[Math.floor(random() * words.length)] }),
    () => ({ q: 'HighLatency', status: ['resolved'] }),
    () => ({ q: 'connection pool', service: SERVICES[Math.floor(random() * SERVICES.length)] }),
  ];
  return Array.from({ length: runs }, (_, i) => ({
    limit: 50,
    offset: 0,
    ...(shapes[i % shapes.length] ?? (() => ({})))(),
  }));
}

async function report(
  store: IncidentStoreRepository,
  scope: { since: number; until: number; services: string[] },
): Promise<IncidentReport> {
  const rows = await store.reportIncidents(scope);
  return incidentReport(rows.map(storedReportFacts), scope);
}

function matchesRaw(r: IncidentReport, totals: RawTotals): boolean {
  const close = (a: number | null, b: number) => a !== null && Math.abs(a - b) <= 1;
  const plans = Object.fromEntries(r.plans.byProvenance.map((p) => [p.provenance, p.plans]));
  const checks = {
    incidents: r.incidents.total === totals.incidents,
    alerts: r.alerts.total === totals.alerts,
    resolved: r.incidents.resolved === totals.resolved,
    healed: r.autoHeal.healed === totals.healed,
    mttr: close(r.mttr.meanMs, Math.round(totals.mttrSumMs / totals.resolved)),
    mtta: close(r.mtta.meanMs, Math.round(totals.mttaSumMs / totals.acked)),
    plans:
      JSON.stringify(plans) ===
      JSON.stringify(Object.fromEntries([...totals.plans].sort((a, b) => b[1] - a[1]))),
  };
  const failed = Object.entries(checks).filter(([, ok]) => !ok);
  if (failed.length)
    console.log(`  report differs from the raw events in: ${failed.map(([k]) => k).join(', ')}`);
  return failed.length === 0;
}

async function main(): Promise<void> {
  const count = Number(argument('incidents', '100000'));
  const days = Number(argument('days', '90'));
  // about 50 events an incident (alerts, rankings, plan steps, people's actions): the issue's
  // 100,000 incidents make about 5 million events
  const maxAlerts = Number(argument('max-alerts', '130'));
  const keep = process.argv.includes('--keep');
  ensureInfra();
  // a batch of the fill writes 500 incidents and their ~25,000 events in one transaction: on a
  // 2-core machine a store checkpoint can hold one past the services' 10 s (queries stay far below)
  process.env.NEO4J_QUERY_TIMEOUT_MS ??= '120000';
  const connection = new Neo4jConnection(graphSettingsFromProcessEnv());
  const store = new IncidentStoreRepository(connection, { labelPrefix: 'Bench' });
  try {
    await connection.verify();
    console.log('bench:history: clearing the bench store, applying its indexes');
    await store.deleteAll();
    await store.applySchema();
    const endMs = Date.now();
    const options = { endMs, spanMs: days * DAY_MS, open: 40, seed: 20, maxAlerts };
    console.log(`filling ${count.toLocaleString('en')} incidents over ${days} days`);
    const filled = await fill(store, count, options);

    console.log('console start from the store (5 runs)');
    const starts: number[] = [];
    let loaded = { incidents: 0, events: 0 };
    for (let run = 0; run < 5; run++) {
      const [ms, value] = await timed(() =>
        loadBoardFromStore(store, new IncidentBoard(), Date.now()),
      );
      starts.push(ms);
      loaded = value;
    }
    const random = prng(7);
    console.log('history list and search (200 queries each, after 20 warm-up)');
    for (const q of listQueries(endMs, 20, random)) await store.list(q);
    const listTimes: number[] = [];
    for (const q of listQueries(endMs, 200, random))
      listTimes.push((await timed(() => store.list(q)))[0]);
    const searchTimes: number[] = [];
    for (const q of searchQueries(200, random))
      searchTimes.push((await timed(() => store.list(q)))[0]);

    console.log('similar past incidents (50 incidents)');
    const similarTimes: number[] = [];
    for (let k = 0; k < 50; k++) {
      const id = `hist-${String(Math.floor(random() * count)).padStart(7, '0')}`;
      const [ms, found] = await timed(async () => {
        const candidates = await store.similarCandidates(id);
        return candidates && rankSimilarIncidents(candidates.target, candidates.candidates);
      });
      if (!found?.length) console.log(`  no similar incident for ${id}`);
      similarTimes.push(ms);
    }

    console.log('reports (3 runs each)');
    const scopes = [
      { name: '7 days', since: endMs - 7 * DAY_MS, services: [] as string[] },
      { name: '30 days', since: endMs - 30 * DAY_MS, services: [] as string[] },
      {
        name: '30 days, one service',
        since: endMs - 30 * DAY_MS,
        services: [SERVICES[3] ?? 'svc-03'],
      },
      { name: `${days} days`, since: endMs - days * DAY_MS - DAY_MS, services: [] as string[] },
    ];
    const reports: HistoryResults['reports'] = [];
    let whole: IncidentReport | undefined;
    for (const scope of scopes) {
      const times: number[] = [];
      let last: IncidentReport | undefined;
      for (let run = 0; run < 3; run++) {
        const [ms, r] = await timed(() =>
          report(store, { since: scope.since, until: endMs, services: scope.services }),
        );
        times.push(ms);
        last = r;
      }
      whole = last;
      const sorted = times.sort((a, b) => a - b);
      reports.push({
        name: scope.name,
        incidents: last?.incidents.total ?? 0,
        medianMs: Math.round(sorted[1] ?? 0),
        maxMs: Math.round(sorted[2] ?? 0),
      });
    }
    const sortedStarts = [...starts].sort((a, b) => a - b);
    const consoleStart = {
      runs: starts.length,
      medianMs: Math.round(percentile(sortedStarts, 50)),
      maxMs: Math.round(sortedStarts.at(-1) ?? 0),
      ...loaded,
    };
    const list = latency(listTimes);
    const search = latency(searchTimes);
    const results: HistoryResults = {
      date: new Date().toISOString().slice(0, 10),
      cpus: cpus().length,
      loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      stored: {
        incidents: count,
        events: filled.events,
        spanDays: days,
        open: options.open,
        fillS: Math.round(filled.fillS),
      },
      consoleStart,
      list,
      search,
      similar: latency(similarTimes),
      reports,
      reportMatchesRawEvents: whole ? matchesRaw(whole, filled.totals) : false,
      targets: TARGETS,
      met: {
        consoleStart: consoleStart.maxMs < TARGETS.consoleStartMs,
        list: list.p95Ms < TARGETS.p95Ms,
        search: search.p95Ms < TARGETS.p95Ms,
      },
    };
    const file = join(__dirname, 'results', 'history.json');
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
    console.log(`written to ${file}`);
  } finally {
    if (!keep) {
      console.log('deleting the bench store');
      await store.deleteAll().catch((e: unknown) => console.error(`clean-up failed: ${String(e)}`));
    }
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
