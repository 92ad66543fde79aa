import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { decodeEvent, Topics, type CallSpan } from '@vigil/contracts';
import { GraphTestScope } from '@vigil/graph';
import type { EventPublisher } from '@vigil/messaging';
import {
  collectFromTopic,
  testKafka,
  testPublisher,
  waitForGroupStable,
} from '../support/kafka-test-kit';
import { projectRoot } from '../support/project-root';
import { startService, type ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';
import { startGroupAtEnd } from '../support/group-offsets';

const port = 3914;
const runId = randomUUID().slice(0, 8);
// A group of its own, moved to the end of its topics before each run: on a reused broker neither
// earlier runs' spans nor the other topology test's events are replayed into this run's graph.
const group = 'vigil-topology-sync-spans-it';
const id = (name: string) => `s${runId}-${name}`;

function span(caller: string, callee: string, fields: Partial<CallSpan> = {}): CallSpan {
  return {
    schemaVersion: 1,
    caller: id(caller),
    callee: id(callee),
    time: new Date().toISOString(),
    status: 'ok',
    count: 1,
    ...fields,
  };
}

describe('topology-sync derives CALLS edges from vigil.spans.v1', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let graph: GraphTestScope;
  let service: ServiceProcess | undefined;
  let dir: string;

  const edgeProperties = async (caller: string, callee: string) => {
    const result = await graph.connection.read(
      'MATCH (:Entity {id: $from})-[r:CALLS]->(:Entity {id: $to}) RETURN properties(r) AS p',
      { from: id(caller), to: id(callee) },
    );
    return result.records.map((r) => r.get('p') as Record<string, unknown>);
  };

  beforeAll(async () => {
    kafka = testKafka();
    publisher = await testPublisher(kafka);
    graph = new GraphTestScope(`s${runId}-`);
    dir = mkdtempSync(join(tmpdir(), 'vigil-spans-it-'));
    await startGroupAtEnd(kafka, group, [Topics.topology, Topics.spans]);
    service = await startService(
      'topology-sync',
      {
        TOPOLOGY_SYNC_PORT: String(port),
        TOPOLOGY_SYNC_GROUP: group,
        TOPOLOGY_SYNC_SPAN_FLUSH_MS: '1000',
        LOG_LEVEL: 'warn',
      },
      port,
    );
    await waitForGroupStable(kafka, group);
  });

  afterAll(async () => {
    await service?.stop();
    await publisher.disconnect();
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sums spans into one CALLS edge with calls, errors and when they were seen', async () => {
    const now = Date.now();
    await publisher.publishMany(Topics.spans, [
      span('web', 'orders', { durationMs: 20 }),
      span('web', 'orders', { count: 5, durationMs: 40 }),
      span('web', 'orders', {
        status: 'error',
        count: 2,
        time: new Date(now + 1000).toISOString(),
      }),
      // Late: counted, but it does not move lastSeenAt back.
      span('web', 'orders', { time: new Date(now - 60_000).toISOString() }),
    ]);

    await waitFor('all 9 calls on the edge', async () => {
      const [edge] = await edgeProperties('web', 'orders');
      return edge?.calls === 9;
    });
    const [edge] = await edgeProperties('web', 'orders');
    expect(edge).toMatchObject({ observed: true, calls: 9, errors: 2, timedCalls: 6 });
    expect(edge?.lastSeenAt).toBe(now + 1000);
    expect(edge?.firstSeenAt).toBe(now - 60_000);
    expect(edge?.meanDurationMs).toBeCloseTo((20 + 5 * 40) / 6);
    expect(edge?.declared).toBeUndefined();
    // readers of the whole topology drop an observed edge once its last call is too old
    const edgesSeenSince = async (since: number) =>
      (await graph.topology.wholeTopology(since)).edges.filter(
        (e) => e.from === id('web') && e.to === id('orders'),
      );
    expect(await edgesSeenSince(now)).toHaveLength(1);
    expect(await edgesSeenSince(now + 2000)).toHaveLength(0);

    const kinds = await graph.connection.read(
      'MATCH (e:Entity:Service) WHERE e.id IN $ids RETURN e.id AS id, e.kind AS kind ORDER BY id',
      { ids: [id('web'), id('orders')] },
    );
    expect(kinds.records.map((r) => r.toObject())).toEqual([
      { id: id('orders'), kind: 'service' },
      { id: id('web'), kind: 'service' },
    ]);
  });

  it('keeps the properties of an edge imported with `vigil topology import` when spans arrive', async () => {
    const file = join(dir, 'shop.yaml');
    writeFileSync(
      file,
      [
        'services:',
        `  - { id: ${id('cart')}, properties: { team: basket } }`,
        `  - { id: ${id('pricing')} }`,
        'edges:',
        `  - { type: CALLS, from: ${id('cart')}, to: ${id('pricing')}, properties: { protocol: grpc, critical: true } }`,
      ].join('\n'),
    );
    await promisify(execFile)(
      process.execPath,
      [
        join(projectRoot, 'node_modules', 'ts-node', 'dist', 'bin.js'),
        join('apps', 'cli', 'src', 'main.ts'),
        'topology',
        'import',
        file,
        '--wait',
        '60',
      ],
      { cwd: projectRoot, env: process.env },
    );
    expect(await edgeProperties('cart', 'pricing')).toEqual([
      expect.objectContaining({ protocol: 'grpc', critical: true, declared: true }),
    ]);

    await publisher.publishMany(Topics.spans, [
      span('cart', 'pricing', { count: 3 }),
      span('cart', 'pricing', { status: 'error' }),
    ]);
    await waitFor('the observed calls on the declared edge', async () => {
      const [edge] = await edgeProperties('cart', 'pricing');
      return edge?.calls === 4;
    });
    const [merged] = await edgeProperties('cart', 'pricing');
    expect(merged).toMatchObject({
      protocol: 'grpc',
      critical: true,
      declared: true,
      observed: true,
      calls: 4,
      errors: 1,
    });

    // A newer declaration changes its own properties and keeps what was observed.
    await publisher.publish(Topics.topology, {
      schemaVersion: 1,
      eventId: `${runId}-redeclare`,
      source: 'integration-test',
      occurredAt: new Date(Date.now() + 1000).toISOString(),
      op: 'edge.upsert',
      edge: {
        type: 'CALLS',
        from: id('cart'),
        to: id('pricing'),
        properties: { protocol: 'http', calls: 0 },
      },
    });
    await waitFor('the newer declaration', async () => {
      const [edge] = await edgeProperties('cart', 'pricing');
      return edge?.protocol === 'http';
    });
    expect(await edgeProperties('cart', 'pricing')).toEqual([
      expect.objectContaining({ critical: true, observed: true, calls: 4, errors: 1 }),
    ]);
  });

  it('sends malformed spans to the DLQ with the reason and applies the next valid one', async () => {
    const badKey = id('bad-span');
    await publisher.sendRaw(Topics.spans.name, [
      { key: `${badKey}-json`, value: '{"caller": "a", ' },
      {
        key: `${badKey}-schema`,
        value: JSON.stringify({ ...span('ghost', 'phantom'), status: 'timeout' }),
      },
    ]);
    await publisher.publish(Topics.spans, span('after-bad', 'orders'));

    const parked = await collectFromTopic(
      kafka,
      Topics.dlq.name,
      (m) => m.key?.toString().startsWith(badKey) ?? false,
      (kept) => kept.length >= 2,
    );
    const byKey = new Map(
      parked.map((m) => {
        const decoded = decodeEvent(Topics.dlq, m.value);
        if (!decoded.ok) throw new Error(decoded.reason);
        return [m.key?.toString(), decoded.value];
      }),
    );
    expect(byKey.get(`${badKey}-json`)).toMatchObject({
      errorKind: 'malformed-json',
      originalTopic: Topics.spans.name,
      consumerGroup: group,
    });
    expect(byKey.get(`${badKey}-json`)?.reason).toMatch(/not valid JSON/);
    expect(byKey.get(`${badKey}-schema`)).toMatchObject({ errorKind: 'schema-violation' });
    expect(byKey.get(`${badKey}-schema`)?.reason).toMatch(/status/);

    await waitFor('the valid span after the bad ones', async () =>
      (await edgeProperties('after-bad', 'orders')).some((e) => e.calls === 1),
    );
    expect(await edgeProperties('ghost', 'phantom')).toEqual([]);
  });
});
