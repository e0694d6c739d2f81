# Shared by the bench scripts (sourced): the PostgreSQL server the benchmarks use, from
# BENCH_POSTGRES_URL (a JDBC URL of its maintenance database; default this machine's server).
PG_URL="${BENCH_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}"
PG_HOSTPORT="$(echo "$PG_URL" | sed -E 's#jdbc:postgresql://([^/]+)/.*#\1#')"
PG_HOST="${PG_HOSTPORT%:*}"; PG_PORT="${PG_HOSTPORT#*:}"
PG_USER="$(echo "$PG_URL" | sed -nE 's#.*[?&]user=([^&]+).*#\1#p')"; PG_USER="${PG_USER:-postgres}"

# CPU clock ticks (user + system, see getconf CLK_TCK) used so far by process $1 and by its children
# it has reaped (cutime + cstime; 0 if gone). The children matter for PostgreSQL's postmaster: a
# backend that exits takes its CPU time with it except into its parent's children fields.
proc_ticks() {
  awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# The same summed over this machine's PostgreSQL server processes, including the backends that have
# exited since (through the postmaster's children fields): the connection pool replaces its
# connections every 30 minutes (Hikari's maxLifetime), and without them a 90-minute ingest showed a
# tenth of the database's CPU time.
postgres_ticks() {
  local total=0 pid
  for pid in $(pgrep -x -u postgres postgres); do
    total=$(( total + $(proc_ticks "$pid") ))
  done
  echo "$total"
}

# Planner statistics for database $1, as PostgreSQL's autovacuum gathers them within a minute of a
# bulk load: on a server running with autovacuum off (this machine's) every read of freshly loaded
# data is planned blind.
analyze_database() {
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$1" -qc "ANALYZE"
}

# CPU seconds JVM $1's JIT compiler threads (HotSpot's "C1/C2 CompilerThread…") have used so far,
# from /proc; empty when unknown. On this 2-core machine the compiler was seen busy for minutes under
# steady load, taking a core from the server it compiles for: the benches warm up until it settles,
# or report it next to their measurements. Not jstat's compile time: that is the wall-clock time of
# the compilations, which under load counts the time the compiler threads waited for a core (2.6 ×
# their CPU time in a prescription-bench run).
jit_seconds() {
  [ -n "${1:-}" ] && [ -d "/proc/$1/task" ] || return 0
  local t ticks=0 comm
  for t in /proc/"$1"/task/*; do
    comm="$(cat "$t/comm" 2>/dev/null)" || continue
    case "$comm" in
      C1\ Compiler*|C2\ Compiler*)
        # utime and stime: fields 14 and 15, counted after the parenthesised thread name.
        ticks=$((ticks + $(sed 's/.*) //' "$t/stat" | awk '{ print $12 + $13 }'))) ;;
    esac
  done
  python3 -c "print(round($ticks / $(getconf CLK_TCK), 2))"
}

# jit_since PID START: CPU seconds JVM PID's JIT compiler threads used since jit_seconds gave START
# (a measurement's "JIT s"); 0 when unknown.
jit_since() {
  local now
  now="$(jit_seconds "$1")"
  python3 -c "print(round(${now:-0} - ${2:-0}, 1))"
}

# warm_up PID MAX_STEPS COMMAND [ARGS...]: runs COMMAND (one step of the load about to be measured;
# a shell function is fine, it runs in this shell with its output discarded and WARMUP_STEPS
# already counting its step) again and again until
# JVM PID's JIT compiler threads used less than 10 % of a step's wall-clock time, at most MAX_STEPS
# times. The targets are sustained rates, and for minutes after a start the compiler takes most of a
# core of this 2-core machine. Sets WARMUP_STEPS, WARMUP_SECONDS (wall clock, all steps) and
# WARMUP_JIT_PCT (the compiler's share of the last step).
warm_up() {
  local pid=$1 max=$2 jit0 jit1 t0 t1
  shift 2
  WARMUP_STEPS=0; WARMUP_SECONDS=0; WARMUP_JIT_PCT=100
  while [ "$WARMUP_STEPS" -lt "$max" ] && [ "$WARMUP_JIT_PCT" -ge 10 ]; do
    WARMUP_STEPS=$((WARMUP_STEPS + 1))
    jit0="$(jit_seconds "$pid")"; t0="$(date +%s.%N)"
    "$@" >/dev/null
    jit1="$(jit_seconds "$pid")"; t1="$(date +%s.%N)"
    read -r WARMUP_JIT_PCT WARMUP_SECONDS < <(python3 -c "
d = max($t1 - $t0, 0.001)
print(int(100 * (${jit1:-0} - ${jit0:-0}) / d), round($WARMUP_SECONDS + d))")
  done
}
