import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { z } from 'zod';
import { serviceNodeFlags } from '@vigil/config';
import { ForeignTopics, Topics, type TopicDefinition } from '@vigil/contracts';
import { historyFeeds } from '@vigil/incident-view';

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
  /**
   * Consumer groups the measurement commits at the end of `topics` before each start, outside the
   * timed part (the topics are created first when missing): for groups the app reads from the
   * beginning whatever its settings say, and for topics of this run that must exist as they do
   * wherever the app has run before.
   */
  groupsAtEnd?: Array<{ group: string; topics: ReadonlyArray<TopicDefinition<z.ZodType>> }>;
}

/**
 * The apps the all-in-one entry runs in its one process, three of the pipeline's consumers, in the
 * order all-in-one starts them (apps/all-in-one/src/all-in-one-apps.ts).
 */
export const ALL_IN_ONE_APPS = ['correlator', 'rca', 'planner'] as const;

/**
 * A routes file for the notifier that sends nothing: the one receiver the file must have, on a
 * port nothing listens on, and no route and no default receiver to choose it.
 */
export function notifierNoRoutes(): string {
  const receiver = {
    name: 'nobody',
    kind: 'webhook',
    url: 'http://127.0.0.1:9/bench-startup-no-receiver',
    secret: randomBytes(24).toString('base64url'),
  };
  return `${JSON.stringify({ receivers: [receiver], routes: [] })}\n`;
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
 * Every Vigil service, each started on its own: the HTTP receivers (ingest, the console, chatops),
 * the consumers (topology-sync, the model-loading correlator, signals, rca, planner, executor,
 * notifier, ruler), the model gateway, one demo-shop instance, and all-in-one running
 * ALL_IN_ONE_APPS in one process (what the demo and bench:loop run; a small set, so its figures
 * sit beside the same apps' own). The measurement runs on the user's Kafka and Neo4j, so nothing
 * here may act on their data:
 * - every consumer group is this run's own and starts at the end of its topics: `*_START_AT` where
 *   the app has it, else (topology-sync's groups, read from the beginning by design) committed at
 *   the end before each start;
 * - topology-sync's retention sweep runs with a retention of a century, so it deletes nothing;
 * - signals learns from now on (no anomaly before 20 points of a series or 5 minutes of a log
 *   template, far beyond a measured start) and reads OTLP from topics of this run's name, which
 *   nothing writes and which are deleted after the run: the Collector's topics would be
 *   re-published into vigil.spans.v1 and vigil.logs.v1;
 * - nothing leaves the machine: chatops's Slack API, the ruler's ingest and the notifier's only
 *   receiver are the service's own port (or an unused one), chatops's signing secret is random (no
 *   request is ever accepted as Slack's), and the notifier's routes file has no route and no
 *   default receiver; the ruler's rules expect services of a prefix nobody has;
 * - the executor is in an environment of its own with no adapter (it serves no plan), and the shop
 *   instance's telemetry carries this run's prefix; ledgers and files live in the run's folder.
 * The model gateway only needs its GGUF model (`npm run models:fetch`): no key, no upstream.
 * Each process is stopped as soon as it has been measured.
 */
export function startupServices(options: {
  runId: string;
  portBase: number;
  adaptersFile: string;
  ledgerDir: string;
  /** Local console users (the console refuses to start when nobody could sign in). */
  usersFile: string;
  /** The notifier's routes file, holding `notifierNoRoutes()`. */
  notifierRoutesFile: string;
  notifierLedgerDir: string;
}): StartupService[] {
  const { runId } = options;
  const port = (n: number) => String(options.portBase + n);
  const group = (app: string) => `bench-startup-${runId}-${app}`;
  const url = (n: number, path: string) => `http://127.0.0.1:${port(n)}${path}`;
  const service = (
    name: string,
    n: number,
    env: Record<string, string>,
    groupsAtEnd?: StartupService['groupsAtEnd'],
  ): StartupService => ({
    name,
    main: `apps/${name}/src/main.ts`,
    env,
    healthUrl: url(n, '/healthz'),
    ...(groupsAtEnd && { groupsAtEnd }),
  });
  // topics of this run's name, which only this run's signals reads
  const otlp = (
    topic: keyof typeof ForeignTopics,
    name: string,
  ): typeof ForeignTopics.otlpSpans => ({
    ...ForeignTopics[topic],
    name: `bench-startup-${runId}-${name}`,
  });
  const otlpSpans = otlp('otlpSpans', 'otlp-spans');
  const otlpLogs = otlp('otlpLogs', 'otlp-logs');
  const alone = [
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
    service(
      'topology-sync',
      8,
      {
        TOPOLOGY_SYNC_PORT: port(8),
        TOPOLOGY_SYNC_GROUP: group('topology-sync'),
        TOPOLOGY_SYNC_HISTORY_GROUP: group('history'),
        HISTORY_RETENTION_MS: String(100 * 365 * 24 * 3600 * 1000),
      },
      [
        { group: group('topology-sync'), topics: [Topics.topology, Topics.spans] },
        { group: group('history'), topics: historyFeeds((topic) => topic) },
      ],
    ),
    service(
      'signals',
      9,
      {
        SIGNALS_PORT: port(9),
        SIGNALS_GROUP: group('signals'),
        SIGNALS_START_AT: 'latest',
        SIGNALS_OTLP_TRACES_TOPIC: otlpSpans.name,
        SIGNALS_OTLP_LOGS_TOPIC: otlpLogs.name,
      },
      // the OTLP reader's group (`<group>.otlp`) and its topics, created before the first start
      [{ group: `${group('signals')}.otlp`, topics: [otlpSpans, otlpLogs] }],
    ),
    service('model-gateway', 10, { MODEL_GATEWAY_PORT: port(10) }),
    service('chatops', 11, {
      CHATOPS_PORT: port(11),
      CHATOPS_GROUP: group('chatops'),
      CHATOPS_START_AT: 'latest',
      CHATOPS_MODE: 'http',
      SLACK_SIGNING_SECRET: randomBytes(24).toString('base64url'),
      SLACK_BOT_TOKEN: `xoxb-bench-startup-${runId}`,
      SLACK_CHANNEL: `#bench-startup-${runId}`,
      SLACK_API_URL: url(11, '/bench-startup-no-slack/'),
    }),
    service('notifier', 12, {
      NOTIFIER_PORT: port(12),
      NOTIFIER_GROUP: group('notifier'),
      NOTIFIER_START_AT: 'latest',
      NOTIFIER_ROUTES: options.notifierRoutesFile,
      NOTIFIER_LEDGER_DIR: options.notifierLedgerDir,
    }),
    service('ruler', 13, {
      RULER_PORT: port(13),
      RULER_GROUP: group('ruler'),
      RULER_START_AT: 'latest',
      RULER_SERVICE_PREFIX: `bench-startup-${runId}-ruler-`,
      RULER_INGEST_URL: url(13, '/bench-startup-no-ingest'),
      RULER_INGEST_TOKEN: `bench-startup-${runId}-token`,
    }),
  ];
  // each app with its settings as when alone (one process runs at a time, so their ports are
  // free); apps start in turn, so the process is ready once the last of them answers
  const apps = alone.filter((s) => (ALL_IN_ONE_APPS as readonly string[]).includes(s.name));
  const last = alone.find((s) => s.name === ALL_IN_ONE_APPS[ALL_IN_ONE_APPS.length - 1]);
  const allInOne: StartupService = {
    name: 'all-in-one',
    main: 'apps/all-in-one/src/main.ts',
    env: Object.fromEntries([
      ['ALL_IN_ONE_APPS', ALL_IN_ONE_APPS.join(',')],
      ...apps.flatMap((s) => Object.entries(s.env)),
    ]),
    healthUrl: last?.healthUrl ?? '',
  };
  return [...alone, allInOne];
}
