-- gateway_reset: ords.gateway_reset(p_statements), what the gateway runs on a handler
-- connection after every request (docs/gateway.md, "Nothing survives between requests"). A
-- tenant's handler plants everything a session can carry; one call removes all of it and says
-- whether the prepared statements left are exactly the gateway's.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
CREATE ROLE reset_login LOGIN;
CREATE ROLE reset_tenant;
GRANT reset_tenant TO reset_login;
CREATE SCHEMA reset_tenant AUTHORIZATION reset_tenant;
CREATE SEQUENCE reset_tenant.s;
ALTER SEQUENCE reset_tenant.s OWNER TO reset_tenant;
-- A table every session reads by its unqualified name (search_path "$user", public).
CREATE TABLE public.things (id int, name text);
INSERT INTO public.things VALUES (1, 'a'), (2, 'b');
GRANT SELECT ON public.things TO PUBLIC;
-- What the probe sees (the next request's view of the session).
CREATE FUNCTION public.reset_probe() RETURNS TABLE (item text, left_over text) LANGUAGE sql AS $$
  SELECT 'current_user', current_user::text
  UNION ALL SELECT 'session_user', session_user::text
  UNION ALL SELECT 'cursors', (SELECT count(*) FROM pg_cursors)::text
  UNION ALL SELECT 'temp objects', (SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema())::text
  UNION ALL SELECT 'prepared with SQL', (SELECT count(*) FROM pg_prepared_statements WHERE from_sql)::text
  UNION ALL SELECT 'advisory locks', (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())::text
  UNION ALL SELECT 'listening', (SELECT count(*) FROM pg_listening_channels())::text
  UNION ALL SELECT 'set_config', nullif(current_setting('tenant.planted', true), '')
  UNION ALL SELECT 'search_path', current_setting('search_path')
  UNION ALL SELECT 'statement_timeout', current_setting('statement_timeout')
$$;
GRANT EXECUTE ON FUNCTION public.reset_probe() TO PUBLIC;

SET SESSION AUTHORIZATION reset_login;   -- the gateway's handler login
-- The request: its transaction becomes the tenant, and the handler plants state that outlives it.
BEGIN;
SET LOCAL ROLE reset_tenant;
DECLARE held CURSOR WITH HOLD FOR SELECT * FROM public.things;
CREATE TEMP VIEW things AS SELECT 666 AS id, 'PLANTED'::text AS name;
PREPARE planted AS SELECT 1;
SELECT pg_advisory_lock(4242);
LISTEN planted;
SELECT nextval('reset_tenant.s');
SELECT set_config('tenant.planted', 'yes', false);
SELECT set_config('search_path', 'pg_temp, reset_tenant', false);
SELECT set_config('statement_timeout', '1h', false);
SELECT set_config('role', 'reset_tenant', false);
COMMIT;
SELECT * FROM public.reset_probe();
SELECT string_agg(name, ',' ORDER BY id) AS things FROM things;

-- After COMMIT, as the gateway does: one call. A statement made with SQL PREPARE is left, so
-- the answer is false (the gateway then runs DISCARD ALL).
SELECT ords.gateway_reset(0);
SELECT * FROM public.reset_probe();
SELECT string_agg(name, ',' ORDER BY id) AS things FROM things;
SELECT currval('reset_tenant.s');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DEALLOCATE planted;
-- Exactly the gateway's statements (none from SQL, p_statements at protocol level): true.
SELECT ords.gateway_reset(0) AS exact, ords.gateway_reset(1) AS one_missing, ords.gateway_reset(NULL) AS unknown;
-- A handler that dropped one of the gateway's statements and put its own under the name shows
-- as made with SQL.
PREPARE s0 AS SELECT 'HIJACKED';
SELECT ords.gateway_reset(0);
DEALLOCATE s0;

-- Inside a transaction block it refuses (25001): a deferred trigger could still run after it.
BEGIN;
SELECT ords.gateway_reset(0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;

-- An ordinary login may call it (it acts on its own session only): it takes no SET clause
-- (one would be restored after its RESET ALL) and is not SECURITY DEFINER.
SELECT p.prosecdef, p.proconfig, has_function_privilege('reset_login', p.oid, 'EXECUTE') AS callable
  FROM pg_proc p WHERE p.oid = 'ords.gateway_reset(integer)'::regprocedure;
SET SESSION AUTHORIZATION reset_login;
SELECT ords.gateway_reset(0) AS as_reset_login;
SELECT session_user;
DROP FUNCTION public.reset_probe();
DROP SCHEMA reset_tenant CASCADE;
DROP TABLE public.things;
DROP ROLE reset_login;
DROP ROLE reset_tenant;
DROP EXTENSION pg_ords CASCADE;
