import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describeIssues, topologyFileSchema, topologyFileToEvents } from '@vigil/contracts';
import type { TopologyGraphData } from '@vigil/correlation';

export function readTopologyFile(path: string) {
  const text = readFileSync(path, 'utf8');
  const raw: unknown = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  const parsed = topologyFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`${path} is not a valid topology file: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function isGraphData(raw: unknown): raw is TopologyGraphData {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    Array.isArray((raw as TopologyGraphData).edges) &&
    Array.isArray((raw as TopologyGraphData).services)
  );
}

/** A topology for offline work: a topology file (YAML/JSON) or plain `{services, edges}` JSON. */
export function readTopologyGraph(path: string): TopologyGraphData {
  if (extname(path) === '.json') {
    const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (isGraphData(raw)) return raw;
  }
  const events = topologyFileToEvents(readTopologyFile(path), {
    source: 'cli',
    occurredAt: new Date(0),
    eventIdPrefix: 'cli',
  });
  const services: string[] = [];
  const edges: TopologyGraphData['edges'] = [];
  for (const event of events) {
    if (event.op === 'entity.upsert') services.push(event.entity.id);
    if (event.op === 'edge.upsert')
      edges.push({ from: event.edge.from, to: event.edge.to, type: event.edge.type });
  }
  return { services, edges };
}
