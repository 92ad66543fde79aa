import type { Command } from 'commander';
import {
  Topics,
  topologyFileToEvents,
  undeclaredEdgeEnds,
  type TopologyEvent,
} from '@vigil/contracts';
import { renderSubgraph, TopologyRepository } from '@vigil/graph';
import { EventPublisher } from '@vigil/messaging';
import { readTopologyFile } from './topology-input';
import { numberOption } from './number-option';
import { commandGraph, commandKafka } from './command-clients';

async function importTopology(
  path: string,
  options: { dryRun?: boolean; wait?: string },
): Promise<void> {
  // checked before anything is published: a bad --wait would otherwise fail after the import
  const waitS =
    options.wait === undefined ? undefined : numberOption(options.wait, '--wait', { min: 0 });
  const file = readTopologyFile(path);
  const undeclared = undeclaredEdgeEnds(file);
  if (undeclared.length > 0)
    console.warn(`warning: edges point at undeclared entities: ${undeclared.join(', ')}`);
  const events = topologyFileToEvents(file, {
    source: `vigil-cli:${path}`,
    occurredAt: new Date(),
    eventIdPrefix: `import-${Date.now()}`,
  });
  if (options.dryRun) {
    for (const event of events) console.log(JSON.stringify(event));
    return;
  }
  const publisher = new EventPublisher(await commandKafka('vigil topology import'));
  try {
    for (let i = 0; i < events.length; i += 100) {
      await publisher.publishMany(Topics.topology, events.slice(i, i + 100));
      process.stderr.write(
        `\rpublished ${Math.min(i + 100, events.length)}/${events.length} topology events`,
      );
    }
    process.stderr.write(`\n${events.length} events on ${Topics.topology.name}\n`);
  } finally {
    await publisher.disconnect();
  }
  if (waitS !== undefined) await waitUntilApplied(events, waitS * 1000);
}

/** Polls Neo4j until topology-sync has applied every entity and edge of the import. */
async function waitUntilApplied(events: TopologyEvent[], timeoutMs: number): Promise<void> {
  const entities = new Set(events.flatMap((e) => (e.op === 'entity.upsert' ? [e.entity.id] : [])));
  const edges = events.filter((e) => e.op === 'edge.upsert').length;
  const connection = await commandGraph('vigil topology import');
  const repository = new TopologyRepository(connection);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const subgraph = await repository.neighbourhood([...entities], 0);
      const found = subgraph.nodes.filter((n) => n.kind !== null).length;
      process.stderr.write(`\rtopology-sync applied ${found}/${entities.size} entities`);
      if (found === entities.size && subgraph.edges.length >= edges) break;
      if (Date.now() > deadline)
        throw new Error(
          `topology-sync did not apply the import within ${timeoutMs / 1000} s; is it running?`,
        );
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    process.stderr.write(`, ${edges} edges: in Neo4j\n`);
  } finally {
    await connection.close();
  }
}

async function showTopology(ids: string[], options: { hops: string }): Promise<void> {
  const connection = await commandGraph('vigil topology show');
  try {
    const subgraph = await new TopologyRepository(connection).neighbourhood(
      ids,
      numberOption(options.hops, '--hops', { integer: true, min: 0 }),
    );
    console.log(renderSubgraph(subgraph, new Set(ids)));
  } finally {
    await connection.close();
  }
}

export function registerTopologyCommands(program: Command): void {
  const topology = program.command('topology').description('the service topology in Neo4j');
  topology
    .command('import')
    .argument('<file>', 'topology file (.yaml, .yml or .json)')
    .option('--dry-run', 'print the events instead of publishing them')
    .option('--wait <seconds>', 'wait until topology-sync has applied the import to Neo4j')
    .description(`publish a topology file to ${Topics.topology.name}`)
    .action(importTopology);
  topology
    .command('show')
    .argument('<ids...>', 'entity ids to centre on')
    .option('--hops <n>', 'neighbourhood radius', '1')
    .description('draw the neighbourhood of entities as Neo4j has it')
    .action(showTopology);
}
