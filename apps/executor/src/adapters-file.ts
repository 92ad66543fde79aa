import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  AdapterRouter,
  HttpWebhookAdapter,
  LocalProcessAdapter,
  type ExecutionAdapter,
} from '@vigil/executor-adapters';

const version = z.strictObject({
  version: z.string().min(1),
  command: z.string().min(1),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().optional(),
});

const service = z.strictObject({
  versions: z.array(version).min(1),
  initialVersion: z.string().optional(),
  initialReplicas: z.number().int().min(0).optional(),
  ports: z.strictObject({ from: z.number().int().min(1), to: z.number().int().max(65535) }),
  healthPath: z.string().optional(),
  endpoints: z.record(z.string(), z.string()).optional(),
  /** What outlives the service's processes (config versions, volume, locks, credentials). */
  dataDir: z.string().optional(),
});

const ms = z.number().int().positive();
/** Overrides of the adapter's waits (LocalProcessTimings), in milliseconds. */
const timings = z.strictObject({
  startupTimeoutMs: ms.optional(),
  healthTimeoutMs: ms.optional(),
  stopGraceMs: ms.optional(),
  probeTimeoutMs: ms.optional(),
  pollIntervalMs: ms.optional(),
});

/** The executor's adapters: local processes and/or signed webhooks, and which targets go where. */
export const adaptersFileSchema = z.strictObject({
  localProcess: z
    .strictObject({
      services: z.record(z.string(), service),
      stateFile: z.string().optional(),
      timings: timings.optional(),
      // a Prometheus file_sd file the adapter rewrites as instances start and stop
      scrapeTargetsFile: z.string().optional(),
    })
    .optional(),
  webhook: z
    .strictObject({
      secret: z.string().min(16, 'a webhook secret must be at least 16 characters'),
      defaultUrl: z.url().optional(),
      urls: z.record(z.string(), z.url()).optional(),
      timeoutMs: z.number().int().positive().optional(),
    })
    .optional(),
  routes: z.record(z.string(), z.string()).optional(),
  defaultAdapter: z.string().optional(),
});

export interface LoadedAdapters {
  router: AdapterRouter;
  local?: LocalProcessAdapter;
}

/** Where the ledgers go: `dir`, one file per executor (its consumer group) and adapter. */
export interface LedgerPlace {
  dir: string;
  /** Executors of other environments on the same host keep their own keys. */
  owner: string;
}

/**
 * The adapters the file configures, each with a durable idempotency ledger
 * (`<dir>/<owner>.<adapter>.jsonl`), unless the local-process adapter names its own stateFile.
 */
export function loadAdapters(path: string, ledgers: LedgerPlace): LoadedAdapters {
  const ledgerFile = (adapter: string) => join(ledgers.dir, `${ledgers.owner}.${adapter}.jsonl`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `EXECUTOR_ADAPTERS_FILE ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = adaptersFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`EXECUTOR_ADAPTERS_FILE ${path} is not valid: ${issues}`);
  }
  const file = parsed.data;
  const adapters: ExecutionAdapter[] = [];
  const local = file.localProcess
    ? new LocalProcessAdapter({
        ...file.localProcess,
        stateFile: file.localProcess.stateFile ?? ledgerFile('local-process'),
        // beside the ledger: a restarted executor finds the processes the killed one left
        instancesFile: join(ledgers.dir, `${ledgers.owner}.local-process.instances.json`),
      })
    : undefined;
  if (local) adapters.push(local);
  if (file.webhook)
    adapters.push(new HttpWebhookAdapter({ ...file.webhook, ledgerFile: ledgerFile('webhook') }));
  if (adapters.length === 0)
    throw new Error(`EXECUTOR_ADAPTERS_FILE ${path} configures no adapter`);
  const router = new AdapterRouter({
    adapters,
    routes: file.routes,
    defaultAdapter: file.defaultAdapter ?? adapters[0].name,
  });
  return { router, local };
}
