import { join } from 'node:path';
import { serviceNodeFlags } from '@vigil/config';

/** How a service is started: the build in dist/, or its source through ts-node (development). */
export type StartMode = 'compiled' | 'ts-node';

export interface StartupService {
  name: string;
  /** The source main, from the repository root (apps/NAME/src/main.ts). */
  main: string;
  /** Its own settings; the measurement adds Kafka, Neo4j and the log level. */
  env: Record<string, string>;
  /** Answers 2xx once the service is ready. */
  healthUrl: string;
}

/**
 * node's arguments that start `main` (apps/NAME/src/main.ts) in `mode`, from the repository root
 * `root`: the service's own V8 flags either way, so the two modes differ only in the code run.
 */
export function startArgs(root: string, main: string, mode: StartMode): string[] {
  const flags = serviceNodeFlags(main.split('/')[1] ?? '');
  if (mode === 'compiled') return [...flags, join(root, 'dist', main.replace(/\.ts$/, '.js'))];
  return [...flags, join(root, 'node_modules', 'ts-node', 'dist', 'bin.js'), join(root, main)];
}

/**
 * A representative set: an HTTP receiver, the model-loading correlator, the consumers that produce
 * (rca, planner, executor), the console and one demo-shop instance. The measurement runs on the
 * user's Kafka and Neo4j, so nothing here may act on their data: every consumer group is this
 * run's own and starts at the end of its topics, the executor is in an environment of its own with
 * no adapter (it serves no plan), and the shop instance's telemetry carries this run's prefix.
 * Each process is stopped as soon as it has been measured.
 */
export function startupServices(options: {
  runId: string;
  portBase: number;
  adaptersFile: string;
  ledgerDir: string;
  /** Local console users (the console refuses to start when nobody could sign in). */
  usersFile: string;
}): StartupService[] {
  const { runId } = options;
  const port = (n: number) => String(options.portBase + n);
  const group = (app: string) => `bench-startup-${runId}-${app}`;
  const service = (name: string, n: number, env: Record<string, string>): StartupService => ({
    name,
    main: `apps/${name}/src/main.ts`,
    env,
    healthUrl: `http://127.0.0.1:${port(n)}/healthz`,
  });
  return [
    service('ingest', 1, { INGEST_PORT: port(1), INGEST_TOKENS: `bench-startup-${runId}-token` }),
    service('correlator', 2, {
      CORRELATOR_PORT: port(2),
      CORRELATOR_GROUP: group('correlator'),
      CORRELATOR_START_AT: 'latest',
    }),
    service('rca', 3, { RCA_PORT: port(3), RCA_GROUP: group('rca'), RCA_START_AT: 'latest' }),
    service('planner', 4, {
      PLANNER_PORT: port(4),
      PLANNER_GROUP: group('planner'),
      PLANNER_START_AT: 'latest',
    }),
    service('executor', 5, {
      EXECUTOR_PORT: port(5),
      EXECUTOR_GROUP: group('executor'),
      EXECUTOR_ENVIRONMENT: `bench-startup-${runId}`,
      EXECUTOR_ADAPTERS_FILE: options.adaptersFile,
      EXECUTOR_LEDGER_DIR: options.ledgerDir,
    }),
    service('console', 6, { CONSOLE_PORT: port(6), CONSOLE_USERS_FILE: options.usersFile }),
    service('demo-shop', 7, {
      PORT: port(7),
      SHOP_PREFIX: `bench-startup-${runId}-`,
      VIGIL_SERVICE: `bench-startup-${runId}-payment`,
    }),
  ];
}
