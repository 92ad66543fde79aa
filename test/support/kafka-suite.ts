import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { TopicDefinition } from '@vigil/contracts';
import { GraphTestScope } from '@vigil/graph';
import type { EventPublisher } from '@vigil/messaging';
import type { z } from 'zod';
import { startGroupAtEnd } from './group-offsets';
import { testKafka, testPublisher, waitForGroupStable } from './kafka-test-kit';
import { startService, type ServiceProcess } from './service-process';

/** A random id for one run of a suite: its names on the shared broker and graph carry it. */
export function newRunId(): string {
  return randomUUID().slice(0, 8);
}

/** An app that reads Kafka, started so that the suite's next message is not missed. */
export interface ConsumerApp {
  app: string;
  env: Record<string, string>;
  port: number;
  /** The consumer groups it reads with: each is stable before the start returns. */
  groups: string[];
  /** The topics its groups start at the end of (all of them by default). */
  topics?: ReadonlyArray<TopicDefinition<z.ZodType>>;
  /** A restart: the groups go on from what they committed instead of starting at the end. */
  keepOffsets?: boolean;
}

/**
 * What an integration suite on the shared Kafka (and Neo4j) holds: a client, a connected
 * publisher, the apps it started and, when asked, its own part of the graph. `close` ends them
 * all, so each suite's afterAll is one line.
 */
export class KafkaSuite {
  private readonly apps = new Set<ServiceProcess>();

  private constructor(
    readonly kafka: Kafka,
    readonly publisher: EventPublisher,
    private readonly graphScope?: GraphTestScope,
  ) {}

  /** `graphPrefix` (unique to the run, ending in a dash) opens a graph scope with it. */
  static async open(graphPrefix?: string): Promise<KafkaSuite> {
    const kafka = testKafka();
    const graph = graphPrefix === undefined ? undefined : new GraphTestScope(graphPrefix);
    return new KafkaSuite(kafka, await testPublisher(kafka), graph);
  }

  get graph(): GraphTestScope {
    if (!this.graphScope) throw new Error('the suite was opened without a graph prefix');
    return this.graphScope;
  }

  /** Adds this run's services to the topology graph, as the executor and planner look them up. */
  async addServices(ids: readonly string[]): Promise<void> {
    for (const id of ids)
      await this.graph.topology.upsertEntity({ id, kind: 'service', properties: {} }, Date.now());
  }

  /** Runs an app (apps/NAME) until it answers on `port`; `close` stops it. */
  async startApp(app: string, env: Record<string, string>, port: number): Promise<ServiceProcess> {
    const service = await startService(app, env, port);
    this.apps.add(service);
    return service;
  }

  /** Starts apps that read Kafka together, each once its groups sit at the end of their topics. */
  async startConsumers(...consumers: ConsumerApp[]): Promise<ServiceProcess[]> {
    for (const c of consumers)
      if (!c.keepOffsets)
        for (const group of c.groups) await startGroupAtEnd(this.kafka, group, c.topics);
    const started = await Promise.all(consumers.map((c) => this.startApp(c.app, c.env, c.port)));
    const groups = consumers.flatMap((c) => c.groups);
    await Promise.all(groups.map((group) => waitForGroupStable(this.kafka, group)));
    return started;
  }

  async startConsumer(consumer: ConsumerApp): Promise<ServiceProcess> {
    const [service] = await this.startConsumers(consumer);
    return service;
  }

  async close(): Promise<void> {
    await Promise.all([...this.apps].map((s) => s.stop()));
    await this.publisher.disconnect();
    await this.graphScope?.close();
  }
}
