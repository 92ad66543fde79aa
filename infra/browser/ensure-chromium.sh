#!/usr/bin/env bash
# The console's browser test drives Debian's Chromium through playwright-core (no browser
# download: playwright's own CDN is unreachable here). Prints the browser's path.
# CHROMIUM_PATH wins; else a chromium on PATH; else install the Debian package.
set -euo pipefail
if [[ -n "${CHROMIUM_PATH:-}" ]]; then echo "$CHROMIUM_PATH"; exit 0; fi
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" > /dev/null; then command -v "$candidate"; exit 0; fi
done
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo > /dev/null; then sudo="sudo -n"; else
    echo "ensure-chromium: no chromium and not root; install Debian's chromium or set CHROMIUM_PATH" >&2
    exit 1
  fi
fi
echo "ensure-chromium: installing Debian's chromium (first time only)" >&2
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends chromium > /tmp/vigil-chromium-install.log 2>&1; then
  $sudo apt-get update >> /tmp/vigil-chromium-install.log 2>&1
  $sudo apt-get install -y --no-install-recommends chromium >> /tmp/vigil-chromium-install.log 2>&1 || {
    echo "ensure-chromium: apt-get install chromium failed; see /tmp/vigil-chromium-install.log" >&2
    exit 1
  }
fi
command -v chromium
