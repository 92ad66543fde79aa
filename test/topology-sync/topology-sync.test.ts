import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { decodeEvent, Topics, type TopologyEvent } from '@vigil/contracts';
import { GraphTestScope, type TopologyRepository } from '@vigil/graph';
import type { EventPublisher } from '@vigil/messaging';
import {
  collectFromTopic,
  testKafka,
  testPublisher,
  waitForGroupStable,
} from '../support/kafka-test-kit';
import { startService, type ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';
import { startGroupAtEnd } from '../support/group-offsets';

const port = 3904;
const runId = randomUUID().slice(0, 8);
// A stable group: on a broker reused across runs it resumes where the last run ended instead of
// replaying every earlier run's topology.
const group = 'vigil-topology-sync-it';
const id = (name: string) => `t${runId}-${name}`;
let sequence = 0;

function entityUpsert(
  name: string,
  kind: 'service' | 'database' | 'host',
  properties = {},
  at = Date.now(),
): TopologyEvent {
  return {
    schemaVersion: 1,
    eventId: `${runId}-${++sequence}`,
    source: 'integration-test',
    occurredAt: new Date(at).toISOString(),
    op: 'entity.upsert',
    entity: { id: id(name), kind, name, properties },
  };
}

function edge(
  op: 'edge.upsert' | 'edge.delete',
  type: 'CALLS' | 'DEPENDS_ON' | 'RUNS_ON',
  from: string,
  to: string,
): TopologyEvent {
  return {
    schemaVersion: 1,
    eventId: `${runId}-${++sequence}`,
    source: 'integration-test',
    occurredAt: new Date().toISOString(),
    op,
    edge: { type, from: id(from), to: id(to), properties: {} },
  } as TopologyEvent;
}

describe('topology-sync keeps Neo4j in step with vigil.topology.v1', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let graph: GraphTestScope;
  let repository: TopologyRepository;
  let service: ServiceProcess | undefined;
  const env = { TOPOLOGY_SYNC_PORT: String(port), TOPOLOGY_SYNC_GROUP: group, LOG_LEVEL: 'warn' };

  const startSync = async () => {
    service = await startService('topology-sync', env, port);
    await waitForGroupStable(kafka, group);
  };

  beforeAll(async () => {
    kafka = testKafka();
    publisher = await testPublisher(kafka);
    graph = new GraphTestScope(`t${runId}-`);
    repository = graph.topology;
    // What other tests left on the broker (their topology, span-derived-calls' spans) would come
    // back here as entities and edges nobody cleans up.
    await startGroupAtEnd(kafka, group, [Topics.topology, Topics.spans]);
    await startSync();
  });

  afterAll(async () => {
    await service?.stop();
    await publisher.disconnect();
    await graph.close();
  });

  it('turns entity and edge events into nodes and relationships, and serves the k-hop neighbourhood', async () => {
    await publisher.publishMany(Topics.topology, [
      entityUpsert('frontend', 'service', { team: 'web' }),
      entityUpsert('checkout', 'service'),
      entityUpsert('payment', 'service'),
      entityUpsert('orders-db', 'database'),
      entityUpsert('node-1', 'host'),
      edge('edge.upsert', 'CALLS', 'frontend', 'checkout'),
      edge('edge.upsert', 'CALLS', 'checkout', 'payment'),
      edge('edge.upsert', 'DEPENDS_ON', 'payment', 'orders-db'),
      edge('edge.upsert', 'RUNS_ON', 'payment', 'node-1'),
    ]);

    // Events of different entities travel on different partitions: wait for all of them.
    await waitFor('all five entities and four edges in Neo4j', async () => {
      const { nodes, edges } = await repository.neighbourhood([id('frontend'), id('payment')], 3);
      // Exactly five: each entity once, even when it is near both start entities.
      return nodes.length === 5 && nodes.every((n) => n.kind !== null) && edges.length === 4;
    });

    const frontend = await repository.findEntity(id('frontend'));
    expect(frontend).toMatchObject({
      kind: 'service',
      name: 'frontend',
      properties: { team: 'web' },
    });

    const oneHop = await repository.neighbourhood([id('checkout')], 1);
    expect(oneHop.nodes.map((n) => n.id).sort()).toEqual(
      [id('checkout'), id('frontend'), id('payment')].sort(),
    );

    const twoHops = await repository.neighbourhood([id('checkout')], 2);
    expect(twoHops.nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining([id('orders-db'), id('node-1')]),
    );
    expect(twoHops.edges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: id('checkout'), to: id('payment'), type: 'CALLS' }),
        expect.objectContaining({ from: id('payment'), to: id('orders-db'), type: 'DEPENDS_ON' }),
      ]),
    );

    await publisher.publish(Topics.topology, edge('edge.delete', 'CALLS', 'frontend', 'checkout'));
    await publisher.publish(Topics.topology, {
      schemaVersion: 1,
      eventId: `${runId}-${++sequence}`,
      source: 'integration-test',
      occurredAt: new Date().toISOString(),
      op: 'entity.delete',
      entityId: id('node-1'),
    });
    await waitFor('the deletes to reach Neo4j', async () => {
      const sub = await repository.neighbourhood([id('checkout'), id('payment')], 1);
      return (
        !sub.nodes.some((n) => n.id === id('node-1')) &&
        !sub.edges.some((e) => e.from === id('frontend'))
      );
    });
  });

  it('applies the same event twice without changing anything, and ignores an older event', async () => {
    const now = Date.now();
    const first = entityUpsert('cart', 'service', { version: 'v2' }, now);
    const older = entityUpsert('cart', 'service', { version: 'v1' }, now - 60_000);
    const link = edge('edge.upsert', 'CALLS', 'cart', 'payment');
    await publisher.publishMany(Topics.topology, [first, first, link, link, older]);
    // An edge from cart is keyed by cart: events of one key are handled in order, so once this
    // marker is in, so is everything sent for cart before it.
    await publisher.publish(Topics.topology, edge('edge.upsert', 'DEPENDS_ON', 'cart', 'marker-1'));
    await waitFor('the marker after the duplicates', async () =>
      (await repository.neighbourhood([id('cart')], 1)).edges.some((e) => e.type === 'DEPENDS_ON'),
    );

    const cart = await repository.findEntity(id('cart'));
    expect(cart?.properties).toEqual({ version: 'v2' });
    const counts = await graph.connection.read(
      'MATCH (c:Entity {id: $id}) OPTIONAL MATCH (c)-[r:CALLS]->() RETURN count(DISTINCT c) AS nodes, count(r) AS edges',
      { id: id('cart') },
    );
    expect(counts.records[0].toObject()).toEqual({ nodes: 1, edges: 1 });
  });

  it('sends a malformed and a schema-violating message to the DLQ with their reasons and goes on', async () => {
    const badKey = id('bad');
    await publisher.sendRaw(Topics.topology.name, [
      { key: `${badKey}-json`, value: '{"op": "entity.upsert", "entity": ' },
      {
        key: `${badKey}-schema`,
        value: JSON.stringify({ ...entityUpsert('ghost', 'service'), op: 'entity.teleport' }),
      },
    ]);
    await publisher.publish(Topics.topology, entityUpsert('after-bad', 'service'));

    const parked = await collectFromTopic(
      kafka,
      Topics.dlq.name,
      (m) => m.key?.toString().startsWith(badKey) ?? false,
      (kept) => kept.length >= 2,
    );
    const records = parked.map((m) => {
      const decoded = decodeEvent(Topics.dlq, m.value);
      if (!decoded.ok) throw new Error(decoded.reason);
      return decoded.value;
    });
    const byKey = new Map(
      records.map((r) => [Buffer.from(r.keyBase64 ?? '', 'base64').toString(), r]),
    );
    const malformed = byKey.get(`${badKey}-json`);
    const violating = byKey.get(`${badKey}-schema`);
    expect(malformed).toMatchObject({
      errorKind: 'malformed-json',
      originalTopic: Topics.topology.name,
      consumerGroup: group,
    });
    expect(malformed?.reason).toMatch(/not valid JSON/);
    expect(Buffer.from(malformed?.valueBase64 ?? '', 'base64').toString()).toBe(
      '{"op": "entity.upsert", "entity": ',
    );
    expect(violating).toMatchObject({ errorKind: 'schema-violation' });
    expect(violating?.reason).toMatch(/op/);

    await waitFor('the valid message after the bad ones', async () =>
      Boolean(await repository.findEntity(id('after-bad'))),
    );
    expect(await repository.findEntity(id('ghost'))).toBeUndefined();
  });

  it('loses nothing when the consumer is killed mid-stream and restarted', async () => {
    const total = 1000;
    const events = Array.from({ length: total }, (_, i) =>
      entityUpsert(`svc-${i}`, 'service', { index: i }),
    );
    const countOurs = async () => {
      const result = await graph.connection.read(
        'MATCH (e:Entity) WHERE e.id STARTS WITH $p RETURN count(e) AS n',
        {
          p: id('svc-'),
        },
      );
      return Number(result.records[0].get('n'));
    };
    const sending = (async () => {
      for (let i = 0; i < total; i += 20)
        await publisher.publishMany(Topics.topology, events.slice(i, i + 20));
    })();
    await waitFor('some of the stream to be applied', async () => (await countOurs()) >= 20);
    await service?.kill();
    const atKill = await countOurs();
    await sending;
    expect(atKill).toBeLessThan(total);

    await startSync();
    await waitFor(
      `all ${total} entities after the restart`,
      async () => (await countOurs()) === total,
      90_000,
    );
    const sample = await repository.findEntity(id('svc-999'));
    expect(sample?.properties).toEqual({ index: 999 });
  });
});
