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
});
