#!/usr/bin/env bash
# pg_ords tells who is calling from a stack of function calls that its fmgr_hook keeps
# (src/identity.rs). A library loaded in the middle of a session may be running inside a
# SECURITY DEFINER function it never saw start, so without shared_preload_libraries every
# entry point that needs the caller's identity fails closed (55000), also after LOAD, and
# token issuance and ords.authorize keep working. With the library preloaded, the same calls
# act for current_user at the call site. See docs/ownership.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib.bash
reliability_suite identity_no_preload
trap 'stop_cluster "$R_DIR"' EXIT
sqlstate() { # sqlstate ROLE SQL: the SQLSTATE the statement fails with, or 'ok'
  local out
  out=$(q "$1" postgres -v VERBOSITY=sqlstate -c "$2" 2>&1 >/dev/null || true)
  out=$(sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\).*/\1/p' <<<"$out" | head -1)
  echo "${out:-ok}"
}

start_cluster "$R_DIR" "$R_PORT"   # no shared_preload_libraries
q postgres postgres >/dev/null <<'SQL'
CREATE ROLE np_a LOGIN;
CREATE ROLE np_b LOGIN;
CREATE SCHEMA np_b_code AUTHORIZATION np_b;
GRANT USAGE ON SCHEMA np_b_code TO PUBLIC;
CREATE EXTENSION pg_ords;
SQL
q postgres postgres -c "SELECT 1" >/dev/null
check "not preloaded: enable_schema refuses (55000)" "55000" "$(sqlstate np_a "SELECT ords.enable_schema()")"
check "not preloaded: the message names the fix" "1" "$(q np_a postgres -c "SELECT ords.enable_schema()" 2>&1 | grep -c "shared_preload_libraries")"
check "not preloaded: user_ords_schemas refuses (55000)" "55000" "$(sqlstate np_a "SELECT count(*) FROM user_ords_schemas")"
check "not preloaded: LOAD in the session does not help" "55000" "$(sqlstate postgres "LOAD 'pg_ords'; SET ROLE np_a; SELECT ords.enable_schema()")"
check "not preloaded: an administrator's call refuses too" "55000" \
  "$(sqlstate postgres "SELECT ords_admin.enable_schema(p_schema => 'np_a')")"
# np_b's definer function, called by np_a, would have provisioned for np_a in 0.2.0.
q np_b postgres >/dev/null <<'SQL'
CREATE FUNCTION np_b_code.enable() RETURNS void LANGUAGE sql SECURITY DEFINER AS $$ SELECT ords.enable_schema() $$;
SQL
check "not preloaded: a definer function refuses rather than guess" "55000" "$(sqlstate np_a "SELECT np_b_code.enable()")"
check "not preloaded: nothing was REST-enabled" "0" "$(q postgres postgres -c "SELECT count(*) FROM ords_metadata.ords_schemas")"
# Decisions (and token issuance) do not need the caller's identity: they keep working.
check "not preloaded: ords.authorize still decides (unknown alias, not 55000)" "1" \
  "$(q np_a postgres -c "SELECT outcome FROM ords.authorize(NULL, 'GET', '/x', 'nobody')" 2>&1 | grep -c "no enabled REST-enabled schema" || true)"
stop_cluster "$R_DIR"

# The same cluster, preloaded: the same calls work and act for current_user at the call site.
echo "shared_preload_libraries = 'pg_ords'" >>"$R_DIR/data/postgresql.conf"
sudo -u postgres "$PG_BIN/pg_ctl" -D "$R_DIR/data" -l "$R_DIR/server.log" -w start >/dev/null
check "preloaded: the definer function enables its owner's schema" "ok" "$(sqlstate np_a "SELECT np_b_code.enable()")"
check "preloaded: np_b's schema, not np_a's" "np_b" "$(q postgres postgres -c "SELECT string_agg(parsing_schema, ',') FROM ords_metadata.ords_schemas")"
check "preloaded: np_a enables its own" "ok" "$(sqlstate np_a "SELECT ords.enable_schema()")"
check "preloaded: user_ords_schemas shows the caller's row" "np_a" "$(q np_a postgres -c "SELECT parsing_schema FROM user_ords_schemas")"
finish
