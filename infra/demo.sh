#!/usr/bin/env bash
# `npm run demo`: sets up what is missing, starts Kafka and Neo4j (or uses KAFKA_BROKERS /
# NEO4J_URI), runs topology-sync, ingest, the correlator, signals and rca, imports the online-shop
# topology through Kafka, sends an alert storm the way Alertmanager would, and prints the incidents
# as they form and their ranked root causes. Keeps running until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false LOG_LEVEL="${LOG_LEVEL:-warn}"

[ -d node_modules ] || npm ci
node infra/models/fetch-models.mjs
if [ -z "${KAFKA_BROKERS:-}" ] || [ -z "${NEO4J_URI:-}" ]; then
  node infra/local/launcher.mjs up
fi

token="demo-$(node -e 'process.stdout.write(require("crypto").randomBytes(16).toString("hex"))')"
export INGEST_TOKENS="$token"
# The demo looks at what happens now, not at what earlier runs left on the topics.
run_id="$(date +%s)"
export CORRELATOR_GROUP="vigil-demo-$run_id" CORRELATOR_START_AT=latest
export SIGNALS_GROUP="vigil-demo-signals-$run_id" RCA_GROUP="vigil-demo-rca-$run_id" RCA_INTERVAL_MS=1000
# Reload the topology from Neo4j every 3 s, so the imported one is used at once.
export CORRELATOR_TOPOLOGY_REFRESH_MS=3000

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
start() { npx ts-node "apps/$1/src/main.ts" & pids+=($!); }
wait_healthy() {
  for _ in $(seq 1 90); do
    curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "$2 did not come up on port $1" >&2
  return 1
}

# The console: its web UI, and one demo user per role with a fresh password each run.
npm run -s console:build
mkdir -p .vigil/demo
users=.vigil/demo/console-users.json
rm -f "$users"
console_password="$(node -e 'process.stdout.write(require("crypto").randomBytes(9).toString("base64url"))')"
for entry in viewer:viewer responder:responder approver:approver; do
  printf '%s\n' "$console_password" |
    npx ts-node apps/cli/src/main.ts users add --file "$users" --username "${entry%%:*}" \
      --role "${entry##*:}" --password-stdin > /dev/null
done
export CONSOLE_USERS_FILE="$users"

echo "== starting topology-sync, ingest, the correlator, signals, rca and the console"
start topology-sync
start ingest
start correlator
start signals
start rca
start console
wait_healthy 3104 topology-sync
wait_healthy 3101 ingest
wait_healthy 3102 correlator
wait_healthy 3106 signals
wait_healthy 3105 rca
wait_healthy 3110 console
echo "== console: http://127.0.0.1:3110/  users viewer, responder, approver; password $console_password"

echo "== importing infra/demo/online-shop.topology.yaml through Kafka"
npx ts-node apps/cli/src/main.ts topology import infra/demo/online-shop.topology.yaml --wait 300
npx ts-node apps/cli/src/main.ts topology show catalog-db --hops 2
sleep 4

echo "== incident timeline with root causes (vigil incidents watch)"
npx ts-node apps/cli/src/main.ts incidents watch & pids+=($!)
sleep 8
echo "== sending an alert storm to http://127.0.0.1:3101/api/v1/alerts/alertmanager"
npx ts-node apps/cli/src/main.ts demo-storm --token "$token"
echo "== console: http://127.0.0.1:3110/ (viewer / responder / approver, password $console_password)"
echo "== metrics: http://127.0.0.1:3101/metrics (ingest), :3102 (correlator), :3104 (topology-sync), :3105 (rca), :3106 (signals). Ctrl-C stops the demo."
wait
