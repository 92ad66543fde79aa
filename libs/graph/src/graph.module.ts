import {
  type DynamicModule,
  Global,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
  Inject,
} from '@nestjs/common';
import { applyGraphSchema } from './graph-schema';
import type { GraphSettings } from './graph-settings';
import { Neo4jConnection } from './neo4j-connection';
import { TopologyRepository } from './topology-repository';
import { IncidentStoreRepository } from './incident-store.repository';

export const GRAPH_SETTINGS = Symbol('GRAPH_SETTINGS');

/** Opens the Neo4j driver, applies constraints and indexes at start-up, and closes it on shutdown. */
@Global()
@Module({})
export class GraphModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(Neo4jConnection) private readonly connection: Neo4jConnection) {}

  static forRoot(settings: GraphSettings): DynamicModule {
    return {
      module: GraphModule,
      providers: [
        { provide: GRAPH_SETTINGS, useValue: settings },
        { provide: Neo4jConnection, useFactory: () => new Neo4jConnection(settings) },
        {
          provide: TopologyRepository,
          useFactory: (c: Neo4jConnection) => new TopologyRepository(c),
          inject: [Neo4jConnection],
        },
        {
          provide: IncidentStoreRepository,
          useFactory: (c: Neo4jConnection) => new IncidentStoreRepository(c),
          inject: [Neo4jConnection],
        },
      ],
      exports: [Neo4jConnection, TopologyRepository, IncidentStoreRepository],
    };
  }

  async onModuleInit(): Promise<void> {
    await this.connection.verify();
    await applyGraphSchema(this.connection);
    await new IncidentStoreRepository(this.connection).applySchema();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
