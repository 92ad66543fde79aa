// The executor's events for a plan, in order: what it started, checked and finished.
import { formatClock } from '../../lib/format';
import type { PlanView } from '../../lib/types';
import { AttributeList } from './AttributeList';

export function AuditTrail({ audit }: { audit: PlanView['audit'] }) {
  return (
    <section className="audit">
      <h4>Audit trail</h4>
      {audit.length === 0 ? (
        <p className="empty small">No executor events yet.</p>
      ) : (
        <table className="grid audit-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Event</th>
              <th>Step</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {audit.map((e) => (
              <tr key={e.eventId} data-testid="audit-event" data-type={e.type}>
                <td className="nowrap" title={e.at}>
                  {formatClock(e.at)}
                </td>
                <td>
                  <span className={`pill audit-${e.type}`}>{e.type}</span>
                </td>
                <td className="mono">{e.stepId ?? '—'}</td>
                <td>
                  <AttributeList map={e.detail} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
