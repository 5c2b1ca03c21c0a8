-- definer_identity: pg_ords acts for current_user at the call site (docs/ownership.md).
--
-- A SECURITY DEFINER function runs with its owner's rights, never its caller's: when tenant
-- id_b's definer function calls pg_ords, pg_ords acts for id_b, whoever called the function
-- (tenant id_a, an administrator, a superuser). The user_ords_* views follow the same rule.
-- SET ROLE at top level (and in plain functions) still decides; security-restricted
-- operations and foreign-key actions are refused.
--
-- Nothing here prints a client_id, secret or token.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
DROP SCHEMA IF EXISTS id_b_code, id_c_code, id_a_code CASCADE;
DROP ROLE IF EXISTS id_a, id_b, id_c, id_admin;
CREATE ROLE id_a;
CREATE ROLE id_b;
CREATE ROLE id_c;
CREATE ROLE id_admin;
GRANT ords_administrator_role TO id_admin;
CREATE SCHEMA id_a_code AUTHORIZATION id_a;
CREATE SCHEMA id_b_code AUTHORIZATION id_b;
CREATE SCHEMA id_c_code AUTHORIZATION id_c;
GRANT USAGE ON SCHEMA id_b_code, id_c_code TO PUBLIC;

-- Who owns which clients, from the administrator's view.
CREATE FUNCTION pg_temp.owners() RETURNS TABLE (client text, owned_by text) LANGUAGE sql AS $$
    SELECT name, parsing_schema FROM dba_ords_clients ORDER BY name
$$;

-- Three REST-enabled tenants.
SET ROLE id_a;
SELECT ords.enable_schema(p_url_mapping_pattern => 'ida');
SELECT name FROM oauth.create_client('a_own', 'client_credentials');
RESET ROLE;
SET ROLE id_c;
SELECT ords.enable_schema(p_url_mapping_pattern => 'idc');
SELECT name FROM oauth.create_client('c_own', 'client_credentials');
-- id_c's definer function: makes a client (in id_c's schema, whoever calls it).
CREATE FUNCTION id_c_code.make_client(p_name text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $f$
BEGIN
    PERFORM * FROM oauth.create_client(p_name, 'client_credentials');
    RETURN current_user;
END $f$;
RESET ROLE;
SET ROLE id_b;
SELECT ords.enable_schema(p_url_mapping_pattern => 'idb');
SELECT name FROM oauth.create_client('b_own', 'client_credentials');
-- id_b's definer functions, callable by PUBLIC.
CREATE FUNCTION id_b_code.make_client(p_name text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $f$
BEGIN
    PERFORM * FROM oauth.create_client(p_name, 'client_credentials');
    RETURN current_user;
END $f$;
CREATE FUNCTION id_b_code.my_clients() RETURNS text LANGUAGE sql SECURITY DEFINER AS $f$
    SELECT string_agg(name, ',' ORDER BY name) FROM public.user_ords_clients
$f$;
CREATE FUNCTION id_b_code.my_schema() RETURNS text LANGUAGE sql SECURITY DEFINER AS $f$
    SELECT string_agg(parsing_schema, ',') FROM public.user_ords_schemas
$f$;
CREATE FUNCTION id_b_code.admin_make(p_schema text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $f$
BEGIN
    PERFORM * FROM oauth_admin.create_client(p_schema => p_schema, p_name => 'admin_made', p_grant_type => 'client_credentials');
    RETURN 'created';
END $f$;
CREATE FUNCTION id_b_code.admin_delete(p_schema text, p_name text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $f$
BEGIN
    PERFORM oauth_admin.delete_client(p_schema, p_name);
    RETURN 'deleted';
END $f$;
CREATE FUNCTION id_b_code.enable_other(p_schema text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $f$
BEGIN
    PERFORM ords.enable_schema(p_schema => p_schema, p_url_mapping_pattern => 'hijacked');
    RETURN 'enabled';
END $f$;
-- Nested: id_b's function calls id_c's.
CREATE FUNCTION id_b_code.via_c(p_name text) RETURNS text LANGUAGE sql SECURITY DEFINER AS $f$
    SELECT id_c_code.make_client(p_name)
$f$;
-- A definer function that makes itself SECURITY INVOKER before calling pg_ords: it still runs
-- as id_b for the rest of this call, so pg_ords must still act for id_b.
CREATE FUNCTION id_b_code.turncoat(p_name text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $f$
BEGIN
    ALTER FUNCTION id_b_code.turncoat(text) SECURITY INVOKER;
    PERFORM * FROM oauth.create_client(p_name, 'client_credentials');
    RETURN current_user;
END $f$;
RESET ROLE;

-- =============================================================================================
-- 1. id_b's definer function called by id_a creates the client in id_b's schema, never id_a's.
-- =============================================================================================
SET ROLE id_a;
SELECT id_b_code.make_client('made_by_b_for_a');
-- id_a sees none of it; its own clients are unchanged.
SELECT string_agg(name, ',' ORDER BY name) AS a_sees FROM user_ords_clients;
-- 2. user_ords_* inside id_b's definer function show id_b's rows, not the caller's.
SELECT id_b_code.my_clients() AS b_function_sees, id_b_code.my_schema() AS b_function_schema;
-- 3. Nested definer functions act for the innermost owner: id_b's calls id_c's, so id_c.
SELECT id_b_code.via_c('made_by_c_via_b');
-- 4. A definer function that turns itself SECURITY INVOKER mid-call still acts for its owner.
SELECT id_b_code.turncoat('turncoat');
RESET ROLE;
SELECT * FROM pg_temp.owners();
ALTER FUNCTION id_b_code.turncoat(text) SECURITY DEFINER;

-- =============================================================================================
-- 5. Called by an administrator or a superuser, id_b's function cannot use *_admin functions,
--    nor enable another schema: it acts for id_b, who is neither.
-- =============================================================================================
SET ROLE id_admin;
SELECT id_b_code.admin_make('id_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT id_b_code.admin_delete('id_a', 'a_own');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT id_b_code.enable_other('id_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The administrator itself still can, at top level.
SELECT name FROM oauth_admin.create_client(p_schema => 'id_a', p_name => 'admin_for_a', p_grant_type => 'client_credentials');
RESET ROLE;
-- As superuser (the session's login role): the same.
SELECT id_b_code.admin_make('id_c');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT id_b_code.make_client('made_by_b_for_superuser');
SELECT * FROM pg_temp.owners();
SELECT parsing_schema, pattern FROM dba_ords_schemas ORDER BY parsing_schema;

-- =============================================================================================
-- 6. An administrator's definer function does get the administrator's rights (its owner's),
--    even when a tenant calls it: that is what SECURITY DEFINER means.
-- =============================================================================================
CREATE SCHEMA id_admin_code AUTHORIZATION id_admin;
GRANT USAGE ON SCHEMA id_admin_code TO PUBLIC;
SET ROLE id_admin;
CREATE FUNCTION id_admin_code.delete_client(p_schema text, p_name text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $f$
BEGIN
    PERFORM oauth_admin.delete_client(p_schema, p_name);
    RETURN 'deleted';
END $f$;
RESET ROLE;
SET ROLE id_a;
SELECT id_admin_code.delete_client('id_a', 'admin_for_a');
RESET ROLE;
DROP SCHEMA id_admin_code CASCADE;

-- =============================================================================================
-- 7. SET ROLE still decides outside definer functions: at top level, and inside a plain
--    function (with or without its own SET clause) that switches role.
-- =============================================================================================
SET ROLE id_a;
SELECT name FROM oauth.create_client('a_by_set_role', 'client_credentials');
RESET ROLE;
CREATE FUNCTION pg_temp.as_role(p_role text, p_name text) RETURNS text LANGUAGE plpgsql
SET search_path = pg_catalog AS $f$
BEGIN
    EXECUTE format('SET ROLE %I', p_role);
    PERFORM * FROM oauth.create_client(p_name, 'client_credentials');
    RETURN current_user;
END $f$;
SELECT pg_temp.as_role('id_c', 'c_by_set_role_in_function');
RESET ROLE;
-- id_b's definer function called after SET ROLE id_a: id_b still.
SET ROLE id_a;
SELECT id_b_code.make_client('b_after_set_role_a');
RESET ROLE;
SELECT * FROM pg_temp.owners();

-- =============================================================================================
-- 8. Security-restricted operations are still refused (REFRESH MATERIALIZED VIEW runs id_b's
--    code as the view's owner), also through a definer function.
-- =============================================================================================
SET ROLE id_b;
CREATE MATERIALIZED VIEW id_b_code.mv AS SELECT id_b_code.make_client('from_refresh') AS x WITH NO DATA;
RESET ROLE;
REFRESH MATERIALIZED VIEW id_b_code.mv;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- =============================================================================================
-- 9. Foreign-key actions run as the referencing table's owner without any function call;
--    pg_ords cannot tell who that is at the call site and refuses.
-- =============================================================================================
SET ROLE id_c;
CREATE TABLE id_c_code.parent (id int PRIMARY KEY);
CREATE TABLE id_c_code.child (id int REFERENCES id_c_code.parent ON DELETE CASCADE);
CREATE FUNCTION id_c_code.on_child_delete() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM * FROM oauth.create_client('from_cascade_' || OLD.id, 'client_credentials');
    RETURN OLD;
END $f$;
CREATE TRIGGER on_child_delete BEFORE DELETE ON id_c_code.child FOR EACH ROW EXECUTE FUNCTION id_c_code.on_child_delete();
INSERT INTO id_c_code.parent VALUES (1);
INSERT INTO id_c_code.child VALUES (1);
GRANT DELETE, SELECT ON id_c_code.parent TO id_a;
RESET ROLE;
SET ROLE id_a;
DELETE FROM id_c_code.parent;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
-- A direct delete by id_c fires the same trigger as id_c, which is fine.
SET ROLE id_c;
DELETE FROM id_c_code.child;
RESET ROLE;

-- =============================================================================================
-- 10. An error inside a nested definer function, caught by the outer one, leaves no stale
--     identity: id_b's function catches id_c's failure, then acts for id_b again.
-- =============================================================================================
SET ROLE id_c;
CREATE FUNCTION id_c_code.fail() RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $f$
BEGIN
    PERFORM * FROM oauth.create_client('never', 'no_such_grant_type');
    RETURN 'unreachable';
END $f$;
RESET ROLE;
SET ROLE id_b;
CREATE FUNCTION id_b_code.catch_then(p_name text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $f$
BEGIN
    BEGIN
        PERFORM id_c_code.fail();
    EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'caught %', SQLSTATE;
    END;
    PERFORM * FROM oauth.create_client(p_name, 'client_credentials');
    RETURN current_user;
END $f$;
RESET ROLE;
SET ROLE id_a;
SELECT id_b_code.catch_then('b_after_caught_error');
SELECT name FROM oauth.create_client('a_after_caught_error', 'client_credentials');
RESET ROLE;
SELECT * FROM pg_temp.owners();

DROP MATERIALIZED VIEW id_b_code.mv;
DROP SCHEMA id_a_code, id_b_code, id_c_code CASCADE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE id_a, id_b, id_c, id_admin;
