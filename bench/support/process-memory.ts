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

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
