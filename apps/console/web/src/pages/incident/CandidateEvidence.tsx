// The evidence for a root-cause candidate: anomalous metrics, log templates, alerts, missing steps.
import type { ReactNode } from 'react';
import { formatClock, formatScore, formatTimestamp } from '../../lib/format';
import { metricDirection } from '../../lib/root-causes';
import type { RootCauseEvidence } from '../../lib/types';

function EvidenceList({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="evidence">
      <h5>{title}</h5>
      <ul>{children}</ul>
    </div>
  );
}

export function MetricEvidence({ metrics }: { metrics: RootCauseEvidence['metrics'] }) {
  return (
    <EvidenceList title="Metrics">
      {metrics.map((m, i) => {
        const direction = metricDirection(m.direction);
        return (
          <li key={i} data-testid="evidence-metric">
            <span className={`dir ${m.direction ?? ''}`} title={direction.title}>
              {direction.glyph}
            </span>{' '}
            <span className="mono">{m.metric}</span>{' '}
            <span className="score">{formatScore(m.score)}</span>{' '}
            <span className="muted small" title={formatTimestamp(m.onset)}>
              from {formatClock(m.onset)}
            </span>
          </li>
        );
      })}
    </EvidenceList>
  );
}

export function LogEvidence({ logTemplates }: { logTemplates: RootCauseEvidence['logTemplates'] }) {
  return (
    <EvidenceList title="Logs">
      {logTemplates.map((l) => (
        <li key={l.templateId} data-testid="evidence-log">
          {l.pattern && <span className={`pill pattern-${l.pattern}`}>{l.pattern}</span>}{' '}
          <span className="score">{formatScore(l.score)}</span>
          <code className="template">{l.template}</code>
        </li>
      ))}
    </EvidenceList>
  );
}

export function AlertEvidence({ alerts }: { alerts: RootCauseEvidence['alerts'] }) {
  return (
    <EvidenceList title="Alerts">
      {alerts.map((a) => (
        <li key={a.fingerprint} data-testid="evidence-alert">
          {a.alertname}{' '}
          <span className="muted small" title={formatTimestamp(a.startsAt)}>
            {formatClock(a.startsAt)}
          </span>
        </li>
      ))}
    </EvidenceList>
  );
}

export function StepEvidence({ steps }: { steps: NonNullable<RootCauseEvidence['missingSteps']> }) {
  return (
    <EvidenceList title="Missing steps">
      {steps.map((s, i) => (
        <li key={i} data-testid="evidence-step">
          <code>{s.from}</code> → <code>{s.to}</code>{' '}
          <span className="muted small">
            {s.observed} of {s.expected} expected (usually {Math.round(s.usual * 100)}%)
            {s.witness && ` in ${s.witness}'s work, after calling it`}
          </span>
        </li>
      ))}
    </EvidenceList>
  );
}
