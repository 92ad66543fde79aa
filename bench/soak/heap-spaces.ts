/** What a service's /metrics says of its V8 heap, in MiB (absent: the text did not say). */
export interface HeapFigures {
  /**
   * V8's young generation (the "new" space, committed). V8 grows it under allocation pressure up
   * to a fixed cap (two semi-spaces of `--max-semi-space-size`, 16 MiB each by default) and rarely
   * gives it back: RSS growth that is the young generation reaching its size is bounded, not a leak.
   */
  young?: number;
  /** Every V8 heap space, committed: what of the anonymous memory is JavaScript's heap. */
  heapTotal?: number;
  /** What live and not yet collected objects take of it. */
  heapUsed?: number;
  /**
   * Memory that JavaScript objects hold outside the heap (Buffers, ArrayBuffers, native add-ons
   * that report theirs): with heapTotal, what is left of the anonymous memory is native.
   */
  external?: number;
}

const toMiB = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/**
 * One sample's value from Prometheus text (prom-client's default metrics, with or without a
 * prefix such as `vigil_`), for a metric name and an exact label set ('' for none).
 */
function sampleOf(metricsText: string, name: string, labels = ''): number | undefined {
  const escaped = labels.replace(/[{}"]/g, (c) => `\\${c}`);
  const line = new RegExp(`^(?:\\w+_)?${name}${escaped} ([0-9.eE+-]+)$`, 'm').exec(metricsText);
  if (!line) return undefined;
  const value = Number(line[1]);
  return Number.isFinite(value) ? value : undefined;
}

/** The heap figures in a service's Prometheus text; each undefined when the text has none. */
export function heapFigures(metricsText: string): HeapFigures {
  const figures: HeapFigures = {
    young: sampleOf(metricsText, 'nodejs_heap_space_size_total_bytes', '{space="new"}'),
    heapTotal: sampleOf(metricsText, 'nodejs_heap_size_total_bytes'),
    heapUsed: sampleOf(metricsText, 'nodejs_heap_size_used_bytes'),
    external: sampleOf(metricsText, 'nodejs_external_memory_bytes'),
  };
  return Object.fromEntries(
    Object.entries(figures)
      .filter((entry): entry is [string, number] => entry[1] !== undefined)
      .map(([key, bytes]) => [key, toMiB(bytes)]),
  );
}
