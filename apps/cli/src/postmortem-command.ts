import type { Command } from 'commander';
import { loadConfig } from '@vigil/config';
import {
  graphSettingsFromEnv,
  IncidentStoreRepository,
  Neo4jConnection,
  neo4jEnvSchema,
} from '@vigil/graph';
import { type IncidentView, postmortemOf, renderPostmortemMarkdown } from '@vigil/incident-view';

/** Prints an incident's postmortem from the incident store, as Markdown or JSON. */
async function printPostmortem(incidentId: string, options: { json?: boolean }): Promise<void> {
  const config = loadConfig('vigil postmortem', neo4jEnvSchema);
  const connection = new Neo4jConnection({ ...graphSettingsFromEnv(config), patience: 'command' });
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
