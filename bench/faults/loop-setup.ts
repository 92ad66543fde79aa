import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { hashPassword } from '@vigil/access';
import { topologyFileSchema, topologyFileToEvents } from '@vigil/contracts';
import { shopAdaptersFile, shopFromBuild, shopTopology } from '@vigil/demo-shop';
import { LoadGenerator } from '@vigil/demo-shop-client';
import type { GraphTestScope } from '@vigil/graph';
import { startGroupAtEnd } from '../../test/support/group-offsets';
import { runOtlpTopics } from '../../test/support/otlp-topics';
import { ServiceSet, vigilServices } from './vigil-services';

export interface LoopOptions {
  runId: string;
  root: string;
  portBase: number;
  shopPortOffset: number;
  kafkaBrokers: string;
  neo4jUri: string;
  /** Shop requests per second; 0: the shop runs without traffic. */
  rps: number;
  /** Settings added to (or replacing) a Vigil service's own, by service name. */
  serviceEnv?: Readonly<Record<string, Record<string, string>>>;
}

export interface Loop {
  services: ServiceSet;
  dir: string;
  ingestUrl: string;
  ingestToken: string;
  executor: { url: string; token: string };
  shop: { prefix: string; portOffset: number };
  load?: LoadGenerator;
  stop(): Promise<void>;
}

/**
 * The closed loop with every Vigil service as its own process (not all-in-one: a crash takes one
 * service down, as in production), healing a demo shop the executor runs, with traffic on it.
 */
export async function startLoop(
  kafka: Kafka,
  graph: GraphTestScope,
  o: LoopOptions,
): Promise<Loop> {
  const dir = mkdtempSync(join(tmpdir(), `vigil-faults-${o.runId}-`));
  mkdirSync(join(dir, 'ledger'), { recursive: true });
  const prefix = graph.prefix;
  const ingestToken = `fb-ingest-${o.runId}-0123456789`;
  const executorToken = `fb-admin-${o.runId}-0123456789`;
  const usersFile = join(dir, 'console-users.json');
  const passwordHash = await hashPassword(randomBytes(18).toString('base64url'));
  writeFileSync(
    usersFile,
    JSON.stringify({ users: [{ username: 'bench', passwordHash, role: 'viewer' }] }),
  );
  // the executor runs the shop's processes (it needs an adapter to start at all)
  const adaptersFile = join(dir, 'adapters.json');
  const adapters = shopAdaptersFile({
    ...shopFromBuild(o.root),
    env: { KAFKA_BROKERS: o.kafkaBrokers, ...runOtlpTopics(o.runId).shop },
    prefix,
    portOffset: o.shopPortOffset,
    dataRoot: join(dir, 'shop-data'),
  });
  writeFileSync(adaptersFile, JSON.stringify(adapters));
  const file = topologyFileSchema.parse(shopTopology(prefix));
  const events = topologyFileToEvents(file, {
    source: 'bench-faults',
    occurredAt: new Date(),
    eventIdPrefix: `${prefix}topology`,
  });
  // a fresh Neo4j makes its schema on the first writes: on a loaded machine that outlasts a query's timeout
  for (const event of events) await retried(() => graph.topology.apply(event));
  const specs = vigilServices({
    runId: o.runId,
    root: o.root,
    portBase: o.portBase,
    kafkaBrokers: o.kafkaBrokers,
    neo4jUri: o.neo4jUri,
    dir,
    ingestToken,
    executorToken,
    adaptersFile,
    usersFile,
    shopPrefix: prefix,
    serviceEnv: o.serviceEnv,
  });
  for (const group of specs.flatMap((s) => s.groups))
    await retried(() => startGroupAtEnd(kafka, group));
  const services = new ServiceSet(specs, o.root, {
    KAFKA_BROKERS: o.kafkaBrokers,
    NEO4J_URI: o.neo4jUri,
    LOG_LEVEL: 'warn',
  });
  await services.startAll();
  const load = o.rps > 0 ? new LoadGenerator(o.rps, o.shopPortOffset) : undefined;
  load?.start();
  const port = (name: string) => services.service(name).port;
  return {
    services,
    dir,
    ingestUrl: `http://127.0.0.1:${port('ingest')}/api/v1/alerts`,
    ingestToken,
    executor: { url: `http://127.0.0.1:${port('executor')}`, token: executorToken },
    shop: { prefix, portOffset: o.shopPortOffset },
    load,
    stop: async () => {
      load?.stop();
      await services.stopAll();
    },
  };
}

/**
 * A fresh broker elects the leaders of topics just made a moment later, and a broker starved of
 * CPU can lose a partition's leadership for a moment: ask again a few times.
 */
export async function retried<T>(task: () => Promise<T>, attempts = 15): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await task();
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
}
