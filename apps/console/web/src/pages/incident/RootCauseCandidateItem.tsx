// One root-cause candidate: its rank, score, explaining path, onset, and the evidence for it.
import { formatClock, formatScore, formatTimestamp } from '../../lib/format';
import { explainingPath } from '../../lib/root-causes';
import type { RootCauseCandidate } from '../../lib/types';
import { AlertEvidence, LogEvidence, MetricEvidence, StepEvidence } from './CandidateEvidence';

export function RootCauseCandidateItem({ candidate: c }: { candidate: RootCauseCandidate }) {
  const { metrics, logTemplates, alerts, missingSteps, onset } = c.evidence;
  const path = explainingPath(c.path);
  return (
    <li
      className={`candidate${c.rank === 1 ? ' lead' : ''}`}
      data-testid="rca-candidate"
      data-service={c.service}
      data-rank={c.rank}
    >
      <div className="cand-head">
        <span className="rank">#{c.rank}</span>
        <span className="mono cand-service">{c.service}</span>
        <span className="score" title="score">
          {formatScore(c.score)}
        </span>
      </div>
      {path && (
        <div className="small muted cand-path" title="explaining path">
          {path}
        </div>
      )}
      {onset && (
        <div className="small muted">
          onset <span title={formatTimestamp(onset)}>{formatClock(onset)}</span>
        </div>
      )}
      {metrics.length > 0 && <MetricEvidence metrics={metrics} />}
      {logTemplates.length > 0 && <LogEvidence logTemplates={logTemplates} />}
      {alerts.length > 0 && <AlertEvidence alerts={alerts} />}
      {missingSteps && missingSteps.length > 0 && <StepEvidence steps={missingSteps} />}
    </li>
  );
}
