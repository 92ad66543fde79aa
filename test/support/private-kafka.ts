import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './monitoring-stack';
import { projectRoot } from './project-root';

const exec = promisify(execFile);
const launcher = join(projectRoot, 'infra', 'local', 'launcher.mjs');

/**
 * A Kafka of its own, plaintext or secured (TLS, SCRAM-SHA-512, ACLs), started by the local
 * launcher in a temporary VIGIL_HOME on free ports: it never touches the demo's or the other
 * tests' broker, and a bench measures both transports on equally fresh brokers.
 */
export class PrivateKafka {
  readonly home = mkdtempSync(join(tmpdir(), 'vigil-kafka-'));
  readonly secrets = join(this.home, 'secrets', 'kafka');
  brokers = '';
  private env: NodeJS.ProcessEnv = {};

  constructor(
    readonly secure: boolean,
    /** `default`: started with no flag, as a user starts it (the launcher's default is secured). */
    private readonly asked: 'by-flag' | 'default' = 'by-flag',
  ) {
    if (asked === 'default' && !secure)
      throw new Error('the launcher starts no plaintext Kafka by default');
  }

  async start(): Promise<void> {
    const [port, controllerPort] = [await freePort(), await freePort()];
    this.brokers = `127.0.0.1:${port}`;
    // the mode comes from this broker's flags alone, never from the caller's environment
    const {
      VIGIL_INFRA_INSTANCE: _instance,
      VIGIL_KAFKA_SECURITY: _security,
      ...inherited
    } = process.env;
    this.env = {
      ...inherited,
      VIGIL_HOME: this.home,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      VIGIL_INFRA_TIMEOUT_MS: '120000',
    };
    this.reuseResolvedClasspath();
    // said either way, unless the default is what is tested: the launcher's own is secured
    const flags = this.asked === 'default' ? [] : this.secure ? ['--secure'] : ['--plaintext'];
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

  caFile = () => join(this.secrets, 'ca.pem');
  passwordFile = (user: string) => join(this.secrets, 'users', `${user}.password`);

  /** The Kafka variables of a Vigil service running as `user` (docs/kafka-security.md). */
  clientEnv(user: string): Record<string, string> {
    if (!this.secure) return { KAFKA_BROKERS: this.brokers };
    return {
      KAFKA_BROKERS: this.brokers,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: this.caFile(),
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: user,
      KAFKA_SASL_PASSWORD_FILE: this.passwordFile(user),
    };
  }

  /** The jars the repo's launcher resolved before: no Maven run in the temporary home. */
  private reuseResolvedClasspath(): void {
    const version = process.env.VIGIL_KAFKA_VERSION ?? '4.4.0';
    const cache = join(
      projectRoot,
      '.vigil',
      'infra',
      'kafka',
      `resolve-${version}`,
      'classpath.json',
    );
    if (!existsSync(cache)) return;
    const to = join(this.home, 'infra', 'kafka', `resolve-${version}`);
    mkdirSync(to, { recursive: true });
    copyFileSync(cache, join(to, 'classpath.json'));
  }
}
