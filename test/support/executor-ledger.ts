import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { processRuns } from '@vigil/executor-adapters';
import { TEST_INFRA_INSTANCE } from './infra-endpoints';
import { vigilHome } from './project-root';

/**
 * The tests' copy of the local infra (VIGIL_INFRA_INSTANCE=test, infra/local/lib/config.mjs):
 * what the tests keep of their own lives under it, beside its Kafka and Neo4j data.
 */
export const testInstanceDir = (): string =>
  resolve(vigilHome, 'infra', 'instances', TEST_INFRA_INSTANCE);

/** Where each run's executor ledgers go: one folder per run, `run-<start ms>-<pid>`. */
export const executorLedgerRoot = (): string => join(testInstanceDir(), 'executor-ledger');

const runFolder = /^run-\d+-(\d+)$/;

/**
 * A fresh folder for this run's executor idempotency ledgers (EXECUTOR_LEDGER_DIR): the
 * executors the suites start (executorApp, the closed loop's all-in-one) inherit it, so a test's
 * ledger never lands in the demo's `.vigil/executor-ledger` and no run sees another's applied
 * steps. The folders of runs whose process is gone (killed before their teardown) go first.
 */
export function newExecutorLedgerDir(): string {
  const root = executorLedgerRoot();
  mkdirSync(root, { recursive: true });
  for (const entry of readdirSync(root)) {
    const pid = runFolder.exec(entry)?.[1];
    if (pid && !processRuns(Number(pid)))
      rmSync(join(root, entry), { recursive: true, force: true });
  }
  const dir = join(root, `run-${Date.now()}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Removes a run's folder made by newExecutorLedgerDir, and nothing else. */
export function removeExecutorLedgerDir(dir: string | undefined): void {
  if (!dir || resolve(dir, '..') !== executorLedgerRoot()) return;
  if (!runFolder.test(dir.slice(executorLedgerRoot().length + 1))) return;
  rmSync(dir, { recursive: true, force: true });
}
