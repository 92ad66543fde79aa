import type { Command } from 'commander';
import { IncidentStoreRepository } from '@vigil/graph';
import { type IncidentView, postmortemOf, renderPostmortemMarkdown } from '@vigil/incident-view';
import { commandGraph } from './command-clients';

/** Prints an incident's postmortem from the incident store, as Markdown or JSON. */
async function printPostmortem(incidentId: string, options: { json?: boolean }): Promise<void> {
  const connection = await commandGraph('vigil postmortem');
  try {
    const stored = await new IncidentStoreRepository(connection).get(incidentId);
    if (!stored) {
      console.error(`no incident ${incidentId} in the store (is topology-sync running?)`);
      process.exitCode = 1;
      return;
    }
    const postmortem = postmortemOf(JSON.parse(stored.view) as IncidentView, stored.resolvedAt);
    console.log(
      options.json ? JSON.stringify(postmortem, null, 2) : renderPostmortemMarkdown(postmortem),
    );
  } finally {
    await connection.close();
  }
}

export function registerPostmortemCommand(program: Command): void {
  program
    .command('postmortem')
    .argument('<incident-id>', 'the incident')
    .option('--json', 'print JSON instead of Markdown')
    .description(
      "an incident's postmortem from the incident store: timeline, root causes with evidence, actions and decisions",
    )
    .action(printPostmortem);
}
