import type { Neo4jConnection } from './neo4j-connection';

/**
 * Constraints and indexes of the topology graph. `IF NOT EXISTS` makes start-up idempotent, and
 * the uniqueness constraint is what makes MERGE on an entity id safe under concurrent consumers.
 */
export const graphSchemaStatements: readonly string[] = [
  'CREATE CONSTRAINT entity_id_unique IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE',
  'CREATE INDEX entity_kind IF NOT EXISTS FOR (e:Entity) ON (e.kind)',
  'CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)',
];

export async function applyGraphSchema(connection: Neo4jConnection): Promise<void> {
  for (const statement of graphSchemaStatements) await connection.write(statement);
}
