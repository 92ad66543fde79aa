import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../alertmanager/alertmanager-process';

const exec = promisify(execFile);
const root = join(__dirname, '..', '..');
const launcher = join(root, 'infra', 'local', 'launcher.mjs');

/**
 * A Kafka of the benchmark's own, plaintext or secured (TLS, SCRAM-SHA-512, ACLs), started by the
 * local launcher in a temporary VIGIL_HOME on free ports: both transports are measured on equally
 * fresh brokers with the same JVM settings, and no other consumer of the demo's broker (a running
 * demo, another bench) takes a share of the alerts or of the CPU.
 */
export class PrivateKafka {
  readonly home = mkdtempSync(join(tmpdir(), 'vigil-kafka-bench-'));
  brokers = '';
  private env: NodeJS.ProcessEnv = {};

  constructor(readonly secure: boolean) {}

  async start(): Promise<void> {
    const [port, controllerPort] = [await freePort(), await freePort()];
    this.brokers = `127.0.0.1:${port}`;
    const { VIGIL_INFRA_INSTANCE: _instance, ...inherited } = process.env;
    this.env = {
      ...inherited,
      VIGIL_HOME: this.home,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      VIGIL_INFRA_TIMEOUT_MS: '120000',
    };
    this.reuseResolvedClasspath();
    const flags = this.secure ? ['--secure'] : [];
    await exec(process.execPath, [launcher, 'up', '--only', 'kafka', ...flags], { env: this.env });
  }

  async stop(): Promise<void> {
    if (this.brokers)
      await exec(process.execPath, [launcher, 'down', '--only', 'kafka'], { env: this.env });
    this.brokers = '';
    rmSync(this.home, { recursive: true, force: true });
  }

  /** For a process's `exit` handler, where nothing asynchronous runs any more. */
  stopSync(): void {
    if (this.brokers)
      execFileSync(process.execPath, [launcher, 'down', '--only', 'kafka'], { env: this.env });
    this.brokers = '';
    rmSync(this.home, { recursive: true, force: true });
  }

  /** The Kafka variables of a Vigil service running as `user` (docs/kafka-security.md). */
  clientEnv(user: string): Record<string, string> {
    if (!this.secure) return { KAFKA_BROKERS: this.brokers };
    const secrets = join(this.home, 'secrets', 'kafka');
    return {
      KAFKA_BROKERS: this.brokers,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: join(secrets, 'ca.pem'),
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: user,
      KAFKA_SASL_PASSWORD_FILE: join(secrets, 'users', `${user}.password`),
    };
  }

  /** The jars the repo's launcher resolved before: no Maven run in the temporary home. */
  private reuseResolvedClasspath(): void {
    const version = process.env.VIGIL_KAFKA_VERSION ?? '4.4.0';
    const cache = join(root, '.vigil', 'infra', 'kafka', `resolve-${version}`, 'classpath.json');
    if (!existsSync(cache)) return;
    const to = join(this.home, 'infra', 'kafka', `resolve-${version}`);
    mkdirSync(to, { recursive: true });
    copyFileSync(cache, join(to, 'classpath.json'));
  }
}
