import { z } from 'zod';
import { envDurationMs, envUrl } from '@vigil/config';

/** Every query (not the connection) ends after this long, unless the settings say otherwise. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

/** Environment of every Neo4j-using app. Auth is optional: the local launcher runs without it. */
export const neo4jEnvSchema = z.object({
  NEO4J_URI: envUrl('bolt://localhost:7687', ['bolt', 'neo4j', 'bolt+s', 'neo4j+s']).describe(
    'Neo4j URL (bolt, neo4j, bolt+s or neo4j+s).',
  ),
  NEO4J_USER: z.string().optional().describe('Neo4j user; unset: no authentication.'),
  NEO4J_PASSWORD: z.string().optional().describe('Neo4j password.'),
  NEO4J_DATABASE: z.string().optional().describe("Neo4j database; unset: the server's default."),
  NEO4J_QUERY_TIMEOUT_MS: envDurationMs(DEFAULT_QUERY_TIMEOUT_MS, { min: 1 }).describe(
    'How long one Neo4j query may run before the server ends it; a stuck query then fails (and is retried) instead of holding its caller forever.',
  ),
});

export interface GraphSettings {
  uri: string;
  user?: string;
  password?: string;
  database?: string;
  /** Server-side limit of one query; default `DEFAULT_QUERY_TIMEOUT_MS`. */
  queryTimeoutMs?: number;
}

export function graphSettingsFromEnv(env: z.output<typeof neo4jEnvSchema>): GraphSettings {
  return {
    uri: env.NEO4J_URI,
    user: env.NEO4J_USER,
    password: env.NEO4J_PASSWORD,
    database: env.NEO4J_DATABASE,
    queryTimeoutMs: env.NEO4J_QUERY_TIMEOUT_MS,
  };
}
