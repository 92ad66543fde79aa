import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topologyFileToEvents } from '@vigil/contracts';
import { readTopologyFile, readTopologyGraph } from './topology-input';

const yaml = `
services:
  - { id: frontend, calls: [cart], runsOn: [node-a] }
  - id: cart
    dependsOn: [cart-cache, orders]
instances: [{ id: cart-1, of: cart, runsOn: [node-a] }]
hosts: [{ id: node-a }]
databases: [{ id: cart-cache, properties: { engine: redis } }]
queues: [{ id: orders }]
edges:
  - { type: CALLS, from: cart, to: orders, properties: { protocol: amqp } }
`;

const json = {
  services: [
    { id: 'frontend', calls: ['cart'], runsOn: ['node-a'] },
    { id: 'cart', dependsOn: ['cart-cache', 'orders'] },
  ],
  instances: [{ id: 'cart-1', of: 'cart', runsOn: ['node-a'] }],
  hosts: [{ id: 'node-a' }],
  databases: [{ id: 'cart-cache', properties: { engine: 'redis' } }],
  queues: [{ id: 'orders' }],
  edges: [{ type: 'CALLS', from: 'cart', to: 'orders', properties: { protocol: 'amqp' } }],
};

describe('vigil topology import: reading the file', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const asEvents = (path: string) =>
    topologyFileToEvents(readTopologyFile(path), {
      source: 'test',
      occurredAt: new Date(0),
      eventIdPrefix: 't',
    });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-topology-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads YAML (.yaml and .yml) and JSON into the same events', () => {
    const fromYaml = asEvents(write('shop.yaml', yaml));
    expect(asEvents(write('shop.yml', yaml))).toEqual(fromYaml);
    expect(asEvents(write('shop.json', JSON.stringify(json)))).toEqual(fromYaml);
  });

  it('covers services, instances, hosts, databases, queues and CALLS, RUNS_ON, DEPENDS_ON', () => {
    const events = asEvents(write('all.yaml', yaml));
    const entities = events.flatMap((e) => (e.op === 'entity.upsert' ? [e.entity] : []));
    expect(entities.map((e) => `${e.kind}:${e.id}`).sort()).toEqual([
      'database:cart-cache',
      'host:node-a',
      'instance:cart-1',
      'queue:orders',
      'service:cart',
      'service:frontend',
    ]);
    expect(entities.find((e) => e.id === 'cart-cache')?.properties).toEqual({ engine: 'redis' });
    const edges = events.flatMap((e) =>
      e.op === 'edge.upsert' ? [`${e.edge.from} ${e.edge.type} ${e.edge.to}`] : [],
    );
    expect(edges.sort()).toEqual([
      'cart CALLS orders',
      'cart DEPENDS_ON cart-cache',
      'cart DEPENDS_ON orders',
      'cart-1 RUNS_ON cart',
      'cart-1 RUNS_ON node-a',
      'frontend CALLS cart',
      'frontend RUNS_ON node-a',
    ]);
    const listed = events.find(
      (e) => e.op === 'edge.upsert' && e.edge.type === 'CALLS' && e.edge.to === 'orders',
    );
    expect(listed?.op === 'edge.upsert' && listed.edge.properties).toEqual({ protocol: 'amqp' });
  });

  it('names the file and the wrong field', () => {
    const path = write('bad.yaml', 'services:\n  - { id: frontend, call: [cart] }\n');
    expect(() => readTopologyFile(path)).toThrow(
      /bad\.yaml is not a valid topology file: services\.0/,
    );
    const badKind = write(
      'bad.json',
      JSON.stringify({ edges: [{ type: 'OWNS', from: 'a', to: 'b' }] }),
    );
    expect(() => readTopologyFile(badKind)).toThrow(/edges\.0\.type/);
  });

  it('names the file when it is not JSON or YAML at all', () => {
    expect(() => readTopologyFile(write('cut.json', '{"services": ['))).toThrow(
      /cut\.json is not JSON: /,
    );
    expect(() => readTopologyGraph(write('cut.yaml', 'services: [a\n  - b: ]: x\n'))).toThrow(
      /cut\.yaml is not YAML: /,
    );
    expect(() => readTopologyGraph(join(dir, 'missing.yaml'))).toThrow(
      /missing\.yaml does not exist/,
    );
    expect(() => readTopologyGraph(dir)).toThrow(/is a folder: give a file/);
  });

  it('checks a plain { services, edges } graph, an edge without a type being a call', () => {
    const plain = write(
      'plain.json',
      JSON.stringify({ services: ['a', 'b'], edges: [{ from: 'a', to: 'b' }] }),
    );
    expect(readTopologyGraph(plain)).toEqual({
      services: ['a', 'b'],
      edges: [{ from: 'a', to: 'b', type: 'CALLS' }],
    });
    const broken = write(
      'broken.json',
      JSON.stringify({ services: ['a'], edges: [{ from: 'a' }] }),
    );
    expect(() => readTopologyGraph(broken)).toThrow(
      /broken\.json is not a valid \{ services, edges \} graph: edges\.0\.to/,
    );
    const numbers = write('numbers.json', JSON.stringify({ services: [1, 2], edges: [] }));
    expect(() => readTopologyGraph(numbers)).toThrow(/services\.0/);
  });

  it('serves the same file as a plain graph for offline correlation', () => {
    const graph = readTopologyGraph(write('graph.yaml', yaml));
    expect(graph.services).toContain('orders');
    expect(graph.edges).toContainEqual({ from: 'frontend', to: 'cart', type: 'CALLS' });
  });
});
