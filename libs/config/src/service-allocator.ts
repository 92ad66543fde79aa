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
 * gateway's level by about 170 MiB, but made onnxruntime's worse (700 MiB against 490), so only
 * the gateway takes them.
 */
const glibcFallback: Readonly<Record<string, Record<string, string>>> = {
  'model-gateway': { MALLOC_ARENA_MAX: '2' },
};

/** Whether the service starts with jemalloc preloaded when it is installed. */
export function prefersJemalloc(service: string): boolean {
  return nativeAllocating.has(service);
}

/** The glibc tunables the service starts with (used only when jemalloc is not preloaded). */
export function glibcTunables(service: string): Record<string, string> {
  return { ...glibcFallback[service] };
}

/**
 * Environment a service's `node` process starts with, beside its own settings, wherever it is
 * started (scripts, benches, tests): the memory allocator of the services that allocate natively.
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
