import type { DurationFigure, IncidentReport } from './incident-report';

/** The report as `vigil report` prints it: one figure a line, the noisiest after. */
export function renderReportText(report: IncidentReport): string {
  const { scope, incidents, alerts, autoHeal, plans } = report;
  const services = scope.services.length ? scope.services.join(', ') : 'all services';
  const severities = Object.entries(incidents.bySeverity)
    .map(([severity, n]) => `${severity} ${n}`)
    .join(', ');
  const lines = [
    `Incidents opened ${scope.since} .. ${scope.until} (${services})`,
    row(
      'incidents',
      `${incidents.total}${severities ? ` (${severities})` : ''}, ${incidents.resolved} resolved`,
    ),
    row(
      'alerts',
      `${alerts.total}, ${number(alerts.perIncident)} per incident, noise reduction ${percent(alerts.noiseReduction)}`,
    ),
    row('MTTA', duration(report.mtta, 'acknowledged')),
    row('MTTR', duration(report.mttr, 'resolved')),
    row(
      'auto-heal',
      `${autoHeal.healed} of ${autoHeal.resolved} resolved (${percent(autoHeal.rate)})`,
    ),
    row(
      'plans',
      `${plans.total}${plans.byProvenance.map((p) => `; ${p.provenance} ${p.plans} (${p.completed} completed)`).join('')}`,
    ),
    '',
    'top services (alerts, incidents)',
    ...report.topServices.map(
      (s) => `  ${s.service.padEnd(30)} ${pad(s.alerts)} ${pad(s.incidents)}`,
    ),
    '',
    'top alerts (alerts, incidents)',
    ...report.topAlerts.map(
      (a) =>
        `  ${`${a.alertname} on ${a.service}`.padEnd(44)} ${pad(a.alerts)} ${pad(a.incidents)}`,
    ),
  ];
  return lines.join('\n');
}

/** A duration as people read it: 45s, 12m, 1h05m, 2d03h. */
export function formatDurationMs(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? `${String(s % 60).padStart(2, '0')}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

function duration(figure: DurationFigure, what: string): string {
  if (figure.meanMs === null) return `none ${what}`;
  return `${formatDurationMs(figure.meanMs)} mean (median ${formatDurationMs(figure.medianMs ?? 0)}, p90 ${formatDurationMs(figure.p90Ms ?? 0)}; ${figure.count} ${what})`;
}

function row(name: string, value: string): string {
  return `${name.padEnd(12)} ${value}`;
}

function pad(n: number): string {
  return String(n).padStart(6);
}

function number(value: number | null): string {
  return value === null ? '-' : value.toFixed(1);
}

function percent(value: number | null): string {
  return value === null ? '-' : `${(value * 100).toFixed(1)}%`;
}
