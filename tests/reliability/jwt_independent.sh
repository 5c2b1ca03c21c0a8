#!/usr/bin/env bash
# pg_ords's JWT access tokens, checked by an independent implementation (PyJWT + cryptography):
# tokens of each algorithm (ES256 by default, EdDSA via ALTER SYSTEM + pg_reload_conf, HS256 via
# a superuser's SET) verify with the public JWK from ords.jwks() (PyJWK) or with the HS256
# secret of ords.postgrest_pre_config()'s JWK Set, pass PostgREST v13's kid rule, and carry the right kid, exp, aud (the schema alias), iss and
# sub. Then tokens forged in Python (payload tampered under a kept signature, alg none,
# algorithm confusion with the ES256 public key as HMAC secret, unknown kids, foreign keys, a
# high-s ECDSA twin, expired or never-issued jtis signed with the real HS256 secret) must all be
# refused by ords.authorize (outcome unauthorized). Making keys sends NOTIFY pgrst. The checks
# are in jwt_independent.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib.bash
reliability_suite jwt_independent
trap 'stop_cluster "$R_DIR"' EXIT
python3 -c 'import jwt, cryptography' 2>/dev/null || python3 -m pip install -q pyjwt cryptography >/dev/null
python3 -c 'import psycopg' 2>/dev/null || python3 -m pip install -q 'psycopg[binary]' >/dev/null
# Generated secrets cannot be guessed: cheap Argon2 keeps the run short (docs/secrets.md#argon2).
start_cluster "$R_DIR" "$R_PORT" "shared_preload_libraries = 'pg_ords'" \
  "pg_ords.generated_secret_argon2_memory_kib = 1024" "pg_ords.generated_secret_argon2_iterations = 1"

q postgres postgres -c "CREATE DATABASE app" >/dev/null
q postgres app -c "CREATE EXTENSION pg_ords" >/dev/null
q postgres postgres -c "CREATE ROLE pgrst_shop LOGIN" -c "CREATE ROLE pgrst_web" -c "GRANT pgrst_web TO pgrst_shop" >/dev/null
q pgrst_shop app >/dev/null <<'SQL'
SELECT ords.enable_schema(p_url_mapping_pattern => 'shop');
SELECT ords.create_role('orders_role');
SELECT ords.create_privilege('orders_priv', 'orders_role');
SELECT ords.create_privilege_mapping('orders_priv', '/orders/*');
SELECT ords.set_token_format(p_token_format => 'jwt', p_jwt_role => 'pgrst_web');
SQL
read -r GOOD_ID GOOD_SECRET <<<"$(q pgrst_shop app -F ' ' -c "SELECT client_id, client_secret FROM oauth.create_client('good', 'client_credentials')")"
read -r OTHER_ID OTHER_SECRET <<<"$(q pgrst_shop app -F ' ' -c "SELECT client_id, client_secret FROM oauth.create_client('other', 'client_credentials')")"
q pgrst_shop app -c "SELECT oauth.grant_client_role('good', 'orders_role')" >/dev/null
check "schema shop issues JWTs" "jwt" "$(q postgres app -c "SELECT token_format FROM ords_metadata.ords_schemas WHERE pattern = 'shop'")"

export SUPER_DSN="host=$R_DIR port=$R_PORT dbname=app user=postgres"
export SCHEMA_DSN="host=$R_DIR port=$R_PORT dbname=app user=pgrst_shop"
export SCHEMA_ROLE=pgrst_shop ALIAS=shop GOOD_ID GOOD_SECRET OTHER_ID OTHER_SECRET
OUT=$R_DIR/checks.tsv
py_status=0
python3 tests/reliability/jwt_independent.py >"$OUT" 2>"$R_DIR/checks.err" || py_status=$?
while IFS=$'\t' read -r kind a b d; do
  case "$kind" in
    CHECK) check "$a" "$b" "$d" ;;
    NOTE) echo "note - $a" ;;
  esac
done <"$OUT"
check "jwt_independent.py ran to the end" "0 DONE" "$py_status $(tail -n 1 "$OUT")"
if ((py_status != 0)); then tail -n 5 "$R_DIR/checks.err"; fi
check "server still up" "1" "$(q postgres app -c "SELECT 1")"
finish
