# Helpers for the reliability scripts: a throwaway cluster, psql as a given role, and the
# seed-003 provisioning every script starts from. Source after scripts/lib.sh.
R_DIR=${R_DIR:-/tmp/pg_ords-rel}
R_PORT=${R_PORT:-5455}
fails=0
q() { # q ROLE DB SQL... (stdin allowed): unaligned, tuples only
  local role=$1 db=$2; shift 2
  psql -X -q -At -h "$R_DIR" -p "$R_PORT" -U "$role" -d "$db" -v ON_ERROR_STOP=1 "$@"
}
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then echo "ok   - $1"; else echo "FAIL - $1: expected [$2], got [$3]"; fails=$((fails + 1)); fi
}
finish() {
  echo "$((checks_total - fails)) passed, $fails failed"
  ((fails == 0))
}
# Provision seed 003 as role `page` in database $1; sets CLIENT_ID, SECRET, TOKEN.
provision_seed003() {
  local db=$1
  q postgres "$db" -c "CREATE EXTENSION IF NOT EXISTS pg_ords" >/dev/null
  q postgres postgres -c "DROP ROLE IF EXISTS page" -c "CREATE ROLE page LOGIN" >/dev/null 2>&1 || true
  q page "$db" >/dev/null <<'SQL'
SELECT ords.enable_schema(p_url_mapping_pattern => 'page');
SELECT ords.define_service(p_module_name => 'customers', p_base_path => 'customers/', p_pattern => 'validation/:id',
                           p_source_type => ords.source_type_query_one_row(), p_source => 'select 1');
SELECT ords.create_role('license_role');
SELECT ords.create_privilege('license_priv', 'license_role');
SELECT ords.set_module_privilege('customers', 'license_priv');
SELECT ords.create_role('admin_role');
SELECT ords.create_privilege('admin_priv', 'admin_role');
SELECT ords.create_privilege_mapping('admin_priv', '/admin/*');
SQL
  read -r CLIENT_ID SECRET <<<"$(q page "$db" -F ' ' -c "SELECT client_id, client_secret FROM oauth.create_client('license_backend_client', 'client_credentials')")"
  q page "$db" -c "SELECT oauth.grant_client_role('license_backend_client', 'license_role')" >/dev/null
  TOKEN=$(q page "$db" -v id="$CLIENT_ID" -v s="$SECRET" <<'SQL'
SELECT access_token FROM oauth.issue_token(:'id', :'s');
SQL
)
}
# The decisions that must survive: outcome of the token on three paths, and of no token.
decisions() { # decisions DB
  q page "$1" -v t="$TOKEN" <<'SQL'
SELECT string_agg(p || '=' || a.outcome, ' ' ORDER BY p)
  FROM unnest(ARRAY['/customers/validation/1', '/admin/x', '/public']) p,
       LATERAL ords.authorize(:'t', 'GET', p, 'page') a;
SQL
}
# A checksum of every row of every catalog table.
catalog_checksum() { # catalog_checksum DB
  q postgres "$1" <<'SQL'
SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
  SELECT 'schemas:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS t FROM ords_metadata.ords_schemas x
  UNION ALL SELECT 'roles:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.sec_roles x
  UNION ALL SELECT 'privs:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.sec_privileges x
  UNION ALL SELECT 'privroles:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.sec_privilege_roles x
  UNION ALL SELECT 'mappings:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.sec_privilege_mappings x
  UNION ALL SELECT 'modules:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.ords_modules x
  UNION ALL SELECT 'templates:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.ords_templates x
  UNION ALL SELECT 'handlers:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.ords_handlers x
  UNION ALL SELECT 'privmods:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.sec_privilege_modules x
  UNION ALL SELECT 'clients:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.oauth_clients x
  UNION ALL SELECT 'secrets:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.oauth_client_secrets x
  UNION ALL SELECT 'clientroles:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.oauth_client_roles x
  UNION ALL SELECT 'clientprivs:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.oauth_client_privileges x
  UNION ALL SELECT 'sessions:' || md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ords_metadata.oauth_sessions x
) s;
SQL
}
