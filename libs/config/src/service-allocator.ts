import { existsSync } from 'node:fs';

/**
 * Where Debian and Red Hat put jemalloc's shared library (`apt-get install libjemalloc2`; the
 * setup script installs it when it can). infra/local/with-allocator.sh looks in the same places.
 */
export const JEMALLOC_PATHS = [
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
  '/usr/lib64/libjemalloc.so.2',
  '/usr/lib/libjemalloc.so.2',
] as const;

/**
 * The services whose memory is mostly what native threads allocate and free: llama.cpp's and
 * onnxruntime's (MiniLM in the correlator, both in the model gateway and in all-in-one). glibc
 * keeps what each thread's arena once held, so such a process kept the high-water mark of its
 * requests and batches so far; jemalloc hands freed pages back within seconds. Measured (see
 * docs/running.md): 400 MiniLM batches of 1-32 mixed texts ended at 683 MiB on glibc and 278 on
 * jemalloc; the gateway's requests left it about 230 MiB lower.
 */
const nativeAllocating = new Set(['model-gateway', 'correlator', 'all-in-one']);

/**
 * glibc tunables for when jemalloc is not installed. Two arenas instead of one per thread cut the
 * gateway's level by about 170 MiB, but made onnxruntime's worse (700 MiB against 490), so the
 * correlator and all-in-one keep glibc's defaults.
 */
const glibcFallback: Readonly<Record<string, Record<string, string>>> = {
  'model-gateway': { MALLOC_ARENA_MAX: '2' },
};

/**
 * The glibc tunables of every service that allocates natively only what Node and V8 themselves
 * do. In hour-long soaks their native memory (resident, outside V8's heap) rose and never came back
 * while their V8 heaps stayed level: the ruler's in steps of 10-15 MiB, topology-sync's by about
 * 10 MiB an hour. glibc has two ways to keep what a process freed long ago:
 * - each thread that allocates (V8's compiler and garbage-collector workers, libuv's pool) gets
 *   an arena of its own, up to eight per core, and an arena keeps its high-water mark; two
 *   arenas bound that;
 * - after a large block (a Kafka fetch response's buffer, say) is freed, glibc raises its mmap
 *   threshold up to 32 MiB, so later blocks of that size come from the main heap and leave holes
 *   it does not give back (its trim threshold rises to twice as much). A fixed threshold (glibc's
 *   default, 128 KiB; setting it switches the raising off) keeps large blocks mapped on their own,
 *   and returned to the system when freed.
 */
const javaScriptOnly: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
};

/** Whether the service starts with jemalloc preloaded when it is installed. */
export function prefersJemalloc(service: string): boolean {
  return nativeAllocating.has(service);
}

/** The glibc tunables the service starts with (used only when jemalloc is not preloaded). */
export function glibcTunables(service: string): Record<string, string> {
  return { ...(nativeAllocating.has(service) ? glibcFallback[service] : javaScriptOnly) };
}

/**
 * Environment a service's `node` process starts with, beside its own settings, wherever it is
 * started (scripts, benches, tests): its memory allocator and the allocator's tunables.
 */
export function serviceAllocatorEnv(
  service: string,
  fileExists: (path: string) => boolean = existsSync,
): Record<string, string> {
  const jemalloc = prefersJemalloc(service)
    ? JEMALLOC_PATHS.find((path) => fileExists(path))
    : undefined;
  return jemalloc ? { LD_PRELOAD: jemalloc } : glibcTunables(service);
}
