import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import {
  decodeEvent,
  Topics,
  type IncidentEvent,
  type RcaResult,
  type RemediationExecution,
  type RemediationPlan,
} from '@vigil/contracts';
import { loadConfig } from '@vigil/config';
import { reasonText } from '@vigil/incident-view';
import { createKafka, kafkaEnvSchema, kafkaSettingsFromEnv } from '@vigil/messaging';

/** One readable line per incident event, for a terminal. */
export function timelineLine(event: IncidentEvent): string {
  const time = event.at.slice(11, 19);
  const id = event.incidentId.slice(0, 12);
  const head = `${time} ${event.type.toUpperCase().padEnd(14)} ${id} [${event.incident.severity}]`;
  switch (event.type) {
    case 'opened':
      return `${head} ${event.incident.title} (${event.incident.services.join(', ')})`;
    case 'alert-attached':
      return `${head} alert ${event.fingerprint} joined: ${reasonText(event.reason)}; now ${event.incident.alertCount} alerts on ${event.incident.services.join(', ')}`;
    case 'merged':
      return `${head} absorbed ${event.mergedIncidentId}`;
    case 'resolved':
      return `${head} resolved: ${event.incident.title}`;
  }
}

/** The leading root causes of a ranking, the first with its explaining path. */
export function rootCauseLine(result: RcaResult): string {
  const time = result.generatedAt.slice(11, 19);
  const head = `${time} ${'ROOT-CAUSE'.padEnd(14)} ${result.incidentId.slice(0, 12)} [rev ${result.revision}]`;
  const [first, ...others] = result.candidates;
  if (!first) return `${head} no candidate yet`;
  const rest = others
    .slice(0, 2)
    .map((c) => `${c.rank}. ${c.service} (${c.score.toFixed(2)})`)
    .join(', ');
  return `${head} 1. ${first.service} (${first.score.toFixed(2)}): ${first.path.join(' ──▶ ')}${rest ? `; then ${rest}` : ''}${sourcesNote(result)}`;
}

/** A source the ranking had to do without (Prometheus unreachable), said after it. */
function sourcesNote(result: RcaResult): string {
  const lacking = (result.sources ?? []).filter((s) => s.status !== 'ok');
  return lacking.length > 0
    ? ` [without ${lacking.map((s) => `${s.name}${s.status === 'partial' ? ' (partly)' : ''}`).join(', ')}]`
    : '';
}

/** A drafted plan: its fault class, where it came from, and its steps. */
export function planLine(plan: RemediationPlan): string {
  const head = `${plan.createdAt.slice(11, 19)} ${'PLAN'.padEnd(14)} ${plan.incidentId.slice(0, 12)}`;
  const origin = plan.provenance.fallbackUsed
    ? 'known-good runbook'
    : `drafted by ${plan.provenance.model}`;
  const steps = plan.steps.map((s) => `${s.action} ${s.target}`).join(', ');
  return `${head} ${plan.faultClass} (${origin}): ${steps}`;
}

const auditWords: Partial<Record<RemediationExecution['type'], string>> = {
  verdict: 'GUARDRAILS',
  'step-started': 'STEP',
  'step-failed': 'STEP-FAILED',
  'verification-passed': 'VERIFIED',
  'verification-failed': 'NOT-VERIFIED',
  'rollback-finished': 'ROLLED-BACK',
  'plan-completed': 'HEALED',
  'plan-aborted': 'ABORTED',
  'circuit-opened': 'CIRCUIT-OPEN',
  'plan-refused': 'REFUSED',
  'decision-refused': 'REFUSED',
};

/** One executor audit event worth a line (starts of rollbacks and successes are implied). */
export function auditLine(event: RemediationExecution): string | undefined {
  const word = auditWords[event.type];
  if (!word) return undefined;
  const d = event.detail;
  const what =
    event.type === 'verdict'
      ? `${String(d['action'])} ${String(d['target'])}: ${String(d['verdict'])}`
      : event.type === 'step-started'
        ? `${String(d['action'])} ${String(d['target'])} (${String(d['mode'])})`
        : String(d['message'] ?? d['reason'] ?? d['outcome'] ?? '');
  return `${event.at.slice(11, 19)} ${word.padEnd(14)} ${event.incidentId.slice(0, 12)} ${what}`.slice(
    0,
    240,
  );
}

function lineOf(topic: string, value: Buffer | null): string | undefined {
  if (topic === Topics.remediationPlans.name) {
    const decoded = decodeEvent(Topics.remediationPlans, value);
    return decoded.ok ? planLine(decoded.value) : undefined;
  }
  if (topic === Topics.remediationExecutions.name) {
    const decoded = decodeEvent(Topics.remediationExecutions, value);
    return decoded.ok ? auditLine(decoded.value) : undefined;
  }
  if (topic === Topics.remediationDecisions.name) {
    const decoded = decodeEvent(Topics.remediationDecisions, value);
    if (!decoded.ok) return undefined;
    const d = decoded.value;
    return `${d.at.slice(11, 19)} ${'DECISION'.padEnd(14)} ${d.planId.slice(0, 24)} ${d.decision} by ${d.by.displayName ?? d.by.user} (${d.by.role}) via ${d.via}`;
  }
  if (topic === Topics.rca.name) {
    const decoded = decodeEvent(Topics.rca, value);
    return decoded.ok ? rootCauseLine(decoded.value) : `(unreadable rca result: ${decoded.reason})`;
  }
  const decoded = decodeEvent(Topics.incidents, value);
  return decoded.ok
    ? timelineLine(decoded.value)
    : `(unreadable incident event: ${decoded.reason})`;
}

async function watchIncidents(options: { fromBeginning?: boolean }): Promise<void> {
  const config = loadConfig('vigil incidents watch', kafkaEnvSchema);
  const kafka = createKafka(kafkaSettingsFromEnv(config, 'cli'));
  const consumer = kafka.consumer({ groupId: `vigil-cli-watch-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({
    topics: [
      Topics.incidents.name,
      Topics.rca.name,
      Topics.remediationPlans.name,
      Topics.remediationDecisions.name,
      Topics.remediationExecutions.name,
    ],
    fromBeginning: options.fromBeginning ?? false,
  });
  process.once('SIGINT', () => void consumer.disconnect().then(() => process.exit(0)));
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const line = lineOf(topic, message.value);
      if (line) console.log(line);
    },
  });
}

export function registerIncidentsCommand(program: Command): void {
  program
    .command('incidents')
    .description('incidents as the correlator reports them')
    .command('watch')
    .option('--from-beginning', 'replay the whole topic first')
    .description(
      'print incidents, root causes, plans, decisions and executor steps as a live timeline',
    )
    .action(watchIncidents);
}
