// The incident list: filtered by the URL's query, kept live by the stream.
import { useMemo } from 'react';
import { useDocumentTitle, useNow } from '../hooks';
import { hasActiveFilters } from '../lib/filters';
import { incidentCountText, knownServices } from '../lib/incident-rows';
import { IncidentFilterBar } from './incident-list/IncidentFilterBar';
import { IncidentTable } from './incident-list/IncidentTable';
import { useIncidentList } from './incident-list/useIncidentList';
import { useListFilters } from './incident-list/useListFilters';

export function IncidentListPage() {
  useDocumentTitle('Incidents');
  const { filters, setFilters } = useListFilters();
  const { rows, loading, loadError, flashing, reload } = useIncidentList(filters);
  const now = useNow(15_000);
  const services = useMemo(() => knownServices(rows), [rows]);

  return (
    <div className="page list-page">
      <div className="page-head">
        <h1>Incidents</h1>
        <span className="muted">{incidentCountText(rows, loading)}</span>
      </div>

      <IncidentFilterBar filters={filters} setFilters={setFilters} knownServices={services} />

      {loadError && (
        <p className="feedback error" role="alert" data-testid="list-error">
          Could not load incidents: {loadError}{' '}
          <button type="button" className="btn subtle small" onClick={() => void reload()}>
            Retry
          </button>
        </p>
      )}

      <IncidentTable
        rows={rows}
        flashing={flashing}
        now={now}
        filtered={hasActiveFilters(filters)}
        failed={loadError !== null}
      />
    </div>
  );
}
