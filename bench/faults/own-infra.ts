import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A Kafka and Neo4j of the bench's own, beside the demo's and the tests' (the launcher's second
 * copy, `VIGIL_INFRA_INSTANCE`): a broker restart or a Neo4j stop must never hit anyone else.
 */
export class OwnInfra {
  readonly kafkaBrokers: string;
  readonly neo4jUri: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly root: string,
    private readonly instance = 'faultbench',
    ports: { kafka: number; controller: number; bolt: number } = {
      kafka: 29092,
      controller: 29093,
      bolt: 27687,
    },
  ) {
    this.kafkaBrokers = `127.0.0.1:${ports.kafka}`;
    this.neo4jUri = `bolt://127.0.0.1:${ports.bolt}`;
    this.env = {
      ...process.env,
      VIGIL_INFRA_INSTANCE: instance,
      KAFKA_PORT: String(ports.kafka),
      KAFKA_CONTROLLER_PORT: String(ports.controller),
      NEO4J_BOLT_PORT: String(ports.bolt),
      // the bench's clients and services run plaintext by choice (the launcher's default is TLS)
      VIGIL_KAFKA_SECURITY: 'plaintext',
    };
  }

  /** Starts (or re-checks) the components and waits until they answer. */
  up(only: 'kafka' | 'neo4j' | 'kafka,neo4j' = 'kafka,neo4j'): Promise<void> {
    return this.launcher('up', only);
  }

  /**
   * Stops the instance and deletes its data: the next `up` starts on an empty broker and graph. A
   * run that must not read an earlier run's records calls it first (services rebuild their state
   * from the topics at start, so old records would change what they hold).
   */
  async wipe(): Promise<void> {
    await this.down();
    // where the launcher keeps the instance (infra/local/lib/config.mjs)
    const home = process.env.VIGIL_HOME
      ? resolve(process.env.VIGIL_HOME)
      : join(this.root, '.vigil');
    await rm(join(home, 'infra', 'instances', this.instance), {
      recursive: true,
      force: true,
    });
  }

  /** Stops them as the launcher does: SIGTERM, SIGKILL after its grace. */
  down(only: 'kafka' | 'neo4j' | 'kafka,neo4j' = 'kafka,neo4j'): Promise<void> {
    return this.launcher('down', only);
  }

  private async launcher(command: string, only: string): Promise<void> {
    await run(
      process.execPath,
      [join(this.root, 'infra', 'local', 'launcher.mjs'), command, '--only', only],
      { env: this.env, timeout: 600_000 },
    );
  }
}
