// Reports over the incident store: a period and some services, the figures, and charts.
import { useEffect, useState } from 'react';
import { api, describeError, isAbort } from '../api';
import { useDocumentTitle } from '../hooks';
import { formatDuration, formatPercent } from '../lib/report-charts';
import type { IncidentReport } from '../lib/types';
import { ColumnChart } from './reports/ColumnChart';
import { RowChart } from './reports/RowChart';
import './reports/reports.css';

const PERIODS = [
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['90d', 'Last 90 days'],
  ['365d', 'Last year'],
] as const;

function useReport(since: string, services: string) {
  const [report, setReport] = useState<IncidentReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    const query = new URLSearchParams({ since });
    if (services.trim()) query.set('service', services.replace(/\s+/g, ''));
    setError(null);
    api.report(`?${query.toString()}`, abort.signal).then(setReport, (e: unknown) => {
      if (!isAbort(e)) setError(describeError(e));
    });
    return () => abort.abort();
  }, [since, services]);
  return { report, error };
}

export function ReportsPage() {
  useDocumentTitle('Reports');
  const [since, setSince] = useState<string>('7d');
  const [typed, setTyped] = useState('');
  const [services, setServices] = useState('');
  const { report, error } = useReport(since, services);
  return (
    <div className="page list-page">
      <div className="page-head">
        <h1>Reports</h1>
      </div>
      <form
        className="report-controls"
        onSubmit={(e) => {
          e.preventDefault();
          setServices(typed);
        }}
      >
        <label className="filter-field">
          <span>Period</span>
          <select
            className="input"
            value={since}
            onChange={(e) => setSince(e.target.value)}
            data-testid="report-period"
          >
            {PERIODS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="filter-field">
          <span>Services (a team: its services, comma separated)</span>
          <input
            className="input"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            placeholder="all services"
            data-testid="report-services"
          />
        </label>
        <button type="submit" className="btn">
          Show
        </button>
      </form>
      {error && (
        <p className="feedback error" role="alert">
          Could not load: {error}
        </p>
      )}
      {report && <ReportBody report={report} />}
    </div>
  );
}

function Figure({ name, value, testId }: { name: string; value: string; testId: string }) {
  return (
    <div className="card report-figure" data-testid={testId}>
      <div className="figure-value">{value}</div>
      <div className="figure-name">{name}</div>
    </div>
  );
}

function ReportBody({ report }: { report: IncidentReport }) {
  const day = report.bucketMs <= 86_400_000;
  const label = (iso: string) => iso.slice(5, 10);
  return (
    <>
      <div className="report-figures">
        <Figure name="incidents" value={String(report.incidents.total)} testId="figure-incidents" />
        <Figure
          name="alerts per incident"
          value={report.alerts.perIncident?.toFixed(1) ?? '–'}
          testId="figure-alerts-per-incident"
        />
        <Figure
          name="noise reduction"
          value={formatPercent(report.alerts.noiseReduction)}
          testId="figure-noise-reduction"
        />
        <Figure
          name={`MTTA (${report.mtta.count} acknowledged)`}
          value={formatDuration(report.mtta.meanMs)}
          testId="figure-mtta"
        />
        <Figure
          name={`MTTR (${report.mttr.count} resolved)`}
          value={formatDuration(report.mttr.meanMs)}
          testId="figure-mttr"
        />
        <Figure
          name={`auto-healed (${report.autoHeal.healed} of ${report.autoHeal.resolved})`}
          value={formatPercent(report.autoHeal.rate)}
          testId="figure-auto-heal"
        />
      </div>
      <div className="report-charts">
        <ColumnChart
          title={`Incidents per ${day ? 'day' : 'week'}`}
          values={report.series.map((b) => ({ label: label(b.start), value: b.incidents }))}
          testId="chart-incidents"
        />
        <ColumnChart
          title={`Alerts per ${day ? 'day' : 'week'}`}
          values={report.series.map((b) => ({ label: label(b.start), value: b.alerts }))}
          testId="chart-alerts"
        />
        <RowChart
          title="Plans by provenance (completed)"
          rows={report.plans.byProvenance.map((p) => ({
            label: p.provenance,
            value: p.plans,
            note: `(${p.completed})`,
          }))}
          testId="chart-plans"
        />
        <RowChart
          title="Noisiest services (alerts)"
          rows={report.topServices.map((s) => ({
            label: s.service,
            value: s.alerts,
            note: `in ${s.incidents}`,
          }))}
          testId="chart-services"
        />
        <RowChart
          title="Noisiest alerts"
          rows={report.topAlerts.map((a) => ({
            label: `${a.alertname} on ${a.service}`,
            value: a.alerts,
            note: `in ${a.incidents}`,
          }))}
          testId="chart-alerts-top"
        />
      </div>
    </>
  );
}
