#!/usr/bin/env node
// Vigil's no-Docker launcher for real Apache Kafka (KRaft) and real Neo4j 5, both on the local JVM,
// and Prometheus and Alertmanager, built from the Go module proxy into .vigil/bin (go-tools.mjs).
//
//   node infra/local/launcher.mjs up|down|status [--only kafka|neo4j|prometheus|alertmanager[,...]] [--plaintext]
//   node infra/local/launcher.mjs status --json     the same report as JSON, for scripts
//   node infra/local/launcher.mjs env [--only ...]  NAME=value lines: where the apps reach them
//                                                   and the files a script needs (no process runs)
//
// VIGIL_INFRA_INSTANCE=<name> runs a second copy of everything with its own data, logs, pid files
// and configs (and the ports given in the environment): see lib/config.mjs, instanceRoot.
//
// Kafka runs with TLS, SCRAM and ACLs (docs/kafka-security.md); `--plaintext` (or
// VIGIL_KAFKA_SECURITY=plaintext) runs it open, for a developer who chooses that by name.
// `--secure` is still taken: it says the default out loud.
//
// Also importable (jest global setup): up({ only }), down({ only }), status({ only }), endpoints().
// See infra/local/README.md for ports, overrides and where logs and data live.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  KAFKA_VERSION,
  NEO4J_VERSION,
  infraHome,
  infraInstance,
  kafkaPaths,
  neo4jPaths,
  ports,
  timeoutMs,
} from './lib/config.mjs';
import { startKafka } from './lib/kafka.mjs';
import {
  applyKafkaAcls,
  clientEnv,
  kafkaSecurityFor,
  requestedKafkaSecurity,
  securedKafkaAnswers,
  securityPaths,
  startedKafkaSecurity,
} from './lib/kafka-security.mjs';
import { COMPOSE_SECURE_PORT, writeComposeSecureFiles } from './lib/kafka-compose-secure.mjs';
import {
  alertmanagerPaths,
  configMarker,
  httpReady,
  ingestTokenFile,
  monitoringPorts,
  prometheusPaths,
  prometheusTargetsDir,
  releaseOf,
  startAlertmanager,
  startPrometheus,
} from './lib/monitoring.mjs';
import { startNeo4j } from './lib/neo4j.mjs';
import { boltAnswers, kafkaAnswers } from './lib/probes.mjs';
import { ourPid, portBusy, rssMiB, sleep, stopPid } from './lib/proc.mjs';
import { InfraError, checkJava } from './lib/toolchain.mjs';

export { InfraError };

const COMPONENTS = {
  kafka: {
    version: () => KAFKA_VERSION,
    paths: kafkaPaths,
    port: () => ports().kafka,
    // The controller port must be free too, or the broker dies right after start.
    ownPorts: () => [
      ['KAFKA_PORT', ports().kafka],
      ['KAFKA_CONTROLLER_PORT', ports().kafkaController],
    ],
    answers: (timeout) =>
      kafkaSecurityFor(kafkaPaths().root) === 'sasl_ssl'
        ? securedKafkaAnswers(ports().kafka, timeout)
        : kafkaAnswers(ports().kafka, timeout),
    start: (jdk, log) => startKafka(jdk.java, log),
    logFiles: (p) => [path.join(p.logsDir, 'server.log'), path.join(p.logsDir, 'stdout.log')],
    // A KRaft broker shuts down in a few seconds; give it room before SIGKILL.
    graceMs: 30_000,
  },
  neo4j: {
    version: () => NEO4J_VERSION,
    paths: neo4jPaths,
    port: () => ports().bolt,
    ownPorts: () => [
      ['NEO4J_BOLT_PORT', ports().bolt],
      ...(ports().http ? [['NEO4J_HTTP_PORT', ports().http]] : []),
    ],
    answers: (timeout) => boltAnswers(ports().bolt, timeout),
    start: (jdk, log) => startNeo4j(jdk.java, jdk.javac, log),
    logFiles: (p) => [path.join(p.logsDir, 'stdout.log'), path.join(p.logsDir, 'debug.log')],
    graceMs: 30_000,
  },
  // Alertmanager first: Prometheus sends to it as soon as a rule fires.
  alertmanager: {
    version: () => releaseOf('alertmanager'),
    paths: alertmanagerPaths,
    port: () => monitoringPorts().alertmanager,
    ownPorts: () => [['ALERTMANAGER_PORT', monitoringPorts().alertmanager]],
    answers: (timeout) => httpReady(monitoringPorts().alertmanager, timeout),
    start: (_jdk, log) => startAlertmanager(log),
    logFiles: (p) => [path.join(p.logsDir, 'stdout.log')],
    marker: () => configMarker('alertmanager'),
    noJava: true,
    graceMs: 15_000,
  },
  prometheus: {
    version: () => releaseOf('prometheus'),
    paths: prometheusPaths,
    port: () => monitoringPorts().prometheus,
    ownPorts: () => [['PROMETHEUS_PORT', monitoringPorts().prometheus]],
    answers: (timeout) => httpReady(monitoringPorts().prometheus, timeout),
    start: (_jdk, log) => startPrometheus(log),
    logFiles: (p) => [path.join(p.logsDir, 'stdout.log')],
    marker: () => configMarker('prometheus'),
    noJava: true,
    // Prometheus writes its head block on shutdown.
    graceMs: 30_000,
  },
};

/** The pid of a component we started and that still runs, else null. */
function pidOf(name) {
  const c = COMPONENTS[name];
  return ourPid(c.paths().pidFile, name, c.marker?.());
}

const defaultLog = (msg) => console.log(`[vigil-infra] ${msg}`);

/** `--only` takes one component or a comma-separated list (e.g. kafka,neo4j). */
function selected(only) {
  if (!only) return Object.keys(COMPONENTS);
  const names = only.split(',').map((n) => n.trim());
  for (const name of names)
    if (!COMPONENTS[name])
      throw new InfraError(
        `unknown component "${name}" (expected ${Object.keys(COMPONENTS).join(', ')})`,
      );
  return Object.keys(COMPONENTS).filter((n) => names.includes(n));
}

function fileSize(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Where each log file ends now, so a failure report shows only what this start wrote. */
function logMarks(name) {
  const c = COMPONENTS[name];
  return Object.fromEntries(c.logFiles(c.paths()).map((f) => [f, fileSize(f)]));
}

function newLogLines(marks, lines = 20) {
  const parts = [];
  for (const [file, from] of Object.entries(marks)) {
    let text = '';
    try {
      const fd = fs.openSync(file, 'r');
      const size = fs.fstatSync(fd).size;
      const start = size < from ? 0 : from; // rotated since: read the new file from the top
      const buf = Buffer.alloc(Math.min(size - start, 256 * 1024));
      fs.readSync(fd, buf, 0, buf.length, Math.max(start, size - buf.length));
      fs.closeSync(fd);
      text = buf.toString('utf8').trimEnd();
    } catch {
      /* no such log yet */
    }
    parts.push(
      text
        ? `--- last lines of ${file}:\n${text.split('\n').slice(-lines).join('\n')}`
        : `--- ${file}: nothing new`,
    );
  }
  return parts.join('\n');
}

const OWN_INSTANCE_HINT = {
  kafka: ' (or point the apps at your own broker with KAFKA_BROKERS).',
  neo4j: ' (or point the apps at your own Neo4j with NEO4J_URI).',
  prometheus: ' (or point Vigil at your own Prometheus with PROMETHEUS_URL).',
  alertmanager: ' (or point your own Alertmanager at ingest, see infra/demo/alertmanager).',
};

async function checkPortsFree(name) {
  for (const [envName, port] of COMPONENTS[name].ownPorts()) {
    if (await portBusy(port)) {
      throw new InfraError(
        `${name}: port ${port} is already in use by a process this launcher did not start. ` +
          `Stop it, or run ours elsewhere with ${envName}=<free port>` +
          OWN_INSTANCE_HINT[name],
      );
    }
  }
}

/** Polls the protocol check until it answers; fails fast if the JVM died. */
async function waitUntilAnswering(name, deadline, marks) {
  const c = COMPONENTS[name];
  const p = c.paths();
  while (Date.now() < deadline) {
    if (!pidOf(name)) {
      throw new InfraError(`${name} exited during start-up.\n${newLogLines(marks)}`);
    }
    if (await c.answers(3000)) return;
    await sleep(1000);
  }
  const pid = pidOf(name);
  if (pid) await stopPid(pid, c.graceMs); // a half-started JVM would make the next `up` wait on it again
  throw new InfraError(
    `${name} did not answer on port ${c.port()} within ${Math.round(timeoutMs() / 1000)} s (VIGIL_INFRA_TIMEOUT_MS); stopped it.\n${newLogLines(marks)}`,
  );
}

function describe(name, extra = {}) {
  const c = COMPONENTS[name];
  const p = c.paths();
  const pid = pidOf(name);
  return {
    name,
    version: c.version(),
    pid,
    port: c.port(),
    running: pid !== null,
    rssMiB: pid ? rssMiB(pid) : null,
    logs: c.logFiles(p),
    ...extra,
  };
}

/**
 * Starts what is not running yet and waits until every selected component answers its protocol.
 * Resolves { ok: true, components: { kafka: {...}, neo4j: {...} } }; throws InfraError on failure.
 */
export async function up({ only, log = defaultLog } = {}) {
  const names = selected(only);
  // Prometheus and Alertmanager alone need no JDK.
  const jdk = names.every((n) => COMPONENTS[n].noJava) ? null : await checkJava();
  const action = {};
  const marks = {};
  // Start one after the other: two Maven runs filling the same ~/.m2 at once can corrupt it.
  for (const name of names) {
    const c = COMPONENTS[name];
    if (pidOf(name)) {
      if (name === 'kafka') checkKafkaMode();
      action[name] = 'already-running';
      log(`${name} is already running (pid ${pidOf(name)})`);
      continue;
    }
    await checkPortsFree(name);
    marks[name] = logMarks(name);
    const pid = await c.start(jdk, log);
    action[name] = 'started';
    log(`${name} ${c.version()} starting (pid ${pid}), waiting for port ${c.port()}`);
  }
  const deadline = Date.now() + timeoutMs();
  await Promise.all(
    names.map((name) => waitUntilAnswering(name, deadline, marks[name] ?? logMarks(name))),
  );
  if (names.includes('kafka') && requestedKafkaSecurity() === 'sasl_ssl')
    await applyKafkaAcls(ports().kafka, log);
  const components = {};
  for (const name of names) {
    components[name] = describe(name, { answering: true, action: action[name] });
    log(`${name} answers on 127.0.0.1:${components[name].port}`);
  }
  return {
    ok: true,
    home: infraHome(),
    instance: infraInstance() || null,
    env: endpoints(names),
    components,
  };
}

/**
 * What the apps and tests read to reach them (docs/ARCHITECTURE.md): KAFKA_BROKERS, NEO4J_URI,
 * and PROMETHEUS_URL, ALERTMANAGER_URL.
 */
export function endpoints(names = Object.keys(COMPONENTS)) {
  const env = {};
  if (names.includes('kafka')) env.KAFKA_BROKERS = `127.0.0.1:${ports().kafka}`;
  // Secured: TLS and the mechanism; each service adds its own user (docs/kafka-security.md).
  if (names.includes('kafka') && kafkaSecurityFor(kafkaPaths().root) === 'sasl_ssl')
    Object.assign(env, clientEnv());
  if (names.includes('neo4j')) env.NEO4J_URI = `bolt://127.0.0.1:${ports().bolt}`;
  if (names.includes('prometheus'))
    env.PROMETHEUS_URL = `http://127.0.0.1:${monitoringPorts().prometheus}`;
  if (names.includes('alertmanager'))
    env.ALERTMANAGER_URL = `http://127.0.0.1:${monitoringPorts().alertmanager}`;
  return env;
}

/**
 * endpoints() and the files a script around the apps needs, per component: the folder of the
 * Prometheus file_sd files (PROMETHEUS_TARGETS_DIR, where the executor writes the shop's targets),
 * the token file Alertmanager presents to ingest (ALERTMANAGER_INGEST_TOKEN_FILE) and, secured,
 * the Kafka certificates and users' passwords (KAFKA_SECRETS_DIR). All for this VIGIL_HOME,
 * VIGIL_INFRA_INSTANCE and these ports; nothing needs to run.
 */
export function infraEnv(names = Object.keys(COMPONENTS)) {
  const env = endpoints(names);
  if (names.includes('kafka') && env.KAFKA_SSL) env.KAFKA_SECRETS_DIR = securityPaths().dir;
  if (names.includes('prometheus')) env.PROMETHEUS_TARGETS_DIR = prometheusTargetsDir();
  if (names.includes('alertmanager')) env.ALERTMANAGER_INGEST_TOKEN_FILE = ingestTokenFile();
  return env;
}

/** A running broker in the other mode would be reported as up, yet refuse every client. */
function checkKafkaMode() {
  const running = startedKafkaSecurity(kafkaPaths().root) ?? 'plaintext';
  const wanted = requestedKafkaSecurity();
  if (running !== wanted)
    throw new InfraError(
      `kafka is running in ${running} mode, not ${wanted}: stop it first (launcher.mjs down --only kafka)`,
    );
}

/** Stops what this launcher started (SIGTERM, then SIGKILL after a grace period). Idempotent. */
export async function down({ only, log = defaultLog } = {}) {
  // All shut down at the same time: their grace periods need not add up.
  const results = await Promise.all(selected(only).map((name) => stopOne(name, log)));
  const components = Object.fromEntries(results.map((r) => [r.name, r]));
  const ok = results.every((r) => r.action !== 'still-running');
  return { ok, components };
}

async function stopOne(name, log) {
  const c = COMPONENTS[name];
  const p = c.paths();
  const pid = pidOf(name);
  if (!pid) {
    fs.rmSync(p.pidFile, { force: true });
    log(`${name} is not running`);
    return { name, pid: null, action: 'not-running' };
  }
  log(`stopping ${name} (pid ${pid})`);
  const gone = await stopPid(pid, c.graceMs);
  if (gone) fs.rmSync(p.pidFile, { force: true });
  else log(`${name} (pid ${pid}) did not stop, even after SIGKILL`);
  return { name, pid, action: gone ? 'stopped' : 'still-running' };
}

/** Reports each component: running, pid, port, answering. ok is true when all selected answer. */
export async function status({ only } = {}) {
  const components = {};
  for (const name of selected(only)) {
    const base = describe(name);
    components[name] = {
      ...base,
      answering: base.running ? await COMPONENTS[name].answers(3000) : false,
    };
  }
  const ok = Object.values(components).every((r) => r.running && r.answering);
  return { ok, home: infraHome(), instance: infraInstance() || null, components };
}

function printStatus(result) {
  for (const r of Object.values(result.components)) {
    const state = r.running ? `running  pid ${r.pid}` : 'stopped';
    const rss = r.rssMiB ? `  rss ${r.rssMiB} MiB` : '';
    console.log(
      `${r.name.padEnd(12)} ${r.version.padEnd(8)} ${state.padEnd(18)} 127.0.0.1:${r.port}  answering: ${r.answering ? 'yes' : 'no'}${rss}`,
    );
  }
  const where = result.instance
    ? ` (instance ${result.instance}: instances/${result.instance}/)`
    : '';
  console.log(`logs and data: ${result.home}${where}`);
}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  let only;
  let port;
  let json = false;
  const security = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--only') only = rest[++i];
    else if (rest[i] === '--port') port = Number(rest[++i]);
    else if (rest[i].startsWith('--only=')) only = rest[i].slice('--only='.length);
    else if (rest[i] === '--secure') security.push('sasl_ssl');
    else if (rest[i] === '--plaintext') security.push('plaintext');
    else if (rest[i] === '--json' && command === 'status') json = true;
    else throw new InfraError(`unknown argument ${rest[i]}`);
  }
  if (new Set(security).size > 1) throw new InfraError('--secure and --plaintext: choose one');
  if (security[0]) process.env.VIGIL_KAFKA_SECURITY = security[0];
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new InfraError('--port takes a port number');
  return { command, only, port, json };
}

async function main(argv) {
  const { command, only, port, json } = parseArgs(argv);
  // The secured broker of docker-compose (profile `secure`): its files, then its ACLs once it runs.
  if (command === 'compose-secrets') {
    await writeComposeSecureFiles(defaultLog);
    return 0;
  }
  if (command === 'acls') {
    await applyKafkaAcls(port ?? COMPOSE_SECURE_PORT, defaultLog, securityPaths(), 'localhost');
    return 0;
  }
  if (command === 'up') {
    await up({ only });
    return 0;
  }
  if (command === 'down') return (await down({ only })).ok ? 0 : 1;
  if (command === 'status') {
    const result = await status({ only });
    if (json) console.log(JSON.stringify(result, null, 2));
    else printStatus(result);
    return result.ok ? 0 : 3;
  }
  if (command === 'env') {
    // One NAME=value a line, unquoted (paths with a newline are not supported).
    for (const [name, value] of Object.entries(infraEnv(selected(only))))
      console.log(`${name}=${value}`);
    return 0;
  }
  console.error(
    'usage: node infra/local/launcher.mjs up|down|status [--only kafka|neo4j|prometheus|alertmanager[,...]] [--plaintext]\n' +
      '       node infra/local/launcher.mjs status --json | env [--only ...]   (for scripts: the report as JSON; NAME=value lines)\n' +
      '       node infra/local/launcher.mjs compose-secrets | acls [--port 9094]   (the secured Kafka of docker-compose)',
  );
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`[vigil-infra] ${err instanceof InfraError ? err.message : err.stack}`);
      process.exit(1);
    },
  );
}
