#!/usr/bin/env bash
# A streaming replica (pg_basebackup on loopback) answers ords.authorize for tokens issued on
# the primary once replicated, and sees every change that narrows access (the cache
# invalidation travels in the commit record); issuing or revoking on the standby fails with a
# clear error (25006 / HTTP 503), never a crash.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib.bash
reliability_suite hot_standby
S_DIR=${S_DIR:-/tmp/pg_ords-standby}; S_PORT=$((R_PORT + 1))
trap 'stop_cluster "$S_DIR"; stop_cluster "$R_DIR"' EXIT
stop_cluster "$S_DIR"
start_cluster "$R_DIR" "$R_PORT" "shared_preload_libraries = 'pg_ords'" "wal_level = replica"

q postgres postgres -c "CREATE DATABASE app" >/dev/null
provision_seed003 app

rm -rf "$S_DIR"; mkdir -p "$S_DIR"; chown postgres "$S_DIR"
sudo -u postgres "$PG_BIN/pg_basebackup" -h "$R_DIR" -p "$R_PORT" -U postgres -D "$S_DIR/data" -R -X stream
sed -i "s/^port = .*/port = $S_PORT/; s|^unix_socket_directories = .*|unix_socket_directories = '$S_DIR'|" "$S_DIR/data/postgresql.conf"
echo "hot_standby = on" >>"$S_DIR/data/postgresql.conf"
sudo -u postgres "$PG_BIN/pg_ctl" -D "$S_DIR/data" -l "$S_DIR/server.log" -w start >/dev/null
sq() { local role=$1; shift; psql -X -q -At -h "$S_DIR" -p "$S_PORT" -U "$role" -d app "$@"; }
wait_replay() {
  local lsn; lsn=$(q postgres app -c "SELECT pg_current_wal_lsn()")
  for _ in $(seq 1 100); do
    [ "$(sq postgres -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" == t ] && return 0
    sleep 0.1
  done
  echo "standby did not catch up"; return 1
}
standby_outcome() {
  sq page -v t="$TOKEN" <<'SQL'
SELECT outcome FROM ords.authorize(:'t', 'GET', '/customers/validation/1', 'page');
SQL
}

wait_replay
check "standby is in recovery" "t" "$(sq postgres -c "SELECT pg_is_in_recovery()")"
check "token issued on the primary is allowed on the standby" "allowed" "$(standby_outcome)"
check "validate_token works on the standby" "license_backend_client" "$(sq page -v t="$TOKEN" <<'SQL'
SELECT client_name FROM oauth.validate_token(:'t');
SQL
)"
q page app -c "SELECT oauth.revoke_client_role('license_backend_client', 'license_role')" >/dev/null
wait_replay
check "role revoked on the primary: forbidden on the standby" "forbidden" "$(standby_outcome)"
q page app -c "SELECT oauth.grant_client_role('license_backend_client', 'license_role')" >/dev/null
wait_replay
check "role granted again: allowed on the standby" "allowed" "$(standby_outcome)"
q page app -v t="$TOKEN" >/dev/null <<'SQL'
SELECT oauth.revoke_token(:'t');
SQL
wait_replay
check "token revoked on the primary: unauthorized on the standby" "unauthorized" "$(standby_outcome)"

err=$(sq page -v id="$CLIENT_ID" -v s="$SECRET" -v VERBOSITY=sqlstate 2>&1 <<'SQL' || true
SELECT * FROM oauth.issue_token(:'id', :'s');
SQL
)
check "issue_token on the standby: clean 25006" "ERROR:  25006" "$(echo "$err" | grep -o 'ERROR:  [0-9A-Z]*' | head -1)"
check "token_endpoint on the standby: 503 temporarily_unavailable" "503 temporarily_unavailable" "$(sq page -v b="$(printf '%s:%s' "$CLIENT_ID" "$SECRET" | base64 -w0)" <<'SQL'
SELECT status || ' ' || (body->>'error') FROM oauth.token_endpoint('Basic ' || :'b', 'application/x-www-form-urlencoded', 'grant_type=client_credentials', 'page');
SQL
)"
check "standby server still up" "1" "$(sq postgres -c "SELECT 1")"
finish
