#!/usr/bin/env bash
# What one protected handler GET costs the database: the statements the gateway sends (counted
# in the server log with log_statement = all) and the time of N sequential requests over one
# keep-alive connection (curl), for a gateway binary. Not part of scripts/test.
#   tests/gateway/roundtrips.sh [BINARY]   (GW_LEGACY=1 for a 0.2.0 binary; RT_N requests)
# Cluster dir and ports: tests/ports.bash (RT_DIR, RT_PG_PORT, RT_GW_PORT).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib.bash
DIR=$RT_DIR PG_PORT=$RT_PG_PORT GW_PORT=$RT_GW_PORT
CLUSTER_DIR=$DIR CLUSTER_PORT=$PG_PORT
N=${RT_N:-2000}
BIN=${1:-${GW_TARGET_DIR:-/tmp/gw-target}/release/pg-ords-gateway}
GW_LEGACY=${GW_LEGACY:-0}
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; stop_cluster "$DIR"; }
trap cleanup EXIT

start_cluster "$DIR" "$PG_PORT" "shared_preload_libraries = 'pg_ords'"
q postgres postgres -c "CREATE DATABASE app" >/dev/null
q postgres app >/dev/null <<'SQL'
CREATE EXTENSION pg_ords;
CREATE ROLE page LOGIN;
CREATE SCHEMA page AUTHORIZATION page;
CREATE ROLE ords_gateway LOGIN NOINHERIT;
SQL
if [ "$GW_LEGACY" == 1 ]; then
  q postgres app >/dev/null <<'SQL'
GRANT USAGE ON SCHEMA ords_metadata TO ords_gateway;
GRANT SELECT ON ords_metadata.ords_schemas, ords_metadata.ords_modules,
                ords_metadata.ords_templates, ords_metadata.ords_handlers TO ords_gateway;
GRANT page TO ords_gateway;
SQL
  ARGS=()
else
  q postgres app -c "GRANT EXECUTE ON FUNCTION ords.gateway_handlers(text, text), ords.gateway_aliases(), ords.gateway_check_login(text, text) TO ords_gateway" >/dev/null
  ARGS=(--handler-database-url "page=postgresql://page@127.0.0.1:$PG_PORT/app")
fi
q page app >/dev/null <<'SQL'
CREATE TABLE licenses (id integer PRIMARY KEY, customer text NOT NULL);
INSERT INTO licenses VALUES (1, 'ACME Corp');
SELECT ords.enable_schema(p_url_mapping_pattern => 'page');
SELECT ords.define_service(p_module_name => 'customers', p_base_path => 'customers/', p_pattern => 'validation/:id',
                           p_source_type => ords.source_type_query_one_row(), p_source => 'select * from licenses where id = :id');
SELECT ords.create_role(p_role_name => 'license_role');
SELECT ords.create_privilege(p_name => 'license_priv', p_role_name => 'license_role');
SELECT ords.set_module_privilege(p_module_name => 'customers', p_privilege_name => 'license_priv');
SQL
read -r ID SECRET <<<"$(q page app -F ' ' -c "SELECT client_id, client_secret FROM oauth.create_client('c', 'client_credentials')")"
q page app -c "SELECT oauth.grant_client_role('c', 'license_role')" >/dev/null

PG_ORDS_DATABASE_URL="postgresql://ords_gateway@127.0.0.1:$PG_PORT/app" "$BIN" --listen "127.0.0.1:$GW_PORT" --pool-size 2 \
  "${ARGS[@]}" >"$DIR/gateway.log" 2>&1 & pid=$!
wait_http "http://127.0.0.1:$GW_PORT/health"
TOKEN=$(curl -s --user "$ID:$SECRET" --data grant_type=client_credentials "http://127.0.0.1:$GW_PORT/ords/page/oauth/token" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
URL="http://127.0.0.1:$GW_PORT/ords/page/customers/validation/1"
for _ in 1 2 3; do curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "$URL"; done   # warm: prepared, cached

q postgres app -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.3
before=$(wc -l <"$DIR/server.log")
curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "$URL"
sleep 0.3
q postgres app -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.3
echo "statements logged for one protected handler GET:"
tail -n +"$((before + 1))" "$DIR/server.log" | grep -E 'LOG:  (statement|execute)' | grep -v 'ALTER SYSTEM' |
  sed -E 's/^.*LOG:  //' | cut -c1-110
echo "count: $(tail -n +"$((before + 1))" "$DIR/server.log" | grep -E 'LOG:  (statement|execute)' | grep -vc 'ALTER SYSTEM')"

cfg=$DIR/curl.cfg
: >"$cfg"
for _ in $(seq 1 "$N"); do printf 'url = "%s"\noutput = /dev/null\n' "$URL" >>"$cfg"; done
s0=$(date +%s%N)
curl -s -H "Authorization: Bearer $TOKEN" --config "$cfg" -w '%{http_code} %{time_total}\n' >"$DIR/codes"
ms=$((($(date +%s%N) - s0) / 1000000))
echo "$N sequential GETs (one keep-alive connection): ${ms} ms, $(grep -c '^200 ' "$DIR/codes") × 200;" \
  "mean ms per quarter: $(python3 -c 'import sys; t=[float(l.split()[1]) for l in open(sys.argv[1])]; q=len(t)//4; print(" ".join("%.2f" % (1000*sum(t[i*q:(i+1)*q])/q) for i in range(4)))' "$DIR/codes")"
