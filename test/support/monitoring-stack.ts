import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { projectRoot, vigilHome } from './project-root';
import { waitFor } from './wait-for';

/**
 * Real Prometheus and Alertmanager for a test, from the demo's committed configs
 * (infra/demo/prometheus, infra/demo/alertmanager) with only what a test must change: shorter
 * scrape and evaluation intervals, its own ports, data folders and scrape targets folder, the
 * ingest it posts to, and the run's service-name prefix. The rules themselves are copied as they
 * are, so the committed rules are what the test runs.
 */
export interface MonitoringStackOptions {
  /** A fresh folder of the test's: configs, data and logs go under it. */
  dir: string;
  /** Where the demo-shop job's file_sd files are (the executor's scrapeTargetsFile goes there). */
  targetsDir: string;
  /** Ingest's Alertmanager receiver and a token it accepts. */
  ingestUrl: string;
  ingestToken: string;
  /** Scrape, rule evaluation and scrape timeout, in seconds (the demo's are 5). */
  intervalS: number;
  /**
   * The run's prefix of shop service names (as in the topology): taken off the `service` label at
   * scrape, so the rules see the shop's own names, and put back on the alerts Prometheus sends.
   */
  servicePrefix: string;
  /**
   * Prometheus's port, when whoever starts before the stack must know its URL (RCA's
   * RCA_PROMETHEUS_URL); a free port otherwise.
   */
  prometheusPort?: number;
  /**
   * Also append each process's output to `<logPrefix>prometheus.log` and
   * `<logPrefix>alertmanager.log`: what a long run (a benchmark) leaves to read afterwards.
   */
  logPrefix?: string;
}

/**
 * The label that keeps the topology's own id of a shop service (with the run's prefix) on every
 * series, since `service` loses the prefix at scrape: RCA maps series to entities by it
 * (RCA_PROMETHEUS_SERVICE_LABEL), as a deployment whose labels differ from its topology's ids
 * would. Dropped from the alerts, which carry the prefixed `service` again.
 */
export const topologyIdLabel = 'vigil_entity';

export interface MonitoringStack {
  prometheusUrl: string;
  alertmanagerUrl: string;
  /** Both processes' output, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

const bin = (name: string) => join(vigilHome, 'bin', name);
const demoDir = join(projectRoot, 'infra', 'demo');

/** Fails at once, saying how to get them, when the pinned binaries are not built. */
export function requireMonitoringBinaries(): void {
  const missing = ['prometheus', 'promtool', 'alertmanager', 'amtool'].filter(
    (b) => !existsSync(bin(b)),
  );
  if (missing.length > 0)
    throw new Error(
      `${missing.join(', ')} not found in ${join(vigilHome, 'bin')}: build them with ` +
        '`node infra/local/go-tools.mjs` (infra/test.sh, `npm test`, does it before jest; the ' +
        'first build takes minutes, later runs seconds)',
    );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The first of `from`, `from + step`, ... (`tries` of them) from which `size` ports in a row are
 * free: a fixed layout of ports (Vigil's, the shop's) that still steps aside for another run of
 * the same test on this machine.
 */
export async function freePortBlock(
  from: number,
  size: number,
  step: number,
  tries = 10,
): Promise<number> {
  for (let i = 0; i < tries; i++) {
    const start = from + i * step;
    let free = true;
    for (let port = start; port < start + size && free; port++) free = await portIsFree(port);
    if (free) return start;
  }
  throw new Error(`no ${size} free ports in a row from ${from} (${tries} tries, step ${step})`);
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Yaml = Record<string, unknown>;
const yamlFile = (path: string) => parse(readFileSync(path, 'utf8')) as Yaml;

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the committed config has no ${what} any more`);
  return value;
}

/** shop-alert-rules.yml with each group evaluated every `intervalS`; rules untouched. */
export function testRules(intervalS: number): Yaml {
  const rules = yamlFile(join(demoDir, 'prometheus', 'shop-alert-rules.yml'));
  const groups = must(rules['groups'] as Yaml[] | undefined, 'rule groups');
  for (const group of groups) group['interval'] = `${intervalS}s`;
  return rules;
}

interface PrometheusPlaces {
  rulesFile: string;
  targetsDir: string;
  prometheusPort: number;
  alertmanagerPort: number;
}

/** infra/demo/prometheus/prometheus.yml for a test run (see MonitoringStackOptions). */
export function testPrometheusConfig(
  options: Pick<MonitoringStackOptions, 'intervalS' | 'servicePrefix'>,
  places: PrometheusPlaces,
): Yaml {
  const config = yamlFile(join(demoDir, 'prometheus', 'prometheus.yml'));
  const global = must(config['global'] as Yaml | undefined, 'global section');
  for (const key of ['scrape_interval', 'scrape_timeout', 'evaluation_interval'])
    global[key] = `${options.intervalS}s`;
  config['rule_files'] = [places.rulesFile];
  const alerting = must(config['alerting'] as Yaml | undefined, 'alerting section');
  const [alertmanagers] = must(alerting['alertmanagers'] as Yaml[] | undefined, 'alertmanagers');
  alertmanagers['static_configs'] = [{ targets: [`127.0.0.1:${places.alertmanagerPort}`] }];
  const jobs = must(config['scrape_configs'] as Yaml[] | undefined, 'scrape_configs');
  const shop = must(
    jobs.find((j) => j['job_name'] === 'demo-shop'),
    'demo-shop job',
  );
  const self = must(
    jobs.find((j) => j['job_name'] === 'prometheus'),
    'prometheus job',
  );
  must(shop['file_sd_configs'], 'file_sd_configs in the demo-shop job');
  shop['file_sd_configs'] = [{ files: [join(places.targetsDir, '*.json')] }];
  self['static_configs'] = [{ targets: [`127.0.0.1:${places.prometheusPort}`] }];
  // the id first, while `service` still has the prefix
  shop['relabel_configs'] = [{ source_labels: ['service'], target_label: topologyIdLabel }];
  alerting['alert_relabel_configs'] = [{ action: 'labeldrop', regex: topologyIdLabel }];
  if (options.servicePrefix) {
    (shop['relabel_configs'] as Yaml[]).push({
      source_labels: ['service'],
      regex: `${escapeRegex(options.servicePrefix)}(.+)`,
      target_label: 'service',
      replacement: '$1',
    });
    (alerting['alert_relabel_configs'] as Yaml[]).unshift({
      source_labels: ['service'],
      regex: '(.+)',
      target_label: 'service',
      replacement: `${options.servicePrefix}$1`,
    });
  }
  return config;
}

/** infra/demo/alertmanager/alertmanager.yml posting to the test's ingest with its token. */
export function testAlertmanagerConfig(ingestUrl: string, tokenFile: string): Yaml {
  const config = yamlFile(join(demoDir, 'alertmanager', 'alertmanager.yml'));
  const receivers = must(config['receivers'] as Yaml[] | undefined, 'receivers');
  const [webhook] = must(
    receivers.find((r) => r['name'] === 'vigil')?.['webhook_configs'] as Yaml[] | undefined,
    'webhook of the vigil receiver',
  );
  webhook['url'] = ingestUrl;
  const http = must(webhook['http_config'] as Yaml | undefined, 'http_config of the webhook');
  const authorization = must(http['authorization'] as Yaml | undefined, 'webhook authorization');
  authorization['credentials_file'] = tokenFile;
  return config;
}

function check(tool: string, args: string[]): void {
  const r = spawnSync(bin(tool), args, { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`${tool} ${args.join(' ')} failed:\n${r.stdout ?? ''}${r.stderr ?? ''}`);
}

interface Running {
  child: ChildProcess;
  output: string[];
}

function run(name: string, args: string[], cwd: string, logPrefix?: string): Running {
  const child = spawn(bin(name), args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const logFile = logPrefix && `${logPrefix}${name}.log`;
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 400) output.splice(0, output.length - 400);
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // never outlives a bench (plain node) that exits without stop(); under jest the process's exit
  // is not this one's, and a test's afterAll stops the stack
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return { child, output };
}

async function stopProcess({ child }: Running): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function ready(name: string, url: string, running: Running): Promise<void> {
  await waitFor(
    `${name} to answer ${url}/-/ready`,
    async () => {
      if (running.child.exitCode !== null)
        throw new Error(
          `${name} exited with ${running.child.exitCode}:\n${running.output.join('')}`,
        );
      const response = await fetch(`${url}/-/ready`).catch(() => undefined);
      return response?.ok === true;
    },
    60_000,
    250,
  );
}

/** Starts Alertmanager, then Prometheus; resolves once both answer ready. */
export async function startMonitoringStack(
  options: MonitoringStackOptions,
): Promise<MonitoringStack> {
  requireMonitoringBinaries();
  const dir = (name: string) => {
    const path = join(options.dir, name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const prometheusPort = options.prometheusPort ?? (await freePort());
  const alertmanagerPort = await freePort();
  const tokenFile = join(dir('secrets'), 'ingest-token');
  writeFileSync(tokenFile, options.ingestToken, { mode: 0o600 });
  const amConfig = join(dir('alertmanager'), 'alertmanager.yml');
  writeFileSync(amConfig, stringify(testAlertmanagerConfig(options.ingestUrl, tokenFile)));
  const rulesFile = join(dir('prometheus'), 'shop-alert-rules.yml');
  writeFileSync(rulesFile, stringify(testRules(options.intervalS)));
  const promConfig = join(dir('prometheus'), 'prometheus.yml');
  const places = { rulesFile, targetsDir: options.targetsDir, prometheusPort, alertmanagerPort };
  writeFileSync(promConfig, stringify(testPrometheusConfig(options, places)));
  // a config the binaries would refuse fails here with their own words
  check('amtool', ['check-config', amConfig]);
  check('promtool', ['check', 'config', promConfig]);

  const alertmanagerUrl = `http://127.0.0.1:${alertmanagerPort}`;
  const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
  const alertmanager = run(
    'alertmanager',
    [
      `--config.file=${amConfig}`,
      `--storage.path=${dir('alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
      '--cluster.listen-address=',
    ],
    options.dir,
    options.logPrefix,
  );
  const started: Running[] = [alertmanager];
  const stop = async () => {
    // Prometheus first: nothing new reaches Alertmanager while it stops
    for (const one of [...started].reverse()) await stopProcess(one);
  };
  try {
    await ready('alertmanager', alertmanagerUrl, alertmanager);
    const prometheus = run(
      'prometheus',
      [
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${dir('prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
      ],
      options.dir,
      options.logPrefix,
    );
    started.push(prometheus);
    await ready('prometheus', prometheusUrl, prometheus);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    prometheusUrl,
    alertmanagerUrl,
    output: () => started.map((s) => s.output.join('')).join('\n'),
    stop,
  };
}

/** One alert as Prometheus's /api/v1/alerts lists it. */
export interface PrometheusAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

export async function prometheusAlerts(stack: MonitoringStack): Promise<PrometheusAlert[]> {
  const response = await fetch(`${stack.prometheusUrl}/api/v1/alerts`);
  const body = (await response.json()) as { data: { alerts: PrometheusAlert[] } };
  return body.data.alerts;
}

/** The active scrape targets of a job: labels after relabelling, and health. */
export async function scrapeTargets(
  stack: MonitoringStack,
  job: string,
): Promise<{ labels: Record<string, string>; health: string }[]> {
  const response = await fetch(`${stack.prometheusUrl}/api/v1/targets?state=active`);
  const body = (await response.json()) as {
    data: { activeTargets: { labels: Record<string, string>; health: string }[] };
  };
  return body.data.activeTargets.filter((t) => t.labels['job'] === job);
}
