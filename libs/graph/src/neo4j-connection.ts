import neo4j, { type Driver, type QueryResult, type RecordShape } from 'neo4j-driver';
import { DEFAULT_QUERY_TIMEOUT_MS, type GraphSettings } from './graph-settings';

/** A driver plus the database to use: everything in this lib runs queries through it. */
export class Neo4jConnection {
  readonly driver: Driver;
  /** Every query has a timeout: a hung query would otherwise hold a consumer's partition forever. */
  private readonly transactionConfig: { timeout: number };

  constructor(readonly settings: GraphSettings) {
    const auth =
      settings.user !== undefined
        ? neo4j.auth.basic(settings.user, settings.password ?? '')
        : undefined;
    this.transactionConfig = { timeout: settings.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS };
    this.driver = neo4j.driver(settings.uri, auth, {
      disableLosslessIntegers: true,
      maxConnectionPoolSize: 20,
    });
  }

  async verify(): Promise<void> {
    await this.driver.verifyConnectivity({ database: this.settings.database });
  }

  async write<R extends RecordShape = RecordShape>(
    cypher: string,
    params: Record<string, unknown> = {},
  ): Promise<QueryResult<R>> {
    return this.driver.executeQuery<QueryResult<R>>(cypher, params, {
      database: this.settings.database,
      routing: neo4j.routing.WRITE,
      transactionConfig: this.transactionConfig,
    });
  }

  async read<R extends RecordShape = RecordShape>(
    cypher: string,
    params: Record<string, unknown> = {},
  ): Promise<QueryResult<R>> {
    return this.driver.executeQuery<QueryResult<R>>(cypher, params, {
      database: this.settings.database,
      routing: neo4j.routing.READ,
      transactionConfig: this.transactionConfig,
    });
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
