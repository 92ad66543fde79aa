// One remediation plan: what it would do, what the guardrails said about each step, how it went,
// who decided, and the executor's audit trail.
import { useState } from 'react';
import {
  formatAttributes,
  formatClock,
  formatTimestamp,
  humanize,
  planProvenance,
} from '../lib/format';
import type { PlanView } from '../lib/types';
import { OutcomeBadge, PlanStateBadge, VerdictBadge } from './Badges';

export interface ActionMessage {
  scope: string;
  kind: 'error' | 'done';
  text: string;
}

export function ActionFeedback({ message }: { message: ActionMessage | null | undefined }) {
  if (!message) return null;
  return message.kind === 'error' ? (
    <p className="feedback error" role="alert" data-testid="action-error">
      {message.text}
    </p>
  ) : (
    <p className="feedback done" role="status" data-testid="action-done">
      {message.text}
    </p>
  );
}

const DECIDED = { approve: 'approved', reject: 'rejected', cancel: 'cancelled' } as const;

interface PlanCardProps {
  view: PlanView;
  index: number;
  busy: boolean;
  message: ActionMessage | null;
  onDecide: (planId: string, decision: 'approve' | 'reject', reason: string) => void;
}

export function PlanCard({ view, index, busy, message, onDecide }: PlanCardProps) {
  const { plan, state } = view;
  const [reason, setReason] = useState('');
  const decidable = state === 'drafted' || state === 'awaiting-approval';
  const provenance = planProvenance(plan);
  return (
    <article className={`plan plan-card-${state}`} data-testid="plan" data-plan-id={plan.planId}>
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
                {provenance}
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
      {plan.headline && <p className="plan-headline">{plan.headline}</p>}
      {plan.summary && (
        <p className="plan-summary">
          {plan.headline && !plan.provenance.fallbackUsed && (
            <span className="muted small">the model's summary: </span>
          )}
          {plan.summary}
        </p>
      )}

      <table className="grid steps">
        <thead>
          <tr>
            <th>#</th>
            <th>Action</th>
            <th>Target</th>
            <th>Params</th>
            <th>Rationale</th>
            <th>Guardrails</th>
            <th>Outcome</th>
          </tr>
        </thead>
        <tbody>
          {view.steps.map(({ step, verdict, outcome }, i) => (
            <tr key={step.stepId} data-testid="plan-step" data-step-id={step.stepId}>
              <td className="num">{i + 1}</td>
              <td>
                <span className="action-name">{step.action}</span>
              </td>
              <td className="mono">{step.target}</td>
              <td>
                <span className="kvs">
                  {formatAttributes(step.params).map((kv) => (
                    <code key={kv} className="kv" title={kv}>
                      {kv}
                    </code>
                  ))}
                </span>
              </td>
              <td className="rationale">
                {step.rationale ?? <span className="muted">—</span>}
                {step.verification?.length ? (
                  <div className="small muted">verify: {step.verification.join('; ')}</div>
                ) : null}
              </td>
              <td>
                {verdict ? (
                  <>
                    <VerdictBadge verdict={verdict.verdict} />
                    {verdict.reasons.length > 0 && (
                      <ul className="reasons">
                        {verdict.reasons.map((r, j) => (
                          <li key={j}>
                            <code>{r.code}</code>
                            {r.effect && <span className="muted"> ({humanize(r.effect)})</span>}
                            {r.message && <>: {r.message}</>}
                          </li>
                        ))}
                      </ul>
                    )}
                  </>
                ) : (
                  <span className="muted small">not checked yet</span>
                )}
              </td>
              <td>
                {outcome ? <OutcomeBadge outcome={outcome} /> : <span className="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {view.decisions.length > 0 && (
        <ul className="decisions">
          {view.decisions.map((d) => (
            <li key={d.decisionId} data-testid="plan-decision" className={`decision-${d.decision}`}>
              <strong>{DECIDED[d.decision] ?? d.decision}</strong> by {d.by.user}{' '}
              <span className="muted">
                ({d.by.role}) via {d.via} · <span title={d.at}>{formatTimestamp(d.at)}</span>
              </span>
              {d.reason && <span>: {d.reason}</span>}
            </li>
          ))}
        </ul>
      )}

      {decidable && (
        <div className="decide">
          <input
            type="text"
            className="input reason"
            placeholder="Reason (optional)"
            value={reason}
            maxLength={2000}
            onChange={(e) => setReason(e.target.value)}
            data-testid="decision-reason"
            aria-label="Reason for the decision"
          />
          <button
            type="button"
            className="btn primary"
            data-testid="approve-button"
            disabled={busy}
            onClick={() => onDecide(plan.planId, 'approve', reason.trim())}
          >
            Approve
          </button>
          <button
            type="button"
            className="btn danger-outline"
            data-testid="reject-button"
            disabled={busy}
            onClick={() => onDecide(plan.planId, 'reject', reason.trim())}
          >
            Reject
          </button>
        </div>
      )}
      <ActionFeedback message={message} />

      <section className="audit">
        <h4>Audit trail</h4>
        {view.audit.length === 0 ? (
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
              {view.audit.map((e) => (
                <tr key={e.eventId} data-testid="audit-event" data-type={e.type}>
                  <td className="nowrap" title={e.at}>
                    {formatClock(e.at)}
                  </td>
                  <td>
                    <span className={`pill audit-${e.type}`}>{e.type}</span>
                  </td>
                  <td className="mono">{e.stepId ?? '—'}</td>
                  <td>
                    <span className="kvs">
                      {formatAttributes(e.detail).map((kv, j) => (
                        <code key={j} className="kv" title={kv}>
                          {kv}
                        </code>
                      ))}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}
