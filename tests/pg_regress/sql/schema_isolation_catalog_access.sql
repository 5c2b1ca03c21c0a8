-- schema_isolation_catalog_access: the ords_metadata tables, internal views and functions and the dba_ords_*
-- views are not for schema roles (42501).
--
-- Fixture (fixtures/schema_isolation.sql): schema roles iso_a and iso_b, each with a role, a privilege,
-- a mapping, a module (template, handler) and a client; iso_login (member of iso_a), iso_admin
-- (ords_administrator_role); pg_temp.try(sql). Nothing here prints a client_id, secret, token,
-- id or timestamp: they are captured with \gset and only booleans or lengths are shown.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
-- =============================================================================================
-- Tables, internal functions, dba_ords_* views: not for schema roles (42501).
-- =============================================================================================
SET ROLE iso_a;
SELECT count(*) FROM ords_metadata.oauth_client_secrets;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM ords_metadata.oauth_sessions;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM ords_metadata.oauth_clients;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO ords_metadata.oauth_client_secrets (client_id, slot, secret_hash) VALUES (1, 1, '$argon2id$x');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO ords_metadata.oauth_sessions (token_hash, client_id, expires_on) VALUES (sha256('t'), 1, now() + interval '1 day');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO ords_metadata.oauth_clients (schema_id, name, grant_type, client_id, created_by, updated_by)
VALUES (1, 'planted', 'client_credentials', 'planted..', 'iso_a', 'iso_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE ords_metadata.oauth_client_secrets SET secret_hash = '$argon2id$x';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE ords_metadata.oauth_sessions SET expires_on = 'infinity';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE ords_metadata.oauth_clients SET name = 'stolen';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM ords_metadata.oauth_client_secrets;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM ords_metadata.oauth_sessions;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM ords_metadata.oauth_clients;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The unfiltered internal views behind user_ords_*.
SELECT count(*) FROM ords_metadata.all_clients;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Internal functions.
SELECT ords_metadata.client_delete(1, 'b_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_metadata.role_create(1, 'planted');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_metadata.hash_secret('x', true);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_metadata.invoker();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- dba_ords_* views.
SELECT count(*) FROM dba_ords_clients;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM dba_ords_roles;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The whole picture from the catalog's point of view: no table, sequence or internal view of
-- ords_metadata, no internal function and no dba_ords_* view is usable by iso_a.
SELECT has_schema_privilege('ords_metadata', 'USAGE') AS usage_on_ords_metadata,
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'ords_metadata' AND c.relkind IN ('r', 'v', 'S')
           AND has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')) AS usable_relations,
       (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'ords_metadata' AND has_function_privilege(p.oid, 'EXECUTE')) AS executable_functions,
       (SELECT count(*) FROM pg_class c WHERE c.relname LIKE 'dba\_ords\_%' AND c.relkind = 'v'
           AND has_table_privilege(c.oid, 'SELECT')) AS readable_dba_views,
       (SELECT count(*) FROM pg_class c WHERE c.relname LIKE 'dba\_ords\_%' AND c.relkind = 'v') AS dba_views;
-- Every dba_ords_* view refuses iso_a.
SELECT v, pg_temp.try(format('SELECT * FROM %I', v)) AS sqlstate
  FROM unnest(ARRAY['dba_ords_clients', 'dba_ords_client_roles', 'dba_ords_client_privileges', 'dba_ords_roles',
                    'dba_ords_privileges', 'dba_ords_privilege_roles', 'dba_ords_privilege_mappings',
                    'dba_ords_privilege_modules', 'dba_ords_modules', 'dba_ords_templates', 'dba_ords_handlers',
                    'dba_ords_schemas']) AS v ORDER BY v;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_login, iso_admin, iso_a, iso_b;
