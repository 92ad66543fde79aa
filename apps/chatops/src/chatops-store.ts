import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { IncidentStoreRepository, Neo4jConnection } from '@vigil/graph';
import { VIGIL_SETTINGS } from '@vigil/messaging';
import type { ChatopsSettings } from './chatops.config';

/**
 * The incident store (Neo4j, written by topology-sync) as chatops reads it: the past incidents on
 * cards and `/vigil history`, through one driver. The driver connects at the first query, so
 * chatops starts whether Neo4j answers or not; each reader copes with the store being down.
 */
@Injectable()
export class ChatopsStore implements OnApplicationShutdown {
  readonly repository: IncidentStoreRepository;
  private readonly connection: Neo4jConnection;

  constructor(@Inject(VIGIL_SETTINGS) settings: ChatopsSettings) {
    this.connection = new Neo4jConnection(settings.graph);
    this.repository = new IncidentStoreRepository(this.connection);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
