import { extname } from 'node:path';
import {
  describeIssues,
  topologyFileSchema,
  topologyFileToEvents,
  topologyGraphSchema,
  type TopologyGraph,
} from '@vigil/contracts';
import { readJsonFile, readYamlFile } from './input-file';

const readStructured = (path: string) =>
  extname(path) === '.json' ? readJsonFile(path) : readYamlFile(path);

export function readTopologyFile(path: string) {
  return checkedTopologyFile(path, readStructured(path));
}

/** A file's value as a topology file; what is wrong names the file. */
function checkedTopologyFile(path: string, raw: unknown) {
  const parsed = topologyFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`${path} is not a valid topology file: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** The plain graph names its services; a topology file describes each (`{ id, calls, ... }`). */
const looksLikeGraphData = (raw: unknown) =>
  typeof raw === 'object' &&
  raw !== null &&
  'edges' in raw &&
  'services' in raw &&
  Array.isArray(raw.services) &&
  raw.services.every((s) => typeof s !== 'object' || s === null);

/** A topology for offline work: a topology file (YAML/JSON) or plain `{services, edges}` JSON. */
export function readTopologyGraph(path: string): TopologyGraph {
  const raw = readStructured(path);
  if (extname(path) === '.json' && looksLikeGraphData(raw)) {
    const parsed = topologyGraphSchema.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `${path} is not a valid { services, edges } graph: ${describeIssues(parsed.error)}`,
      );
    return parsed.data;
  }
  const events = topologyFileToEvents(checkedTopologyFile(path, raw), {
    source: 'cli',
    occurredAt: new Date(0),
    eventIdPrefix: 'cli',
  });
  const services: string[] = [];
  const edges: TopologyGraph['edges'] = [];
  for (const event of events) {
    if (event.op === 'entity.upsert') services.push(event.entity.id);
    if (event.op === 'edge.upsert')
      edges.push({ from: event.edge.from, to: event.edge.to, type: event.edge.type });
  }
  return { services, edges };
}
