#!/usr/bin/env bash
# `npm test`: fetch what is missing (models), check types and lint, run unit tests, then the
# integration tests against real Kafka and Neo4j (found or started by test/support/global-setup.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false

echo "== models (all-MiniLM-L6-v2, Gemma 3 270M GGUF)"
node infra/models/fetch-models.mjs
echo "== typecheck"
npx tsc -p tsconfig.json --noEmit
echo "== lint (with the Nx module-boundaries rule)"
npm run -s lint
echo "== tests: unit, then integration against real Kafka and Neo4j"
npx jest --ci "$@"
