// The incident list's table, with what to say while it loads or when nothing matches.
import { emptyListText } from '../../lib/incident-rows';
import type { IncidentListItem } from '../../lib/types';
import { IncidentRow } from './IncidentRow';

interface Props {
  /** null until the first answer. */
  rows: IncidentListItem[] | null;
  flashing: ReadonlySet<string>;
  now: number;
  /** Some filter is set (an empty list then says nothing matched, not that all is quiet). */
  filtered: boolean;
  /** The first fetch failed: the error says so, not "Loading". */
  failed: boolean;
}

export function IncidentTable({ rows, flashing, now, filtered, failed }: Props) {
  return (
    <div className="card table-card">
      <table className="grid incidents" data-testid="incident-list" aria-busy={rows === null}>
        <thead>
          <tr>
            <th className="col-sev">Severity</th>
            <th>Title</th>
            <th>Status</th>
            <th>Services</th>
            <th className="num">Alerts</th>
            <th>Root cause</th>
            <th>Plan</th>
            <th>Opened</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {rows?.map((row) => (
            <IncidentRow
              key={row.incidentId}
              row={row}
              flashing={flashing.has(row.incidentId)}
              now={now}
            />
          ))}
        </tbody>
      </table>
      {rows === null && !failed && <p className="empty">Loading incidents…</p>}
      {rows !== null && rows.length === 0 && (
        <p className="empty" data-testid="incident-list-empty">
          {emptyListText(filtered)}
        </p>
      )}
    </div>
  );
}
