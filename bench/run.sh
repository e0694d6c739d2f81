#!/usr/bin/env bash
# Lianyao benchmark harness. One command: bench/run.sh
#
# Measures, in one run and on this machine's PostgreSQL:
#   - start-up time from launch to /actuator/health UP (embedded H2 default, gateway on PostgreSQL,
#     baseline on PostgreSQL);
#   - FHIR REST throughput and latency percentiles (wrk) for create, read and search of Patient and
#     MedicationRequest at several concurrency levels, for (a) the gateway as configured and (b) the
#     baseline: the same server with the gateway's interceptors and security switched off (plain
#     HAPI JPA); and (c) the gateway with security off, to isolate the cost of authentication and
#     authorization (issue #4);
# and writes bench/results.md and bench/results.json with the gateway/baseline ratios.
#
# The three PostgreSQL servers run side by side (each on its own database) and every measurement
# is taken in rounds that visit gateway, gateway-no-security and baseline in turn, so drift of a
# shared machine (other tenants, the JIT compiler finishing late) falls on all three alike. Each
# server is warmed up on every scenario first: until the JIT compiler has settled, the server
# running more code is measured half-compiled.
#
# Settings (environment): BENCH_DURATION (default 5s per measurement), BENCH_ROUNDS (default 3
# measurements per server, scenario and concurrency), BENCH_WARMUP (default 20s per scenario
# before the measurements), BENCH_CONCURRENCY
# (default "1 4 16"), BENCH_POSTGRES_URL (maintenance database, default the local server),
# BENCH_SKIP_BUILD=1 to reuse server/target/lianyao/lianyao-server.jar, BENCH_START_TIMEOUT (seconds a
# server may take to become healthy, default 300), BENCH_WARMUP_MAX (default 120s: the warm-up of a
# scenario goes on in 10 s steps while the JIT compiler still used 10 % or more of a step),
# and for partial runs BENCH_SERVERS (default "gateway gateway-no-security baseline"),
# BENCH_SCENARIOS (default all six), BENCH_EMBEDDED=0 (skip the embedded start-up) and BENCH_RESULTS
# (default bench/results: writes that .md and .json). Run it on an otherwise idle machine.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

DURATION="${BENCH_DURATION:-5s}"
ROUNDS="${BENCH_ROUNDS:-3}"
LEVELS="${BENCH_CONCURRENCY:-1 4 16}"
SERVERS="${BENCH_SERVERS:-gateway gateway-no-security baseline}"
RESULTS="${BENCH_RESULTS:-bench/results}"
. bench/lib.sh
JAR="server/target/lianyao/lianyao-server.jar"  # the extracted layout the README runs
WORK="bench/work"
STAMP="$(date +%Y%m%d%H%M%S)"
RAW="$WORK/raw-$STAMP.jsonl"
mkdir -p "$WORK"
: > "$RAW"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$JAR" ]; then
  mvn -B -q package -DskipTests
fi
if ! command -v wrk >/dev/null; then
  echo "Installing wrk (Debian package)"
  apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
pg_isready -h "$PG_HOST" -p "$PG_PORT" -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start

PIDS=() # every server started, stopped at exit
declare -A SPID # server name → its process, for the JIT compiler's time during each measurement
SERVER_PID="" # the one start_server started last
RUNS=0 # wrk runs so far: seeds post-patient.lua so that no run re-posts an earlier run's resident IDs
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if declare -F drop_database >/dev/null; then for d in gateway nosecurity baseline; do drop_database "$d"; done; fi
}
trap cleanup EXIT

# start_server NAME PORT JDBC_URL [extra args...]: starts the jar (its MLLP listener on PORT+1000),
# waits for health UP, records the start-up time.
start_server() {
  local name=$1 port=$2 url=$3; shift 3
  local log="$WORK/$name-$STAMP.log"
  local t0; t0=$(date +%s%N)
  java -Xmx3g -jar "$JAR" --server.port="$port" --lianyao.feeds.hl7.port=$((port + 1000)) \
    --spring.datasource.url="$url" "$@" > "$log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  SPID[$name]=$SERVER_PID
  local deadline=$(( $(date +%s) + ${BENCH_START_TIMEOUT:-300} ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if curl -fs "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; then
      local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
      echo "{\"kind\":\"startup\",\"server\":\"$name\",\"ms\":$ms}" >> "$RAW"
      echo "$name healthy after ${ms} ms"
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "$name died; see $log"; tail -40 "$log"; exit 1; }
    sleep 0.1
  done
  echo "$name did not become healthy; see $log"; exit 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

new_database() {
  local db="lianyao_bench_$1_$STAMP"
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $db" >/dev/null
  echo "jdbc:postgresql://$PG_HOST:$PG_PORT/$db?user=$PG_USER"
}

drop_database() {
  PGOPTIONS=--client-min-messages=warning psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS lianyao_bench_$1_$STAMP WITH (FORCE)" >/dev/null
}

# token BASE: a client-credentials token from the embedded authorization server when the server
# advertises one (security on), else empty.
token() {
  local base=$1 endpoint
  endpoint=$(curl -fs "$base/.well-known/smart-configuration" 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin).get("token_endpoint",""))' 2>/dev/null || true)
  [ -z "$endpoint" ] && return 0
  curl -fs -u "H50011200001:demo-secret" -d grant_type=client_credentials "$endpoint" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

fhir_get() { curl -fs -H "Accept: application/fhir+json" ${TOKEN:+-H "Authorization: Bearer $TOKEN"} "$1"; }
first_id() { python3 -c 'import json,sys; b=json.load(sys.stdin); print(b["entry"][0]["resource"]["id"])'; }

# CPU time (user + system, clock ticks) the measured server has used so far: per request, the cost
# of a request itself, which queueing and the other tenants of the machine hardly change.
cpu_ticks() {
  [ -n "${MEASURE_PID:-}" ] && awk '{ print $14 + $15 }' "/proc/$MEASURE_PID/stat" 2>/dev/null || true
}

# measure SERVER SCENARIO CONCURRENCY SCRIPT URL [BODY]
measure() {
  local server=$1 scenario=$2 c=$3 script=$4 url=$5 body=${6:-}
  local threads=$(( c < 2 ? 1 : 2 ))
  local out
  RUNS=$((RUNS + 1))
  local jit0 jit1 cpu0 cpu1
  jit0=$(jit_seconds "${MEASURE_PID:-}"); cpu0=$(cpu_ticks)
  out=$(SEED="$RUNS" BODY="$body" TOKEN="$TOKEN" wrk -t"$threads" -c"$c" -d"$DURATION" --latency -s "bench/scenarios/$script" "$url")
  jit1=$(jit_seconds "${MEASURE_PID:-}"); cpu1=$(cpu_ticks)
  python3 - "$server" "$scenario" "$c" "$jit0" "$jit1" "$cpu0" "$cpu1" "$(getconf CLK_TCK)" >> "$RAW" <<PY
import json, re, sys
out = """$out"""
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    n, u = float(m.group(1)), m.group(2)
    return n / 1000 if u == "us" else n * 1000 if u == "s" else n
lat = dict((p, ms(v)) for p, v in re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
non2xx = int(re.search(r"NON2XX (\d+)", out).group(1))
requests = int(re.search(r"(\d+) requests in", out).group(1))
jit = round(float(sys.argv[5]) - float(sys.argv[4]), 2) if sys.argv[4] and sys.argv[5] else None
cpu = (round((float(sys.argv[7]) - float(sys.argv[6])) * 1000 / float(sys.argv[8]) / requests, 3)
       if sys.argv[6] and sys.argv[7] and requests else None)
print(json.dumps({"kind": "load", "server": sys.argv[1], "scenario": sys.argv[2], "concurrency": int(sys.argv[3]),
                  "rps": rps, "p50_ms": lat.get("50"), "p90_ms": lat.get("90"), "p99_ms": lat.get("99"), "non2xx": non2xx,
                  "jit_s": jit, "cpu_ms_per_request": cpu, "requests": requests}))
PY
  tail -n 1 "$RAW"
}

# prepare NAME PORT: token, demo ids and a MedicationRequest body for a running server with the demo
# consortium; then warms it up on every scenario (JIT, caches, connection pool), not recorded.
declare -A PORT TOK PAT MR
SCENARIOS="${BENCH_SCENARIOS:-patient-create patient-read patient-search mr-create mr-read mr-search}"
prepare() {
  local name=$1 port=$2 base="http://127.0.0.1:$2"
  PORT[$name]=$port
  TOKEN=$(token "$base")
  TOK[$name]=$TOKEN
  local org prac
  org=$(fhir_get "$base/fhir/Organization?identifier=http://lianyao.org/fhir/sid/nhsa-institution-code|H50011200001" | first_id)
  prac=$(fhir_get "$base/fhir/Practitioner?identifier=http://lianyao.org/fhir/sid/practitioner-code/H50011200001|D0101" | first_id)
  PAT[$name]=$(fhir_get "$base/fhir/Patient?identifier=urn:oid:2.16.156.10011.1.3|500112195603120119" | first_id)
  sed -e "s#@ORG@#$org#g" -e "s#@PRACTITIONER@#$prac#g" -e "s#@PATIENT@#${PAT[$name]}#g" \
    bench/scenarios/medication-request.json > "$WORK/medication-request-$name.json"
  MR[$name]=$(curl -fs -X POST -H "Content-Type: application/fhir+json" ${TOKEN:+-H "Authorization: Bearer $TOKEN"} \
    --data-binary @"$WORK/medication-request-$name.json" "$base/fhir/MedicationRequest" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  local sc
  for sc in $SCENARIOS; do
    DURATION="${BENCH_WARMUP:-20s}" run_scenario "$name-warmup" "$name" "$sc" 4 >/dev/null
    # Then 10 s steps until the JIT compiler has settled (bench/lib.sh warm_up): before that the
    # server measures half-compiled. warm_up runs the steps in this shell, so RUNS counts them.
    DURATION=10s warm_up "${SPID[$name]}" $(( ${BENCH_WARMUP_MAX:-120} / 10 )) run_scenario "$name-warmup" "$name" "$sc" 4
  done
}

# run_scenario LABEL SERVER SCENARIO CONCURRENCY: one wrk measurement of a scenario on a server.
run_scenario() {
  local label=$1 name=$2 sc=$3 c=$4 base="http://127.0.0.1:${PORT[$2]}"
  local pat=${PAT[$name]}
  TOKEN=${TOK[$name]}
  MEASURE_PID=${SPID[$name]}
  case $sc in
    patient-create) measure "$label" "$sc" "$c" post-patient.lua "$base/fhir/Patient" ;;
    patient-read) measure "$label" "$sc" "$c" get.lua "$base/fhir/Patient/$pat" ;;
    patient-search) measure "$label" "$sc" "$c" get.lua "$base/fhir/Patient?identifier=urn:oid:2.16.156.10011.1.3%7C500112195603120119" ;;
    mr-create) measure "$label" "$sc" "$c" post.lua "$base/fhir/MedicationRequest" "$WORK/medication-request-$name.json" ;;
    mr-read) measure "$label" "$sc" "$c" get.lua "$base/fhir/MedicationRequest/${MR[$name]}" ;;
    mr-search) measure "$label" "$sc" "$c" get.lua "$base/fhir/MedicationRequest?patient=Patient/$pat&_count=20" ;;
  esac
}

if [ "${BENCH_EMBEDDED:-1}" != 0 ]; then
  echo "== embedded default (H2, demo consortium): start-up alone"
  start_server embedded-h2 18079 "jdbc:h2:file:$ROOT/$WORK/h2-$STAMP/lianyao"
  stop_server
  rm -rf "$WORK/h2-$STAMP"
fi

# The PostgreSQL servers, started one after another (each start-up measured while the others
# idle), then measured side by side.
declare -A SERVER_PORT=([gateway]=18080 [gateway-no-security]=18082 [baseline]=18081)
for name in $SERVERS; do
  port=${SERVER_PORT[$name]:-}
  case $name in
    gateway)
      echo "== gateway on PostgreSQL"
      start_server gateway "$port" "$(new_database gateway)" --lianyao.demo.enabled=true \
        --lianyao.security.embedded-authorization-server.token-time-to-live=2h ;;
    gateway-no-security)
      echo "== gateway with security off (issue #4: cost of authentication and authorization)"
      start_server gateway-no-security "$port" "$(new_database nosecurity)" --lianyao.demo.enabled=true \
        --lianyao.security.enabled=false ;;
    baseline)
      echo "== baseline (plain HAPI JPA: gateway interceptors and security off)"
      start_server baseline "$port" "$(new_database baseline)" --lianyao.demo.enabled=true \
        --lianyao.fhir.gateway-interceptors-enabled=false --lianyao.security.enabled=false ;;
    *) echo "unknown server $name (gateway, gateway-no-security, baseline)"; exit 2 ;;
  esac
done

for name in $SERVERS; do prepare "$name" "${SERVER_PORT[$name]}"; done
# After the warm-ups' writes, before the measured rounds (lib.sh: this machine runs without autovacuum).
declare -A SERVER_DB=([gateway]=gateway [gateway-no-security]=nosecurity [baseline]=baseline)
for name in $SERVERS; do analyze_database "lianyao_bench_${SERVER_DB[$name]}_$STAMP"; done

for c in $LEVELS; do
  for sc in $SCENARIOS; do
    for r in $(seq "$ROUNDS"); do
      for name in $SERVERS; do
        run_scenario "$name" "$name" "$sc" "$c"
      done
    done
  done
done

python3 bench/report.py "$RAW" "$RESULTS.json" "$RESULTS.md"
echo "Results: $RESULTS.md"
