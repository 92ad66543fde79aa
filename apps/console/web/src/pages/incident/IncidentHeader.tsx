// The incident's head: severity, title, status, services, facts, and the acknowledge and resolve
// buttons with their outcome.
import { ActionFeedback, type ActionMessage } from '../../components/ActionFeedback';
import { SeverityBadge, StatusBadge } from '../../components/Badges';
import { acknowledgeButton, resolveButton } from '../../lib/incident-actions';
import type { IncidentView } from '../../lib/types';
import { IncidentFacts } from './IncidentFacts';

interface Props {
  view: IncidentView;
  now: number;
  busy: boolean;
  /** The outcome of the last acknowledge or resolve, if any. */
  message: ActionMessage | null;
  onAcknowledge: () => void;
  onResolve: () => void;
}

export function IncidentHeader({ view, now, busy, message, onAcknowledge, onResolve }: Props) {
  const ack = acknowledgeButton(view.status, busy);
  const resolve = resolveButton(view.status, busy);
  return (
    <header className={`card incident-head sev-edge-${view.severity}`}>
      <div className="head-main">
        <div className="head-line">
          <SeverityBadge severity={view.severity} />
          <h1 data-testid="incident-title">{view.title}</h1>
        </div>
        <div className="head-meta">
          <StatusBadge status={view.status} testId="incident-status" />
          <span className="mono muted">{view.incidentId}</span>
          <span className="services">
            {view.services.map((s) => (
              <span key={s} className="tag">
                {s}
              </span>
            ))}
          </span>
        </div>
        <IncidentFacts view={view} now={now} />
      </div>
      <div className="head-actions">
        <div className="buttons">
          <button
            type="button"
            className="btn"
            data-testid="ack-button"
            disabled={ack.disabled}
            title={ack.title}
            onClick={onAcknowledge}
          >
            {ack.label}
          </button>
          <button
            type="button"
            className="btn primary"
            data-testid="resolve-button"
            disabled={resolve.disabled}
            title={resolve.title}
            onClick={onResolve}
          >
            {resolve.label}
          </button>
        </div>
        <ActionFeedback message={message} />
      </div>
    </header>
  );
}
