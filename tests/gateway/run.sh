#!/usr/bin/env bash
# pg-ords-gateway end to end, with real HTTP clients: seed 003 provisioned exactly, then the
# seeds' curl commands (host and port aside), requests-oauthlib's client-credentials flow,
# seed 002's Postman collection under newman, the error paths as raw HTTP, the reverse proxy,
# limits, 503 + Retry-After on an exhausted pool, and graceful shutdown on SIGTERM.
# Then the isolation attacks of a hostile tenant (bob) and hostile clients: a handler acting as
# another tenant, state left in a pooled connection, implicit parameters from the query string,
# method spellings, header folding, bad bytes, log injection.
# Everything runs on 127.0.0.1 and is stopped on exit; ports and dir: tests/ports.bash (GW_DIR,
# GW_PG_PORT, GW_PORT; the upstream and the two other gateways follow GW_PORT: +1, +2, +3).
# Run as root from anywhere: tests/gateway/run.sh   (GW_SKIP_BUILD=1 to reuse a built binary)
# GW_LEGACY=1 GW_BIN=<a 0.2.0 gateway> runs the same tests against the old binary, configured as
# its README said (one pool, the gateway's role a member of every tenant): the attacks succeed.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib.bash
PG_PORT=$GW_PG_PORT UP_PORT=$GW_UP_PORT   # tests/ports.bash: GW_PORT main gateway (pools of 4), UP_PORT
CLUSTER_DIR=$GW_DIR CLUSTER_PORT=$PG_PORT # stand-in upstream, GW2_PORT pools of 1 (503, shutdown),
                                          # GW3_PORT pools of 1 (isolation attacks)
GW_LEGACY=${GW_LEGACY:-0}
export CARGO_TARGET_DIR=${GW_TARGET_DIR:-/tmp/gw-target}
# The workspace's release profile is tuned for the extension (fat LTO, 1 codegen unit); the
# gateway does not need that and builds in about 1.5 minutes from scratch without it.
export CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=2
GW_BIN=${GW_BIN:-$CARGO_TARGET_DIR/release/pg-ords-gateway}
VENV=${GW_VENV:-/tmp/pg_ords-gw-venv}
NEWMAN_PREFIX=${GW_NEWMAN_PREFIX:-/tmp/newman}

pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  stop_cluster "$GW_DIR"
}
trap cleanup EXIT

json() { # json FILE PYTHON-EXPR-ON-d
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=eval(sys.argv[2]); print(json.dumps(v) if isinstance(v,(dict,list,bool)) or v is None else v)' "$1" "$2" 2>/dev/null || echo "<no json>"
}
T=$GW_DIR/http; mkdir -p "$T" 2>/dev/null || true
req() { # req PORT METHOD PATH [curl args...] → $T/status, $T/headers, $T/body
  local port=$1 method=$2 path=$3; shift 3
  curl -s --path-as-is -X "$method" -o "$T/body" -D "$T/headers" -w '%{http_code}' --max-time 20 \
       "$@" "http://127.0.0.1:$port$path" >"$T/status" || echo 000 >"$T/status"
}
status() { cat "$T/status"; }
hdr() { grep -i "^$1:" "$T/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

# ---------------------------------------------------------------------------------------------
if [ "$GW_LEGACY" != 1 ] && { [ "${GW_SKIP_BUILD:-0}" != 1 ] || [ ! -x "$GW_BIN" ]; }; then
  log "building pg-ords-gateway (release, target $CARGO_TARGET_DIR)"
  cargo build -q -p pg-ords-gateway --release
fi
if ! "$VENV/bin/python" -c 'import requests, requests_oauthlib' 2>/dev/null; then
  log "installing requests and requests-oauthlib into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q requests requests-oauthlib
fi
NEWMAN=$(command -v newman || echo "$NEWMAN_PREFIX/node_modules/.bin/newman")
if [ ! -x "$NEWMAN" ]; then
  log "installing newman into $NEWMAN_PREFIX"
  mkdir -p "$NEWMAN_PREFIX"; npm install -s --prefix "$NEWMAN_PREFIX" newman >/dev/null
fi

log "cluster on 127.0.0.1:$PG_PORT, seed 003 provisioned as role page"
start_cluster "$GW_DIR" "$PG_PORT" "shared_preload_libraries = 'pg_ords'" "log_min_messages = info" \
  "pg_ords.basic_auth = on"
mkdir -p "$T"
q postgres postgres -c "CREATE DATABASE app" >/dev/null
q postgres app >/dev/null <<'SQL'
CREATE EXTENSION pg_ords;
CREATE ROLE page LOGIN;
CREATE SCHEMA page AUTHORIZATION page;
CREATE ROLE api LOGIN;
-- seed 004: a database user whose Postgres role carries the ORDS role's name
CREATE ROLE license_role NOLOGIN;
CREATE ROLE api_user LOGIN PASSWORD 'api_user_pw-2024';
GRANT license_role TO api_user;
-- a second tenant with handlers of its own: bob, hostile to page
CREATE ROLE bob LOGIN;
CREATE SCHEMA bob AUTHORIZATION bob;
SQL
if [ "$GW_LEGACY" == 1 ]; then
  # the 0.2.0 README's grants: one role for everything, a member of every tenant it serves
  q postgres app >/dev/null <<'SQL'
CREATE ROLE ords_gateway LOGIN NOINHERIT;
GRANT USAGE ON SCHEMA ords_metadata TO ords_gateway;
GRANT SELECT ON ords_metadata.ords_schemas, ords_metadata.ords_modules,
                ords_metadata.ords_templates, ords_metadata.ords_handlers TO ords_gateway;
GRANT page, bob TO ords_gateway;
SQL
else
  # docs/gateway.md: the decision role is a member of no tenant and reads handler definitions
  # through the gateway functions only; each tenant's handlers run on connections that log in
  # as a role that can become only that tenant (page: the schema role itself; bob: bob_gw).
  q postgres app >/dev/null <<'SQL'
CREATE ROLE ords_gateway LOGIN NOINHERIT;
GRANT EXECUTE ON FUNCTION ords.gateway_handlers(text, text), ords.gateway_aliases(),
                          ords.gateway_check_login(text, text) TO ords_gateway;
CREATE ROLE bob_gw LOGIN NOINHERIT;
GRANT bob TO bob_gw;
SQL
fi
q page app >/dev/null <<'SQL'
CREATE TABLE licenses (id integer PRIMARY KEY, customer text NOT NULL, valid_until date NOT NULL, "Status" text);
INSERT INTO licenses VALUES (1, 'ACME Corp', '2030-12-31', 'ACTIVE'), (2, 'Globex', '2024-01-31', 'EXPIRED'),
  (3, 'Initech', '2029-06-30', 'ACTIVE'), (4, 'Umbrella', '2031-01-01', 'ACTIVE'), (5, 'Hooli', '2028-03-15', 'ACTIVE');
-- seed 003, as in README.md
SELECT ords.enable_schema(p_url_mapping_pattern => 'page');
SELECT ords.define_service(p_module_name => 'customers', p_base_path => 'customers/',
                           p_pattern => 'validation/:id',
                           p_source_type => ords.source_type_query_one_row(),
                           p_source => 'select * from licenses where id = :id');
SELECT ords.create_role(p_role_name => 'license_role');
SELECT ords.create_privilege(p_name => 'license_priv', p_role_name => 'license_role');
SELECT ords.set_module_privilege(p_module_name => 'customers', p_privilege_name => 'license_priv');
-- more of the module: a paged collection, and who the decision says is calling
SELECT ords.define_template('customers', 'licenses');
SELECT ords.define_handler('customers', 'licenses', 'GET', ords.source_type_collection_feed(),
                           'select id, customer, "Status" from licenses order by id', p_items_per_page => 2);
SELECT ords.define_template('customers', 'whoami');
SELECT ords.define_handler('customers', 'whoami', 'GET', ords.source_type_query_one_row(),
                           'select ords.current_client_id() as client_id, ords.current_client_name() as client_name');
-- a public module (seed 002's unsecured call), a slow handler, an untyped bind
SELECT ords.define_service(p_module_name => 'public', p_base_path => 'public/', p_pattern => 'hello',
                           p_source_type => ords.source_type_query_one_row(),
                           p_source => 'select ''Hello from pg_ords'' as message, :name::text as name;');
SELECT ords.define_template('public', 'slow');
SELECT ords.define_handler('public', 'slow', 'GET', ords.source_type_query_one_row(),
                           'select true as slept from pg_sleep(coalesce(:seconds::float8, 2))');
-- a handler that lifts the statement timeout for the rest of its session (the reset restores it)
SELECT ords.define_template('public', 'untimeout');
SELECT ords.define_handler('public', 'untimeout', 'POST', ords.source_type_query_one_row(),
                           'select set_config(''statement_timeout'', ''0'', false) as r');
SELECT ords.define_template('customers', 'me');
SELECT ords.define_handler('customers', 'me', 'GET', ords.source_type_query_one_row(),
                           'select :current_user as u, :body_text as bt, :content_type as ct');
SELECT ords.define_template('public', 'echo/:v');
SELECT ords.define_handler('public', 'echo/:v', 'GET', ords.source_type_query_one_row(), 'select :v as v');
SQL
read -r CLIENT_ID SECRET <<<"$(q page app -F ' ' <<'SQL'
SELECT client_id, client_secret
  FROM oauth.create_client(p_name => 'license_backend_client', p_grant_type => 'client_credentials',
                           p_owner => 'My Company', p_description => 'Backend service for license validation',
                           p_support_email => 'support@mycompany.com', p_privilege_names => 'license_priv');
SQL
)"
q page app -c "SELECT oauth.grant_client_role(p_client_name => 'license_backend_client', p_role_name => 'license_role')" >/dev/null
read -r NOROLE_ID NOROLE_SECRET <<<"$(q page app -F ' ' -c "SELECT client_id, client_secret FROM oauth.create_client('client_without_role', 'client_credentials')")"
read -r SHORT_ID SHORT_SECRET <<<"$(q page app -F ' ' -c "SELECT client_id, client_secret FROM oauth.create_client('short_lived_client', 'client_credentials', p_token_duration => 1)")"
q page app -c "SELECT oauth.grant_client_role('short_lived_client', 'license_role')" >/dev/null
# schema api: served by an upstream only (no handlers); /secure/* needs api_role
q api app >/dev/null <<'SQL'
SELECT ords.enable_schema(p_url_mapping_pattern => 'api');
SELECT ords.create_role('api_role');
SELECT ords.create_privilege('api_priv', 'api_role');
SELECT ords.create_privilege_mapping('api_priv', '/secure/*');
SQL
read -r API_ID API_SECRET <<<"$(q api app -F ' ' -c "SELECT client_id, client_secret FROM oauth.create_client('api_client', 'client_credentials')")"
q api app -c "SELECT oauth.grant_client_role('api_client', 'api_role')" >/dev/null

# schema bob: a hostile tenant. Its public module `evil` tries to act as page, to leave state in
# pooled connections, to read implicit parameters from the query string, and to inject into logs.
q bob app >/dev/null <<'SQL'
CREATE TABLE things (id integer PRIMARY KEY, name text);
INSERT INTO things VALUES (1, 'a'), (2, 'b');
CREATE SEQUENCE s;
SELECT ords.enable_schema(p_url_mapping_pattern => 'bob');
CREATE FUNCTION try_as_page(p_how text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  CASE p_how
    WHEN 'set_config' THEN PERFORM set_config('role', 'page', true);
    WHEN 'set_role'   THEN EXECUTE 'SET LOCAL ROLE page';
    WHEN 'reset_role' THEN RESET ROLE; EXECUTE 'SET LOCAL ROLE page';
    WHEN 'session'    THEN EXECUTE 'SET SESSION AUTHORIZATION page';
  END CASE;
  EXECUTE 'SELECT string_agg(customer, '','' ORDER BY id) FROM page.licenses' INTO r;
  RETURN r;
EXCEPTION WHEN others THEN RETURN 'refused ' || SQLSTATE;
END $$;
CREATE FUNCTION read_metadata() RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  RESET ROLE;
  SELECT string_agg(source, ' | ') INTO r FROM ords_metadata.ords_handlers;
  RETURN coalesce(r, 'none');
EXCEPTION WHEN others THEN RETURN 'refused ' || SQLSTATE;
END $$;
CREATE FUNCTION provision_in_page() RETURNS text LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  PERFORM set_config('role', 'page', true);
  SELECT client_id, client_secret INTO r FROM oauth.create_client('planted_by_bob', 'client_credentials');
  PERFORM oauth.grant_client_role('planted_by_bob', 'license_role');
  RETURN r.client_id || ' ' || r.client_secret;
EXCEPTION WHEN others THEN RETURN 'refused ' || SQLSTATE;
END $$;
CREATE FUNCTION plant() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'CREATE TEMP VIEW licenses AS SELECT 666 AS id, ''PLANTED''::text AS customer, ''X''::text AS "Status"';
  EXECUTE 'GRANT SELECT ON pg_temp.licenses TO PUBLIC';
  EXECUTE 'CREATE TEMP VIEW things AS SELECT 666 AS id, ''PLANTED''::text AS name';
  EXECUTE 'PREPARE planted AS SELECT 1';
  PERFORM pg_advisory_lock(4242);
  EXECUTE 'LISTEN planted';
  PERFORM nextval('bob.s');
  PERFORM set_config('bob.planted', 'yes', false);
  PERFORM set_config('search_path', 'pg_temp, bob', false);
  PERFORM set_config('statement_timeout', '0', false);
  RETURN pg_backend_pid()::text;
END $$;
-- The gateway keeps its own protocol-level prepared statements between requests: a handler
-- that drops them, or puts its own under their names, must not make the next request run its
-- statement (or fail).
CREATE FUNCTION hijack(p_replace boolean) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r record; n int := 0;
BEGIN
  FOR r IN SELECT name, parameter_types FROM pg_prepared_statements WHERE NOT from_sql LOOP
    EXECUTE format('DEALLOCATE %I', r.name);
    IF p_replace THEN
      EXECUTE format('PREPARE %I%s AS SELECT %s', r.name,
                     CASE WHEN cardinality(r.parameter_types) > 0
                          THEN '(' || array_to_string(r.parameter_types::text[], ',') || ')' ELSE '' END,
                     CASE WHEN cardinality(r.parameter_types) = 4
                          THEN '''allowed''::text, 200, ''x''::text, ''x''::text, NULL::text, NULL::text'
                          ELSE '''{"r":"HIJACKED"}''::text' END);
    END IF;
    n := n + 1;
  END LOOP;
  RETURN n::text;
END $$;
CREATE FUNCTION probe() RETURNS text LANGUAGE plpgsql AS $$
DECLARE seq text;
BEGIN
  BEGIN seq := currval('bob.s')::text; EXCEPTION WHEN others THEN seq := NULL; END;
  RETURN json_build_object(
    'pid', pg_backend_pid(),
    'temp', (SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()),
    'prepared', (SELECT count(*) FROM pg_prepared_statements WHERE from_sql),
    'gateway_statements', (SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql),
    'locks', (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()),
    'listen', (SELECT count(*) FROM pg_listening_channels()),
    'currval', seq,
    'guc', nullif(current_setting('bob.planted', true), ''),
    'search_path', current_setting('search_path'),
    'statement_timeout', current_setting('statement_timeout'),
    'things', (SELECT string_agg(name, ',' ORDER BY id) FROM things))::text;
END $$;
CREATE FUNCTION boom(p text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'boom: %', p; END $$;
SELECT ords.define_module('evil', 'evil/');
SELECT ords.define_template('evil', 'as_page/:how');
SELECT ords.define_handler('evil', 'as_page/:how', 'GET', ords.source_type_query_one_row(), 'select bob.try_as_page(:how) as r');
SELECT ords.define_template('evil', 'metadata');
SELECT ords.define_handler('evil', 'metadata', 'GET', ords.source_type_query_one_row(), 'select bob.read_metadata() as r');
SELECT ords.define_template('evil', 'provision');
SELECT ords.define_handler('evil', 'provision', 'POST', ords.source_type_query_one_row(), 'select bob.provision_in_page() as r');
SELECT ords.define_template('evil', 'plant');
SELECT ords.define_handler('evil', 'plant', 'POST', ords.source_type_query_one_row(), 'select bob.plant() as r');
SELECT ords.define_template('evil', 'probe');
SELECT ords.define_handler('evil', 'probe', 'GET', ords.source_type_query_one_row(), 'select bob.probe() as r');
SELECT ords.define_template('evil', 'hijack/:replace');
SELECT ords.define_handler('evil', 'hijack/:replace', 'POST', ords.source_type_query_one_row(), 'select bob.hijack(:replace::boolean) as r');
SELECT ords.define_template('evil', 'seq');
SELECT ords.define_handler('evil', 'seq', 'GET', ords.source_type_query_one_row(), 'select nextval(''bob.s'') as n');
SELECT ords.define_template('evil', 'boom');
SELECT ords.define_handler('evil', 'boom', 'GET', ords.source_type_query_one_row(), 'select bob.boom(:x) as r');
SELECT ords.define_template('evil', 'implicit');
SELECT ords.define_handler('evil', 'implicit', 'GET', ords.source_type_query_one_row(),
  'select :current_user as cu, :CURRENT_USER as cu2, :body as b, :body_text as bt, :body_json as bj, :content_type as ct, '
  '       :status_code as sc, :forward_location as fl, :fetch_offset as fo, :fetch_size as fs, :page_offset as po, '
  '       :page_size as ps, :row_offset as ro, :row_count as rc');
SQL

log "gateway on 127.0.0.1:$GW_PORT (pool 4, upstream api=http://127.0.0.1:$UP_PORT)"
python3 tests/gateway/upstream_echo.py "$UP_PORT" & pids+=($!)
DB_URL="postgresql://ords_gateway@127.0.0.1:$PG_PORT/app"
# the handler pools (docs/gateway.md): page logs in as itself, bob through bob_gw
HANDLER_ARGS=(--handler-database-url "page=postgresql://page@127.0.0.1:$PG_PORT/app"
              --handler-database-url "bob=postgresql://bob_gw@127.0.0.1:$PG_PORT/app")
[ "$GW_LEGACY" == 1 ] && HANDLER_ARGS=()
t0=$(date +%s%N)
PG_ORDS_DATABASE_URL=$DB_URL "$GW_BIN" --listen "127.0.0.1:$GW_PORT" --pool-size 4 "${HANDLER_ARGS[@]}" \
  --upstream "api=http://127.0.0.1:$UP_PORT" --log-format json >"$GW_DIR/gateway.log" 2>&1 & GW_PID=$!; pids+=($GW_PID)
wait_http "http://127.0.0.1:$GW_PORT/health"
STARTUP_MS=$((($(date +%s%N) - t0) / 1000000))
wait_http "http://127.0.0.1:$UP_PORT/health" 2>/dev/null || true
echo "gateway answered /health ${STARTUP_MS} ms after launch"

# ---------------------------------------------------------------------------------------------
log "seed 003's curl session, verbatim apart from host and port"
out=$(curl -i --user "$CLIENT_ID:$SECRET" --data "grant_type=client_credentials" http://127.0.0.1:$GW_PORT/ords/page/oauth/token 2>/dev/null)
echo "$out" | sed -E 's/"access_token": *"[^"]*"/"access_token": "…"/'
check "token: HTTP 200" "200" "$(echo "$out" | head -1 | cut -d' ' -f2)"
check "token: Cache-Control no-store" "no-store" "$(echo "$out" | grep -i '^cache-control:' | cut -d' ' -f2- | tr -d '\r')"
check "token: Pragma no-cache" "no-cache" "$(echo "$out" | grep -i '^pragma:' | cut -d' ' -f2- | tr -d '\r')"
check "token: Content-Type JSON (the extension's, unchanged)" "application/json;charset=UTF-8" "$(echo "$out" | grep -i '^content-type:' | cut -d' ' -f2- | tr -d '\r')"
echo "$out" | tail -1 >"$T/token.json"
check "token: token_type bearer" "bearer" "$(json "$T/token.json" 'd["token_type"]')"
check "token: expires_in 3600" "3600" "$(json "$T/token.json" 'd["expires_in"]')"
TOKEN=$(json "$T/token.json" 'd["access_token"]')
check "token: 43 characters" "43" "${#TOKEN}"

out=$(curl -i --header "Authorization: Bearer $TOKEN" http://127.0.0.1:$GW_PORT/ords/page/customers/validation/1 2>/dev/null)
echo "$out"
check "resource with token: HTTP 200" "200" "$(echo "$out" | head -1 | cut -d' ' -f2)"
echo "$out" | tail -1 >"$T/row.json"
check "resource: the row as JSON, lower-case columns" \
  '{"id": 1, "customer": "ACME Corp", "valid_until": "2030-12-31", "status": "ACTIVE"}' "$(json "$T/row.json" 'd')"

out=$(curl -i http://127.0.0.1:$GW_PORT/ords/page/customers/validation/1 2>/dev/null)
echo "$out"
check "resource without token: HTTP 401" "401" "$(echo "$out" | head -1 | cut -d' ' -f2)"
check "401: WWW-Authenticate" 'Bearer, Basic realm="page"' "$(echo "$out" | grep -i '^www-authenticate:' | cut -d' ' -f2- | tr -d '\r')"
echo "$out" | tail -1 >"$T/err.json"
check "401: ORDS JSON body" "Unauthorized|Unauthorized|tag:oracle.com,2020:error/Unauthorized|True" \
  "$(json "$T/err.json" '"|".join([d["code"], d["message"], d["type"], str(d["instance"].startswith("tag:oracle.com,2020:ecid/") and len(d["instance"]) > 26)])')"

# ---------------------------------------------------------------------------------------------
log "requests-oauthlib (BackendApplicationClient) end to end"
set +e
# oauthlib insists on https; the gateway is on loopback here (TLS belongs to the front proxy).
py_out=$(OAUTHLIB_INSECURE_TRANSPORT=1 "$VENV/bin/python" tests/gateway/oauth_client_test.py "http://127.0.0.1:$GW_PORT" "$CLIENT_ID" "$SECRET" 2>&1)
py_rc=$?
set -e
echo "$py_out"
passed=$((passed + $(grep -c '^ok' <<<"$py_out" || true)))
fails=$((fails + $(grep -c '^FAIL' <<<"$py_out" || true)))
check "requests-oauthlib script exit status" "0" "$py_rc"

# ---------------------------------------------------------------------------------------------
log "seed 002's Postman collection under newman"
set +e
"$NEWMAN" run tests/gateway/pg_ords.postman_collection.json --reporters cli,json \
  --reporter-json-export "$T/newman.json" --color off --disable-unicode \
  --env-var "baseUrl=http://127.0.0.1:$GW_PORT" --env-var "clientId=$CLIENT_ID" --env-var "clientSecret=$SECRET" \
  --env-var "basicUser=api_user" --env-var "basicPassword=api_user_pw-2024" >"$T/newman.out" 2>&1
nm_rc=$?
set -e
grep -E '^(→|  [✓✔]|  [0-9]+\.|  ✗|^\s+(GET|POST))|assertions|requests ' "$T/newman.out" | head -60 || true
check "newman: exit status" "0" "$nm_rc"
check "newman: 6 requests" "6" "$(json "$T/newman.json" 'd["run"]["stats"]["requests"]["total"]')"
check "newman: assertions, none failed" "14/0" "$(json "$T/newman.json" 'str(d["run"]["stats"]["assertions"]["total"]) + "/" + str(d["run"]["stats"]["assertions"]["failed"])')"
[ "$nm_rc" == 0 ] || tail -40 "$T/newman.out"

# ---------------------------------------------------------------------------------------------
log "token endpoint error paths"
req $GW_PORT POST /ords/page/oauth/token --user "$CLIENT_ID:wrong-secret" --data grant_type=client_credentials
check "wrong secret: 401 invalid_client" "401 invalid_client" "$(status) $(json "$T/body" 'd["error"]')"
check "wrong secret: WWW-Authenticate Basic" 'Basic realm="oauth"' "$(hdr www-authenticate)"
check "wrong secret: no-store" "no-store" "$(hdr cache-control)"
req $GW_PORT POST /ords/page/oauth/token --user "no-such-client..:$SECRET" --data grant_type=client_credentials
check "unknown client: 401 invalid_client" "401 invalid_client" "$(status) $(json "$T/body" 'd["error"]')"
req $GW_PORT POST /ords/page/oauth/token --user "$CLIENT_ID:$SECRET" --data grant_type=password
check "bad grant type: 400 unsupported_grant_type" "400 unsupported_grant_type" "$(status) $(json "$T/body" 'd["error"]')"
req $GW_PORT POST /ords/page/oauth/token --data "grant_type=client_credentials&client_id=$CLIENT_ID&client_secret=$SECRET"
check "client_secret_post: 200" "200" "$(status)"
req $GW_PORT POST /ords/page/oauth/token --user "$CLIENT_ID:$SECRET" -H 'Content-Type: application/json' --data '{"grant_type":"client_credentials"}'
check "JSON body: 400 invalid_request" "400 invalid_request" "$(status) $(json "$T/body" 'd["error"]')"
req $GW_PORT POST /ords/api/oauth/token --user "$CLIENT_ID:$SECRET" --data grant_type=client_credentials
check "client of schema page at api's endpoint: refused" "401" "$(status)"
req $GW_PORT GET /ords/page/oauth/token
check "GET on the token endpoint: 405, Allow POST" "405 POST" "$(status) $(hdr allow)"
req $GW_PORT POST /ords/nosuch/oauth/token --user "$CLIENT_ID:$SECRET" --data grant_type=client_credentials
check "token endpoint of an unknown alias: refused" "true" "$( [ "$(status)" -ge 400 ] && [ "$(status)" -lt 500 ] && echo true || status)"
head -c 70000 /dev/zero | tr '\0' 'a' >"$T/big"
req $GW_PORT POST /ords/page/oauth/token --user "$CLIENT_ID:$SECRET" --data-binary "@$T/big"
check "body over 64 KiB: 413" "413" "$(status)"

log "resource error paths"
req $GW_PORT GET /ords/page/customers/validation/1 -H "Authorization: Bearer not-a-real-token"
check "unknown token: 401 invalid_token" '401 Bearer error="invalid_token", Basic realm="page"' "$(status) $(hdr www-authenticate)"
NOROLE_TOKEN=$(curl -s --user "$NOROLE_ID:$NOROLE_SECRET" --data grant_type=client_credentials "http://127.0.0.1:$GW_PORT/ords/page/oauth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
req $GW_PORT GET /ords/page/customers/validation/1 -H "Authorization: Bearer $NOROLE_TOKEN"
check "valid token, role missing: 403" '403 Bearer error="insufficient_scope"' "$(status) $(hdr www-authenticate)"
check "403: ORDS JSON body" "Forbidden tag:oracle.com,2020:error/Forbidden" "$(json "$T/body" 'd["code"] + " " + d["type"]')"
SHORT_TOKEN=$(curl -s --user "$SHORT_ID:$SHORT_SECRET" --data grant_type=client_credentials "http://127.0.0.1:$GW_PORT/ords/page/oauth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
req $GW_PORT GET /ords/page/customers/validation/1 -H "Authorization: Bearer $SHORT_TOKEN"
check "1-second token, at once: 200" "200" "$(status)"
sleep 2.2
req $GW_PORT GET /ords/page/customers/validation/1 -H "Authorization: Bearer $SHORT_TOKEN"
check "expired token: 401 invalid_token" '401 Bearer error="invalid_token", Basic realm="page"' "$(status) $(hdr www-authenticate)"
REVOKED=$(curl -s --user "$CLIENT_ID:$SECRET" --data grant_type=client_credentials "http://127.0.0.1:$GW_PORT/ords/page/oauth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
req $GW_PORT GET /ords/page/customers/validation/2 -H "Authorization: Bearer $REVOKED"
check "second token: 200" "200" "$(status)"
q page app -v t="$REVOKED" >/dev/null <<'SQL'
SELECT oauth.revoke_token(:'t');
SQL
req $GW_PORT GET /ords/page/customers/validation/2 -H "Authorization: Bearer $REVOKED"
check "revoked token: 401" "401" "$(status)"
req $GW_PORT GET /ords/page/customers/validation/2 -H "Authorization: Bearer $TOKEN"
check "the other token still works" "200" "$(status)"
req $GW_PORT GET /ords/page/customers/validation/1 -H "Authorization: Bearer $TOKEN" -H 'Authorization: Bearer x'
check "two Authorization headers: 400" "400" "$(status)"
req $GW_PORT GET /ords/page/customers/validation/1 -H "Authorization: Bearer x" -H "Authorization: Bearer $TOKEN"
check "two Authorization headers, the valid one last: 400" "400" "$(status)"
req $GW_PORT POST /ords/page/oauth/token -H "Authorization: Basic $(printf '%s:%s' "$CLIENT_ID" "$SECRET" | base64 -w0)" \
  -H 'Authorization: Basic eDp5' --data grant_type=client_credentials
check "token endpoint, two Authorization headers: 400" "400" "$(status)"

log "path tricks: the protected resource or 400, never public"
for p in "//customers/validation/1" "/customers/../customers/validation/1" "/public/../customers/validation/1" \
         "/%63ustomers/validation/1" "/./customers/validation/1" "/customers/./validation/1" "/customers/validation/./1"; do
  req $GW_PORT GET "/ords/page$p"
  check "GET /ords/page$p without token: 401" "401" "$(status)"
  req $GW_PORT GET "/ords/page$p" -H "Authorization: Bearer $TOKEN"
  check "GET /ords/page$p with token: the same row" "200 1" "$(status) $(json "$T/body" 'd["id"]')"
done
for p in "/customers%2Fvalidation/1" "/customers%2fvalidation/1" "/../page/customers/validation/1" \
         "/customers/validation/1." "/customers%5Cvalidation/1" "/customers/validation/%00"; do
  req $GW_PORT GET "/ords/page$p"
  check "GET /ords/page$p: 400" "400" "$(status)"
done
req $GW_PORT GET "/ords/page/Customers/validation/1"
check "case differs: not the module (404, not served)" "404" "$(status)"

log "handlers: shapes, binds, paging, methods"
req $GW_PORT GET /ords/page/customers/validation/999 -H "Authorization: Bearer $TOKEN"
check "single row, no row: 404" "404 NotFound" "$(status) $(json "$T/body" 'd["code"]')"
req $GW_PORT GET /ords/page/customers/validation/abc -H "Authorization: Bearer $TOKEN"
check "bind value not an integer: 400" "400" "$(status)"
req $GW_PORT GET "/ords/page/customers/validation/1%20or%201=1" -H "Authorization: Bearer $TOKEN"
check "SQL in a bind value stays a value: 400" "400" "$(status)"
req $GW_PORT GET /ords/page/customers/licenses -H "Authorization: Bearer $TOKEN"
check "collection: first page of 2" '200 [1, 2] true 2 0 2' \
  "$(status) $(json "$T/body" '" ".join([json.dumps([i["id"] for i in d["items"]]), json.dumps(d["hasMore"]), str(d["limit"]), str(d["offset"]), str(d["count"])])')"
check "collection: lower-case column names" '["id", "customer", "status"]' "$(json "$T/body" 'list(d["items"][0].keys())')"
check "collection: links self, first, next" '["self", "first", "next"]' "$(json "$T/body" '[l["rel"] for l in d["links"]]')"
check "collection: next link" "http://127.0.0.1:$GW_PORT/ords/page/customers/licenses?offset=2" "$(json "$T/body" '[l["href"] for l in d["links"] if l["rel"] == "next"][0]')"
req $GW_PORT GET "/ords/page/customers/licenses?offset=4" -H "Authorization: Bearer $TOKEN"
check "collection: last page" '[5] false 1' "$(json "$T/body" '" ".join([json.dumps([i["id"] for i in d["items"]]), json.dumps(d["hasMore"]), str(d["count"])])')"
req $GW_PORT GET "/ords/page/customers/licenses?limit=10" -H "Authorization: Bearer $TOKEN"
check "collection: ?limit=10" '5 false 10' "$(json "$T/body" '" ".join([str(d["count"]), json.dumps(d["hasMore"]), str(d["limit"])])')"
req $GW_PORT GET "/ords/page/customers/licenses?limit=x" -H "Authorization: Bearer $TOKEN"
check "collection: ?limit=x → 400" "400" "$(status)"
req $GW_PORT GET /ords/page/customers/licenses
check "collection without token: 401" "401" "$(status)"
req $GW_PORT GET /ords/page/customers/whoami -H "Authorization: Bearer $TOKEN"
check "handler runs in the decision's transaction: ords.current_client_id()" "$CLIENT_ID license_backend_client" \
  "$(json "$T/body" 'd["client_id"] + " " + d["client_name"]')"
req $GW_PORT GET "/ords/page/public/hello?name=x'%20or%20'1'='1"
check "public handler, query bind with a quote: a value" "200 Hello from pg_ords x' or '1'='1" "$(status) $(json "$T/body" 'd["message"] + " " + d["name"]')"
req $GW_PORT GET "/ords/page/public/echo/caf%C3%A9"
check "untyped bind (select :v): sent as text, decoded" '200 café' "$(status) $(json "$T/body" 'd["v"]')"
req $GW_PORT DELETE /ords/page/public/hello
check "wrong method: 405 with Allow" "405 GET MethodNotAllowed" "$(status) $(hdr allow) $(json "$T/body" 'd["code"]')"
req $GW_PORT POST /ords/page/customers/validation/1 -H "Authorization: Bearer $TOKEN"
check "wrong method on a protected template, with token: 405" "405" "$(status)"
req $GW_PORT GET /ords/page/customers/validation/1 -u api_user:api_user_pw-2024
check "HTTP Basic with a database user holding license_role: 200" "200" "$(status)"
req $GW_PORT GET /ords/page/customers/validation/1 -u api_user:wrong
check "HTTP Basic, wrong password: 401" "401" "$(status)"

log "health, 404s, limits"
req $GW_PORT GET /health
check "/health: 200 UP" '200 UP' "$(status) $(json "$T/body" 'd["status"]')"
req $GW_PORT GET /health/ready
check "/health/ready: 200" '200' "$(status)"
req $GW_PORT GET /ords/nosuch/customers/validation/1
check "unknown alias: 404 ORDS body" "404 NotFound" "$(status) $(json "$T/body" 'd["code"]')"
req $GW_PORT GET /ords/page/nothing/here
check "unknown path (no upstream for page): 404" "404 NotFound" "$(status) $(json "$T/body" 'd["code"]')"
req $GW_PORT GET /somewhere/else
check "outside /ords: 404" "404" "$(status)"
req $GW_PORT GET /ords/page/public/hello -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' 'b')"
check "headers over 16 KiB: 431" "431" "$(status)"

log "reverse proxy to the alias's upstream"
req $GW_PORT GET "/ords/api/open/things?x=1" -H "X-ORDS-Client-Id: spoofed"
check "public path of api: proxied, normalised path + query" "200 /open/things?x=1" "$(status) $(json "$T/body" 'd["path"]')"
check "public path: a client's X-ORDS-Client-Id is removed" "null" "$(json "$T/body" 'd["headers"].get("x-ords-client-id")')"
req $GW_PORT GET "/ords/api/secure/x"
check "protected path of api without token: 401, not proxied" "401 " "$(status) $(hdr x-upstream)"
API_TOKEN=$(curl -s --user "$API_ID:$API_SECRET" --data grant_type=client_credentials "http://127.0.0.1:$GW_PORT/ords/api/oauth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
req $GW_PORT POST "/ords/api/open/../secure//x" -H "Authorization: Bearer $API_TOKEN" -H "X-ORDS-Client-Id: spoofed" --data 'a=1'
check "protected path with token: proxied as /secure/x" "200 POST /secure/x a=1" "$(status) $(json "$T/body" 'd["method"] + " " + d["path"] + " " + d["body"]')"
check "X-ORDS-Client-Id is the authorized client" "$API_ID" "$(json "$T/body" 'd["headers"].get("x-ords-client-id")')"
req $GW_PORT GET "/ords/api/secure/x" -H "Authorization: Bearer $TOKEN"
check "token of schema page on api: 401" "401" "$(status)"

log "logs hold no secrets"
sleep 0.2
leaks=0
for s in "$SECRET" "$TOKEN" "$API_SECRET" "$API_TOKEN" "$REVOKED" "api_user_pw-2024" "Bearer " "Basic " "or '1'" "name=x"; do
  if grep -qF -- "$s" "$GW_DIR/gateway.log" "$GW_DIR/server.log"; then leaks=$((leaks + 1)); echo "  found in a log: ${s:0:12}…"; fi
done
check "no secret, token, password, Authorization value or query string in the gateway and server logs" "0" "$leaks"
check "gateway log: one JSON access line per request" "true" \
  "$(python3 -c 'import json,sys
lines=[json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
acc=[l["fields"] for l in lines if l.get("fields",{}).get("message")=="request"]
print(str(len(acc) > 50 and all(set(a) <= {"message","method","path","status","latency_ms","alias","client_id"} for a in acc)).lower())' "$GW_DIR/gateway.log")"
check "access log names the client id of allowed requests" "true" \
  "$(grep -q "\"client_id\":\"$CLIENT_ID\"" "$GW_DIR/gateway.log" && echo true || echo false)"

# ---------------------------------------------------------------------------------------------
# Isolation attacks (issue 10, items 1-7). A third gateway whose every pool holds ONE connection,
# so that consecutive requests of a tenant share a connection (compared by backend pid).
log "isolation: gateway on 127.0.0.1:$GW3_PORT, pools of 1"
PG_ORDS_DATABASE_URL=$DB_URL "$GW_BIN" --listen "127.0.0.1:$GW3_PORT" --pool-size 1 "${HANDLER_ARGS[@]}" \
  --upstream "api=http://127.0.0.1:$UP_PORT" >"$GW_DIR/gateway3.log" 2>&1 & GW3_PID=$!; pids+=($GW3_PID)
wait_http "http://127.0.0.1:$GW3_PORT/health"

log "item 1: a handler of bob never acts as page"
for how in set_config set_role reset_role session; do
  req $GW3_PORT GET "/ords/bob/evil/as_page/$how"
  check "bob's handler, $how to page: page's rows unreadable" "true" \
    "$(json "$T/body" 'str(not ("ACME" in (d.get("r") or ""))).lower()')"
done
req $GW3_PORT GET /ords/bob/evil/metadata
check "bob's handler after RESET ROLE: ords_metadata unreadable" "refused 42501" "$(json "$T/body" 'd.get("r")')"
req $GW3_PORT POST /ords/bob/evil/provision
check "bob's handler cannot create a client in page's schema" "refused" "$(json "$T/body" '(d.get("r") or "").split(" ")[0]')"
check "no client planted_by_bob in page" "0" "$(q postgres app -c "SELECT count(*) FROM ords_metadata.oauth_clients WHERE name = 'planted_by_bob'")"
read -r P_ID P_SECRET <<<"$(json "$T/body" 'd.get("r") or "x y"')"
req $GW3_PORT POST /ords/page/oauth/token --user "$P_ID:$P_SECRET" --data grant_type=client_credentials
check "a client bob's handler tried to plant gets no token from page" "401" "$(status)"
if [ "$GW_LEGACY" != 1 ]; then
  check "the gateway's role is a member of no tenant role" "f f" \
    "$(q postgres app -F ' ' -c "SELECT pg_has_role('ords_gateway', 'page', 'MEMBER'), pg_has_role('ords_gateway', 'bob', 'MEMBER')")"
  # a gateway configured unsafely refuses to start: the decision role a member of a tenant
  q postgres app -c "GRANT page TO ords_gateway" >/dev/null
  set +e
  PG_ORDS_DATABASE_URL=$DB_URL timeout 10 "$GW_BIN" --listen "127.0.0.1:$GW3_PORT" >"$GW_DIR/gateway-unsafe.log" 2>&1
  rc=$?
  set -e
  q postgres app -c "REVOKE page FROM ords_gateway" >/dev/null
  check "decision role that is a member of page: the gateway refuses to start (exit 2)" "2" "$rc"
  # a handler login that can become two tenants
  q postgres app -c "GRANT page TO bob_gw" >/dev/null
  set +e
  PG_ORDS_DATABASE_URL=$DB_URL timeout 10 "$GW_BIN" --listen "127.0.0.1:$GW3_PORT" \
    --handler-database-url "bob=postgresql://bob_gw@127.0.0.1:$PG_PORT/app" >"$GW_DIR/gateway-unsafe2.log" 2>&1
  rc=$?
  set -e
  q postgres app -c "REVOKE page FROM bob_gw" >/dev/null
  check "handler login of bob that can become page: the gateway refuses to start (exit 2)" "2" "$rc"
fi
req $GW3_PORT GET /ords/bob/evil/probe
check "bob's own handlers still run as bob" "a,b" "$(json "$T/body" 'json.loads(d["r"])["things"]')"

log "item 2: nothing survives between pooled requests"
req $GW3_PORT POST /ords/bob/evil/plant
PLANT_PID=$(json "$T/body" 'd.get("r")')
req $GW3_PORT GET /ords/bob/evil/probe
check "probe ran on the planting connection (pool of 1)" "$PLANT_PID" "$(json "$T/body" 'json.loads(d["r"])["pid"]')"
for k in temp prepared locks listen; do
  check "after a request: no $k left" "0" "$(json "$T/body" 'json.loads(d["r"])["'$k'"]')"
done
check "after a request: no sequence state (currval)" "None" "$(json "$T/body" 'str(json.loads(d["r"])["currval"])')"
check "after a request: no GUC set with set_config(..., false)" "None" "$(json "$T/body" 'str(json.loads(d["r"])["guc"])')"
check "after a request: search_path back to its default" '"$user", public' "$(json "$T/body" 'json.loads(d["r"])["search_path"]')"
check "after a request: statement_timeout back to the gateway's (a handler set 0)" "10s" "$(json "$T/body" 'json.loads(d["r"])["statement_timeout"]')"
check "after a request: a temp view named like a table does not shadow it" "a,b" "$(json "$T/body" 'json.loads(d["r"])["things"]')"
req $GW3_PORT GET /ords/bob/evil/probe
check "the gateway's own prepared statements are kept between requests" "yes" "$(json "$T/body" '"yes" if json.loads(d["r"])["gateway_statements"] > 0 else "no"')"
for replace in false true; do
  req $GW3_PORT POST /ords/bob/evil/hijack/$replace
  check "a handler dropped the gateway's prepared statements (replace=$replace)" "yes" "$(json "$T/body" '"yes" if int(d["r"]) > 0 else "no"')"
  req $GW3_PORT GET /ords/bob/evil/probe
  check "after it (replace=$replace): the next request runs the gateway's own statements" "200 0" "$(status) $(json "$T/body" 'json.loads(d["r"])["prepared"]')"
done
req $GW3_PORT GET /ords/page/customers/licenses -H "Authorization: Bearer $TOKEN"
check "after a hijack: page's handler answers with its own rows" "200 [1, 2]" "$(status) $(json "$T/body" 'json.dumps([i["id"] for i in d["items"]])')"
req $GW3_PORT POST /ords/bob/evil/plant
req $GW3_PORT GET /ords/page/customers/licenses -H "Authorization: Bearer $TOKEN"
check "bob's temp view 'licenses' never reaches page's handler" "200 [1, 2]" "$(status) $(json "$T/body" 'json.dumps([i["id"] for i in d["items"]])')"

log "item 3: implicit parameters never come from the query string"
req $GW3_PORT GET "/ords/bob/evil/implicit?current_user=victim&CURRENT_USER=victim&%63urrent_user=victim&current%5Fuser=victim&body=x&body_text=x&body_json=x&content_type=x&status_code=200&forward_location=x&fetch_offset=1&fetch_size=1&page_offset=1&page_size=1&row_offset=1&row_count=1"
check "public path: every implicit parameter NULL, none from the query" "200 {}" \
  "$(status) $(json "$T/body" 'json.dumps({k: v for k, v in d.items() if v is not None})')"
req $GW3_PORT GET "/ords/page/customers/me?current_user=victim&%63urrent_user=victim" -H "Authorization: Bearer $TOKEN"
check ":current_user is the authorized client" "200 license_backend_client" "$(status) $(json "$T/body" 'd["u"]')"
req $GW3_PORT GET "/ords/page/customers/me?current_user=victim" -u api_user:api_user_pw-2024
check ":current_user is the Basic user" "200 api_user" "$(status) $(json "$T/body" 'd["u"]')"

log "item 4: one method, one meaning"
before=$(q postgres app -c "SELECT last_value FROM bob.s")
for m in get GeT head Get; do
  req $GW3_PORT "$m" /ords/bob/evil/seq
  check "method '$m': 405" "405" "$(status)"
  req $GW3_PORT "$m" /ords/page/customers/validation/1 -H "Authorization: Bearer $TOKEN"
  check "method '$m' on a protected handler: 405" "405" "$(status)"
done
check "no non-canonical method ran the GET handler outside its read-only transaction" "$before" "$(q postgres app -c "SELECT last_value FROM bob.s")"
req $GW3_PORT GET /ords/bob/evil/seq
check "GET handler that writes: refused by the read-only transaction" "500" "$(status)"

if [ "$GW_LEGACY" = 0 ]; then
log "item 6 (0.6.0): one round trip, and nothing it keeps outlives a change"
# GW3 has a pool of one connection: after two requests it holds the handler rows and the
# handler's prepared statement, so each later request is one pipelined write (BEGIN, gate,
# query, COMMIT): these attack that path.
q page app >/dev/null <<'SQL'
CREATE SEQUENCE hits;
SELECT ords.define_template('customers', 'hits');
SELECT ords.define_handler('customers', 'hits', 'POST', ords.source_type_query_one_row(), 'select nextval(''hits'') as n');
SQL
sleep 0.5
for i in 1 2 3; do req $GW3_PORT POST /ords/page/customers/hits -H "Authorization: Bearer $TOKEN"; done
check "protected POST handler with a valid token: 200, the handler ran" "200 3" "$(status) $(json "$T/body" 'd["n"]')"
# What one request sends (a public request: no token in the log): after two warm-up requests,
# BEGIN…, ords.gateway_gate, the handler's prepared query, COMMIT and the reset, nothing on
# the decision pool.
for i in 1 2; do req $GW3_PORT GET /ords/page/public/hello; done
q postgres app -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
L0=$(wc -l <"$GW_DIR/server.log")
req $GW3_PORT GET /ords/page/public/hello
sleep 0.3
q postgres app -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.3
ONE=$(tail -n +"$((L0 + 1))" "$GW_DIR/server.log")
check "a known handler: one write (gate, handler, COMMIT; no ords.authorize, no gateway_handlers)" "200 gate=1 handler=1 commit=1 authorize=0 handlers=0" \
  "$(status) gate=$(grep -c 'execute .*ords.gateway_gate(' <<<"$ONE") handler=$(grep -q 'Hello from pg_ords' <<<"$ONE" && echo 1 || echo 0) commit=$(grep -c 'statement: COMMIT' <<<"$ONE") authorize=$(grep -c 'ords.authorize(' <<<"$ONE") handlers=$(grep -c 'gateway_handlers(' <<<"$ONE")"
if [ "$GW_LEGACY" != 1 ]; then
  check "the reset after it is one call (0.7.0): ords.gateway_reset, not the eight statements" "reset=1 resetall=0 discard=0" \
    "reset=$(grep -c 'statement: SELECT ords.gateway_reset(' <<<"$ONE") resetall=$(grep -c 'RESET ALL' <<<"$ONE") discard=$(grep -c 'DISCARD' <<<"$ONE")"
  check "page's login is its schema role: BEGIN alone, no SET LOCAL (0.7.0)" "begin=1 setlocal=0" \
    "begin=$(grep -c 'statement: BEGIN' <<<"$ONE") setlocal=$(grep -c 'SET LOCAL' <<<"$ONE")"
fi
GATE_REVOKED=$(curl -s --user "$CLIENT_ID:$SECRET" --data grant_type=client_credentials "http://127.0.0.1:$GW3_PORT/ords/page/oauth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
req $GW3_PORT POST /ords/page/customers/hits -H "Authorization: Bearer $GATE_REVOKED"
check "a second token: 200 (4)" "200 4" "$(status) $(json "$T/body" 'd["n"]')"
q page app -v t="$GATE_REVOKED" >/dev/null <<'SQL'
SELECT oauth.revoke_token(:'t');
SQL
for a in "" "Bearer $GATE_REVOKED" "Bearer not-a-token" "Basic $(printf 'nobody:nothing' | base64)"; do
  if [ -n "$a" ]; then req $GW3_PORT POST /ords/page/customers/hits -H "Authorization: $a"; else req $GW3_PORT POST /ords/page/customers/hits; fi
  check "refused (${a%% *}${a:+ …}): 401 with its challenge" "401 yes" "$(status) $([ -n "$(hdr www-authenticate)" ] && echo yes || echo no)"
done
check "no refused request ran the pipelined handler query (sequence still at 4)" "4" "$(q page app -c "SELECT last_value FROM hits")"
req $GW3_PORT POST /ords/page/customers/hits -H "Authorization: Bearer $TOKEN"
check "the valid token again: 200 (5)" "200 5" "$(status) $(json "$T/body" 'd["n"]')"
check "refusals by ords.gateway_gate leave no line in the server log" "0" "$(grep -c 'gateway_gate refused' "$GW_DIR/server.log" || true)"
# the handler rows the gateway keeps are checked in the handler's transaction
q page app -c "SELECT ords.define_handler('customers', 'hits', 'POST', ords.source_type_query_one_row(), 'select nextval(''hits'') * 100 as n')" >/dev/null
req $GW3_PORT POST /ords/page/customers/hits -H "Authorization: Bearer $TOKEN"
check "handler redefined: the very next request runs the new source" "200 600" "$(status) $(json "$T/body" 'd["n"]')"
q page app -c "SELECT ords.define_service(p_module_name => 'gone', p_base_path => 'gone/', p_pattern => 'x', p_source_type => ords.source_type_query_one_row(), p_source => 'select 1 as one')" >/dev/null
for i in 1 2; do req $GW3_PORT GET /ords/page/gone/x; done
check "a public handler, twice: 200" "200 1" "$(status) $(json "$T/body" 'd["one"]')"
q page app -c "SELECT ords.delete_module('gone')" >/dev/null
req $GW3_PORT GET /ords/page/gone/x
check "module deleted: the very next request gets 404" "404" "$(status)"
# a tenant calling the gate itself learns nothing about another tenant
out=$(psql -X -q -At -h "$GW_DIR" -p "$PG_PORT" -U bob -d app -c "SELECT ords.gateway_gate(NULL, 'GET', '/customers/licenses', 'page', '/customers/licenses', 'x')" 2>&1 || true)
check "bob calls ords.gateway_gate for page: 42501, nothing else" "yes" "$(echo "$out" | grep -q 'needs a login that can become its schema role' && echo yes || echo no)"
out=$(psql -X -q -At -h "$GW_DIR" -p "$PG_PORT" -U page -d app -c "SELECT ords.gateway_gate(NULL, 'GET', '/public/hello', 'page', '/public/hello', 'forged')" 2>&1 || true)
check "a forged route fingerprint: refused as out of date (55000)" "yes" "$(echo "$out" | grep -q 'out of date' && echo yes || echo no)"
fi

log "item 5: header hygiene"
for h in "X_ORDS_Client_Id" "x_ords_client_id" "X-ORDS_Client-Id" "x_ORDS-client_ID"; do
  req $GW3_PORT GET "/ords/api/open/things" -H "$h: spoofed"
  check "public path, client header $h: nothing folding onto X-ORDS-Client-Id reaches the upstream" "[]" \
    "$(json "$T/body" '[v for k, v in d["headers"].items() if k.replace("_", "-") == "x-ords-client-id"]')"
  req $GW3_PORT GET "/ords/api/secure/x" -H "Authorization: Bearer $API_TOKEN" -H "$h: spoofed"
  check "protected path, client header $h: only the gateway's X-ORDS-Client-Id" "[\"$API_ID\"]" \
    "$(json "$T/body" '[v for k, v in d["headers"].items() if k.replace("_", "-") == "x-ords-client-id"]')"
done
printf 'grant_type=client_credentials\0' >"$T/nul.body"
req $GW3_PORT POST /ords/page/oauth/token --user "$CLIENT_ID:$SECRET" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$T/nul.body"
check "NUL byte in a token request body: 400 invalid_request" "400 invalid_request" "$(status) $(json "$T/body" 'd["error"]')"
printf 'grant_type=client_credentials&scope=\xff' >"$T/bad.body"
req $GW3_PORT POST /ords/page/oauth/token --user "$CLIENT_ID:$SECRET" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$T/bad.body"
check "invalid UTF-8 in a token request body: 400 invalid_request" "400 invalid_request" "$(status) $(json "$T/body" 'd["error"]')"
req $GW3_PORT GET "/ords/page/public/echo/%FF"
check "invalid UTF-8 in a percent-decoded path bind: 400" "400" "$(status)"
req $GW3_PORT GET "/ords/page/public/hello?name=%C3%28"
check "invalid UTF-8 in a percent-decoded query bind: 400" "400" "$(status)"
req $GW3_PORT GET "/ords/page/public/hello?name=a%00b"
check "NUL in a query bind: 400" "400" "$(status)"
check "Expect: 100-continue with a too-large Content-Length: 413 at once" "413" "$(python3 - "$GW3_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
s.sendall(b"POST /ords/page/oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
          b"Content-Length: 100000000\r\nExpect: 100-continue\r\n\r\n")
try:
    print(s.recv(200).split(b" ")[1].decode())
except Exception as e:
    print("no answer", type(e).__name__)
PY
)"

log "item 6: refusals before Postgres, and a clean gateway log"
errs_before=$(grep -c 'ERROR' "$GW_DIR/server.log" || true)
for p in "/ords/nosuch/x" "/ords/nosuch_PROBE_TEXT/oauth/token" "/ords/page/customers%2FPROBE_TEXT/1" "/ords/page/../PROBE_TEXT/x" "/ords/page/customers/validation/PROBE_TEXT%00"; do
  req $GW3_PORT GET "$p"
  check "unauthenticated GET $p: refused (4xx)" "true" "$( [ "$(status)" -ge 400 ] && [ "$(status)" -lt 500 ] && echo true || status)"
done
req $GW3_PORT POST /ords/nosuch_PROBE_TEXT/oauth/token --data grant_type=client_credentials
check "token request to an unknown alias: 404" "404" "$(status)"
sleep 0.3
check "no new ERROR line in the server log" "$errs_before" "$(grep -c 'ERROR' "$GW_DIR/server.log" || true)"
check "no attacker text in the server log" "0" "$(grep -c 'PROBE_TEXT' "$GW_DIR/server.log" || true)"
req $GW3_PORT GET "/ords/bob/evil/boom?x=%1B%5B31mRED%0AFAKE%20line%0D"
check "handler error: 500" "500" "$(status)"
sleep 0.2
check "gateway logs: no ESC byte (no colours, control characters escaped)" "0" "$(cat "$GW_DIR"/gateway*.log | grep -c $'\x1b' || true)"
check "gateway logs: no line injected by a handler's error text" "0" "$(cat "$GW_DIR"/gateway*.log | grep -c '^FAKE' || true)"

log "item 7: handler definitions through one function, no grants on ords_metadata"
check "the gateway's role: no privilege on any ords_metadata table" "0" \
  "$(q postgres app -c "SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'ords_metadata'::regnamespace AND c.relkind IN ('r','v') AND has_table_privilege('ords_gateway', c.oid, 'SELECT,INSERT,UPDATE,DELETE')")"
check "the gateway's role: no USAGE on schema ords_metadata" "f" "$(q postgres app -c "SELECT has_schema_privilege('ords_gateway', 'ords_metadata', 'USAGE')")"
check "ords.gateway_handlers: EXECUTE not granted to PUBLIC (a tenant cannot call it)" "f" \
  "$(q postgres app -c "SELECT coalesce((SELECT has_function_privilege('bob', p.oid, 'EXECUTE') FROM pg_proc p WHERE p.oid = to_regprocedure('ords.gateway_handlers(text,text)')), true)")"
check "ords.gateway_handlers: callable by the gateway's role" "t" \
  "$(q postgres app -c "SELECT coalesce((SELECT has_function_privilege('ords_gateway', p.oid, 'EXECUTE') FROM pg_proc p WHERE p.oid = to_regprocedure('ords.gateway_handlers(text,text)')), false)")"

# ---------------------------------------------------------------------------------------------
log "pool exhausted: 503 + Retry-After, never a hang (pool 1, wait 300 ms, statement_timeout 2.5 s)"
PG_ORDS_DATABASE_URL=$DB_URL "$GW_BIN" --listen "127.0.0.1:$GW2_PORT" --pool-size 1 --pool-wait-timeout-ms 300 "${HANDLER_ARGS[@]}" \
  --statement-timeout-ms 2500 \
  >"$GW_DIR/gateway2.log" 2>&1 & GW2_PID=$!; pids+=($GW2_PID)
wait_http "http://127.0.0.1:$GW2_PORT/health"
curl -s -o "$T/slow.body" -w '%{http_code}' "http://127.0.0.1:$GW2_PORT/ords/page/public/slow" >"$T/slow.status" & SLOW=$!
sleep 0.5
s0=$(date +%s%N)
req $GW2_PORT GET /ords/page/public/hello
ms=$((($(date +%s%N) - s0) / 1000000))
check "second request while the only connection is busy: 503" "503" "$(status)"
check "503 carries Retry-After" "1" "$(hdr retry-after)"
check "503 within 2 s (got ${ms} ms)" "true" "$([ "$ms" -lt 2000 ] && echo true || echo false)"
req $GW2_PORT GET /health
check "/health still answers while the pool is busy" "200" "$(status)"
wait $SLOW || true
check "the slow request itself: 200" "200" "$(cat "$T/slow.status")"
req $GW2_PORT GET /ords/page/public/hello
check "after it: served again" "200" "$(status)"
req $GW2_PORT GET "/ords/page/public/slow?seconds=4"
check "handler over statement_timeout: 504" "504 GatewayTimeout" "$(status) $(json "$T/body" 'd["code"]')"
req $GW2_PORT POST /ords/page/public/untimeout
check "a handler lifted statement_timeout for its session" "200 0" "$(status) $(json "$T/body" 'd["r"]')"
req $GW2_PORT GET "/ords/page/public/slow?seconds=4"
check "the next request on that connection: still cut at --statement-timeout-ms (504)" "504 GatewayTimeout" "$(status) $(json "$T/body" 'd["code"]')"
req $GW2_PORT GET /ords/page/public/hello
check "the connection is usable afterwards" "200" "$(status)"

log "graceful shutdown: SIGTERM → in-flight request finishes, exit 0"
curl -s -o "$T/slow2.body" -w '%{http_code}' "http://127.0.0.1:$GW2_PORT/ords/page/public/slow" >"$T/slow2.status" & SLOW=$!
sleep 0.5
s0=$(date +%s%N)
kill -TERM "$GW2_PID"
rc=0; wait "$GW2_PID" || rc=$?
ms=$((($(date +%s%N) - s0) / 1000000))
wait $SLOW || true
check "exit status 0" "0" "$rc"
check "in-flight request completed: 200" "200" "$(cat "$T/slow2.status")"
check "exited within 5 s (got ${ms} ms)" "true" "$([ "$ms" -lt 5000 ] && echo true || echo false)"
req $GW2_PORT GET /health
check "no longer listening" "000" "$(status)"
s0=$(date +%s%N)
kill -TERM "$GW_PID"
rc=0; wait "$GW_PID" || rc=$?
ms=$((($(date +%s%N) - s0) / 1000000))
check "idle gateway: SIGTERM → exit 0 (in ${ms} ms)" "0 true" "$rc $([ "$ms" -lt 2000 ] && echo true || echo false)"

if [ "$GW_LEGACY" = 0 ]; then
log "a request cancelled in the middle of its one write: its connection is closed, never reused"
# Pool of 1, requests time out after 700 ms. The warm-up makes /public/slow a one-write request;
# the third one is cancelled by the timeout while its handler (pg_sleep) runs in its
# transaction. Were its connection given back, the next request would queue behind the sleep
# inside that transaction.
PG_ORDS_DATABASE_URL=$DB_URL "$GW_BIN" --listen "127.0.0.1:$GW2_PORT" --pool-size 1 --request-timeout-ms 700 "${HANDLER_ARGS[@]}" \
  >"$GW_DIR/gateway4.log" 2>&1 & GW4_PID=$!; pids+=($GW4_PID)
wait_http "http://127.0.0.1:$GW2_PORT/health"
for i in 1 2; do req $GW2_PORT GET "/ords/page/public/slow?seconds=0"; done
check "warm-up: 200" "200" "$(status)"
req $GW2_PORT GET "/ords/page/public/slow?seconds=3"
check "a handler over the request timeout: 504" "504" "$(status)"
s0=$(date +%s%N)
req $GW2_PORT GET "/ords/page/public/slow?seconds=0"
ms=$((($(date +%s%N) - s0) / 1000000))
check "the next request: 200 at once, on a new connection (got ${ms} ms)" "200 true" "$(status) $([ "$ms" -lt 1500 ] && echo true || echo false)"
check "the cancelled request's transaction ended with its connection" "0" \
  "$(q postgres app -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'app' AND state LIKE 'idle in transaction%'")"
kill -TERM "$GW4_PID"; wait "$GW4_PID" || true

log "a pg_ords without ords.gateway_reset (older than 0.7.0): the eight-statement reset, nothing survives"
q postgres app >/dev/null <<'SQL'
ALTER EXTENSION pg_ords DROP FUNCTION ords.gateway_reset(integer);
DROP FUNCTION ords.gateway_reset(integer);
SQL
PG_ORDS_DATABASE_URL=$DB_URL "$GW_BIN" --listen "127.0.0.1:$GW2_PORT" --pool-size 1 "${HANDLER_ARGS[@]}" \
  >"$GW_DIR/gateway5.log" 2>&1 & GW5_PID=$!; pids+=($GW5_PID)
wait_http "http://127.0.0.1:$GW2_PORT/health"
req $GW2_PORT POST /ords/bob/evil/plant
check "first request: 200 (its reset fails: the connection is closed)" "200" "$(status)"
req $GW2_PORT GET /ords/bob/evil/probe
check "the next request: nothing planted (a new connection)" "0 0 None" \
  "$(json "$T/body" '" ".join(str(json.loads(d["r"])[k]) for k in ["temp", "locks", "guc"])')"
req $GW2_PORT POST /ords/bob/evil/plant
PLANT_PID=$(json "$T/body" 'd.get("r")')
req $GW2_PORT GET /ords/bob/evil/probe
check "planted, then reset with the eight statements: same connection, nothing left" "$PLANT_PID 0 0 0 0 None" \
  "$(json "$T/body" '" ".join(str(json.loads(d["r"])[k]) for k in ["pid", "temp", "prepared", "locks", "listen", "guc"])')"
check "the gateway said why, once" "1" "$(grep -c 'no ords.gateway_reset' "$GW_DIR/gateway5.log" || true)"
kill -TERM "$GW5_PID"; wait "$GW5_PID" || true
fi

echo "gateway startup: ${STARTUP_MS} ms to the first /health answer"
finish
