import type { RootCauseCandidate } from '@vigil/contracts';
import type { IncidentView, PlanState, TimelineEntry } from './incident-view.types';
import { missingStepText } from './evidence-text';

/** What a postmortem starts from: the facts, in order, with nobody's opinion added. */
export interface Postmortem {
  incidentId: string;
  title: string;
  severity: IncidentView['severity'];
  status: IncidentView['status'];
  services: string[];
  openedAt: string;
  resolvedAt?: string;
  durationMs?: number;
  acknowledgedBy?: { user: string; at: string };
  resolvedBy?: { user: string; at: string };
  alerts: Array<{ fingerprint: string; at: string; alertname?: string; service?: string }>;
  rootCauses: RootCauseCandidate[];
  plans: Array<{
    planId: string;
    createdAt: string;
    faultClass: string;
    origin: string;
    state: PlanState;
    steps: Array<{
      stepId: string;
      action: string;
      target: string;
      verdict?: string;
      outcome?: string;
    }>;
    decisions: Array<{
      at: string;
      user: string;
      /** The name people know them by; `user` is the stable key audits use. */
      displayName?: string;
      role: string;
      decision: string;
      via: string;
      reason?: string;
    }>;
  }>;
  timeline: TimelineEntry[];
}

/** The postmortem of an incident's view; `resolvedAt` comes from the store when it knows it. */
export function postmortemOf(view: IncidentView, resolvedAt?: string): Postmortem {
  const end = resolvedAt ?? view.resolvedBy?.at;
  const duration = end ? Date.parse(end) - Date.parse(view.openedAt) : undefined;
  return {
    incidentId: view.incidentId,
    title: view.title,
    severity: view.severity,
    status: view.status,
    services: view.services,
    openedAt: view.openedAt,
    ...(end && { resolvedAt: end }),
    ...(duration !== undefined && duration >= 0 && { durationMs: duration }),
    ...(view.acknowledgedBy && { acknowledgedBy: view.acknowledgedBy }),
    ...(view.resolvedBy && { resolvedBy: view.resolvedBy }),
    alerts: view.alerts.map((a) => ({
      fingerprint: a.fingerprint,
      at: a.at,
      ...(a.alert && { alertname: a.alert.alertname, service: a.alert.service }),
    })),
    rootCauses: view.rca?.candidates ?? [],
    plans: view.plans.map((p) => ({
      planId: p.plan.planId,
      createdAt: p.plan.createdAt,
      faultClass: p.plan.faultClass,
      origin: p.plan.provenance.fallbackUsed
        ? 'known-good runbook'
        : `drafted by ${p.plan.provenance.model}`,
      state: p.state,
      steps: p.steps.map((s) => ({
        stepId: s.step.stepId,
        action: s.step.action,
        target: s.step.target,
        ...(s.verdict && { verdict: s.verdict.verdict }),
        ...(s.outcome && { outcome: s.outcome }),
      })),
      decisions: p.decisions.map((d) => ({
        at: d.at,
        user: d.by.user,
        ...(d.by.displayName && { displayName: d.by.displayName }),
        role: d.by.role,
        decision: d.decision,
        via: d.via,
        ...(d.reason && { reason: d.reason }),
      })),
    })),
    timeline: [...view.timeline],
  };
}

/** The postmortem as Markdown: a draft people edit, so every fact is there and nothing else. */
export function renderPostmortemMarkdown(pm: Postmortem): string {
  const lines = [
    `# Postmortem: ${pm.title}`,
    '',
    `- Incident: ${pm.incidentId}`,
    `- Severity: ${pm.severity}`,
    `- Status: ${pm.status}`,
    `- Services: ${pm.services.join(', ') || 'none'}`,
    `- Opened: ${pm.openedAt}`,
    ...(pm.resolvedAt ? [`- Resolved: ${pm.resolvedAt}`] : []),
    ...(pm.durationMs !== undefined ? [`- Duration: ${duration(pm.durationMs)}`] : []),
    ...(pm.acknowledgedBy
      ? [`- Acknowledged by: ${pm.acknowledgedBy.user} at ${pm.acknowledgedBy.at}`]
      : []),
    ...(pm.resolvedBy ? [`- Resolved by: ${pm.resolvedBy.user} at ${pm.resolvedBy.at}`] : []),
    '',
    '## Timeline',
    '',
    ...(pm.timeline.length
      ? pm.timeline.map((e) => `- ${e.at} **${e.kind}** ${cell(e.text)}`)
      : ['No events.']),
    '',
    '## Alerts',
    '',
    ...(pm.alerts.length
      ? pm.alerts.map(
          (a) =>
            `- ${a.at} ${a.alertname ? `${cell(a.alertname)} on ${a.service ?? '?'} ` : ''}(\`${a.fingerprint}\`)`,
        )
      : ['No alerts.']),
    '',
    '## Root causes',
    '',
    ...(pm.rootCauses.length
      ? pm.rootCauses.flatMap(rootCauseLines)
      : ['No root cause was found.']),
    '',
    '## Actions and decisions',
    '',
    ...(pm.plans.length ? pm.plans.flatMap(planLines) : ['No remediation plan.']),
    '',
  ];
  return lines.join('\n');
}

function rootCauseLines(c: RootCauseCandidate): string[] {
  const e = c.evidence;
  return [
    `${c.rank}. **${c.service}** (score ${c.score.toFixed(2)}), path ${c.path.join(' → ')}`,
    ...e.metrics.map(
      (m) =>
        `   - metric ${m.metric} ${m.direction ?? 'changed'} from ${m.onset} (score ${m.score.toFixed(2)})`,
    ),
    ...e.logTemplates.map(
      (l) =>
        `   - log ${l.pattern ?? 'template'}: \`${cell(l.template)}\` (score ${l.score.toFixed(2)})`,
    ),
    ...e.alerts.map((a) => `   - alert ${cell(a.alertname)} from ${a.startsAt}`),
    ...(e.deploys ?? []).map((d) => `   - deploy ${d.version} at ${d.at}`),
    ...(e.configChanges ?? []).map((c) => `   - ${c.version} made current at ${c.at}`),
    ...(e.missingSteps ?? []).map((s) => `   - ${cell(missingStepText(s, (n) => `\`${n}\``))}`),
  ];
}

function planLines(p: Postmortem['plans'][number]): string[] {
  return [
    `### Plan ${p.planId} (${p.faultClass}, ${p.origin}): ${p.state}`,
    '',
    '| Step | Action | Target | Guardrails | Outcome |',
    '| --- | --- | --- | --- | --- |',
    ...p.steps.map(
      (s) =>
        `| ${cell(s.stepId)} | ${s.action} | ${cell(s.target)} | ${s.verdict ?? ''} | ${s.outcome ?? 'not run'} |`,
    ),
    '',
    ...(p.decisions.length
      ? p.decisions.map(
          (d) =>
            `- ${d.at} ${d.displayName ?? d.user} (${d.role}) ${d.decision} via ${d.via}${d.reason ? `: ${cell(d.reason)}` : ''}`,
        )
      : ['No decision by people.']),
    '',
  ];
}

// Text from alerts and people must not break a table row or a line.
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
