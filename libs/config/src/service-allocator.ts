import { existsSync } from 'node:fs';

/**
 * Where Debian and Red Hat put jemalloc's shared library (`apt-get install libjemalloc2`; the
 * setup script installs it when it can).
 */
export const JEMALLOC_PATHS = [
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
  '/usr/lib64/libjemalloc.so.2',
  '/usr/lib/libjemalloc.so.2',
] as const;

/**
 * The model gateway's memory is mostly what llama.cpp's and onnxruntime's threads allocate and
 * free per request. glibc keeps what a thread's arena once held, so the process kept the high-water
 * mark of every request so far (bench:soak: 1157 MiB at minute 10, 1304 by minute 44). jemalloc
 * hands freed pages back after a few seconds: the same requests left it about 230 MiB lower.
 * Without jemalloc, two glibc arenas instead of one per thread cut about 170 MiB.
 */
const nativeAllocating = new Set(['model-gateway']);

/**
 * Environment a service's `node` process starts with, beside its own settings, wherever it is
 * started (scripts, benches, tests): the memory allocator of the services that allocate natively.
 */
export function serviceAllocatorEnv(
  service: string,
  fileExists: (path: string) => boolean = existsSync,
): Record<string, string> {
  if (!nativeAllocating.has(service)) return {};
  const jemalloc = JEMALLOC_PATHS.find((path) => fileExists(path));
  return jemalloc ? { LD_PRELOAD: jemalloc } : { MALLOC_ARENA_MAX: '2' };
}
