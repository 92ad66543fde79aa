import type { RcaResult, RemediationDecision } from '@vigil/contracts';
import {
  evidenceBrief,
  type IncidentView,
  type PlanState,
  type PlanView,
  type SimilarIncident,
  type StepView,
} from '@vigil/incident-view';
import { type Block, plain, plural, section } from './slack-text';

/** What chat.postMessage / chat.update take: the blocks and the notification text. */
export interface SlackCard {
  text: string;
  blocks: Block[];
}

/** Plans in these states still wait for people; the others are decided or done. */
const DECIDABLE: ReadonlySet<PlanState> = new Set(['drafted', 'awaiting-approval']);

/**
 * The Block Kit card of an incident, posted once and updated in place from the incident board:
 * what happened and who is on it, the leading causes with their path, the latest plan with each
 * step's verdict and outcome and who decided, and the buttons that still make sense (approve and
 * reject act on a plan that waits, acknowledge on an open incident). `similar`: past incidents
 * like this one from the incident store, with how they ended ("have we seen this before?").
 */
export function incidentCard(
  view: IncidentView,
  similar: readonly SimilarIncident[] = [],
): SlackCard {
  const plan = view.plans.at(-1);
  const blocks: Block[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `[${view.severity}] ${view.title}`.slice(0, 150) },
    },
    section(statusText(view)),
  ];
  if (view.rca?.candidates.length) blocks.push(section(rootCauseText(view.rca)));
  if (plan) blocks.push(section(planText(plan)));
  if (similar.length > 0) blocks.push(section(similarText(similar)));
  const buttons = cardButtons(view, plan);
  if (buttons.length > 0)
    blocks.push({
      type: 'actions',
      block_id: `vigil-${view.incidentId}`.slice(0, 255),
      elements: buttons,
    });
  // the fallback text is mrkdwn too: an alert title must not become <!channel> or a link
  return {
    text: `[${view.severity}] ${plain(view.title)} (${view.status})`.slice(0, 3000),
    blocks,
  };
}

function statusText(view: IncidentView): string {
  const lines = [
    `*${view.status}* · ${plural(view.alertCount, 'alert')} on ${plain(view.services.join(', '))} · \`${plain(view.incidentId)}\``,
  ];
  if (view.acknowledgedBy) lines.push(`acknowledged by ${plain(view.acknowledgedBy.user)}`);
  if (view.resolvedBy) lines.push(`resolved by ${plain(view.resolvedBy.user)}`);
  if (view.mergedInto) lines.push(`merged into \`${plain(view.mergedInto)}\``);
  return lines.join('\n');
}

function rootCauseText(rca: RcaResult): string {
  const causes = rca.candidates.slice(0, 3).map((c) => {
    const cause = `${c.rank}. *${plain(c.service)}* (${c.score.toFixed(2)}): ${plain(c.path.join(' → '))}`;
    const why = evidenceBrief(c.evidence);
    // what the console lists in full, in a line: an on-call reads why before opening it
    return why.length > 0 ? `${cause}\n      ↳ ${plain(why.join(' · '))}` : cause;
  });
  return [`*Root cause* (revision ${rca.revision})`, ...causes].join('\n');
}

function planText({ plan, state, steps, decisions }: PlanView): string {
  const origin = plan.provenance.fallbackUsed
    ? 'known-good runbook'
    : `drafted by ${plain(plan.provenance.model)}`;
  return [
    `*Plan* \`${plain(plan.planId)}\` (${plain(plan.faultClass)}, ${origin}): *${state}*`,
    ...(plan.headline ? [plain(plan.headline)] : []),
    ...steps.map(stepText),
    ...decisions.map(decisionText),
  ].join('\n');
}

function stepText({ step, verdict, outcome }: StepView, i: number): string {
  const how = outcome ?? (verdict ? `guardrails: ${verdict.verdict}` : undefined);
  return `${i + 1}. ${step.action} *${plain(step.target)}*${how ? ` — ${how}` : ''}`;
}

const SIMILAR_SHOWN = 3;

/** One line each: what it was, when, how it ended and why it looks alike. */
function similarText(similar: readonly SimilarIncident[]): string {
  const lines = similar.slice(0, SIMILAR_SHOWN).map((s) => {
    const ended = [
      s.planState && `plan ${s.planState}`,
      s.resolvedAt ? 'resolved' : 'not resolved',
    ].filter(Boolean);
    return `• ${plain(s.title)} · ${s.openedAt.slice(0, 10)} · \`${plain(s.id)}\` · ${ended.join(', ')} (${plain(s.reasons.join('; '))})`;
  });
  return ['*Seen before*', ...lines].join('\n');
}

function decisionText(d: RemediationDecision): string {
  const verb = { approve: 'approved', reject: 'rejected', cancel: 'cancelled' }[d.decision];
  // the name people know; by.user is the stable audit key (e.g. slack:U123)
  return `${verb} by ${plain(d.by.displayName ?? d.by.user)} (${d.by.role}) via ${d.via}`;
}

function button(action: string, label: string, value: string, style?: string): Block {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: action,
    value,
    ...(style && { style }),
  };
}

function cardButtons(view: IncidentView, plan: PlanView | undefined): Block[] {
  const buttons: Block[] = [];
  if (plan && DECIDABLE.has(plan.state))
    buttons.push(
      button('approve', 'Approve', plan.plan.planId, 'primary'),
      button('reject', 'Reject', plan.plan.planId, 'danger'),
    );
  if (view.status === 'open') buttons.push(button('acknowledge', 'Acknowledge', view.incidentId));
  return buttons;
}
