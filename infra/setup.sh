#!/usr/bin/env bash
# Everything a fresh clone needs before the demo or the tests: packages, models, Prometheus and
# Alertmanager (built once from the Go module proxy into .vigil/bin), then Kafka, Neo4j,
# Alertmanager and Prometheus started. Prometheus scrapes no shop until the demo's executor writes
# its targets; with none, the demo's rules (infra/demo/prometheus) have nothing to alert on.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
node infra/models/fetch-models.mjs
node infra/local/go-tools.mjs
bash infra/local/ensure-jemalloc.sh
node infra/local/launcher.mjs up
