#!/usr/bin/env bash
# Crash recovery: while four sessions issue tokens and provision (create_client, grant a role,
# rotate the secret, create_role / create_privilege / create_privilege_mapping; one session in
# transactions, one statement by statement), one of their backends is killed with SIGKILL in
# the middle of a call, CRASH_KILLS times (default 2). Postgres terminates every backend and
# runs crash recovery. Afterwards, as superuser: the catalog is consistent (no orphan rows, at
# most two secrets per client, the B-tree indexes verify with amcheck); everything that
# reported success to the driver before a kill is there; every transaction left all or
# nothing; tokens issued before the crash still authorize; secrets still verify.
# Workload and client-side bookkeeping: tests/reliability/crash_workload.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib.bash
reliability_suite crash_recovery
trap 'stop_cluster "$R_DIR"' EXIT
python3 -c 'import psycopg' 2>/dev/null || pip install -q 'psycopg[binary]' >/dev/null
start_cluster "$R_DIR" "$R_PORT" "shared_preload_libraries = 'pg_ords'" "restart_after_crash = on" \
  "max_connections = 40"
LOG=$R_DIR/server.log

q postgres postgres -c "CREATE DATABASE app" >/dev/null
provision_seed003 app          # the seed client keeps the default (costly) Argon2id parameters
# Cheap generated secrets for everything created from here on (documented knob).
q postgres app -c "ALTER SYSTEM SET pg_ords.generated_secret_argon2_memory_kib = 64" \
  -c "ALTER SYSTEM SET pg_ords.generated_secret_argon2_iterations = 1" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.2
read -r FAST_CLIENT_ID FAST_SECRET <<<"$(q page app -F ' ' -c "SELECT client_id, client_secret FROM oauth.create_client('fast_client', 'client_credentials')")"
q page app -c "SELECT oauth.grant_client_role('fast_client', 'license_role')" >/dev/null
check "seed-003 token allowed before the crash" "allowed" "$(decisions app | grep -o 'validation/1=[a-z]*' | cut -d= -f2)"

export CRASH_DSN="host=$R_DIR port=$R_PORT dbname=app user=page" CRASH_SUPER_DSN="host=$R_DIR port=$R_PORT dbname=app user=postgres"
export CRASH_OUT=$R_DIR/result.txt CRASH_SECONDS=${CRASH_SECONDS:-12} CRASH_KILLS=${CRASH_KILLS:-2}
export SEED_CLIENT_ID=$CLIENT_ID SEED_SECRET=$SECRET SEED_TOKEN=$TOKEN FAST_CLIENT_ID FAST_SECRET
python3 tests/reliability/crash_workload.py
while IFS=$'\x1f' read -r kind a b d; do
  case $kind in
    info) echo "info - $a" ;;
    check) check "$a" "$b" "$d" ;;
  esac
done <"$CRASH_OUT"

check "server log: a backend was terminated by signal 9, once per kill" "$CRASH_KILLS" \
  "$(grep -c 'terminated by signal 9' "$LOG" || true)"
check "server log: crash recovery ran after each kill" "$CRASH_KILLS" \
  "$(grep -c 'database system was not properly shut down; automatic recovery in progress' "$LOG" || true)"
check "server log: no PANIC" "0" "$(grep -c 'PANIC' "$LOG" || true)"

# Catalog consistency, as superuser.
orphans=$(q postgres app <<'SQL'
SELECT concat_ws(' ',
  (SELECT count(*) FROM ords_metadata.oauth_sessions s WHERE NOT EXISTS (SELECT FROM ords_metadata.oauth_clients c WHERE c.id = s.client_id)),
  (SELECT count(*) FROM ords_metadata.oauth_client_secrets s WHERE NOT EXISTS (SELECT FROM ords_metadata.oauth_clients c WHERE c.id = s.client_id)),
  (SELECT count(*) FROM ords_metadata.oauth_clients c WHERE NOT EXISTS (SELECT FROM ords_metadata.ords_schemas s WHERE s.id = c.schema_id)),
  (SELECT count(*) FROM ords_metadata.oauth_client_roles cr WHERE NOT EXISTS (SELECT FROM ords_metadata.oauth_clients c WHERE c.id = cr.client_id)
                                                            OR NOT EXISTS (SELECT FROM ords_metadata.sec_roles r WHERE r.id = cr.role_id)),
  (SELECT count(*) FROM ords_metadata.oauth_client_privileges cp WHERE NOT EXISTS (SELECT FROM ords_metadata.oauth_clients c WHERE c.id = cp.client_id)
                                                                 OR NOT EXISTS (SELECT FROM ords_metadata.sec_privileges p WHERE p.id = cp.privilege_id)),
  (SELECT count(*) FROM ords_metadata.sec_privilege_roles pr WHERE NOT EXISTS (SELECT FROM ords_metadata.sec_privileges p WHERE p.id = pr.privilege_id)
                                                             OR NOT EXISTS (SELECT FROM ords_metadata.sec_roles r WHERE r.id = pr.role_id)),
  (SELECT count(*) FROM ords_metadata.sec_privilege_mappings m WHERE NOT EXISTS (SELECT FROM ords_metadata.sec_privileges p WHERE p.id = m.privilege_id)),
  (SELECT count(*) FROM ords_metadata.sec_roles r WHERE NOT EXISTS (SELECT FROM ords_metadata.ords_schemas s WHERE s.id = r.schema_id)),
  (SELECT count(*) FROM ords_metadata.sec_privileges p WHERE NOT EXISTS (SELECT FROM ords_metadata.ords_schemas s WHERE s.id = p.schema_id)));
SQL
)
check "no orphans: sessions, secrets, clients, client roles, client privileges, privilege roles, mappings, roles, privileges" \
  "0 0 0 0 0 0 0 0 0" "$orphans"
check "at most 2 secrets per client, slots 1 and 2 only" "t" "$(q postgres app -c "
SELECT coalesce(max(n), 0) <= 2 AND bool_and(ok) FROM (SELECT count(*) n, bool_and(slot IN (1, 2)) ok
  FROM ords_metadata.oauth_client_secrets GROUP BY client_id) x")"
check "every secret is an Argon2id PHC string" "0" "$(q postgres app -c "
SELECT count(*) FROM ords_metadata.oauth_client_secrets WHERE secret_hash NOT LIKE '\$argon2id\$%'")"
check "every client of the workload has a secret" "0" "$(q postgres app -c "
SELECT count(*) FROM ords_metadata.oauth_clients c WHERE NOT EXISTS (SELECT FROM ords_metadata.oauth_client_secrets s WHERE s.client_id = c.id)")"
check "ids unique across tables (one id space)" "0" "$(q postgres app <<'SQL'
SELECT count(*) - count(DISTINCT id) FROM (
  SELECT id FROM ords_metadata.ords_schemas UNION ALL SELECT id FROM ords_metadata.sec_roles
  UNION ALL SELECT id FROM ords_metadata.sec_privileges UNION ALL SELECT id FROM ords_metadata.sec_privilege_mappings
  UNION ALL SELECT id FROM ords_metadata.ords_modules UNION ALL SELECT id FROM ords_metadata.oauth_clients) x;
SQL
)"
if [ -f /usr/share/postgresql/15/extension/amcheck.control ]; then
  n_idx=$(q postgres app -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_am a ON a.oid = c.relam WHERE n.nspname = 'ords_metadata' AND c.relkind = 'i' AND a.amname = 'btree'")
  check "amcheck: every ords_metadata B-tree index verifies against its table (bt_index_check, heapallindexed)" "$n_idx" \
    "$(q postgres app -c "CREATE EXTENSION IF NOT EXISTS amcheck" -c "
SELECT count(*) FROM (SELECT bt_index_check(c.oid, true) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_am a ON a.oid = c.relam WHERE n.nspname = 'ords_metadata' AND c.relkind = 'i' AND a.amname = 'btree') x" 2>&1)"
fi
check "decisions after recovery (seed-003 token)" "/admin/x=forbidden /customers/validation/1=allowed /public=public" "$(decisions app)"
finish
