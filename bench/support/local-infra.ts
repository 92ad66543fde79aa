import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Kafka and Neo4j from the environment, else started by the project's launcher. */
export function ensureInfra(): void {
  if (process.env.KAFKA_BROKERS && process.env.NEO4J_URI) return;
  execFileSync(
    process.execPath,
    [join(__dirname, '..', '..', 'infra', 'local', 'launcher.mjs'), 'up', '--only', 'kafka,neo4j'],
    {
      stdio: 'inherit',
    },
  );
  process.env.KAFKA_BROKERS = '127.0.0.1:9092';
  process.env.NEO4J_URI = 'bolt://127.0.0.1:7687';
}
