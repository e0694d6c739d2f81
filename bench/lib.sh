# Shared by the bench scripts (sourced): the PostgreSQL server the benchmarks use, from
# BENCH_POSTGRES_URL (a JDBC URL of its maintenance database; default this machine's server).
PG_URL="${BENCH_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}"
PG_HOSTPORT="$(echo "$PG_URL" | sed -E 's#jdbc:postgresql://([^/]+)/.*#\1#')"
PG_HOST="${PG_HOSTPORT%:*}"; PG_PORT="${PG_HOSTPORT#*:}"
PG_USER="$(echo "$PG_URL" | sed -nE 's#.*[?&]user=([^&]+).*#\1#p')"; PG_USER="${PG_USER:-postgres}"
