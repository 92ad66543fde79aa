// One row of the incident list; a click anywhere on it (but a link or a button) opens it.
import type { MouseEvent } from 'react';
import { PlanStateBadge, SeverityBadge, StatusBadge } from '../../components/Badges';
import { formatScore, formatTimestamp, relativeTime } from '../../lib/format';
import { incidentRowClass, splitServices } from '../../lib/incident-rows';
import { incidentPath } from '../../lib/routes';
import type { IncidentListItem } from '../../lib/types';
import { Link, navigate } from '../../router';

interface Props {
  row: IncidentListItem;
  /** It changed a moment ago. */
  flashing: boolean;
  now: number;
}

function open(event: MouseEvent<HTMLTableRowElement>, id: string) {
  if ((event.target as HTMLElement).closest('a, button, input')) return;
  if (window.getSelection()?.toString()) return; // selecting text, not opening
  navigate(incidentPath(id));
}

const none = <span className="muted">—</span>;

export function IncidentRow({ row, flashing, now }: Props) {
  const services = splitServices(row.services);
  return (
    <tr
      className={incidentRowClass(row, flashing)}
      data-testid="incident-row"
      data-incident-id={row.incidentId}
      data-status={row.status}
      data-severity={row.severity}
      data-changed={flashing ? 'true' : undefined}
      onClick={(e) => open(e, row.incidentId)}
    >
      <td className="col-sev">
        <SeverityBadge severity={row.severity} />
      </td>
      <td className="title-cell">
        <Link to={incidentPath(row.incidentId)} className="row-title">
          {row.title}
        </Link>
        <div className="mono muted small">{row.incidentId}</div>
      </td>
      <td>
        <StatusBadge status={row.status} />
      </td>
      <td>
        <span className="services">
          {services.shown.map((s) => (
            <span key={s} className="tag">
              {s}
            </span>
          ))}
          {services.hidden.length > 0 && (
            <span className="muted small" title={services.hidden.join(', ')}>
              +{services.hidden.length}
            </span>
          )}
        </span>
      </td>
      <td className="num">{row.alertCount}</td>
      <td>
        {row.rootCause ? (
          <span className="root-cause-cell">
            <span className="mono">{row.rootCause.service}</span>{' '}
            <span className="score">{formatScore(row.rootCause.score)}</span>
          </span>
        ) : (
          none
        )}
      </td>
      <td>{row.planState ? <PlanStateBadge state={row.planState} /> : none}</td>
      <td className="nowrap" title={formatTimestamp(row.openedAt)}>
        {relativeTime(row.openedAt, now)}
      </td>
      <td className="nowrap" title={formatTimestamp(row.updatedAt)}>
        {relativeTime(row.updatedAt, now)}
      </td>
    </tr>
  );
}
