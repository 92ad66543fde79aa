import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { decodeEvent, Topics, type IncidentEvent, type RcaResult } from '@vigil/contracts';
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
  return `${head} 1. ${first.service} (${first.score.toFixed(2)}): ${first.path.join(' ──▶ ')}${rest ? `; then ${rest}` : ''}`;
}

function lineOf(topic: string, value: Buffer | null): string {
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
    topics: [Topics.incidents.name, Topics.rca.name],
    fromBeginning: options.fromBeginning ?? false,
  });
  process.once('SIGINT', () => void consumer.disconnect().then(() => process.exit(0)));
  await consumer.run({
    eachMessage: async ({ topic, message }) => console.log(lineOf(topic, message.value)),
  });
}

export function registerIncidentsCommand(program: Command): void {
  program
    .command('incidents')
    .description('incidents as the correlator reports them')
    .command('watch')
    .option('--from-beginning', 'replay the whole topic first')
    .description(`print ${Topics.incidents.name} and ${Topics.rca.name} as a live timeline`)
    .action(watchIncidents);
}
