/**
 * Start-up of Vigil's services, compiled (`node dist/...`, what users run) against ts-node (what
 * development runs): seconds from spawn to a 2xx from /healthz, and resident memory then (and its
 * peak). Each service is started --repeat times in each mode, one process at a time, and the
 * medians go to bench/results/startup.json. Needs Kafka and Neo4j (KAFKA_BROKERS, NEO4J_URI, else
 * the local launcher) and the build (`npm run bench:startup` compiles first).
 *
 *   npm run bench:startup [-- --repeat 3] [--port-base 3960] [--only ingest,console]
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { hashPassword } from '@vigil/access';
import { serviceAllocatorEnv } from '@vigil/config';
import { createKafka, kafkaEnvSchema, kafkaSettingsFromEnv } from '@vigil/messaging';
import { startGroupAtEnd } from '../test/support/group-offsets';
import {
  medianFigures,
  startupTarget,
  startupVerdict,
  type ServiceStartup,
  type StartupResults,
  type StartupSample,
} from './startup-figures';
import {
  notifierNoRoutes,
  startArgs,
  startupServices,
  type StartMode,
  type StartupService,
} from './startup-services';
import { ensureInfra } from './support/local-infra';
import { privateMemoryMiB, processMemoryMiB } from './support/process-memory';

const root = join(__dirname, '..');
const readyTimeoutMs = 120_000;
const stopGraceMs = 10_000;
const nestStarting = 'Starting Nest application';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** User and system CPU seconds of a process so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the fields after the command name in brackets, from the third (state) on
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
    (response) => response.ok,
    () => false,
  );

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
  await exited;
  clearTimeout(timer);
}

let kafka: Kafka | undefined;
const benchKafka = () =>
  (kafka ??= createKafka(kafkaSettingsFromEnv(kafkaEnvSchema.parse(process.env), 'bench-startup')));

/** The service's groups that must start at the end of their topics, committed there (untimed). */
async function groupsAtEnd(service: StartupService): Promise<void> {
  for (const { group, topics } of service.groupsAtEnd ?? [])
    await startGroupAtEnd(benchKafka(), group, topics);
}

/** The topics of this run's name (signals's OTLP topics): made for this run alone. */
async function deleteRunTopics(runId: string): Promise<void> {
  const prefix = `bench-startup-${runId}-`;
  const admin = benchKafka().admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } catch (error) {
    process.stderr.write(
      `bench:startup: could not delete the topics ${prefix}*: ${(error as Error).message}\n`,
    );
  } finally {
    await admin.disconnect();
  }
}

/** One start: spawn, poll /healthz, read the memory the moment it answers, stop. */
async function startOnce(service: StartupService, mode: StartMode): Promise<StartupSample> {
  if (await answers(service.healthUrl))
    throw new Error(`${service.healthUrl} answers before ${service.name} started: use --port-base`);
  await groupsAtEnd(service);
  const started = performance.now();
  const child = spawn(process.execPath, startArgs(root, service.main, mode), {
    cwd: root,
    // info: the line Nest writes as it starts the app marks the end of module loading; the
    // allocator as every start of the service has it, in both modes
    env: {
      ...process.env,
      ...serviceAllocatorEnv(service.name),
      LOG_LEVEL: 'info',
      ...service.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // a bench stopped mid-start (Ctrl-C ends it through process.exit) leaves no service behind
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let tail = '';
  let loadedS: number | undefined;
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4_000);
    if (loadedS === undefined && tail.includes(nestStarting))
      loadedS = (performance.now() - started) / 1000;
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    while (!(await answers(service.healthUrl))) {
      if (child.exitCode !== null)
        throw new Error(`${service.name} (${mode}) exited with ${child.exitCode}:\n${tail}`);
      if (performance.now() - started > readyTimeoutMs)
        throw new Error(
          `${service.name} (${mode}) not ready in ${readyTimeoutMs / 1000} s:\n${tail}`,
        );
      await sleep(25);
    }
    const readyS = (performance.now() - started) / 1000;
    const memory = processMemoryMiB(child.pid ?? 0);
    const privateMiB = privateMemoryMiB(child.pid ?? 0);
    const cpuS = cpuSeconds(child.pid ?? 0);
    return {
      loadedS: loadedS ?? readyS,
      readyS,
      cpuS,
      rssMiB: memory.rss,
      peakRssMiB: memory.peak,
      ...(privateMiB !== undefined && { privateMiB }),
    };
  } finally {
    await stop(child);
  }
}

/** The service's starts, the two modes taking turns so a busy moment hits both alike. */
async function measure(service: StartupService, repeat: number): Promise<ServiceStartup> {
  const samples: Record<StartMode, StartupSample[]> = { compiled: [], 'ts-node': [] };
  for (let i = 0; i < repeat; i++) {
    for (const mode of ['compiled', 'ts-node'] as const) {
      const sample = await startOnce(service, mode);
      samples[mode].push(sample);
      process.stdout.write(
        `${service.name.padEnd(11)} ${mode.padEnd(8)} loaded in ${sample.loadedS.toFixed(2)} s, ` +
          `ready in ${sample.readyS.toFixed(2)} s (CPU ${sample.cpuS.toFixed(2)} s), ` +
          `RSS ${sample.rssMiB} MiB (peak ${sample.peakRssMiB}, private ${sample.privateMiB ?? '?'})\n`,
      );
    }
  }
  return {
    name: service.name,
    compiled: medianFigures(samples.compiled),
    tsNode: medianFigures(samples['ts-node']),
  };
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist', 'apps', 'ingest', 'src', 'main.js')))
    throw new Error('no build in dist/: run `npm run build` (npm run bench:startup builds first)');
  ensureInfra();
  const runId = Date.now().toString(36);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-startup-'));
  const adaptersFile = join(dir, 'adapters.json');
  // an adapter with no service: the executor starts, and no plan is its to act on
  writeFileSync(adaptersFile, '{ "localProcess": { "services": {} } }\n');
  const usersFile = join(dir, 'console-users.json');
  const passwordHash = await hashPassword(randomBytes(18).toString('base64url'));
  writeFileSync(
    usersFile,
    JSON.stringify({ users: [{ username: 'bench', passwordHash, role: 'viewer' }] }),
  );
  const notifierRoutesFile = join(dir, 'notifier-routes.json');
  writeFileSync(notifierRoutesFile, notifierNoRoutes());
  const only = arg('only', '').split(',').filter(Boolean);
  const services = startupServices({
    runId,
    portBase: Number(arg('port-base', '3960')),
    adaptersFile,
    ledgerDir: join(dir, 'ledger'),
    usersFile,
    notifierRoutesFile,
    notifierLedgerDir: join(dir, 'notifier'),
  }).filter((s) => only.length === 0 || only.includes(s.name));
  const repeat = Number(arg('repeat', '3'));
  const loadAtStart = loadavg()[0];

  const measured: ServiceStartup[] = [];
  try {
    for (const service of services) measured.push(await measure(service, repeat));
  } finally {
    if (services.some((s) => s.groupsAtEnd)) await deleteRunTopics(runId);
  }
  const results: StartupResults = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    cpus: cpus().length,
    loadAverage: Number(loadAtStart.toFixed(1)),
    target: startupTarget,
    services: measured,
    met: startupVerdict(measured, startupTarget),
  };
  report(results);
  if (only.length === 0) {
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(
      join(root, 'bench', 'results', 'startup.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    process.stdout.write('written to bench/results/startup.json\n');
  }
}

function report(results: StartupResults): void {
  const pair = (a: number, b: number, unit: string) =>
    `${a.toFixed(unit === 's' ? 2 : 0).padStart(6)} / ${b.toFixed(unit === 's' ? 2 : 0).padStart(6)} ${unit}`;
  process.stdout.write(
    `\nmedians of compiled / ts-node (load average ${results.loadAverage} on ${results.cpus} cores)\n` +
      'service      loaded               ready                CPU to ready         RSS                  private\n',
  );
  for (const s of results.services)
    process.stdout.write(
      `${s.name.padEnd(12)} ${pair(s.compiled.loadedS, s.tsNode.loadedS, 's')}   ` +
        `${pair(s.compiled.readyS, s.tsNode.readyS, 's')}   ${pair(s.compiled.cpuS, s.tsNode.cpuS, 's')}   ` +
        `${pair(s.compiled.rssMiB, s.tsNode.rssMiB, 'MiB')}   ` +
        `${pair(s.compiled.privateMiB ?? 0, s.tsNode.privateMiB ?? 0, 'MiB')}\n`,
    );
  const { target, met } = results;
  const word = (ok: boolean) => (ok ? 'met' : 'NOT met');
  process.stdout.write(
    `target: every compiled service loaded in < ${target.readyS} s: ${word(met.loaded)}; ` +
      `ready in < ${target.readyS} s: ${word(met.ready)}; ` +
      `RSS at most ${target.rssRatio * 100}% of ts-node's: ${word(met.rss)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:startup: ${(error as Error).message}\n`);
  process.exit(1);
});
