// The incident's facts under its title: when it opened and changed, its alerts, root cause and
// plan, and who acknowledged or resolved it.
import { PlanStateBadge } from '../../components/Badges';
import { formatScore, formatTimestamp, relativeTime } from '../../lib/format';
import type { IncidentView } from '../../lib/types';

interface Props {
  view: IncidentView;
  now: number;
}

function When({ at, now }: { at: string; now: number }) {
  return <dd title={formatTimestamp(at)}>{relativeTime(at, now)}</dd>;
}

export function IncidentFacts({ view, now }: Props) {
  return (
    <dl className="facts inline">
      <div>
        <dt>Opened</dt>
        <When at={view.openedAt} now={now} />
      </div>
      <div>
        <dt>Updated</dt>
        <When at={view.updatedAt} now={now} />
      </div>
      <div>
        <dt>Alerts</dt>
        <dd>{view.alertCount}</dd>
      </div>
      {view.rootCause && (
        <div>
          <dt>Root cause</dt>
          <dd>
            <span className="mono">{view.rootCause.service}</span>{' '}
            <span className="score">{formatScore(view.rootCause.score)}</span>
          </dd>
        </div>
      )}
      {view.planState && (
        <div>
          <dt>Plan</dt>
          <dd>
            <PlanStateBadge state={view.planState} />
          </dd>
        </div>
      )}
      {view.acknowledgedBy && (
        <div data-testid="acknowledged-by">
          <dt>Acknowledged</dt>
          <dd title={formatTimestamp(view.acknowledgedBy.at)}>
            by <strong>{view.acknowledgedBy.user}</strong>{' '}
            {relativeTime(view.acknowledgedBy.at, now)}
          </dd>
        </div>
      )}
      {view.resolvedBy && (
        <div data-testid="resolved-by">
          <dt>Resolved</dt>
          <dd title={formatTimestamp(view.resolvedBy.at)}>
            by <strong>{view.resolvedBy.user}</strong> {relativeTime(view.resolvedBy.at, now)}
          </dd>
        </div>
      )}
    </dl>
  );
}
