// The table both policy lists share: matchers first, the caller's columns, who made it and why,
// and a button that ends what is not over yet. Over rows are dimmed.
import type { ReactNode } from 'react';
import type { LabelMatcher } from '@vigil/contracts';
import { canExpire, matchersText } from '../../lib/silences';

interface PolicyRow {
  id: string;
  state: string;
  matchers: readonly LabelMatcher[];
  createdBy: string;
  comment: string;
}

export interface Column<Row> {
  head: string;
  cell: (row: Row) => ReactNode;
}

export function ExpiringTable<Row extends PolicyRow>(props: {
  testId: string;
  rows: Row[] | null;
  columns: Column<Row>[];
  emptyText: string;
  expireLabel: string;
  onExpire: (row: Row) => void;
}) {
  const { rows, columns } = props;
  return (
    <div className="card table-card">
      <table className="grid" data-testid={props.testId} aria-busy={rows === null}>
        <thead>
          <tr>
            <th>Matchers</th>
            {columns.map((c) => (
              <th key={c.head}>{c.head}</th>
            ))}
            <th>By</th>
            <th>Comment</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows?.length === 0 && (
            <tr>
              <td colSpan={columns.length + 4} className="muted">
                {props.emptyText}
              </td>
            </tr>
          )}
          {rows?.map((row) => (
            <tr key={row.id} className={row.state === 'expired' ? 'incident-row dim' : undefined}>
              <td>
                <code>{matchersText(row.matchers)}</code>
              </td>
              {columns.map((c) => (
                <td key={c.head}>{c.cell(row)}</td>
              ))}
              <td>{row.createdBy}</td>
              <td>{row.comment}</td>
              <td>
                {canExpire(row) && (
                  <button
                    type="button"
                    className="btn subtle small"
                    onClick={() => props.onExpire(row)}
                  >
                    {props.expireLabel}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
