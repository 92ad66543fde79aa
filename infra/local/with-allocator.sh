#!/usr/bin/env bash
# Runs a command (the model gateway's node) with jemalloc preloaded when it is installed, else with
# two glibc arenas: the same choice as serviceAllocatorEnv in libs/config (why: see there). exec
# keeps the process id, so whoever started it can signal the node process itself.
#   bash infra/local/with-allocator.sh node dist/apps/model-gateway/src/main.js
set -euo pipefail
for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
  /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2; do
  if [[ -f "$lib" ]]; then LD_PRELOAD="$lib" exec "$@"; fi
done
MALLOC_ARENA_MAX=2 exec "$@"
