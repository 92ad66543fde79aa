import { existsSync, readFileSync, rmSync } from 'node:fs';
import { stopContainers } from './docker-infra';
import { removeExecutorLedgerDir } from './executor-ledger';
import type { InfraEndpoints } from './infra-endpoints';
import { stopLocalInfra } from './infra-endpoints';
import { testEnvFile } from './project-root';

/** Stops only what the setup started; a developer's running infra is left alone. */
export default async function globalTeardown(): Promise<void> {
  if (!existsSync(testEnvFile)) return;
  const endpoints = JSON.parse(readFileSync(testEnvFile, 'utf8')) as InfraEndpoints & {
    executorLedgerDir?: string;
  };
  rmSync(testEnvFile);
  removeExecutorLedgerDir(endpoints.executorLedgerDir);
  if (!endpoints.startedByTests || process.env.VIGIL_KEEP_INFRA === '1') return;
  if (endpoints.provider === 'testcontainers') await stopContainers(endpoints.containerIds ?? []);
  if (endpoints.provider === 'local-launcher') stopLocalInfra();
}
