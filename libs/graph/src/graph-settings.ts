import { z } from 'zod';
import { envUrl } from '@vigil/config';

/** Environment of every Neo4j-using app. Auth is optional: the local launcher runs without it. */
export const neo4jEnvSchema = z.object({
  NEO4J_URI: envUrl('bolt://localhost:7687', ['bolt', 'neo4j', 'bolt+s', 'neo4j+s']).describe(
    'Neo4j URL (bolt, neo4j, bolt+s or neo4j+s).',
  ),
  NEO4J_USER: z.string().optional().describe('Neo4j user; unset: no authentication.'),
  NEO4J_PASSWORD: z.string().optional().describe('Neo4j password.'),
  NEO4J_DATABASE: z.string().optional().describe("Neo4j database; unset: the server's default."),
});

export interface GraphSettings {
  uri: string;
  user?: string;
  password?: string;
  database?: string;
}

export function graphSettingsFromEnv(env: z.output<typeof neo4jEnvSchema>): GraphSettings {
  return {
    uri: env.NEO4J_URI,
    user: env.NEO4J_USER,
    password: env.NEO4J_PASSWORD,
    database: env.NEO4J_DATABASE,
  };
}
