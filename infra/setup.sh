#!/usr/bin/env bash
# Everything a fresh clone needs before the demo or the tests: packages, models, Kafka and Neo4j.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
node infra/models/fetch-models.mjs
node infra/local/launcher.mjs up
