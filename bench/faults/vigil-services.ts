import { createServer } from 'node:net';
import { join } from 'node:path';
import { serviceAllocatorEnv, serviceNodeFlags } from '@vigil/config';
import { shopAlertThresholds } from '@vigil/alert-rules';
import { startProcess, type ServiceProcess } from '../../test/support/service-process';
import { runOtlpTopics } from '../../test/support/otlp-topics';

/** One Vigil service as its own process, from the build in dist/ (what users run). */
export interface VigilService {
  name: string;
  env: Record<string, string>;
  port: number;
  /** The consumer groups it commits offsets in (its lag is what "caught up" reads). */
  groups: string[];
}

export interface ServiceSetOptions {
  runId: string;
  root: string;
  portBase: number;
  kafkaBrokers: string;
  neo4jUri: string;
  /** Folder for this run's files: adapters, ledgers, console users. */
  dir: string;
  ingestToken: string;
  executorToken: string;
  /** The shop's adapters file: the executor runs the shop's processes. */
  adaptersFile: string;
  usersFile: string;
  /** The shop's service prefix, for the ruler. */
  shopPrefix: string;
  /** Settings added to (or replacing) a service's own, by service name. */
  serviceEnv?: Readonly<Record<string, Record<string, string>>>;
}

/**
 * Every Vigil service of the loop, in start order (consumers before their producers), each in a
 * consumer group of this run only, with the settings the closed loop uses.
 */
export function vigilServices(o: ServiceSetOptions): VigilService[] {
  const port = (n: number) => o.portBase + n;
  const group = (app: string) => `fb-${o.runId}-${app}`;
  const service = (
    name: string,
    n: number,
    env: Record<string, string>,
    groups: string[] = [],
  ): VigilService => ({ name, port: port(n), env: { ...env, ...o.serviceEnv?.[name] }, groups });
  return [
    service(
      'topology-sync',
      4,
      { TOPOLOGY_SYNC_PORT: String(port(4)), TOPOLOGY_SYNC_GROUP: group('sync') },
      [group('sync')],
    ),
    service('model-gateway', 7, { MODEL_GATEWAY_PORT: String(port(7)) }),
    service(
      'correlator',
      2,
      {
        CORRELATOR_PORT: String(port(2)),
        CORRELATOR_GROUP: group('correlator'),
        CORRELATOR_START_AT: 'latest',
        CORRELATOR_TOPOLOGY_REFRESH_MS: '3000',
      },
      [group('correlator'), `${group('correlator')}-router`],
    ),
    service(
      'signals',
      6,
      {
        SIGNALS_PORT: String(port(6)),
        SIGNALS_GROUP: group('signals'),
        SIGNALS_START_AT: 'latest',
        SIGNALS_LOG_WARMUP_MS: '30000',
        ...runOtlpTopics(o.runId).signals,
      },
      [group('signals')],
    ),
    service(
      'rca',
      5,
      {
        RCA_PORT: String(port(5)),
        RCA_GROUP: group('rca'),
        RCA_START_AT: 'latest',
        RCA_INTERVAL_MS: '2000',
        RCA_LEAD_MS: '60000',
        RCA_SUSTAIN_MS: '20000',
      },
      [group('rca')],
    ),
    service(
      'planner',
      8,
      {
        PLANNER_PORT: String(port(8)),
        PLANNER_GROUP: group('planner'),
        PLANNER_START_AT: 'latest',
        OPENAI_BASE_URL: `http://127.0.0.1:${port(7)}/v1`,
        VIGIL_LLM_TIMEOUT_MS: '20000',
      },
      [group('planner')],
    ),
    service(
      'executor',
      9,
      {
        EXECUTOR_PORT: String(port(9)),
        EXECUTOR_GROUP: group('executor'),
        EXECUTOR_ENVIRONMENT: 'demo',
        EXECUTOR_LATENCY_LIMIT_MS: String(shopAlertThresholds.latencyP99Ms),
        EXECUTOR_ERROR_RATE_LIMIT: String(shopAlertThresholds.errorRatio),
        EXECUTOR_POLICY_FILE: join(o.root, 'infra', 'demo', 'guardrail-policy.json'),
        EXECUTOR_ADAPTERS_FILE: o.adaptersFile,
        EXECUTOR_ADMIN_TOKEN: o.executorToken,
        EXECUTOR_LEDGER_DIR: join(o.dir, 'ledger'),
      },
      [group('executor')],
    ),
    service('console', 10, { CONSOLE_PORT: String(port(10)), CONSOLE_USERS_FILE: o.usersFile }),
    service('ingest', 1, { INGEST_PORT: String(port(1)), INGEST_TOKENS: o.ingestToken }),
    service(
      'ruler',
      12,
      {
        RULER_PORT: String(port(12)),
        RULER_GROUP: group('ruler'),
        RULER_INGEST_URL: `http://127.0.0.1:${port(1)}/api/v1/alerts/alertmanager`,
        RULER_INGEST_TOKEN: o.ingestToken,
        RULER_INTERVAL_MS: '2000',
        RULER_SERVICE_PREFIX: o.shopPrefix,
      },
      [group('ruler')],
    ),
  ];
}

/** The running set: start, kill -9 and restart one service by name. */
export class ServiceSet {
  private readonly running = new Map<string, ServiceProcess>();

  constructor(
    private readonly services: VigilService[],
    private readonly root: string,
    private readonly common: Record<string, string>,
  ) {}

  get names(): string[] {
    return this.services.map((s) => s.name);
  }

  get groups(): string[] {
    return this.services.flatMap((s) => s.groups);
  }

  service(name: string): VigilService {
    const found = this.services.find((s) => s.name === name);
    if (!found) throw new Error(`no service ${name}`);
    return found;
  }

  pid(name: string): number | undefined {
    return this.running.get(name)?.child.pid;
  }

  /** Starts every service; when one cannot start, stops those that did (none is left behind). */
  async startAll(): Promise<void> {
    try {
      for (const s of this.services) await this.start(s.name);
    } catch (error) {
      await this.stopAll();
      throw error;
    }
  }

  async start(name: string): Promise<void> {
    const s = this.service(name);
    // another process on the port would answer the health check in this one's place
    if (!(await portIsFree(s.port)))
      throw new Error(`${name}: port ${s.port} is taken by another process (a run left behind?)`);
    const process = await startProcess(
      s.name,
      [...serviceNodeFlags(s.name), join(this.root, 'dist', 'apps', s.name, 'src', 'main.js')],
      { ...serviceAllocatorEnv(s.name), ...this.common, ...s.env },
      `http://127.0.0.1:${s.port}/healthz`,
      240_000,
    );
    this.running.set(name, process);
  }

  /** SIGKILL, as in a crash: no shutdown hook, no offset commit on the way out. */
  async kill(name: string): Promise<void> {
    await this.running.get(name)?.kill();
    this.running.delete(name);
  }

  /** SIGTERM, as an operator stops it; killed if it has not ended in 20 s. */
  async stop(name: string): Promise<void> {
    const running = this.running.get(name);
    this.running.delete(name);
    if (!running) return;
    const timer = setTimeout(() => void running.kill(), 20_000);
    await running.stop();
    clearTimeout(timer);
  }

  /** Whether the service answers its health check now. */
  async healthy(name: string): Promise<boolean> {
    const response = await fetch(`http://127.0.0.1:${this.service(name).port}/healthz`, {
      signal: AbortSignal.timeout(2_000),
    }).catch(() => undefined);
    return response?.ok === true;
  }

  /** The last lines a service wrote, for a report when it failed. */
  tail(name: string, lines = 20): string {
    return (this.running.get(name)?.output.join('') ?? '').split('\n').slice(-lines).join('\n');
  }

  async stopAll(): Promise<void> {
    // a service stuck in its shutdown is killed: the bench must not outlive its run
    for (const s of [...this.services].reverse()) await this.stop(s.name);
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
