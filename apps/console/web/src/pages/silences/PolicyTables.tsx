import { api } from '../../api';
import { shortTime, windowWhen, type SilenceRow, type WindowRow } from '../../lib/silences';
import { ExpiringTable, type Column } from './ExpiringTable';
import type { Act } from './useSilenceLists';

const silenceColumns: Column<SilenceRow>[] = [
  { head: 'State', cell: (row) => row.state },
  { head: 'From', cell: (row) => shortTime(row.startsAt) },
  { head: 'Until', cell: (row) => shortTime(row.endsAt) },
];

export function SilenceTable({ rows, act }: { rows: SilenceRow[] | null; act: Act }) {
  return (
    <ExpiringTable
      testId="silence-list"
      rows={rows}
      columns={silenceColumns}
      emptyText="No silences."
      expireLabel="Expire"
      onExpire={(row) => void act('silence', () => api.expireSilence(row.id), `Expired ${row.id}.`)}
    />
  );
}

const windowColumns: Column<WindowRow>[] = [
  { head: 'Mode', cell: (row) => row.mode },
  { head: 'State', cell: (row) => row.state },
  { head: 'When', cell: windowWhen },
];

export function WindowTable({ rows, act }: { rows: WindowRow[] | null; act: Act }) {
  return (
    <ExpiringTable
      testId="maintenance-list"
      rows={rows}
      columns={windowColumns}
      emptyText="No maintenance windows."
      expireLabel="End"
      onExpire={(row) =>
        void act('maintenance', () => api.expireMaintenance(row.id), `Ended ${row.id}.`)
      }
    />
  );
}
