// The incident's alerts, each with why the correlator put it in this incident.
import { SeverityBadge } from '../../components/Badges';
import { describeAttachReason, formatClock, formatTimestamp } from '../../lib/format';
import type { IncidentAlert } from '../../lib/types';
import { CountedSection } from './CountedSection';

function AlertRow({ alert: a }: { alert: IncidentAlert }) {
  const why = describeAttachReason(a.reason);
  return (
    <tr
      data-testid="alert-row"
      data-fingerprint={a.fingerprint}
      data-reason={a.reason.kind}
      data-flapping={a.flapping ? 'true' : undefined}
    >
      <td className="nowrap" title={formatTimestamp(a.at)}>
        {formatClock(a.at)}
      </td>
      <td className="alert-cell">
        {a.alert ? (
          <>
            <div className="alert-name">
              <SeverityBadge severity={a.alert.severity} /> {a.alert.alertname}
              {a.flapping && (
                <>
                  {' '}
                  <span
                    className="pill flapping"
                    data-testid="alert-flapping"
                    title="It keeps firing and resolving: one rule to tune, not new trouble each time"
                  >
                    flapping
                  </span>
                </>
              )}
            </div>
            {a.alert.summary && <div className="alert-summary">{a.alert.summary}</div>}
          </>
        ) : (
          <span className="muted">(alert details not recorded)</span>
        )}
      </td>
      <td className="mono">{a.alert?.service ?? '—'}</td>
      <td>
        <span className={`pill reason reason-${a.reason.kind}`} data-testid="alert-reason">
          {why.label}
        </span>
        {why.detail && <div className="small muted reason-detail">{why.detail}</div>}
      </td>
      <td className="mono small fingerprint" title={a.fingerprint}>
        {a.fingerprint}
      </td>
    </tr>
  );
}

function AlertTable({ alerts }: { alerts: readonly IncidentAlert[] }) {
  return (
    <table className="grid alerts">
      <thead>
        <tr>
          <th>Joined</th>
          <th>Alert</th>
          <th>Service</th>
          <th>Why it joined</th>
          <th>Fingerprint</th>
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <AlertRow key={a.fingerprint} alert={a} />
        ))}
      </tbody>
    </table>
  );
}

export function AlertsSection({ alerts }: { alerts: readonly IncidentAlert[] }) {
  return (
    <CountedSection title="Alerts" count={alerts.length} empty="No alerts.">
      <AlertTable alerts={alerts} />
    </CountedSection>
  );
}
