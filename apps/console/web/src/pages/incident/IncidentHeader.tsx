// The incident's head: severity, title, status, services, facts, and the acknowledge and resolve
// buttons with their outcome.
import { ActionFeedback, type ActionMessage } from '../../components/ActionFeedback';
import { SeverityBadge, StatusBadge } from '../../components/Badges';
import { acknowledgeButton, resolveButton, type ButtonState } from '../../lib/incident-actions';
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

interface ActionButtonProps {
  state: ButtonState;
  className: string;
  testId: string;
  onClick: () => void;
}

function ActionButton({ state, className, testId, onClick }: ActionButtonProps) {
  return (
    <button
      type="button"
      className={className}
      data-testid={testId}
      disabled={state.disabled}
      title={state.title}
      onClick={onClick}
    >
      {state.label}
    </button>
  );
}

export function IncidentHeader({ view, now, busy, message, onAcknowledge, onResolve }: Props) {
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
          <ActionButton
            state={acknowledgeButton(view.status, busy)}
            className="btn"
            testId="ack-button"
            onClick={onAcknowledge}
          />
          <ActionButton
            state={resolveButton(view.status, busy)}
            className="btn primary"
            testId="resolve-button"
            onClick={onResolve}
          />
        </div>
        <ActionFeedback message={message} />
      </div>
    </header>
  );
}
