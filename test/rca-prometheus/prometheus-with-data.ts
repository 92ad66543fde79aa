import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vigilHome } from '../support/project-root';
import { freePort } from '../support/monitoring-stack';
import { waitFor } from '../support/wait-for';

const bin = (name: string) => join(vigilHome, 'bin', name);

/** Fails at once, saying how to get them, when the pinned binaries are not built. */
export function requirePrometheusBinaries(): void {
  const missing = ['prometheus', 'promtool'].filter((b) => !existsSync(bin(b)));
  if (missing.length > 0)
    throw new Error(
      `${missing.join(', ')} not found in ${join(vigilHome, 'bin')}: build them with ` +
        '`node infra/local/go-tools.mjs --only prometheus` (`npm test` does it before jest; the ' +
        'first build takes minutes, later runs seconds)',
    );
}

export interface PrometheusWithData {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The real Prometheus over data written beforehand: `promtool tsdb create-blocks-from
 * openmetrics` turns the OpenMetrics text into blocks in `dir`, and Prometheus serves them (no
 * scrape jobs, a retention long enough for any fixed date) on a free port.
 */
export async function startPrometheusWithData(
  dir: string,
  openMetrics: string,
): Promise<PrometheusWithData> {
  requirePrometheusBinaries();
  mkdirSync(dir, { recursive: true });
  const input = join(dir, 'data.om');
  const data = join(dir, 'data');
  writeFileSync(input, openMetrics);
  const created = spawnSync(
    bin('promtool'),
    ['tsdb', 'create-blocks-from', 'openmetrics', input, data],
    {
      encoding: 'utf8',
    },
  );
  if (created.status !== 0)
    throw new Error(`promtool could not create blocks:\n${created.stdout}${created.stderr}`);
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 15s\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child: ChildProcess = spawn(
    bin('prometheus'),
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      '--storage.tsdb.retention.time=3650d',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitFor(
      `prometheus to answer ${url}/-/ready`,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`prometheus exited with ${child.exitCode}:\n${output.join('')}`);
        const response = await fetch(`${url}/-/ready`).catch(() => undefined);
        return response?.ok === true;
      },
      60_000,
      250,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: () => output.join(''), stop };
}
