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

interface ActedByProps {
  title: string;
  testId: string;
  act: { user: string; at: string };
  now: number;
}

/** Who acknowledged or resolved the incident, and how long ago. */
function ActedBy({ title, testId, act, now }: ActedByProps) {
  return (
    <div data-testid={testId}>
      <dt>{title}</dt>
      <dd title={formatTimestamp(act.at)}>
        by <strong>{act.user}</strong> {relativeTime(act.at, now)}
      </dd>
    </div>
  );
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
        <ActedBy
          title="Acknowledged"
          testId="acknowledged-by"
          act={view.acknowledgedBy}
          now={now}
        />
      )}
      {view.resolvedBy && (
        <ActedBy title="Resolved" testId="resolved-by" act={view.resolvedBy} now={now} />
      )}
    </dl>
  );
}
