// The root-cause analysis: which revision and method, and the candidates best first.
import { formatClock, formatTimestamp } from '../../lib/format';
import { missingSources, rankedCandidates } from '../../lib/root-causes';
import type { RcaResult } from '../../lib/types';
import { RootCauseCandidateItem } from './RootCauseCandidateItem';

function RootCauses({ rca }: { rca: RcaResult }) {
  const candidates = rankedCandidates(rca.candidates);
  const missing = missingSources(rca);
  return (
    <>
      <p className="small muted rca-meta">
        revision {rca.revision} · {rca.method} ·{' '}
        <span title={formatTimestamp(rca.generatedAt)}>{formatClock(rca.generatedAt)}</span>
      </p>
      {missing && <p className="banner small">{missing}</p>}
      {candidates.length === 0 ? (
        <p className="empty">No candidate found.</p>
      ) : (
        <ol className="candidates">
          {candidates.map((c) => (
            <RootCauseCandidateItem key={`${c.rank}:${c.service}`} candidate={c} />
          ))}
        </ol>
      )}
    </>
  );
}

export function RootCausesSection({ rca }: { rca: RcaResult | undefined | null }) {
  return (
    <section className="card">
      <h2>Root causes</h2>
      {rca ? <RootCauses rca={rca} /> : <p className="empty">No analysis yet.</p>}
    </section>
  );
}
