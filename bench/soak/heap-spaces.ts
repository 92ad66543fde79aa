/**
 * The size of V8's young generation (the "new" heap space, committed) in MiB, from a service's
 * Prometheus text (prom-client's default `nodejs_heap_space_size_total_bytes`, with or without a
 * prefix); undefined when the text has none. V8 grows it under allocation pressure up to a fixed
 * cap (two semi-spaces of `--max-semi-space-size`, 16 MiB each by default) and rarely gives it
 * back: RSS growth that is the young generation reaching its size is bounded, not a leak.
 */
export function youngGenerationMiB(metricsText: string): number | undefined {
  const line = /^(?:\w+_)?nodejs_heap_space_size_total_bytes\{space="new"\} ([0-9.eE+-]+)$/m.exec(
    metricsText,
  );
  if (!line) return undefined;
  const bytes = Number(line[1]);
  return Number.isFinite(bytes) ? Math.round((bytes / 1048576) * 10) / 10 : undefined;
}
