// Pinned versions, ports and folders of the local (no-Docker) infrastructure.
// Everything the launcher writes lives under <VIGIL_HOME or repo/.vigil>/infra, which git ignores.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfraError } from './errors.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// Kafka 4.x speaks only the protocol versions KIP-896 kept; kafkajs 2.2.4 still negotiates a
// supported version for every API it uses (see infra/local/README.md for the evidence).
// VIGIL_KAFKA_VERSION exists only to re-run that compatibility check against other versions.
export const KAFKA_VERSION = process.env.VIGIL_KAFKA_VERSION || '4.4.0';
// 5.26 is the Neo4j 5 LTS line and runs on Java 17 (2025.x needs Java 21).
export const NEO4J_VERSION = process.env.VIGIL_NEO4J_VERSION || '5.26.30';
// Pinned so the resolve step does not depend on Maven's built-in default plugin version.
export const DEPENDENCY_PLUGIN_VERSION = '3.8.1';

// Logging bindings that the Kafka pom leaves to the distribution tarball, by Kafka major.
// For 4.x they are listed as direct dependencies so their version wins over the one kafka-server
// brings in (api, core and the slf4j 1.7 bridge must agree); it is the version the pinned Kafka
// ships with (4.4.0: 2.25.5).
const KAFKA_LOG4J_VERSION = process.env.VIGIL_KAFKA_LOG4J_VERSION || '2.25.5';
export function kafkaLoggingDeps(kafkaMajor) {
  if (kafkaMajor < 4) {
    return [
      ['org.slf4j', 'slf4j-reload4j', '1.7.36'],
      ['ch.qos.reload4j', 'reload4j', '1.2.25'],
    ];
  }
  return ['log4j-api', 'log4j-core', 'log4j-slf4j-impl'].map((a) => [
    'org.apache.logging.log4j',
    a,
    KAFKA_LOG4J_VERSION,
  ]);
}

export const MIN_JAVA = 17;

/** A port number from the environment variable `name`, or `fallback` when it is unset or empty. */
export function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new InfraError(`${name}=${raw} is not a valid port number`);
  return n;
}

export function ports() {
  return {
    kafka: portFromEnv('KAFKA_PORT', 9092),
    kafkaController: portFromEnv('KAFKA_CONTROLLER_PORT', 9093),
    bolt: portFromEnv('NEO4J_BOLT_PORT', 7687),
    // 0 = HTTP off. The harness would otherwise pick a random HTTP port.
    http: process.env.NEO4J_HTTP_PORT ? portFromEnv('NEO4J_HTTP_PORT', 0) : 0,
  };
}

export function infraHome() {
  const vigilHome = process.env.VIGIL_HOME
    ? path.resolve(process.env.VIGIL_HOME)
    : path.join(REPO_ROOT, '.vigil');
  return path.join(vigilHome, 'infra');
}

/**
 * The folder of one running copy's own state (data, logs, pid). VIGIL_INFRA_INSTANCE names a
 * second copy beside the default one: the tests run theirs as `test` on other ports, so they never
 * write into the Kafka topics or Neo4j graph a demo uses. Resolved jars stay shared.
 */
export function instanceRoot(component) {
  const instance = infraInstance();
  if (!instance) return path.join(infraHome(), component);
  return path.join(infraHome(), 'instances', instance, component);
}

/** VIGIL_INFRA_INSTANCE, checked (it names folders and files), or '' for the default copy. */
export function infraInstance() {
  const instance = process.env.VIGIL_INFRA_INSTANCE ?? '';
  if (instance && !/^[a-z0-9-]+$/.test(instance))
    throw new InfraError(`VIGIL_INFRA_INSTANCE=${instance}: use lower-case letters, digits and -`);
  return instance;
}

export function kafkaPaths() {
  const root = instanceRoot('kafka');
  const shared = path.join(infraHome(), 'kafka');
  return {
    root,
    // Resolution and data are per version: a newer broker's metadata cannot be read by an older one.
    resolveDir: path.join(shared, `resolve-${KAFKA_VERSION}`),
    dataDir: path.join(root, `data-${KAFKA_VERSION}`),
    logsDir: path.join(root, 'logs'),
    pidFile: path.join(root, 'kafka.pid'),
    configFile: path.join(root, 'server.properties'),
  };
}

export function neo4jPaths() {
  const root = instanceRoot('neo4j');
  const shared = path.join(infraHome(), 'neo4j');
  return {
    root,
    resolveDir: path.join(shared, `resolve-${NEO4J_VERSION}`),
    classesDir: path.join(shared, `classes-${NEO4J_VERSION}`),
    dataDir: path.join(root, 'data'),
    logsDir: path.join(root, 'logs'),
    // The harness makes a throw-away home folder here on every start.
    runDir: path.join(root, 'run'),
    pidFile: path.join(root, 'neo4j.pid'),
    source: path.join(REPO_ROOT, 'infra', 'local', 'neo4j', 'VigilNeo4j.java'),
  };
}

export function timeoutMs() {
  return Number(process.env.VIGIL_INFRA_TIMEOUT_MS) || 180_000;
}
