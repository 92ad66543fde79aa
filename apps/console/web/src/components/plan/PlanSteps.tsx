// A plan's steps: what each does, why, what the guardrails said, and how it went.
import { humanize } from '../../lib/format';
import type { StepView } from '../../lib/types';
import { OutcomeBadge, VerdictBadge } from '../Badges';
import { AttributeList } from './AttributeList';

function StepVerdict({ verdict }: { verdict: StepView['verdict'] }) {
  if (!verdict) return <span className="muted small">not checked yet</span>;
  return (
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
  );
}

function StepRow({ view, index }: { view: StepView; index: number }) {
  const { step, verdict, outcome } = view;
  return (
    <tr data-testid="plan-step" data-step-id={step.stepId}>
      <td className="num">{index + 1}</td>
      <td>
        <span className="action-name">{step.action}</span>
      </td>
      <td className="mono">{step.target}</td>
      <td>
        <AttributeList map={step.params} />
      </td>
      <td className="rationale">
        {step.rationale ?? <span className="muted">—</span>}
        {step.verification?.length ? (
          <div className="small muted">verify: {step.verification.join('; ')}</div>
        ) : null}
      </td>
      <td>
        <StepVerdict verdict={verdict} />
      </td>
      <td>{outcome ? <OutcomeBadge outcome={outcome} /> : <span className="muted">—</span>}</td>
    </tr>
  );
}

export function PlanSteps({ steps }: { steps: readonly StepView[] }) {
  return (
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
        {steps.map((s, i) => (
          <StepRow key={s.step.stepId} view={s} index={i} />
        ))}
      </tbody>
    </table>
  );
}
