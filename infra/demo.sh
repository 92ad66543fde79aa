#!/usr/bin/env bash
# `npm run demo [-- --scenario FAULT[:SERVICE] | random:SEED] [--alerting prometheus|ruler]`:
# Vigil's main job, end to end.
# Sets up what is missing (packages, models, Kafka and Neo4j), starts every Vigil service in one
# process (apps/all-in-one) and the demo shop (ten real services run by Vigil's executor) with
# shoppers on it, lets Vigil learn the shop's normal for a minute, injects the fault and prints the
# loop as it happens: incident, root cause, plan, guardrail verdicts, execution, verification.
# Everything runs compiled (node dist/..., built first when missing or stale); the services' own
# logs go to .vigil/demo/*.log, so the terminal shows only the loop's timeline. Keeps running until
# Ctrl-C. FAULT: crash (default), or any kind of docs/faults.md (latency, bad-deploy, disk-full,
# timeout-too-low ...). Alerting: real Prometheus scrapes the shop's /metrics, evaluates
# infra/demo/prometheus/shop-alert-rules.yml and sends to real Alertmanager, whose webhook posts to
# Vigil's ingest (default); `--alerting ruler` uses Vigil's built-in evaluator over Kafka instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false LOG_LEVEL="${LOG_LEVEL:-warn}"

scenario="crash"
alerting="prometheus"
while [ $# -gt 0 ]; do
  case "$1" in
    --scenario) scenario="${2:?--scenario needs FAULT[:SERVICE] or random:SEED}"; shift 2 ;;
    --scenario=*) scenario="${1#*=}"; shift ;;
    --alerting) alerting="${2:?--alerting needs prometheus or ruler}"; shift 2 ;;
    --alerting=*) alerting="${1#*=}"; shift ;;
    *) echo "demo: unknown option $1 (use --scenario FAULT[:SERVICE] or random:SEED, --alerting prometheus|ruler)" >&2; exit 2 ;;
  esac
done
case "$alerting" in
  prometheus | ruler) ;;
  *) echo "demo: --alerting $alerting: use prometheus or ruler" >&2; exit 2 ;;
esac
case "$scenario" in
  random:*) inject=(--random "${scenario#random:}") ;;
  *:*) inject=("${scenario%%:*}" --service "${scenario#*:}") ;;
  *) inject=("$scenario") ;;
esac

[ -d node_modules ] || npm ci
node infra/models/fetch-models.mjs
# The project's own Kafka runs with TLS, SCRAM and ACLs unless plaintext was chosen by name
# (VIGIL_KAFKA_SECURITY=plaintext): Vigil then runs as its user all-in-one, the CLI as admin.
# Given KAFKA_BROKERS, the cluster is yours and so are its KAFKA_* settings. (`env` execs the
# command, so $! stays the process itself, which the cleanup stops.)
# Where the launcher's infra is and what it needs, as `launcher.mjs env` prints it (NAME=value
# lines) for this VIGIL_HOME, VIGIL_INFRA_INSTANCE and these *_PORT variables: never guessed here.
infra_env=""
infra_value() {
  local value
  value="$(sed -n "s/^$1=//p" <<<"$infra_env")"
  [ -n "$value" ] || { echo "demo: launcher.mjs env printed no $1" >&2; return 1; }
  printf '%s' "$value"
}
as_vigil=() as_admin=()
if [ -z "${KAFKA_BROKERS:-}" ] || [ -z "${NEO4J_URI:-}" ]; then
  node infra/local/launcher.mjs up --only kafka,neo4j
  infra_env="$(node infra/local/launcher.mjs env --only kafka,neo4j)"
  if [ -z "${NEO4J_URI:-}" ]; then
    NEO4J_URI="$(infra_value NEO4J_URI)"
    export NEO4J_URI
  fi
  if [ -n "${KAFKA_BROKERS:-}" ]; then
    : # given KAFKA_BROKERS, the cluster and its KAFKA_* settings are the user's
  elif [ "${VIGIL_KAFKA_SECURITY:-sasl_ssl}" = sasl_ssl ]; then
    kafka_secrets="$(infra_value KAFKA_SECRETS_DIR)"
    KAFKA_BROKERS="$(infra_value KAFKA_BROKERS)"
    KAFKA_SSL_CA_FILE="$(infra_value KAFKA_SSL_CA_FILE)"
    export KAFKA_BROKERS KAFKA_SSL=true KAFKA_SSL_CA_FILE KAFKA_SASL_MECHANISM=scram-sha-512
    as_vigil=(env KAFKA_SASL_USERNAME=all-in-one
      "KAFKA_SASL_PASSWORD_FILE=$kafka_secrets/users/all-in-one.password")
    as_admin=(env KAFKA_SASL_USERNAME=admin "KAFKA_SASL_PASSWORD_FILE=$kafka_secrets/users/admin.password")
  else
    KAFKA_BROKERS="$(infra_value KAFKA_BROKERS)"
    export KAFKA_BROKERS
  fi
fi
# Prometheus and Alertmanager, built once from the Go module proxy (minutes; cached afterwards).
# From the launcher: Prometheus's URL, the folder it reads the shop's scrape targets from and the
# token file Alertmanager presents to ingest (PROMETHEUS_PORT, ALERTMANAGER_PORT, INGEST_PORT).
if [ "$alerting" = prometheus ]; then
  node infra/local/go-tools.mjs
  infra_env="$(node infra/local/launcher.mjs env --only prometheus,alertmanager)"
  prometheus_url="$(infra_value PROMETHEUS_URL)"
  scrape_targets="$(infra_value PROMETHEUS_TARGETS_DIR)/shop.json"
  ingest_token_file="$(infra_value ALERTMANAGER_INGEST_TOKEN_FILE)"
fi

echo "== compiling Vigil into dist/ (incremental: seconds when nothing changed)"
node infra/build/compile.mjs
cli=("${as_admin[@]}" node dist/apps/cli/src/main.js)
vigil() { "${cli[@]}" "$@"; }

echo "== the console (web UI) and one demo user per role, with a fresh password"
npm run -s console:build
mkdir -p .vigil/demo
users=.vigil/demo/console-users.json
rm -f "$users"
console_password="$(node -e 'process.stdout.write(require("crypto").randomBytes(9).toString("base64url"))')"
for role in viewer responder approver; do
  printf '%s\n' "$console_password" |
    vigil users add --file "$users" --username "$role" --role "$role" --password-stdin > /dev/null
done

echo "== the demo shop: run by the executor, described to topology-sync"
# each service's data dir (config versions, volume, locks, credentials): faults a restart cannot
# cure live there, so a new demo starts from a clean one, not from the last run's faults
rm -rf .vigil/demo/shop-data
# with Prometheus, the executor keeps a file_sd file of the live instances for it to scrape
adapter_options=()
[ "$alerting" = prometheus ] && adapter_options=(--scrape-targets "$scrape_targets")
# on the secured broker the shop's instances produce as the user demo-shop, not as Vigil
[ ${#as_admin[@]} -gt 0 ] &&
  adapter_options+=(--kafka-user demo-shop --kafka-password-file "$kafka_secrets/users/demo-shop.password")
vigil shop adapters-file --out .vigil/demo/shop-adapters.json --data-root .vigil/demo/shop-data "${adapter_options[@]}"

vigil shop topology > .vigil/demo/shop.topology.json

run_id="$(date +%s)"
secret() { node -e 'process.stdout.write(require("crypto").randomBytes(18).toString("hex"))'; }
ingest_token="$(secret)"
admin_token="$(secret)"
# This run looks at what happens now, not at what earlier runs left on the topics.
# Each group starts with its service's name: the ACLs give a user the groups of its prefixes.
export TOPOLOGY_SYNC_GROUP="vigil-topology-sync-demo-$run_id"
export CORRELATOR_GROUP="vigil-correlator-demo-$run_id" SIGNALS_GROUP="vigil-signals-demo-$run_id"
export RCA_GROUP="vigil-rca-demo-$run_id" PLANNER_GROUP="vigil-planner-demo-$run_id"
export EXECUTOR_GROUP="vigil-executor-demo-$run_id" RULER_GROUP="vigil-ruler-demo-$run_id"
export CORRELATOR_START_AT=latest SIGNALS_START_AT=latest RCA_START_AT=latest PLANNER_START_AT=latest
export CORRELATOR_TOPOLOGY_REFRESH_MS=3000 RCA_INTERVAL_MS=2000 RULER_INTERVAL_MS=2000
export SIGNALS_LOG_WARMUP_MS=30000 VIGIL_LLM_TIMEOUT_MS=20000
export INGEST_TOKENS="$ingest_token" RULER_INGEST_TOKEN="$ingest_token"
export EXECUTOR_ENVIRONMENT=demo EXECUTOR_POLICY_FILE=infra/demo/guardrail-policy.json
export EXECUTOR_ADAPTERS_FILE=.vigil/demo/shop-adapters.json EXECUTOR_ADMIN_TOKEN="$admin_token"
export CONSOLE_USERS_FILE="$users"
if [ "$alerting" = prometheus ]; then
  # every alert comes from Prometheus through Alertmanager; RCA also reads Prometheus's metrics
  export ALL_IN_ONE_APPS=topology-sync,model-gateway,correlator,signals,rca,planner,executor,console,ingest
  export RCA_PROMETHEUS_URL="$prometheus_url" RCA_PROMETHEUS_MATCHERS='job="demo-shop"'
  last_port="${INGEST_PORT:-3101}" # ingest, the last app to start; Alertmanager posts there
  # Alertmanager presents the run's ingest token: it reads this file at every notification, so a
  # running Alertmanager (from an earlier demo) takes the new token too
  (umask 077 && mkdir -p "$(dirname "$ingest_token_file")" && printf %s "$ingest_token" >"$ingest_token_file")
  node infra/local/launcher.mjs up --only prometheus,alertmanager
else
  last_port="${RULER_PORT:-3112}" # the ruler
fi

pids=()
# the last started first: the watcher of Vigil goes before Vigil, so it does not report the stop
cleanup() { for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
vigil_log=.vigil/demo/vigil.log
# Vigil's last lines, when it stopped or never came up: the log is not on the terminal.
vigil_gone() {
  echo "Vigil (all-in-one) $1; the end of $vigil_log:" >&2
  tail -n 20 "$vigil_log" >&2
}
wait_healthy() {
  for _ in $(seq 1 180); do
    curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$vigil_pid" 2>/dev/null || { vigil_gone "exited"; return 1; }
    sleep 1
  done
  vigil_gone "did not come up on port $1"
  return 1
}

echo "== starting Vigil in one process (apps/all-in-one; its log: $vigil_log): models load, the shop starts"
"${as_vigil[@]}" bash infra/local/with-allocator.sh node dist/apps/all-in-one/src/main.js > "$vigil_log" 2>&1 & vigil_pid=$!
pids+=("$vigil_pid")
wait_healthy "$last_port" "Vigil (all-in-one)"
# says so on the terminal if Vigil stops while the timeline is watched
( while kill -0 "$vigil_pid" 2>/dev/null; do sleep 2; done; vigil_gone "stopped" ) & pids+=($!)
# the import redraws its progress on one line with \r: here each new step is a line of its own
progress_lines() {
  node -e 'let last = "", rest = "";
    const put = (l) => { if (l.trim() && l !== last) process.stdout.write(`${(last = l)}\n`); };
    process.stdin.setEncoding("utf8")
      .on("data", (c) => { const lines = (rest + c).split(/[\r\n]/); rest = lines.pop(); lines.forEach(put); })
      .on("end", () => put(rest));'
}
{ vigil topology import .vigil/demo/shop.topology.json --wait 300 2>&1 >&3 | progress_lines >&2; } 3>&1

echo "== shoppers on http://127.0.0.1:4200 (10 requests/s; their log: .vigil/demo/load.log)"
# not through the function: so $! is the CLI's own pid, which the cleanup stops
"${cli[@]}" shop load --rps 10 > .vigil/demo/load.log 2>&1 & pids+=($!)
echo "== console: http://127.0.0.1:3110/  users viewer, responder, approver; password $console_password"
echo "== the loop as it happens (vigil incidents watch):"
"${cli[@]}" incidents watch & pids+=($!)
echo "== learning the shop's normal for 60 s before the fault"
sleep 60
echo "== injecting: ${inject[*]}"
vigil chaos inject "${inject[@]}" --token "$admin_token"
echo "== console: http://127.0.0.1:3110/ (password $console_password). Ctrl-C stops the demo."
wait
