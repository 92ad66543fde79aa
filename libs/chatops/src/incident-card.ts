import type { IncidentSummary, RcaResult, RemediationPlan } from '@vigil/contracts';

type Block = Record<string, unknown>;

const text = (t: string) => ({ type: 'mrkdwn', text: t.slice(0, 2900) });
// Alert and log text is untrusted: Slack's mrkdwn must not turn it into mentions or links.
const plain = (t: string) =>
  t.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] ?? c);

/**
 * The Block Kit card of an incident, posted once and updated in place as the root cause and the
 * plan arrive: what happened, the leading causes with their path, the plan's steps, and the
 * buttons (approve and reject act on the plan, acknowledge on the incident).
 */
export function incidentCard(
  incidentId: string,
  incident: IncidentSummary,
  rca?: RcaResult,
  plan?: RemediationPlan,
): Block[] {
  const blocks: Block[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `[${incident.severity}] ${incident.title}`.slice(0, 150) },
    },
    {
      type: 'section',
      text: text(
        `*${incident.status}* · ${incident.alertCount} alerts on ${plain(incident.services.join(', '))} · \`${incidentId}\``,
      ),
    },
  ];
  if (rca?.candidates.length) {
    const causes = rca.candidates
      .slice(0, 3)
      .map(
        (c) =>
          `${c.rank}. *${plain(c.service)}* (${c.score.toFixed(2)}): ${plain(c.path.join(' → '))}`,
      )
      .join('\n');
    blocks.push({
      type: 'section',
      text: text(`*Root cause (revision ${rca.revision})*\n${causes}`),
    });
  }
  if (plan) {
    const steps = plan.steps.map((s, i) => `${i + 1}. ${s.action} *${plain(s.target)}*`).join('\n');
    const origin = plan.provenance.fallbackUsed
      ? 'known-good runbook'
      : `drafted by ${plain(plan.provenance.model)}`;
    blocks.push({
      type: 'section',
      text: text(`*Plan* (${plain(plan.faultClass)}, ${origin})\n${steps}`),
    });
  }
  const buttons: Block[] = [
    {
      type: 'button',
      text: { type: 'plain_text', text: 'Acknowledge' },
      action_id: 'acknowledge',
      value: incidentId,
    },
  ];
  if (plan) {
    buttons.unshift(
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Approve' },
        style: 'primary',
        action_id: 'approve',
        value: plan.planId,
      },
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Reject' },
        style: 'danger',
        action_id: 'reject',
        value: plan.planId,
      },
    );
  }
  blocks.push({
    type: 'actions',
    block_id: `vigil-${incidentId}`.slice(0, 255),
    elements: buttons,
  });
  return blocks;
}
