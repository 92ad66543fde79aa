#!/usr/bin/env bash
# Installs Debian's libjemalloc2 for the model gateway, the correlator and all-in-one (see
# libs/config/src/service-allocator.ts)
# when it is missing and this user may install packages. Optional: without it they run on glibc
# (the gateway with two arenas), so a failure here only warns.
set -uo pipefail
# with-allocator.sh knows where jemalloc may be: it preloads it when it finds it
[[ -n "$(env -u LD_PRELOAD bash "$(dirname "$0")/with-allocator.sh" printenv LD_PRELOAD)" ]] && exit 0
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo > /dev/null && sudo -n true 2> /dev/null; then sudo="sudo -n"; else
    echo "ensure-jemalloc: not root; these services run on glibc (apt-get install libjemalloc2 to change that)" >&2
    exit 0
  fi
fi
command -v apt-get > /dev/null || {
  echo "ensure-jemalloc: no apt-get; install jemalloc 5 for leaner model-running services" >&2
  exit 0
}
echo "ensure-jemalloc: installing Debian's libjemalloc2 (first time only)" >&2
export DEBIAN_FRONTEND=noninteractive
log=/tmp/vigil-jemalloc-install.log
if ! $sudo apt-get install -y --no-install-recommends libjemalloc2 > "$log" 2>&1; then
  $sudo apt-get update >> "$log" 2>&1
  $sudo apt-get install -y --no-install-recommends libjemalloc2 >> "$log" 2>&1 ||
    echo "ensure-jemalloc: apt-get install libjemalloc2 failed (see $log); these services run on glibc" >&2
fi
exit 0
