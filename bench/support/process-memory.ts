import { readFileSync } from 'node:fs';

/**
 * Resident and peak resident memory of a process in MiB, from /proc (Linux), and the resident
 * memory split: `anon` is what the process allocated (heaps, buffers), `file` the pages of mapped
 * files it touched (code, a model's weights), which the kernel may drop and read again.
 */
export function processMemoryMiB(pid: number): {
  rss: number;
  peak: number;
  anon: number;
  file: number;
} {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) =>
    Number(/(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(name)) ?? '')?.[1] ?? 0) /
    1024;
  return {
    rss: Math.round(field('VmRSS:')),
    peak: Math.round(field('VmHWM:')),
    anon: Math.round(field('RssAnon:')),
    file: Math.round(field('RssFile:')),
  };
}

/**
 * The resident memory of a process that no other process shares, in MiB: Private_Clean +
 * Private_Dirty of /proc/PID/smaps_rollup (Linux 4.14 on); undefined where there is none. RSS
 * also counts the pages of the node binary a process has touched (40-50 MiB for a Nest service),
 * which every Node process on the machine shares and which exist once however many services run.
 * Reading it makes the kernel walk every mapping, so only what reports it asks.
 */
export function privateMemoryMiB(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return undefined;
  }
  let kib = 0;
  for (const line of text.split('\n')) {
    const m = /^Private_(?:Clean|Dirty):\s+(\d+) kB/.exec(line);
    if (m) kib += Number(m[1]);
  }
  return Math.round(kib / 1024);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
