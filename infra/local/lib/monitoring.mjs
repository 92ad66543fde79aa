// Prometheus and Alertmanager, built from the Go module proxy (../go-tools.mjs) and run detached
// with the demo configs of infra/demo/{prometheus,alertmanager}, rendered into the instance's
// folder: .vigil/infra/<name>, or .vigil/infra/instances/<instance>/<name> for a second copy
// (VIGIL_INFRA_INSTANCE), as Kafka and Neo4j. The binaries in .vigil/bin are shared.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { REPO_ROOT, infraHome, infraInstance, instanceRoot, portFromEnv } from './config.mjs';
import { InfraError } from './errors.mjs';
import { spawnDetached } from './proc.mjs';
import { GO_TOOLS, binDir, ensureGoTools } from '../go-tools.mjs';

/**
 * Read from the environment when a command runs, as Kafka's and Neo4j's are: a second copy
 * (VIGIL_INFRA_INSTANCE) is given its own ports the same way, or `up` says the port is taken.
 */
export function monitoringPorts() {
  return {
    prometheus: portFromEnv('PROMETHEUS_PORT', 9090),
    // Not Alertmanager's own default 9093: that is the local Kafka controller's port.
    alertmanager: portFromEnv('ALERTMANAGER_PORT', 9095),
    ingest: portFromEnv('INGEST_PORT', 3101),
  };
}

const componentPaths = (name) => {
  const root = instanceRoot(name);
  return {
    root,
    configDir: path.join(root, 'config'),
    configFile: path.join(root, 'config', `${name}.yml`),
    dataDir: path.join(root, 'data'),
    logsDir: path.join(root, 'logs'),
    pidFile: path.join(root, `${name}.pid`),
  };
};
export const prometheusPaths = () => componentPaths('prometheus');
export const alertmanagerPaths = () => componentPaths('alertmanager');

/**
 * Where the demo-shop job's file_sd files live: outside config/ (rewritten at every start), so the
 * file the executor keeps (localProcess.scrapeTargetsFile, e.g. shop.json here) survives restarts.
 */
export const prometheusTargetsDir = () => path.join(prometheusPaths().root, 'targets');

/**
 * Alertmanager reads the bearer token from here; docker-compose.yml mounts the same folder. A
 * second copy (VIGIL_INFRA_INSTANCE) has its own file (ingest-token-<instance>), so its token
 * never replaces the one the default copy's Alertmanager presents.
 */
export function ingestTokenFile() {
  const instance = infraInstance();
  const file = instance ? `ingest-token-${instance}` : 'ingest-token';
  return path.join(path.dirname(infraHome()), 'secrets', file);
}

/**
 * The token Alertmanager presents to ingest: VIGIL_INGEST_TOKEN, else the first of ingest's own
 * INGEST_TOKENS, else the one written before, else a new one (ingest must then be given it).
 */
function ensureIngestToken(log) {
  const file = ingestTokenFile();
  const fromEnv =
    process.env.VIGIL_INGEST_TOKEN || (process.env.INGEST_TOKENS ?? '').split(',')[0].trim();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (fromEnv) {
    fs.writeFileSync(file, fromEnv, { mode: 0o600 });
    return;
  }
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim()) return;
  fs.writeFileSync(file, randomBytes(24).toString('hex'), { mode: 0o600 });
  log(`wrote a new ingest token to ${file}: start ingest with INGEST_TOKENS="$(cat ${file})"`);
}

/** Replaces each [from, to] once at least; a config that no longer has `from` is a bug here. */
function substitute(text, file, pairs) {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from))
      throw new InfraError(`${file} no longer contains "${from}", which the launcher replaces`);
    out = out.split(from).join(to);
  }
  return out;
}

function renderPrometheusConfig(p) {
  const src = path.join(REPO_ROOT, 'infra', 'demo', 'prometheus');
  const ports = monitoringPorts();
  fs.rmSync(p.configDir, { recursive: true, force: true });
  fs.mkdirSync(p.configDir, { recursive: true });
  for (const file of fs.readdirSync(src)) {
    if (!file.endsWith('.yml') || file.endsWith('.test.yml')) continue;
    let text = fs.readFileSync(path.join(src, file), 'utf8');
    if (file === 'prometheus.yml') {
      fs.mkdirSync(prometheusTargetsDir(), { recursive: true });
      text = substitute(text, file, [
        ["'targets/*.json'", `'${path.join(prometheusTargetsDir(), '*.json')}'`],
        ["'127.0.0.1:9095'", `'127.0.0.1:${ports.alertmanager}'`],
        ["'127.0.0.1:9090'", `'127.0.0.1:${ports.prometheus}'`],
      ]);
    }
    fs.writeFileSync(path.join(p.configDir, file), text);
  }
}

function renderAlertmanagerConfig(p) {
  const src = path.join(REPO_ROOT, 'infra', 'demo', 'alertmanager', 'alertmanager.yml');
  const text = substitute(fs.readFileSync(src, 'utf8'), 'alertmanager.yml', [
    ['/etc/alertmanager/secrets/ingest-token', ingestTokenFile()],
    ['http://127.0.0.1:3101/', `http://127.0.0.1:${monitoringPorts().ingest}/`],
  ]);
  fs.rmSync(p.configDir, { recursive: true, force: true });
  fs.mkdirSync(p.configDir, { recursive: true });
  fs.writeFileSync(p.configFile, text);
}

function start(name, args, p) {
  fs.mkdirSync(p.dataDir, { recursive: true });
  fs.mkdirSync(p.logsDir, { recursive: true });
  return spawnDetached(path.join(binDir(), name), args, {
    logFile: path.join(p.logsDir, 'stdout.log'),
    pidFile: p.pidFile,
    cwd: p.root,
    env: process.env,
  });
}

export async function startPrometheus(log) {
  await ensureGoTools({ only: 'prometheus', log });
  const p = prometheusPaths();
  renderPrometheusConfig(p);
  return start(
    'prometheus',
    [
      `--config.file=${p.configFile}`,
      `--storage.tsdb.path=${p.dataDir}`,
      '--storage.tsdb.retention.time=3d',
      `--web.listen-address=127.0.0.1:${monitoringPorts().prometheus}`,
    ],
    p,
  );
}

export async function startAlertmanager(log) {
  await ensureGoTools({ only: 'alertmanager', log });
  ensureIngestToken(log);
  const p = alertmanagerPaths();
  renderAlertmanagerConfig(p);
  return start(
    'alertmanager',
    [
      `--config.file=${p.configFile}`,
      `--storage.path=${p.dataDir}`,
      `--web.listen-address=127.0.0.1:${monitoringPorts().alertmanager}`,
      // One instance: no gossip cluster (it would also take port 9094).
      '--cluster.listen-address=',
    ],
    p,
  );
}

/** Both answer GET /-/ready with 200 once their config is loaded and they serve. */
export function httpReady(port, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/-/ready', timeout: timeoutMs },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

/** What marks a process as ours: its --config.file under this VIGIL_HOME and instance. */
export const configMarker = (name) => `--config.file=${componentPaths(name).configFile}`;

export const releaseOf = (name) => GO_TOOLS[name].release;
