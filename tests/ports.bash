# Every test suite's default port and scratch directory, in one place. Sourced by scripts/regress,
# scripts/isolation and tests/lib.bash (so by every reliability and gateway script).
# Each default is overridden by the environment variable named on its line: two checkouts on one
# machine give each other different values. Everything listens on 127.0.0.1 / a socket in its dir.
#
#   suite                          port(s)               scratch dir               override with
#   scripts/regress                5466                  /tmp/pg_ords-regress      PG_ORDS_REGRESS_PORT, PG_ORDS_REGRESS_DIR
#   scripts/isolation              5467                  /tmp/pg_ords-isolation    PG_ORDS_ISOLATION_PORT, PG_ORDS_ISOLATION_DIR
#   scripts/compat                 5468                  /tmp/pg_ords-compat       PG_ORDS_COMPAT_PORT, PG_ORDS_COMPAT_DIR
#   cargo pgrx test (pg_tests)     (pgrx picks)          /tmp/pg_ords-test         PG_ORDS_TEST_PGDATA (scripts/test)
#   tests/reliability/NAME.sh      see reliability_cluster below                   R_PORT, R_DIR (any script)
#     hot_standby's standby        R_PORT + 1            /tmp/pg_ords-standby      S_DIR
#   tests/gateway/run.sh           cluster 5431          /tmp/pg_ords-gw           GW_PG_PORT, GW_DIR
#                                  gateways 18081..18084 (main, upstream, pool-1, isolation)
#                                                                                  GW_PORT (the others follow: +1, +2, +3),
#                                                                                  or GW_UP_PORT, GW2_PORT, GW3_PORT one by one
#   tests/gateway/roundtrips.sh    cluster 5631, gw 18185 /tmp/gw-rt               RT_PG_PORT, RT_GW_PORT, RT_DIR
# Not tests, listed so nothing above collides with them (their defaults live in their scripts):
#   scripts/demo 5488 + 18095, scripts/bench 5477 + 18090, scripts/soak 5444 (SOAK_PORT; it runs
#   tests/reliability/concurrency.sh with R_PORT set).

REGRESS_PORT=${PG_ORDS_REGRESS_PORT:-5466}
REGRESS_DIR=${PG_ORDS_REGRESS_DIR:-/tmp/pg_ords-regress}
ISOLATION_PORT=${PG_ORDS_ISOLATION_PORT:-5467}
ISOLATION_DIR=${PG_ORDS_ISOLATION_DIR:-/tmp/pg_ords-isolation}

GW_DIR=${GW_DIR:-/tmp/pg_ords-gw}
GW_PG_PORT=${GW_PG_PORT:-5431}
GW_PORT=${GW_PORT:-18081}             # main gateway (pools of 4)
GW_UP_PORT=${GW_UP_PORT:-$((GW_PORT + 1))}  # stand-in upstream (PostgREST's place)
GW2_PORT=${GW2_PORT:-$((GW_PORT + 2))}      # pools of 1, short pool wait: 503 and graceful shutdown
GW3_PORT=${GW3_PORT:-$((GW_PORT + 3))}      # pools of 1: requests share connections (isolation attacks)

RT_DIR=${RT_DIR:-/tmp/gw-rt}
RT_PG_PORT=${RT_PG_PORT:-5631}
RT_GW_PORT=${RT_GW_PORT:-18185}

# reliability_cluster NAME: R_DIR and R_PORT for tests/reliability/NAME.sh, unless set already.
# One port per script, so two scripts may run at the same time.
reliability_cluster() {
  local port
  case $1 in
    no_secrets_in_logs) port=5441 ;;
    crash_recovery) port=5442 ;;
    concurrency) port=5443 ;;
    jwt_independent) port=5448 ;;
    identity_no_preload) port=5450 ;;
    dump_restore) port=5453 ;;
    hot_standby) port=5455 ;;   # and its standby on 5456
    throttle) port=5457 ;;
    upgrade) port=5458 ;;
    input_matrix) port=5459 ;;
    stored_secrets) port=5460 ;;   # and its second cluster on 5461
    *) echo "tests/ports.bash: no port for reliability suite '$1' (add it to reliability_cluster)" >&2; return 1 ;;
  esac
  R_DIR=${R_DIR:-/tmp/pg_ords-rel-$1}
  R_PORT=${R_PORT:-$port}
}
