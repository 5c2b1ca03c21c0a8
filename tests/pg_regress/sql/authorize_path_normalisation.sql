-- authorize_path_normalisation: no spelling of a path reaches /customer/* as public; paths that cannot be
-- normalised safely are refused (22023).
--
-- Fixture (fixtures/tokens.sql): a fresh pg_ords; schema roles tok_a (alias tok_a) and tok_b (not
-- REST-enabled); tok_a protects /customer/* with customer_priv (role customer_role); main_client
-- holds customer_role (psql variables main_id, main_secret, main_token), probe_client holds no
-- role (probe_id, probe_secret, probe_token). The session is SET ROLE tok_a.
-- Secrets, client_ids and tokens are random: captured with \gset, only their shape or a
-- comparison is printed.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/tokens.sql'
\i :f
-- /admin/* needs admin_priv (role admin_role), as authorize_catalog_changes_apply_at_once leaves it.
SELECT ords.create_role(p_role_name => 'admin_role');
SELECT ords.create_privilege(p_name => 'admin_priv', p_role_name => 'admin_role');
SELECT ords.create_privilege_mapping(p_privilege_name => 'admin_priv', p_pattern => '/admin/*');

-- =============================================================================================
-- Path normalisation: no spelling of a path reaches /customer/* as public
-- =============================================================================================

-- Equivalent spellings of /customer/1 are all protected by customer_priv (403 for the probe).
SELECT p AS path, d.outcome, d.http_status, d.privilege_name
  FROM unnest(ARRAY['/customer/1', '//customer/1', '/customer//1', '/customer/./1', '/./customer/1',
                    '/customer/../customer/1', '/x/../customer/1', '/customer/1/.', '/customer/1/',
                    '/%63ustomer/1', '/customer/%31', '/customer/1?debug=../../public',
                    '/customer/1#frag', '/customer/%252e%252e/admin']) WITH ORDINALITY AS t(p, n),
       LATERAL ords.authorize(:'probe_token', 'GET', p, 'tok_a') AS d
 ORDER BY n;

-- An encoded '..' is a real '..': /customer/%2e%2e/admin/users is /admin/users, and gets the
-- rule of /admin/users (admin_priv), not /customer's. /customer/%2e%2e/admin is /admin, which
-- /admin/* does not cover (public, like /admin itself).
SELECT p AS path, d.outcome, d.http_status, d.privilege_name
  FROM unnest(ARRAY['/customer/%2e%2e/admin/users', '/admin/users', '/customer/%2E%2E/admin', '/admin',
                    '/customer/..', '/customer/%2e']) WITH ORDINALITY AS t(p, n),
       LATERAL ords.authorize(:'probe_token', 'GET', p, 'tok_a') AS d
 ORDER BY n;

-- Paths are case-sensitive, and /customer (no slash) is not /customer/*: both are public.
SELECT p AS path, d.outcome, d.http_status
  FROM unnest(ARRAY['/CUSTOMER/1', '/Customer/1', '/customer', '/customers/1']) WITH ORDINALITY AS t(p, n),
       LATERAL ords.authorize(NULL, 'GET', p, 'tok_a') AS d
 ORDER BY n;

-- Paths that cannot be normalised safely are refused with SQLSTATE 22023 (answer 400),
-- never matched leniently.
-- An encoded slash:
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer%2F1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer%2f1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A segment ending in a dot (Windows-style aliasing of /customer/1):
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/1.', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer./1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/...', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A control character, raw or encoded (PostgreSQL text cannot hold NUL; %00 is its encoding):
SELECT outcome FROM ords.authorize(NULL, 'GET', E'/customer/\x01', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/%00', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', E'/customer/1\n', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A backslash, raw or encoded:
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer\1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer%5C1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A broken percent escape:
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/%zz', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- '..' above the root:
SELECT outcome FROM ords.authorize(NULL, 'GET', '/../customer/1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- No leading slash, empty, NULL:
SELECT outcome FROM ords.authorize(NULL, 'GET', 'customer/1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', NULL, 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Too long (more than 4096 bytes):
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/' || repeat('a', 5000), 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Bad method or schema alias:
SELECT outcome FROM ords.authorize(NULL, 'GE T', '/customer/1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/1', NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/1', 'no_such_alias');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- =============================================================================================
-- Clean up
-- =============================================================================================
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
