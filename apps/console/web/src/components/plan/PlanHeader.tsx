// A plan's head: its number, state and id, and where it came from.
import { formatTimestamp, planProvenance } from '../../lib/format';
import type { PlanView } from '../../lib/types';
import { PlanStateBadge } from '../Badges';

export function PlanHeader({ view, index }: { view: PlanView; index: number }) {
  const { plan, state } = view;
  return (
    <header className="plan-head">
      <div className="plan-title">
        <span className="plan-index">Plan {index + 1}</span>
        <PlanStateBadge state={state} />
        <span className="mono muted" title="plan id">
          {plan.planId}
        </span>
      </div>
      <dl className="facts">
        <div>
          <dt>Fault class</dt>
          <dd>{plan.faultClass}</dd>
        </div>
        <div>
          <dt>Provenance</dt>
          <dd>
            <span
              className={`pill ${plan.provenance.fallbackUsed ? 'prov-fallback' : 'prov-model'}`}
            >
              {planProvenance(plan)}
            </span>
            {plan.provenance.promptHash && (
              <span className="mono muted small" title="prompt hash">
                {' '}
                #{plan.provenance.promptHash.slice(0, 10)}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Drafted</dt>
          <dd title={plan.createdAt}>{formatTimestamp(plan.createdAt)}</dd>
        </div>
        {plan.provenance.similarPlans?.length ? (
          <div>
            <dt>Similar plans</dt>
            <dd className="mono small">{plan.provenance.similarPlans.join(', ')}</dd>
          </div>
        ) : null}
      </dl>
    </header>
  );
}
