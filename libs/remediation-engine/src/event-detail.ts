import type { InverseStep, TargetState } from '@vigil/action-catalog';
import { type RemediationExecution, actionName } from '@vigil/contracts';
import type { StepVerdict, VerdictKind } from '@vigil/guardrails';
import type { RecordedReason } from './plan-run';

/** An event's detail: flat scalars only (the contract's attribute map). */
export type Detail = RemediationExecution['detail'];
type Scalar = Detail[string];

const VERDICTS: readonly VerdictKind[] = ['allow', 'needs-dry-run', 'needs-approval', 'deny'];

/**
 * Reasons are spread over numbered keys (`reason.1.message`) rather than packed into one string,
 * so that a person reading the audit event sees each reason on its own.
 */
export function verdictDetail(
  verdict: StepVerdict,
  attempt: number,
  decisionIds: readonly string[],
  afterDryRun: boolean,
): Detail {
  const detail: Detail = {
    verdict: verdict.verdict,
    environment: verdict.checked.environment,
    attempt,
    reasons: verdict.reasons.length,
    approvedBy: JSON.stringify(verdict.checked.approval.approvedBy),
    decisionIds: JSON.stringify([...decisionIds]),
    afterDryRun,
  };
  verdict.reasons.forEach((r, i) => {
    detail[`reason.${i + 1}.code`] = r.code;
    detail[`reason.${i + 1}.effect`] = r.effect;
    detail[`reason.${i + 1}.message`] = r.message;
  });
  return detail;
}

export interface DecodedVerdict {
  verdict: VerdictKind;
  reasons: RecordedReason[];
  decisionIds: string[];
  approvedBy: string[];
  afterDryRun: boolean;
}

export function readVerdict(detail: Detail): DecodedVerdict | undefined {
  const verdict = VERDICTS.find((v) => v === detail['verdict']);
  const decisionIds = stringList(detail['decisionIds']);
  const approvedBy = stringList(detail['approvedBy']);
  if (!verdict || !decisionIds || !approvedBy) return undefined;
  const count = typeof detail['reasons'] === 'number' ? detail['reasons'] : 0;
  const reasons: RecordedReason[] = [];
  for (let i = 1; i <= count; i++) {
    const at = (key: string) => String(detail[`reason.${i}.${key}`] ?? '');
    reasons.push({ code: at('code'), effect: at('effect'), message: at('message') });
  }
  return { verdict, reasons, decisionIds, approvedBy, afterDryRun: detail['afterDryRun'] === true };
}

function stringList(value: Scalar | undefined): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The inverse goes into the start event: a rollback after a restart must not re-read the target. */
export function inverseDetail(inverse: InverseStep | undefined): Detail {
  if (!inverse) return { undoable: false };
  const detail: Detail = { undoable: true, 'inverse.action': inverse.action };
  for (const [key, value] of Object.entries(inverse.params))
    detail[`inverse.params.${key}`] = value;
  return detail;
}

export function readInverse(detail: Detail): InverseStep | undefined {
  const action = actionName.safeParse(detail['inverse.action']);
  if (!action.success) return undefined;
  const params: InverseStep['params'] = {};
  for (const [key, value] of Object.entries(detail)) {
    if (key.startsWith('inverse.params.')) params[key.slice('inverse.params.'.length)] = value;
  }
  return { action: action.data, params };
}

/** What the target looked like before the step, for people reading the audit log. */
export function beforeDetail(before: TargetState | undefined): Detail {
  if (!before) return {};
  const detail: Detail = { 'before.replicas': before.replicas };
  if (before.version !== undefined) detail['before.version'] = before.version;
  if (before.previousVersion !== undefined)
    detail['before.previousVersion'] = before.previousVersion;
  if (before.primary !== undefined) detail['before.primary'] = before.primary;
  for (const [flag, on] of Object.entries(before.flags ?? {})) detail[`before.flags.${flag}`] = on;
  return detail;
}

export function readMode(detail: Detail): 'dry-run' | 'live' | undefined {
  const mode = detail['mode'];
  return mode === 'dry-run' || mode === 'live' ? mode : undefined;
}

export const joined = (ids: readonly string[]): string => ids.join(',');
