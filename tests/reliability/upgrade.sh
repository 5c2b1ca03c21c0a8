#!/usr/bin/env bash
# Extension upgrades: install an old pg_ords (its install script is kept in tests/upgrade;
# UPGRADE_FROM, default 0.1.0, so the whole chain of scripts runs), provision and issue a token,
# ALTER EXTENSION pg_ords UPDATE, and find everything intact and working; the upgraded
# extension is object-for-object the same as a fresh install of the current version.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib.bash
reliability_suite upgrade
install_extension >/dev/null
cp tests/upgrade/pg_ords--*.sql "$("$PG_CONFIG" --sharedir)/extension/"
FROM=${UPGRADE_FROM:-0.1.0}
CURRENT=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
trap 'stop_cluster "$R_DIR"' EXIT
start_cluster "$R_DIR" "$R_PORT" "shared_preload_libraries = 'pg_ords'"

q postgres postgres -c "CREATE DATABASE old" -c "CREATE DATABASE fresh" >/dev/null
q postgres old -c "CREATE EXTENSION pg_ords VERSION '$FROM'" >/dev/null
provision_seed003 old
visible() { q page old <<'SQL'
SELECT md5(concat_ws('|',
  (SELECT string_agg(concat_ws(',', name, auth_flow, client_id, client_secret, client_secret_issued_on), ';' ORDER BY name) FROM user_ords_clients),
  (SELECT string_agg(concat_ws(',', name, id), ';' ORDER BY name) FROM user_ords_roles),
  (SELECT string_agg(concat_ws(',', name, pattern), ';' ORDER BY pattern) FROM user_ords_privilege_mappings),
  (SELECT string_agg(concat_ws(',', privilege_name, module_name), ';') FROM user_ords_privilege_modules),
  (SELECT string_agg(concat_ws(',', client_name, role_name), ';') FROM user_ords_client_roles)));
SQL
}
before=$(decisions old); seen=$(visible)
check "$FROM installed" "$FROM" "$(q postgres old -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_ords'")"

# This library against the old catalog: it issues and accepts a JWT although the catalog has
# no token_digest column before 0.8.0 (its row is then fully verified at every decision:
# docs/tokens.md#verifying-a-jwt). From 0.3.0 on: a 0.2.0 catalog's sessions have no jwt_role
# column, and issuing a JWT there fails (42703) until the update, as it did before 0.8.0.
authorize_jwt() { q page old -v t="$1" <<'SQL'
SELECT outcome FROM ords.authorize(:'t', 'GET', '/customers/validation/1', 'page');
SQL
}
OLD_JWT=
if [ "$FROM" != 0.1.0 ] && [ "$FROM" != 0.2.0 ]; then
  q page old -c "SELECT ords.set_token_format('jwt')" >/dev/null
  OLD_JWT=$(q page old -v id="$CLIENT_ID" -v s="$SECRET" <<'SQL'
SELECT access_token FROM oauth.issue_token(:'id', :'s');
SQL
)
  q page old -c "SELECT ords.set_token_format('opaque')" >/dev/null
  check "a JWT issued by this library on the $FROM catalog authorizes" "allowed" "$(authorize_jwt "$OLD_JWT")"
fi

q postgres old -c "ALTER EXTENSION pg_ords UPDATE" >/dev/null
check "updated to $CURRENT" "$CURRENT" "$(q postgres old -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_ords'")"
check "the token issued before the update decides the same" "$before" "$(decisions old)"
check "clients, roles, mappings, modules, grants unchanged" "$seen" "$(visible)"
check "the secret stored before the update still verifies" "43" "$(q page old -v id="$CLIENT_ID" -v s="$SECRET" <<'SQL'
SELECT length(access_token) FROM oauth.issue_token(:'id', :'s');
SQL
)"
q page old -c "SELECT ords.set_token_format('jwt')" >/dev/null
JWT=$(q page old -v id="$CLIENT_ID" -v s="$SECRET" <<'SQL'
SELECT access_token FROM oauth.issue_token(:'id', :'s');
SQL
)
check "a 0.2.0 feature after the update: a JWT that authorizes" "allowed" "$(q page old -v t="$JWT" <<'SQL'
SELECT outcome FROM ords.authorize(:'t', 'GET', '/customers/validation/1', 'page');
SQL
)"
check "a JWT issued after the update records the digest of its text" "t" "$(q postgres old -v t="$JWT" <<'SQL'
SELECT token_digest = sha256(convert_to(:'t', 'UTF8')) FROM ords_metadata.oauth_sessions
 WHERE token_hash = sha256(convert_to('jti:' || (convert_from(decode(translate(split_part(:'t', '.', 2), '-_', '+/')
       || repeat('=', (4 - length(split_part(:'t', '.', 2)) % 4) % 4), 'base64'), 'UTF8')::jsonb->>'jti'), 'UTF8'));
SQL
)"
if [ -n "$OLD_JWT" ]; then
  check "the JWT issued before the update (no digest: fully verified) still authorizes" "allowed" "$(authorize_jwt "$OLD_JWT")"
  check "its row has no digest (only the JWT issued after the update has one)" "1" \
    "$(q postgres old -c "SELECT count(token_digest) FROM ords_metadata.oauth_sessions")"
fi

# Object-for-object comparison with a fresh install.
q postgres fresh -c "CREATE EXTENSION pg_ords" >/dev/null
shape() { q postgres "$1" <<'SQL'
SELECT kind || ' ' || def FROM (
  SELECT 'function' AS kind, pg_get_functiondef(p.oid) || coalesce(array_to_string(p.proacl, ','), '') AS def
    FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
  UNION ALL
  SELECT 'column', c.oid::regclass || '.' || a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
         || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(ad.adbin, ad.adrelid), '')
    FROM pg_class c JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
  UNION ALL
  SELECT 'relation', c.oid::regclass || ' ' || c.relkind::text || ' ' || coalesce(array_to_string(c.relacl, ','), '')
         || ' ' || coalesce(pg_get_viewdef(c.oid), '')
    FROM pg_class c JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'
  UNION ALL
  SELECT 'constraint', conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
   WHERE connamespace = 'ords_metadata'::regnamespace
  UNION ALL
  SELECT 'index', pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid::regclass::text LIKE 'ords_metadata.%'
  UNION ALL
  SELECT 'trigger', pg_get_triggerdef(oid) || ' enabled=' || tgenabled::text FROM pg_trigger WHERE tgrelid::regclass::text LIKE 'ords_metadata.%' AND NOT tgisinternal
  UNION ALL
  SELECT 'config_dump', c::regclass::text FROM pg_extension, unnest(extconfig) c WHERE extname = 'pg_ords'
) s ORDER BY 1;
SQL
}
shape old | sort >"$R_DIR/old.shape"
shape fresh | sort >"$R_DIR/fresh.shape"
check "the comparison sees the extension's objects (more than 300)" "t" "$( (($(wc -l <"$R_DIR/fresh.shape") > 300)) && echo t || echo f)"
diff "$R_DIR/old.shape" "$R_DIR/fresh.shape" >"$R_DIR/shape.diff" || true
check "upgraded $CURRENT = fresh $CURRENT (functions, columns, views, grants, constraints, indexes, triggers, dump config)" \
  "0" "$(wc -l <"$R_DIR/shape.diff")"
[ -s "$R_DIR/shape.diff" ] && head -40 "$R_DIR/shape.diff"
finish
