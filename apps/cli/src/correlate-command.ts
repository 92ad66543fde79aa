import { createReadStream, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { alertSchema, describeIssues, type Alert, type TopologyGraph } from '@vigil/contracts';
import { correlateAlerts } from '@vigil/correlation';
import { CachedEmbedder, SentenceEmbedder } from '@vigil/embeddings';
import { progressBar } from './progress-bar';
import { readTopologyGraph } from './topology-input';
import { checkInputFile } from './input-file';

interface CorrelateOptions {
  in: string;
  out: string;
  topology?: string;
}

/** Reads JSONL of alerts, or of `{ alert, truth }` records as the benchmark corpus writes them. */
async function readAlerts(path: string): Promise<Alert[]> {
  checkInputFile(path);
  const alerts: Alert[] = [];
  let line = 0;
  for await (const text of createInterface({
    input: createReadStream(path),
    crlfDelay: Infinity,
  })) {
    line++;
    if (!text.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error(`${path}:${line} is not JSON`);
    }
    const candidate =
      typeof raw === 'object' && raw !== null && 'alert' in raw
        ? (raw as { alert: unknown }).alert
        : raw;
    const parsed = alertSchema.safeParse(candidate);
    if (!parsed.success)
      throw new Error(`${path}:${line} is not a valid alert: ${describeIssues(parsed.error)}`);
    alerts.push(parsed.data);
  }
  return alerts;
}

async function correlate(options: CorrelateOptions): Promise<void> {
  const alerts = await readAlerts(options.in);
  const topology: TopologyGraph = options.topology
    ? readTopologyGraph(options.topology)
    : { services: [], edges: [] };
  const embedder = new CachedEmbedder(await SentenceEmbedder.load(), { embedText: 'normalized' });
  const result = await correlateAlerts(alerts, {
    embed: (texts) => embedder.embed(texts),
    topology,
    onProgress: progressBar('correlating'),
  });
  writeFileSync(
    options.out,
    result.events.map((e) => JSON.stringify(e)).join('\n') + (result.events.length ? '\n' : ''),
  );
  const incidents = new Set(result.incidentOf.filter(Boolean)).size;
  const stats = embedder.stats();
  process.stderr.write(
    `${alerts.length} alerts -> ${incidents} incidents (${(alerts.length / Math.max(1, incidents)).toFixed(1)} alerts per incident); ` +
      `${result.events.length} incident events in ${options.out}; embedding cache hit rate ${(stats.hitRate * 100).toFixed(1)}%\n`,
  );
}

export function registerCorrelateCommand(program: Command): void {
  program
    .command('correlate')
    .description(
      'group an alert file into incidents offline, with the same library the correlator runs',
    )
    .requiredOption('--in <file>', 'alerts as JSONL (one alert, or { alert, truth }, per line)')
    .requiredOption('--out <file>', 'where to write the incident events (JSONL)')
    .option('--topology <file>', 'topology file (YAML/JSON) or { services, edges } JSON')
    .action(correlate);
}
