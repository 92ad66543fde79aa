// What the incident page shows when the incident could not be fetched: unknown, or a failure
// worth a retry.
import type { IncidentLoadError } from './useIncident';

interface Props {
  id: string;
  error: IncidentLoadError;
  onRetry: () => void;
}

export function IncidentLoadFailure({ id, error, onRetry }: Props) {
  const missing = error.status === 404;
  return (
    <div className="card empty-card" data-testid="incident-error">
      <h1>{missing ? 'Incident not found' : 'Could not load the incident'}</h1>
      <p className="muted">
        {missing ? (
          <>
            No incident <code>{id}</code> is known to the console.
          </>
        ) : (
          error.message
        )}
      </p>
      {!missing && (
        <button type="button" className="btn" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
