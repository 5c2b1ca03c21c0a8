#!/usr/bin/env bash
# Concurrency (short form; scripts/soak runs the same for SOAK_SECONDS): CONC_WORKERS (8)
# sessions issue tokens and call ords.authorize while an administrator session rotates secrets
# (with and without p_revoke_sessions / p_revoke_existing), revokes and grants roles, and
# deletes and recreates clients, for CONC_SECONDS (60). Every answer is checked against a model
# of what should be allowed at that moment, made sound under concurrency with commit-time
# windows (see tests/reliability/conc_workload.py): wrong decisions must be 0, no deadlock or
# serialization failure may reach a caller, and the token table must stay bounded while far
# more short-lived tokens are issued than stay live.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib.bash
reliability_suite concurrency
trap 'stop_cluster "$R_DIR"' EXIT
python3 -c 'import psycopg' 2>/dev/null || pip install -q 'psycopg[binary]' >/dev/null
CONC_WORKERS=${CONC_WORKERS:-8}
start_cluster "$R_DIR" "$R_PORT" "shared_preload_libraries = 'pg_ords'" "max_connections = $((CONC_WORKERS + 20))" \
  "deadlock_timeout = '100ms'" "log_lock_waits = on"
LOG=$R_DIR/server.log

q postgres postgres -c "CREATE DATABASE app" >/dev/null
provision_seed003 app
# Cheap generated secrets (documented knob), and no throttling: workers legitimately try
# secrets that a concurrent rotation has just replaced.
q postgres app -c "ALTER SYSTEM SET pg_ords.generated_secret_argon2_memory_kib = 64" \
  -c "ALTER SYSTEM SET pg_ords.generated_secret_argon2_iterations = 1" \
  -c "ALTER SYSTEM SET pg_ords.failed_attempts_allowed = 1000000" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.2

export CONC_DSN="host=$R_DIR port=$R_PORT dbname=app user=page" CONC_SUPER_DSN="host=$R_DIR port=$R_PORT dbname=app user=postgres"
export CONC_OUT=$R_DIR/result.txt CONC_SECONDS=${CONC_SECONDS:-60} CONC_WORKERS CONC_PROGRESS=${CONC_PROGRESS:-0}
python3 tests/reliability/conc_workload.py
while IFS=$'\x1f' read -r kind a b d; do
  case $kind in
    info) echo "info - $a" ;;
    check) check "$a" "$b" "$d" ;;
  esac
done <"$CONC_OUT"

check "server log: no deadlock detected" "0" "$(grep -c 'deadlock detected' "$LOG" || true)"
check "server log: no PANIC, no crashed backend" "0" "$(grep -cE 'PANIC|terminated by signal' "$LOG" || true)"
echo "info - lock waits over deadlock_timeout (100 ms) logged: $(grep -c 'still waiting for' "$LOG" || true)"
check "no orphan sessions, secrets or client roles; at most 2 secrets per client" "0 0 0 t" "$(q postgres app <<'SQL'
SELECT concat_ws(' ',
  (SELECT count(*) FROM ords_metadata.oauth_sessions s WHERE NOT EXISTS (SELECT FROM ords_metadata.oauth_clients c WHERE c.id = s.client_id)),
  (SELECT count(*) FROM ords_metadata.oauth_client_secrets s WHERE NOT EXISTS (SELECT FROM ords_metadata.oauth_clients c WHERE c.id = s.client_id)),
  (SELECT count(*) FROM ords_metadata.oauth_client_roles r WHERE NOT EXISTS (SELECT FROM ords_metadata.oauth_clients c WHERE c.id = r.client_id)),
  (SELECT coalesce(max(n), 0) <= 2 FROM (SELECT count(*) n FROM ords_metadata.oauth_client_secrets GROUP BY client_id) x));
SQL
)"
check "decisions for the seed-003 token unchanged" "/admin/x=forbidden /customers/validation/1=allowed /public=public" "$(decisions app)"
echo "info - oauth.purge_expired_tokens() after the run removed $(q page app -c "SELECT oauth.purge_expired_tokens()") expired rows"
finish
