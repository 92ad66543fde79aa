import './register-paths';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { allTopics } from '@vigil/contracts';
import { createKafka, ensureTopics } from '@vigil/messaging';
import { dockerEngineAnswers, startContainers } from './docker-infra';
import { newExecutorLedgerDir } from './executor-ledger';
import globalTeardown from './global-teardown';
import { endpointsFromEnvironment, type InfraEndpoints, startLocalInfra } from './infra-endpoints';
import { testEnvFile } from './project-root';
import { stopOnSignal } from './stop-on-signal';

/** Endpoints in this order: given in the environment, else testcontainers, else the local launcher. */
async function resolveEndpoints(): Promise<InfraEndpoints> {
  const given = endpointsFromEnvironment(process.env);
  if (given) return given;
  if (await dockerEngineAnswers()) return startContainers();
  return startLocalInfra();
}

export default async function globalSetup(): Promise<void> {
  const endpoints = await resolveEndpoints();
  console.log(
    `\n[vigil tests] Kafka ${endpoints.kafkaBrokers}, Neo4j ${endpoints.neo4jUri} (${endpoints.provider})`,
  );
  // Test workers are forked after this and inherit the environment.
  process.env.KAFKA_BROKERS = endpoints.kafkaBrokers;
  process.env.NEO4J_URI = endpoints.neo4jUri;
  // Every executor a suite starts keeps its ledgers in this run's own folder under the tests'
  // instance, whatever EXECUTOR_LEDGER_DIR the shell exported (the default is the demo's).
  const executorLedgerDir = newExecutorLedgerDir();
  process.env.EXECUTOR_LEDGER_DIR = executorLedgerDir;
  console.log(`[vigil tests] executor ledgers: ${executorLedgerDir}`);
  mkdirSync(dirname(testEnvFile), { recursive: true });
  writeFileSync(testEnvFile, JSON.stringify({ ...endpoints, executorLedgerDir }, null, 2));
  // Jest tears down only a run that ends by itself; one stopped by Ctrl-C or kill does it here
  stopOnSignal(globalTeardown);

  const kafka = createKafka({
    brokers: endpoints.kafkaBrokers.split(','),
    clientId: 'vigil-test-setup',
  });
  await ensureTopics(kafka, allTopics);
}
