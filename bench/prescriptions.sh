#!/usr/bin/env bash
# Prescription benchmark (issue #7 item 10). One command: bench/prescriptions.sh
#
#   1. builds the gateway jar, the test classes and their classpath (skip: BENCH_SKIP_BUILD=1);
#   2. starts the gateway on a fresh PostgreSQL database with the demo consortium (and its
#      formularies) loaded;
#   3. loads BENCH_PATIENTS synthetic patients with BENCH_RX_PER_PATIENT prescriptions each through
#      the FHIR transaction API as the county hospital's HIS (PrescriptionLoadGenerator: every entry
#      is authorized, matched, rule-checked and profile-validated) and records the ingest rate,
#      sustained: after warm-up patients of their own until the JIT compiler has settled;
#      then analyzes the database (planner statistics, whatever the server's autovacuum setting);
#   4. measures Patient/$shared-prescriptions as the village clinic (other institution's data:
#      sharing rules + one audit event per request) with wrk at BENCH_CLIENTS concurrent clients for
#      BENCH_DURATION, each request for a random generated patient — and, for comparison, the
#      equivalent plain search MedicationRequest?patient.identifier=…;
#   5. writes bench/results-prescriptions.md and bench/results-prescriptions.json.
#
# The issue's scale is BENCH_PATIENTS=100000 BENCH_RX_PER_PATIENT=10 (1,000,000 prescriptions).
# The default is a tenth of it: through the validating REST path the full scale takes about 100
# minutes on a 2-core machine (see the results file). To measure the shared view
# on an already loaded database: BENCH_DATABASE=<existing db> BENCH_SKIP_INGEST=1 (the patients
# file bench/work/rx-patients.txt must be the one written when it was loaded).
#
# Settings: BENCH_PATIENTS (10000), BENCH_RX_PER_PATIENT (10), BENCH_BUNDLE_PATIENTS (10 patients =
# 110 entries per transaction), BENCH_INGEST_CONCURRENCY (4), BENCH_CLIENTS (8), BENCH_DURATION
# (30s), BENCH_WARMUP_STEP (15: seconds per warm-up step) and BENCH_WARMUP_MAX (40 steps: the
# warm-up goes on until the JIT compiler's CPU time is less than 10 % of a step),
# BENCH_INGEST_WARMUP_PATIENTS (200 patients per ingest warm-up step) and BENCH_INGEST_WARMUP_MAX (20
# steps; 0: measure the ingest from the start, the compiler included), BENCH_POSTGRES_URL (maintenance
# database), BENCH_DATABASE (use this database, created if missing, and keep it), BENCH_KEEP_DB=1
# (do not drop the generated one), BENCH_SKIP_BUILD=1, BENCH_SKIP_INGEST=1, BENCH_HEAP (3g),
# BENCH_JAVA_OPTS (extra gateway JVM options).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

PATIENTS="${BENCH_PATIENTS:-10000}"
PER_PATIENT="${BENCH_RX_PER_PATIENT:-10}"
BUNDLE_PATIENTS="${BENCH_BUNDLE_PATIENTS:-10}"
INGEST_CONCURRENCY="${BENCH_INGEST_CONCURRENCY:-4}"
CLIENTS="${BENCH_CLIENTS:-8}"
DURATION="${BENCH_DURATION:-30s}"
HEAP="${BENCH_HEAP:-3g}"
. bench/lib.sh
PORT=18090
BASE="http://127.0.0.1:$PORT"
JAR="server/target/lianyao-server.jar"
WORK="bench/work"
STAMP="$(date +%Y%m%d%H%M%S)"
RAW="$WORK/rx-raw-$STAMP.jsonl"
IDS="$WORK/rx-patients.txt"
CP="$WORK/rx-classpath.txt"
mkdir -p "$WORK"
: > "$RAW"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$JAR" ] || [ ! -f "$CP" ]; then
  mvn -B -q -pl server -am package -DskipTests
  mvn -B -q -pl server -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$ROOT/$CP"
fi
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; }
pg_isready -h "$PG_HOST" -p "$PG_PORT" -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start

DB="${BENCH_DATABASE:-lianyao_bench_rx_$STAMP}"
# A named database is used as it is, and created (then kept) when it does not exist yet.
if [ -z "$(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "select 1 from pg_database where datname = '$DB'")" ]; then
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $DB" >/dev/null
fi
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [ -z "${BENCH_DATABASE:-}" ] && [ "${BENCH_KEEP_DB:-0}" != 1 ]; then
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
  fi
}
trap cleanup EXIT

LOG="$WORK/rx-gateway-$STAMP.log"
# BENCH_JAVA_OPTS: extra JVM options for the gateway, e.g. a JFR recording for profiling.
java "-Xmx$HEAP" ${BENCH_JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" --lianyao.demo.enabled=true \
  --lianyao.feeds.hl7.enabled=false \
  --spring.datasource.url="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB?user=$PG_USER" > "$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 1200); do
  curl -fs "$BASE/actuator/health" 2>/dev/null | grep -q '"UP"' && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "gateway died; see $LOG"; tail -40 "$LOG"; exit 1; }
  sleep 0.5
done
# Health turns UP once the start-up runners are done, demo formularies and prescriptions included.
echo "gateway up on database $DB"

if [ "${BENCH_SKIP_INGEST:-0}" != 1 ]; then
  generate() { # generate PATIENTS ID_FILE FIRST_PATIENT
    java -Xmx1g -cp "server/target/test-classes:server/target/classes:$(cat "$CP")" \
      org.lianyao.prescription.bench.PrescriptionLoadGenerator "$BASE" "$1" "$PER_PATIENT" \
      "$BUNDLE_PATIENTS" "$INGEST_CONCURRENCY" "$2" "$3"
  }
  # Warm-up, not recorded: the target is a sustained rate. Steps of BENCH_INGEST_WARMUP_PATIENTS
  # patients of their own (numbers from 4,000,000 up, resident IDs the measured patients never get)
  # until the JIT compiler has settled, at most BENCH_INGEST_WARMUP_MAX steps.
  WARMUP_PATIENTS="${BENCH_INGEST_WARMUP_PATIENTS:-200}"
  ingest_step() { # warm_up has counted this step in WARMUP_STEPS already
    generate "$WARMUP_PATIENTS" "$WORK/rx-warmup-patients.txt" $((4000000 + (WARMUP_STEPS - 1) * WARMUP_PATIENTS))
  }
  if [ "${BENCH_INGEST_WARMUP_MAX:-20}" -gt 0 ]; then
    echo "== ingest warm-up: steps of $WARMUP_PATIENTS patients"
    warm_up "$SERVER_PID" "${BENCH_INGEST_WARMUP_MAX:-20}" ingest_step
    echo "{\"kind\":\"ingest_warmup\",\"steps\":$WARMUP_STEPS,\"patients\":$((WARMUP_STEPS * WARMUP_PATIENTS)),\"seconds\":$WARMUP_SECONDS,\"last_jit_share_pct\":$WARMUP_JIT_PCT}" | tee -a "$RAW"
    # What autovacuum would have done during those minutes of loading: without statistics the
    # conditional creates' look-ups are planned for empty tables.
    analyze_database "$DB"
  fi
  echo "== ingest: $PATIENTS patients × $PER_PATIENT prescriptions, $BUNDLE_PATIENTS patients per bundle, $INGEST_CONCURRENCY concurrent"
  G0=$(proc_ticks "$SERVER_PID"); P0=$(postgres_ticks); J0="$(jit_seconds "$SERVER_PID")"
  generate "$PATIENTS" "$IDS" 0 | tee -a "$RAW"
  G1=$(proc_ticks "$SERVER_PID"); P1=$(postgres_ticks)
  echo "{\"kind\":\"ingest_cpu\",\"gateway_ticks\":$((G1 - G0)),\"postgres_ticks\":$((P1 - P0)),\"ticks_per_s\":$(getconf CLK_TCK),\"jit_s\":$(jit_since "$SERVER_PID" "$J0")}" | tee -a "$RAW"
fi
analyze_database "$DB"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB" -Atc \
  "select '{\"kind\":\"counts\",\"medication_requests\":' || (select count(*) from hfj_resource where res_type='MedicationRequest' and res_deleted_at is null) || ',\"patients\":' || (select count(*) from hfj_resource where res_type='Patient' and res_deleted_at is null) || ',\"database_mb\":' || (pg_database_size(current_database()) / 1048576) || '}'" | tee -a "$RAW"

token() {
  curl -fs -u "$1:demo-secret" -d grant_type=client_credentials "$BASE/oauth2/token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# measure NAME MODE CLIENT: wrk with the shared-prescriptions script; appends one JSON line.
measure() {
  local name=$1 mode=$2 client=$3 out
  local threads=$(( CLIENTS < 2 ? 1 : 2 ))
  # Tokens live 5 minutes: one per measurement.
  local tok g0 p0 g1 p1 j0 jit
  tok="$(token "$client")"
  g0=$(proc_ticks "$SERVER_PID"); p0=$(postgres_ticks); j0="$(jit_seconds "$SERVER_PID")"
  out=$(IDS="$IDS" MODE="$mode" TOKEN="$tok" \
    wrk -t"$threads" -c"$CLIENTS" -d"$DURATION" --latency -s bench/scenarios/shared-prescriptions.lua "$BASE")
  g1=$(proc_ticks "$SERVER_PID"); p1=$(postgres_ticks); jit="$(jit_since "$SERVER_PID" "$j0")"
  echo "$out" | sed 's/^/    /'
  python3 - "$name" "$CLIENTS" "$client" "$((g1 - g0))" "$((p1 - p0))" "$(getconf CLK_TCK)" \
    "$jit" >> "$RAW" <<PY
import json, re, sys
out = """$out"""
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    n, u = float(m.group(1)), m.group(2)
    return n / 1000 if u == "us" else n * 1000 if u == "s" else n
lat = dict((p, ms(v)) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
print(json.dumps({"kind": "load", "scenario": sys.argv[1], "clients": int(sys.argv[2]), "caller": sys.argv[3],
    "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
    "p50_ms": lat.get("50"), "p90_ms": lat.get("90"), "p95_ms": int(re.search(r"P95_US (\d+)", out).group(1)) / 1000,
    "p99_ms": lat.get("99"), "non2xx": int(re.search(r"NON2XX (\d+)", out).group(1)),
    "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    # CPU per request: stable where wall-clock rates swing with the machine's other work.
    "gateway_cpu_ms": round(int(sys.argv[4]) * 1000 / int(sys.argv[6]) / int(re.search(r"(\d+) requests in", out).group(1)), 2),
    "postgres_cpu_ms": round(int(sys.argv[5]) * 1000 / int(sys.argv[6]) / int(re.search(r"(\d+) requests in", out).group(1)), 2),
    "jit_s": float(sys.argv[7])}))
PY
  tail -n 1 "$RAW"
}

# Warm-up, not recorded (bench/lib.sh warm_up): BENCH_WARMUP_STEP-second steps of the shared view
# until the JIT compiler has settled, at most BENCH_WARMUP_MAX steps. A fixed 30 s left it compiling
# through the measurements (15 % of the gateway's CPU in a profile of the first one).
shared_view_step() {
  IDS="$IDS" MODE=operation TOKEN="$(token H50011200004)" wrk -t2 -c"$CLIENTS" -d"${BENCH_WARMUP_STEP:-15}s" \
    -s bench/scenarios/shared-prescriptions.lua "$BASE"
}
warm_up "$SERVER_PID" "${BENCH_WARMUP_MAX:-40}" shared_view_step
echo "{\"kind\":\"warmup\",\"seconds\":$WARMUP_SECONDS,\"clients\":$CLIENTS,\"last_jit_share_pct\":$WARMUP_JIT_PCT}" | tee -a "$RAW"
echo "== \$shared-prescriptions, village clinic (other institution's prescriptions)"
measure shared-prescriptions operation H50011200004
echo "== \$shared-prescriptions, county hospital (its own prescriptions)"
measure shared-prescriptions-own operation H50011200001
echo "== plain search MedicationRequest?patient.identifier=…, village clinic"
measure search-patient-identifier search H50011200004

python3 bench/report_prescriptions.py "$RAW" bench/results-prescriptions.json bench/results-prescriptions.md
echo "Results: bench/results-prescriptions.md"
