import { execFileSync, spawnSync } from 'node:child_process';
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

export function endpointsFromEnvironment(env: NodeJS.ProcessEnv): InfraEndpoints | undefined {
  if (!env.KAFKA_BROKERS || !env.NEO4J_URI) return undefined;
  return {
    kafkaBrokers: env.KAFKA_BROKERS,
    neo4jUri: env.NEO4J_URI,
    provider: 'environment',
    startedByTests: false,
  };
}

/** The local launcher answers `status` with exit code 0 only when both Kafka and Neo4j answer. */
function localInfraRunning(): boolean {
  return (
    spawnSync(process.execPath, [launcher, 'status', '--only', 'kafka,neo4j'], { stdio: 'ignore' })
      .status === 0
  );
}

export function startLocalInfra(): InfraEndpoints {
  const alreadyRunning = localInfraRunning();
  if (!alreadyRunning) {
    execFileSync(process.execPath, [launcher, 'up', '--only', 'kafka,neo4j'], { stdio: 'inherit' });
  }
  return {
    kafkaBrokers: `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`,
    neo4jUri: `bolt://127.0.0.1:${process.env.NEO4J_BOLT_PORT ?? '7687'}`,
    provider: 'local-launcher',
    startedByTests: !alreadyRunning,
  };
}

export function stopLocalInfra(): void {
  if (existsSync(launcher))
    execFileSync(process.execPath, [launcher, 'down', '--only', 'kafka,neo4j'], {
      stdio: 'inherit',
    });
}
