#!/usr/bin/env bash
# A generated bad-input matrix over every SQL function of pg_ords's public schemas (oauth,
# ords, ords_security and the *_admin twins): each argument in turn gets NULL, '', a 1 MB
# string, a control character, quotes and semicolons, and (for numbers) 0, -1 and 2^31-1,
# with plausible values in the others. Every call runs as a REST-enabled schema role in its own
# subtransaction. Shown: no call ends with an internal error (XX000) or kills the backend, and
# after every failed call the catalog is exactly as before (checksum over every row of every
# ords_metadata table).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib.bash
reliability_suite input_matrix
trap '[ -n "${KEEP:-}" ] || stop_cluster "$R_DIR"' EXIT
start_cluster "$R_DIR" "$R_PORT" "shared_preload_libraries = 'pg_ords'" \
  "pg_ords.generated_secret_argon2_memory_kib = 64" "pg_ords.generated_secret_argon2_iterations = 1" \
  "pg_ords.failed_attempts_allowed = 1000000"

q postgres postgres >/dev/null <<'SQL'
CREATE EXTENSION pg_ords;
CREATE ROLE matrix LOGIN;
SET ROLE matrix;
SELECT ords.enable_schema();
SELECT ords.create_role('x');
SELECT ords.create_privilege('x', 'x');
SELECT ords.define_module('x', 'x/');
SELECT ords.define_template('x', 'x');
SELECT * FROM oauth.create_client('x', 'client_credentials');
RESET ROLE;
CREATE TABLE public.matrix_results (fn text, arg int, value text, sqlstate text, unchanged boolean);
GRANT INSERT, SELECT ON public.matrix_results TO matrix;
SQL

# As matrix (SET ROLE), with the catalog checksum of tests/pg_regress/sql/fixtures (pg_temp, SECURITY
# DEFINER: matrix may call it).
q postgres postgres -f "$CATALOG_CHECKSUM_SQL" -c "SET ROLE matrix" -f - >/dev/null <<'SQL'
DO $$
DECLARE
    f record; i int; v text; args text[]; base text[]; sql text; st text; before text; ok boolean;
    bad_text text[] := ARRAY['NULL', '''''', 'repeat(''x'', 1048576)', 'E''a\x01b''', $q$'x''); DROP TABLE public.matrix_results; --'$q$];
    bad_int text[] := ARRAY['NULL', '0', '-1', '2147483647'];
BEGIN
    FOR f IN
        SELECT p.oid, n.nspname || '.' || p.proname AS name, ARRAY(SELECT unnest(p.proargtypes::oid[])) AS types, p.pronargs
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname IN ('oauth', 'ords', 'ords_security', 'oauth_admin', 'ords_admin', 'ords_security_admin')
           AND p.prokind = 'f' AND p.pronargs > 0
         ORDER BY 2, 1
    LOOP
        base := ARRAY(SELECT CASE t WHEN 'text'::regtype THEN '''x''' WHEN 'integer'::regtype THEN '60'
                                    WHEN 'boolean'::regtype THEN 'false' WHEN 'text[]'::regtype THEN 'ARRAY[''x'']'
                                    ELSE 'NULL' END
                        FROM unnest(f.types) WITH ORDINALITY AS u(t, o) ORDER BY o);
        FOR i IN 1 .. f.pronargs LOOP
            FOREACH v IN ARRAY CASE WHEN f.types[i] = 'integer'::regtype THEN bad_int
                                    WHEN f.types[i] = 'text[]'::regtype THEN ARRAY['NULL', '''{}''', 'ARRAY[NULL::text]', 'ARRAY[repeat(''x'', 1048576)]']
                                    WHEN f.types[i] = 'boolean'::regtype THEN ARRAY['NULL']
                                    ELSE bad_text END LOOP
                args := base; args[i] := v || '::' || format_type(f.types[i], NULL);
                sql := format('SELECT %s(%s)', f.name, array_to_string(args, ', '));
                before := pg_temp.catalog_checksum();
                BEGIN
                    EXECUTE sql;
                    st := '00000';
                EXCEPTION WHEN OTHERS THEN
                    st := SQLSTATE;
                END;
                ok := pg_temp.catalog_checksum() = before;
                INSERT INTO public.matrix_results VALUES (f.name, i, left(v, 40), st, ok);
            END LOOP;
        END LOOP;
    END LOOP;
END $$;
SQL

echo "calls by SQLSTATE:"
q postgres postgres -F ' ' -c "SELECT sqlstate, count(*) FROM matrix_results GROUP BY 1 ORDER BY 2 DESC" | sed 's/^/  /'
check "the matrix ran (calls)" "t" "$(q postgres postgres -c "SELECT count(*) > 500 FROM matrix_results")"
check "functions covered" "t" "$(q postgres postgres -c "SELECT count(DISTINCT fn) >= 60 FROM matrix_results")"
check "no internal error (XX000) or panic" "0" "$(q postgres postgres -c "SELECT count(*) FROM matrix_results WHERE sqlstate LIKE 'XX%'")"
check "every failed call left the catalog unchanged" "0" "$(q postgres postgres -c "SELECT count(*) FROM matrix_results WHERE sqlstate <> '00000' AND NOT unchanged")"
check "no 1 MB value was stored (calls that answer rather than raise, e.g. token_endpoint's 400, changed nothing)" "" \
  "$(q postgres postgres -c "SELECT string_agg(DISTINCT fn, ', ') FROM matrix_results WHERE value LIKE '%1048576%' AND NOT unchanged")"
check "the backend survived (same server, no crash)" "1" "$(q postgres postgres -c "SELECT 1")"
check "no crash in the server log" "0" "$(grep -c 'terminated by signal' "$R_DIR/server.log" || true)"
finish
