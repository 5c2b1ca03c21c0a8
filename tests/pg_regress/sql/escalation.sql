-- Privilege-escalation attempts. Each block is one attack; each must change nothing.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
DROP SCHEMA IF EXISTS esc_evil CASCADE;
DROP ROLE IF EXISTS esc_victim, esc_attacker;
CREATE ROLE esc_victim;
CREATE ROLE esc_attacker;
CREATE SCHEMA esc_evil AUTHORIZATION esc_attacker;
GRANT CREATE ON SCHEMA public TO esc_attacker;
CREATE TABLE public.esc_hits (what text);
GRANT INSERT, SELECT ON public.esc_hits TO PUBLIC;

-- The victim: a protected path, a client holding the role.
SET ROLE esc_victim;
SELECT ords.enable_schema(p_url_mapping_pattern => 'victim');
SELECT ords.create_role('vrole');
SELECT ords.create_privilege('vpriv', 'vrole');
SELECT ords.create_privilege_mapping('vpriv', '/secret/*');
SELECT client_id AS victim_id, client_secret AS victim_secret FROM oauth.create_client('vclient', 'client_credentials') \gset
SELECT oauth.grant_client_role('vclient', 'vrole');
SELECT access_token AS victim_token FROM oauth.issue_token(:'victim_id', :'victim_secret') \gset
RESET ROLE;

-- The attacker plants objects that would change any unqualified lookup: an "=" for text,
-- bytea and name that is always true and records that it ran, a now() that returns the
-- distant past, in its own schema and in public, and puts them first on its search_path.
SET ROLE esc_attacker;
SELECT ords.enable_schema(p_url_mapping_pattern => 'attacker');
CREATE FUNCTION esc_evil.always_true(text, text) RETURNS boolean LANGUAGE plpgsql AS
  $$ BEGIN INSERT INTO public.esc_hits VALUES ('text ='); RETURN true; END $$;
CREATE FUNCTION esc_evil.always_true_b(bytea, bytea) RETURNS boolean LANGUAGE plpgsql AS
  $$ BEGIN INSERT INTO public.esc_hits VALUES ('bytea ='); RETURN true; END $$;
CREATE OPERATOR esc_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = esc_evil.always_true);
CREATE OPERATOR esc_evil.= (LEFTARG = bytea, RIGHTARG = bytea, FUNCTION = esc_evil.always_true_b);
CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE plpgsql AS
  $$ BEGIN INSERT INTO public.esc_hits VALUES ('now()'); RETURN '2000-01-01'; END $$;
CREATE FUNCTION esc_evil.clock_timestamp() RETURNS timestamptz LANGUAGE plpgsql AS
  $$ BEGIN INSERT INTO public.esc_hits VALUES ('clock_timestamp()'); RETURN '2000-01-01'; END $$;
SET search_path = esc_evil, public, pg_catalog;

-- 1. With the hijacked search_path, the victim's token still authorizes only for the victim's
--    alias, a garbage token stays unauthorized, and a wrong secret stays wrong (cache off, so
--    every call reads the catalog).
RESET ROLE; SET pg_ords.token_cache = off; SET ROLE esc_attacker;
SET search_path = esc_evil, public, pg_catalog;
SELECT outcome FROM ords.authorize('garbage-token', 'GET', '/secret/1', 'victim');
SELECT outcome FROM ords.authorize(:'victim_token', 'GET', '/secret/1', 'attacker');
SELECT outcome FROM ords.authorize(:'victim_token', 'GET', '/secret/1', 'victim');
SELECT * FROM oauth.issue_token(:'victim_id', 'not-the-secret');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS validate_rows FROM oauth.validate_token('garbage-token');
-- 2. Provisioning under the hijacked search_path names the attacker's own objects only.
SELECT oauth.grant_client_role('vclient', 'vrole');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT oauth.delete_client('vclient');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.create_role('vrole');
SELECT count(*) AS my_roles FROM user_ords_roles;
SELECT count(*) AS clients_i_see FROM user_ords_clients;
-- 3. Internal functions and tables are out of reach.
SELECT ords_metadata.client_delete(1, 'vclient');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_metadata.hash_secret('x', true);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM ords_metadata.oauth_client_secrets;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM ords_metadata.oauth_sessions;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE ords_metadata.oauth_client_roles SET role_id = role_id;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM dba_ords_clients;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- 4. Code that runs inside a security-restricted operation started by a superuser (here
--    REFRESH MATERIALIZED VIEW; ANALYZE and autovacuum run index expressions the same way)
--    runs as the attacker while the session's outer role is the superuser: pg_ords refuses.
RESET search_path;
CREATE FUNCTION esc_evil.grab() RETURNS int LANGUAGE plpgsql VOLATILE AS $f$
BEGIN
    PERFORM * FROM oauth_admin.create_client(p_schema => 'esc_victim', p_name => 'stolen', p_grant_type => 'client_credentials');
    RETURN 1;
END $f$;
CREATE MATERIALIZED VIEW esc_evil.mv AS SELECT esc_evil.grab() AS x WITH NO DATA;
RESET ROLE;
REFRESH MATERIALIZED VIEW esc_evil.mv;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS stolen_clients FROM ords_metadata.oauth_clients WHERE name = 'stolen';
SET ROLE esc_attacker;
SET search_path = esc_evil, public, pg_catalog;
-- 5. Settings that weaken checks are superuser-only.
SET pg_ords.token_cache = on;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET pg_ords.failed_attempts_allowed = 1000000;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET pg_ords.basic_auth_allow_superuser = on;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- 6. A forged request.jwt.claims changes nothing: ords.authorize never reads it.
SELECT set_config('request.jwt.claims', '{"role":"esc_victim","sub":"' || :'victim_id' || '"}', false) IS NOT NULL AS forged;
SELECT outcome FROM ords.authorize(NULL, 'GET', '/secret/1', 'victim');
-- 7. SQL metacharacters in names are data.
SELECT ords.create_role($n$x'); DROP TABLE public.esc_hits; --$n$);
SELECT name FROM user_ords_roles ORDER BY name;
RESET search_path;
RESET ROLE;

-- None of the planted functions ever ran inside pg_ords, and nothing of the victim changed.
SELECT count(*) AS planted_code_ran FROM public.esc_hits;
SET ROLE esc_victim;
SELECT name FROM user_ords_clients;
SELECT role_name FROM user_ords_client_roles;
SELECT outcome FROM ords.authorize(:'victim_token', 'GET', '/secret/1', 'victim');
RESET ROLE;

DROP EXTENSION pg_ords CASCADE;
DROP TABLE public.esc_hits;
DROP FUNCTION public.now();
DROP SCHEMA esc_evil CASCADE;
REVOKE CREATE ON SCHEMA public FROM esc_attacker;
DROP ROLE esc_victim, esc_attacker;
