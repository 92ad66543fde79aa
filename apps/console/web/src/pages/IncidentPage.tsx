// One incident: what is happening, why the alerts belong together, what caused it, what Vigil
// proposes to do about it, and what has been done. Fetched again whenever the stream says the
// incident changed.
import { useDocumentTitle, useNow } from '../hooks';
import { AlertsSection } from './incident/AlertsSection';
import { BackToIncidents } from './incident/BackToIncidents';
import { IncidentHeader } from './incident/IncidentHeader';
import { IncidentLoadFailure } from './incident/IncidentLoadFailure';
import { MergedIntoBanner } from './incident/MergedIntoBanner';
import { RegroupSection } from './incident/RegroupSection';
import { RemediationSection } from './incident/RemediationSection';
import { RootCausesSection } from './incident/RootCausesSection';
import { SimilarSection } from './incident/SimilarSection';
import { TimelineSection } from './incident/TimelineSection';
import { TopologySection } from './incident/TopologySection';
import { useIncident } from './incident/useIncident';
import { INCIDENT_SCOPE, useIncidentActions } from './incident/useIncidentActions';
import { useIncidentLiveReload } from './incident/useIncidentLiveReload';

export function IncidentPage({ id }: { id: string }) {
  const now = useNow(15_000);
  const { view, topology, topologyError, loadError, reload } = useIncident(id);
  useIncidentLiveReload(id, reload);
  const actions = useIncidentActions(id, reload);
  useDocumentTitle(view ? view.title : 'Incident');

  if (loadError && !view)
    return (
      <div className="page">
        <BackToIncidents />
        <IncidentLoadFailure id={id} error={loadError} onRetry={() => void reload()} />
      </div>
    );
  if (!view)
    return (
      <div className="page">
        <BackToIncidents />
        <p className="empty">Loading incident…</p>
      </div>
    );

  const { message } = actions;
  return (
    <div className="page incident-page" data-incident-id={view.incidentId}>
      <BackToIncidents />
      {view.mergedInto && <MergedIntoBanner into={view.mergedInto} />}
      <IncidentHeader
        view={view}
        now={now}
        busy={actions.busy}
        message={message?.scope === INCIDENT_SCOPE ? message : null}
        onAcknowledge={actions.acknowledge}
        onResolve={actions.resolve}
      />
      <div className="columns">
        <div className="col-main">
          <TopologySection topology={topology} error={topologyError} />
          <AlertsSection alerts={view.alerts} />
          <RegroupSection view={view} />
          <RemediationSection
            plans={view.plans}
            busy={actions.busy}
            message={message}
            onDecide={actions.decide}
          />
        </div>
        <aside className="col-side">
          <RootCausesSection rca={view.rca} />
          <TimelineSection timeline={view.timeline} />
          <SimilarSection id={view.incidentId} />
        </aside>
      </div>
    </div>
  );
}
