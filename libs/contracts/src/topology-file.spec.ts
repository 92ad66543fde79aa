import { Topics } from './topics';
import { topologyFileSchema, topologyFileToEvents, undeclaredEdgeEnds } from './topology-file';

const file = topologyFileSchema.parse({
  services: [
    { id: 'frontend', calls: ['cart'], runsOn: ['node-a'] },
    { id: 'cart', dependsOn: ['cart-cache'] },
  ],
  databases: [{ id: 'cart-cache', properties: { engine: 'redis' } }],
  hosts: [{ id: 'node-a' }],
});

describe('topology file', () => {
  const events = topologyFileToEvents(file, {
    source: 'test',
    occurredAt: new Date('2026-01-01T00:00:00Z'),
    eventIdPrefix: 'f',
  });

  it('becomes valid topology events: entities first, then the edges', () => {
    expect(events.map((e) => e.op)).toEqual([
      'entity.upsert',
      'entity.upsert',
      'entity.upsert',
      'entity.upsert',
      'edge.upsert',
      'edge.upsert',
      'edge.upsert',
    ]);
    for (const event of events) expect(Topics.topology.schema.safeParse(event).success).toBe(true);
    expect(
      events
        .filter((e) => e.op === 'edge.upsert')
        .map((e) => (e.op === 'edge.upsert' ? `${e.edge.from} ${e.edge.type} ${e.edge.to}` : '')),
    ).toEqual(['frontend CALLS cart', 'frontend RUNS_ON node-a', 'cart DEPENDS_ON cart-cache']);
  });

  it('gives every event its own id', () => {
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  it('points out edges to entities nobody declared', () => {
    const typo = topologyFileSchema.parse({ services: [{ id: 'frontend', calls: ['cartt'] }] });
    expect(undeclaredEdgeEnds(typo)).toEqual(['cartt']);
    expect(undeclaredEdgeEnds(file)).toEqual([]);
  });

  it('takes every entity kind and every edge type, and keeps the properties of listed edges', () => {
    const full = topologyFileSchema.parse({
      services: [{ id: 'api', calls: ['auth'], dependsOn: ['jobs'], runsOn: ['node-a'] }],
      instances: [{ id: 'api-1', of: 'api', runsOn: ['node-a'] }],
      hosts: [{ id: 'node-a', properties: { zone: 'eu-1a' } }],
      databases: [{ id: 'users-db', runsOn: ['node-a'] }],
      queues: [{ id: 'jobs', runsOn: ['node-a'] }],
      edges: [{ type: 'CALLS', from: 'auth', to: 'users-db', properties: { protocol: 'sql' } }],
    });
    const all = topologyFileToEvents(full, {
      source: 'test',
      occurredAt: new Date(0),
      eventIdPrefix: 'g',
    });
    const kinds = all.flatMap((e) => (e.op === 'entity.upsert' ? [e.entity.kind] : []));
    expect(kinds).toEqual(['service', 'instance', 'host', 'database', 'queue']);
    const edges = all.flatMap((e) => (e.op === 'edge.upsert' ? [e.edge] : []));
    expect(new Set(edges.map((e) => e.type))).toEqual(new Set(['CALLS', 'DEPENDS_ON', 'RUNS_ON']));
    expect(edges).toContainEqual({
      type: 'CALLS',
      from: 'auth',
      to: 'users-db',
      properties: { protocol: 'sql' },
    });
    expect(edges).toContainEqual({ type: 'RUNS_ON', from: 'api-1', to: 'api', properties: {} });
  });

  it('refuses unknown keys instead of silently importing less', () => {
    const typo = topologyFileSchema.safeParse({ services: [{ id: 'frontend', call: ['cart'] }] });
    expect(typo.success).toBe(false);
    if (!typo.success) expect(typo.error.issues[0]?.path).toEqual(['services', 0]);
    expect(topologyFileSchema.safeParse({ servcies: [] }).success).toBe(false);
    expect(
      topologyFileSchema.safeParse({ edges: [{ type: 'OWNS', from: 'a', to: 'b' }] }).success,
    ).toBe(false);
  });
});
