import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The benches' own copy of the local infra: never the demo's topics or graph. */
export const BENCH_INFRA = { instance: 'bench', kafka: 49092, controller: 49093, bolt: 47687 };

/**
 * Kafka and Neo4j from the environment, else the benches' own instance started by the project's
 * launcher, its Kafka plaintext by choice (the launcher's default is TLS with SCRAM and ACLs).
 */
export function ensureInfra(): void {
  if (process.env.KAFKA_BROKERS && process.env.NEO4J_URI) return;
  execFileSync(
    process.execPath,
    [join(__dirname, '..', '..', 'infra', 'local', 'launcher.mjs'), 'up', '--only', 'kafka,neo4j'],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        VIGIL_INFRA_INSTANCE: BENCH_INFRA.instance,
        KAFKA_PORT: String(BENCH_INFRA.kafka),
        KAFKA_CONTROLLER_PORT: String(BENCH_INFRA.controller),
        NEO4J_BOLT_PORT: String(BENCH_INFRA.bolt),
        VIGIL_KAFKA_SECURITY: 'plaintext',
      },
    },
  );
  process.env.KAFKA_BROKERS = `127.0.0.1:${BENCH_INFRA.kafka}`;
  process.env.NEO4J_URI = `bolt://127.0.0.1:${BENCH_INFRA.bolt}`;
}
