#!/usr/bin/env bash
# Runs a command (a service's node) with jemalloc preloaded when it is installed: the choice of
# serviceAllocatorEnv in libs/config (why: see there). Without jemalloc it runs the command as it
# is, with whatever glibc tunables its caller set. exec keeps the process id, so whoever started it
# can signal the node process itself.
#   bash infra/local/with-allocator.sh node dist/apps/correlator/src/main.js
set -euo pipefail
for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
  /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2; do
  if [[ -f "$lib" ]]; then LD_PRELOAD="$lib" exec "$@"; fi
done
exec "$@"
