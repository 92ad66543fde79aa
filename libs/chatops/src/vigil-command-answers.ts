import {
  decisionRefusal,
  incidentActionRefusal,
  type IncidentBoard,
  type IncidentListItem,
} from '@vigil/incident-view';
import {
  authorize,
  decisionFromClick,
  type ClickEffect,
  type SlackRoles,
  type SlackUser,
  type VigilCommand,
} from './slack-decisions';
import { answerHistory, type HistoryRequest } from './history-command';
import { answerSilence } from './silence-command';
import { plain, plural } from './slack-text';

/** The reply to the person who typed the command, and what to publish for it, if anything. */
export interface CommandAnswer {
  text: string;
  effect?: ClickEffect;
  /**
   * The incident store's history to read first: the reply is then `historyText` of what it
   * holds, and `text` only when the store cannot be read.
   */
  history?: HistoryRequest;
}

export interface CommandContext {
  board: Pick<IncidentBoard, 'list' | 'get' | 'plan'>;
  roles: SlackRoles;
  user: SlackUser;
  /** The command's trigger_id: the id of what it publishes. */
  requestId: string;
  at: string;
  /** How long a plan can be approved after it was drafted; unset: no expiry check here. */
  planTtlMs?: number;
}

export const VIGIL_HELP = [
  '*/vigil status*: how many incidents are open, and which plans wait for a decision',
  '*/vigil incidents*: the incidents still open or acknowledged, newest first',
  '*/vigil ack INCIDENT-ID*: say you are on it (responders and approvers)',
  '*/vigil approve PLAN-ID*: let a plan run (approvers)',
  '*/vigil silence MATCHERS for DURATION COMMENT*: silence alerts, e.g. `{service="db"} for 2h upgrade` (responders)',
  '*/vigil history WORDS service=NAME severity=S status=S since=7d page=N*: past incidents from the incident store, 10 a page, e.g. `checkout timeout status=resolved since=30d` (every part optional)',
  '*/vigil help*: this list',
].join('\n');

const LISTED = 15;

/** What `/vigil …` answers, from the incident board, with the same role rules as the buttons. */
export function answerVigilCommand(command: VigilCommand, ctx: CommandContext): CommandAnswer {
  switch (command.kind) {
    case 'help':
      return { text: command.error ? `${plain(command.error)}\n${VIGIL_HELP}` : VIGIL_HELP };
    case 'status':
      return viewing(ctx, () => statusText(ctx.board));
    case 'incidents':
      return viewing(ctx, () => incidentsText(ctx.board.list()));
    case 'ack':
      return acknowledge(command.incidentId, ctx);
    case 'approve':
      return approve(command.planId, ctx);
    case 'silence':
      return answerSilence(command.text, ctx);
    case 'history':
      return answerHistory(command.text, ctx);
  }
}

function viewing(ctx: CommandContext, answer: () => string): CommandAnswer {
  const allowed = authorize(ctx.roles, ctx.user, 'view');
  return { text: allowed.ok ? answer() : allowed.reason };
}

function statusText(board: CommandContext['board']): string {
  const items = board.list();
  const count = (status: IncidentListItem['status']) =>
    items.filter((i) => i.status === status).length;
  const critical = items.filter((i) => i.status === 'open' && i.severity === 'critical').length;
  const waiting = items.filter(
    (i) =>
      i.status !== 'resolved' && (i.planState === 'drafted' || i.planState === 'awaiting-approval'),
  );
  const lines = [
    `*${count('open')} open* (${critical} critical), ${count('acknowledged')} acknowledged, ${count('resolved')} resolved`,
  ];
  if (waiting.length > 0)
    lines.push(
      `${plural(waiting.length, 'plan')} waiting for a decision: ${waiting
        .map((i) => {
          // /vigil approve takes the plan id: show it
          const planId = board.get(i.incidentId)?.plans.at(-1)?.plan.planId ?? '?';
          return `\`${plain(planId)}\` for \`${plain(i.incidentId)}\` (${i.planState})`;
        })
        .join(', ')}`,
    );
  return lines.join('\n');
}

function incidentsText(items: IncidentListItem[]): string {
  const live = items.filter((i) => i.status !== 'resolved');
  if (live.length === 0) return 'No open incidents.';
  const lines = live.slice(0, LISTED).map(incidentLine);
  if (live.length > LISTED) lines.push(`… and ${live.length - LISTED} more`);
  return lines.join('\n');
}

function incidentLine(i: IncidentListItem): string {
  const parts = [
    `\`${plain(i.incidentId)}\` [${i.severity}] ${plain(i.title)}`,
    i.status,
    plural(i.alertCount, 'alert'),
  ];
  if (i.rootCause)
    parts.push(`root cause ${plain(i.rootCause.service)} (${i.rootCause.score.toFixed(2)})`);
  if (i.planState) parts.push(`plan ${i.planState}`);
  return `• ${parts.join(' · ')}`;
}

function acknowledge(incidentId: string, ctx: CommandContext): CommandAnswer {
  const allowed = authorize(ctx.roles, ctx.user, 'acknowledge');
  if (!allowed.ok) return { text: allowed.reason };
  const id = `\`${plain(incidentId)}\``;
  const refused = incidentActionRefusal(ctx.board.get(incidentId), incidentId, 'acknowledge');
  if (refused) return { text: `${plain(refused)}; /vigil incidents lists the open ones.` };
  return effect(incidentId, 'acknowledge', ctx, `You acknowledged ${id}.`);
}

function approve(planId: string, ctx: CommandContext): CommandAnswer {
  const allowed = authorize(ctx.roles, ctx.user, 'approve');
  if (!allowed.ok) return { text: allowed.reason };
  const id = `\`${plain(planId)}\``;
  const plan = ctx.board.plan(planId);
  const refused = decisionRefusal(plan, planId, 'approve', {
    incident: plan && ctx.board.get(plan.plan.incidentId),
    now: Date.parse(ctx.at),
    ...(ctx.planTtlMs !== undefined ? { planTtlMs: ctx.planTtlMs } : {}),
  });
  if (refused) return { text: `${plain(refused)}; /vigil status lists the plans waiting.` };
  return effect(
    planId,
    'approve',
    ctx,
    `You approved plan ${id}; the executor takes it from here.`,
  );
}

function effect(
  subject: string,
  action: 'approve' | 'acknowledge',
  ctx: CommandContext,
  text: string,
): CommandAnswer {
  const outcome = decisionFromClick(
    { ...ctx.user, action, subject, requestId: ctx.requestId },
    ctx.roles,
    ctx.at,
  );
  return outcome.kind === 'refused' ? { text: outcome.reason } : { text, effect: outcome };
}
