import { type GraphSettings, graphSettingsFromEnv, neo4jEnvSchema } from '../graph-settings';
import { Neo4jConnection } from '../neo4j-connection';
import { TopologyRepository } from '../topology-repository';

// Batches keep one clean-up transaction small even after a test wrote thousands of entities.
const deleteScopeBatchCypher = `
MATCH (e:Entity) WHERE e.id STARTS WITH $prefix
WITH e LIMIT 1000
DETACH DELETE e
RETURN count(*) AS deleted`;

/** The Neo4j the test setup (or a benchmark's launcher) put in the environment. */
export function graphSettingsFromProcessEnv(
  env: Record<string, string | undefined> = process.env,
): GraphSettings {
  return graphSettingsFromEnv(neo4jEnvSchema.parse(env));
}

/**
 * A test's or a benchmark's own part of the topology graph: the entities whose ids start with its
 * prefix. Clean-up deletes those and nothing else, so a shared Neo4j keeps the demo's topology and
 * what other runs wrote. Every entity the test writes (itself or through a service it started) must
 * therefore carry the prefix: build ids with `id(name)`.
 */
export class GraphTestScope {
  readonly connection: Neo4jConnection;
  readonly topology: TopologyRepository;
  private closed = false;

  /** `prefix` is unique to the run (e.g. a letter, a random id and a dash) and ends with a dash. */
  constructor(
    readonly prefix: string,
    settings: GraphSettings = graphSettingsFromProcessEnv(),
  ) {
    // An empty or bare-word prefix could match entities nobody in the test wrote.
    if (!/^\S{3,}-$/.test(prefix))
      throw new Error(
        `a graph test scope needs a run-unique prefix ending in "-", got "${prefix}"`,
      );
    this.connection = new Neo4jConnection(settings);
    this.topology = new TopologyRepository(this.connection);
  }

  /** The id of the scope's entity `name`. */
  id(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** Deletes the scope's entities and their edges; returns how many entities went. */
  async cleanUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.connection.write<{ deleted: number }>(deleteScopeBatchCypher, {
        prefix: this.prefix,
      });
      const deleted = Number(result.records[0]?.get('deleted') ?? 0);
      total += deleted;
      if (deleted === 0) return total;
    }
  }

  /** Cleans up, then closes the driver; safe to call twice (afterAll after a failed beforeAll). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.cleanUp();
    } finally {
      await this.connection.close();
    }
  }
}
