import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './project-root';

export interface InfraEndpoints {
  kafkaBrokers: string;
  neo4jUri: string;
  /** Who provides them, so teardown stops only what setup started. */
  provider: 'environment' | 'testcontainers' | 'local-launcher';
  startedByTests: boolean;
  containerIds?: string[];
}

const launcher = join(projectRoot, 'infra', 'local', 'launcher.mjs');

/**
 * Infra the developer names for the tests on purpose. Only the VIGIL_TEST_ variables count: a
 * KAFKA_BROKERS or NEO4J_URI exported for the demo or for a real cluster must never receive test
 * data.
 */
export function endpointsFromEnvironment(env: NodeJS.ProcessEnv): InfraEndpoints | undefined {
  if (!env.VIGIL_TEST_KAFKA_BROKERS || !env.VIGIL_TEST_NEO4J_URI) return undefined;
  return {
    kafkaBrokers: env.VIGIL_TEST_KAFKA_BROKERS,
    neo4jUri: env.VIGIL_TEST_NEO4J_URI,
    provider: 'environment',
    startedByTests: false,
  };
}

/**
 * The tests' own copy of the local infra: its own data folder (`.vigil/infra/instances/test`) and
 * its own ports, so `npm test` and `npm run demo` never share a topic or a graph. Its Kafka is
 * plaintext by choice: these suites test behaviour, and the security suites start secured brokers
 * of their own (PrivateKafka).
 */
/** The name of the tests' copy (VIGIL_INFRA_INSTANCE): its data lives under .vigil/infra/instances/<name>. */
export const TEST_INFRA_INSTANCE = 'test';

export function testInfraEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...env,
    VIGIL_INFRA_INSTANCE: TEST_INFRA_INSTANCE,
    VIGIL_KAFKA_SECURITY: 'plaintext',
    KAFKA_PORT: env.VIGIL_TEST_KAFKA_PORT ?? '19092',
    KAFKA_CONTROLLER_PORT: env.VIGIL_TEST_KAFKA_CONTROLLER_PORT ?? '19093',
    NEO4J_BOLT_PORT: env.VIGIL_TEST_NEO4J_BOLT_PORT ?? '17687',
  };
}

function runLauncher(command: 'up' | 'status' | 'down', stdio: 'inherit' | 'ignore') {
  return spawnSync(process.execPath, [launcher, command, '--only', 'kafka,neo4j'], {
    stdio,
    env: testInfraEnvironment(),
  });
}

export function startLocalInfra(): InfraEndpoints {
  // `status` exits 0 only when both Kafka and Neo4j answer.
  const alreadyRunning = runLauncher('status', 'ignore').status === 0;
  if (!alreadyRunning) {
    const up = runLauncher('up', 'inherit');
    if (up.status !== 0) throw new Error(`the tests' Kafka and Neo4j did not start (see above)`);
  }
  const env = testInfraEnvironment();
  return {
    kafkaBrokers: `127.0.0.1:${env.KAFKA_PORT}`,
    neo4jUri: `bolt://127.0.0.1:${env.NEO4J_BOLT_PORT}`,
    provider: 'local-launcher',
    startedByTests: !alreadyRunning,
  };
}

export function stopLocalInfra(): void {
  if (existsSync(launcher)) runLauncher('down', 'inherit');
}
