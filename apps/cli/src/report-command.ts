import type { Command } from 'commander';
import { IncidentStoreRepository } from '@vigil/graph';
import {
  incidentReport,
  renderReportText,
  reportTime,
  storedReportFacts,
} from '@vigil/incident-view';
import { commandGraph } from './command-clients';

interface ReportOptions {
  since: string;
  until?: string;
  service?: string[];
  json?: boolean;
}

function timeOption(name: string, text: string, now: number): number {
  const at = reportTime(text, now);
  if (at === undefined)
    throw new Error(
      `--${name} ${text}: give an ISO time (2026-12-02T10:00:00Z) or 90s, 15m, 2h, 7d`,
    );
  return at;
}

/** The report the console draws, from the incident store, as text or JSON. */
async function printReport(options: ReportOptions): Promise<void> {
  const now = Date.now();
  const since = timeOption('since', options.since, now);
  const until = options.until === undefined ? now : timeOption('until', options.until, now);
  if (since > until) throw new Error('--since must not be after --until');
  const services = (options.service ?? []).flatMap((s) => s.split(',')).filter(Boolean);
  const connection = await commandGraph('vigil report');
  try {
    const scope = { since, until, services };
    const stored = await new IncidentStoreRepository(connection).reportIncidents(scope);
    const report = incidentReport(stored.map(storedReportFacts), scope);
    console.log(options.json ? JSON.stringify(report, null, 2) : renderReportText(report));
  } finally {
    await connection.close();
  }
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      'incidents, alerts per incident and noise reduction, MTTA, MTTR, auto-heal rate, plans by provenance, noisiest services and alerts, from the incident store',
    )
    .option('--since <time>', 'incidents opened since: an ISO time, or 90s, 15m, 2h, 7d', '7d')
    .option('--until <time>', 'and until (default now)')
    .option(
      '--service <name...>',
      'only incidents on these services (a team: the services it owns; repeat or comma list)',
    )
    .option('--json', 'print the report as JSON (as GET /api/v1/reports answers)')
    .action(printReport);
}
