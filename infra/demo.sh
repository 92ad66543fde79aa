#!/usr/bin/env bash
# `npm run demo`: sets up what is missing, starts Kafka and Neo4j (or uses KAFKA_BROKERS /
# NEO4J_URI), runs topology-sync, imports the online-shop topology through Kafka and draws what
# Neo4j then holds. topology-sync keeps running until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false

[ -d node_modules ] || npm ci
node infra/models/fetch-models.mjs
if [ -z "${KAFKA_BROKERS:-}" ] || [ -z "${NEO4J_URI:-}" ]; then
  node infra/local/launcher.mjs up
fi

port="${TOPOLOGY_SYNC_PORT:-3104}"
npx ts-node apps/topology-sync/src/main.ts &
sync_pid=$!
trap 'kill $sync_pid 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:${port}/healthz" >/dev/null 2>&1 && break
  sleep 1
done

echo "== importing infra/demo/online-shop.topology.yaml through ${KAFKA_BROKERS:-localhost:9092}"
npx ts-node apps/cli/src/main.ts topology import infra/demo/online-shop.topology.yaml
sleep 3
echo "== Neo4j now holds (2 hops around checkout):"
npx ts-node apps/cli/src/main.ts topology show checkout --hops 2
echo "== topology-sync metrics: http://127.0.0.1:${port}/metrics  (Ctrl-C stops the demo)"
wait $sync_pid
