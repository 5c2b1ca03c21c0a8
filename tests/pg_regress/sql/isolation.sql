-- isolation: REST-enabled schemas are walled off from each other (CONTRACT §3).
--
-- Two schema roles, iso_a and iso_b, each own a role, a privilege, a mapping, a module (with a
-- template and a handler) and a client. Neither can see the other's objects in any user_ords_*
-- view, nor change them through the API (an object of another schema is simply unknown: 42704),
-- nor reach the ords_metadata tables, internal functions, dba_ords_* views or *_admin functions
-- (42501). Ownership follows SET ROLE; a role that is not REST-enabled gets 55000 everywhere;
-- a member of ords_administrator_role (iso_admin) works on any schema through the *_admin twins.
--
-- Nothing here prints a client_id, secret, token, id or timestamp: they are captured with \gset
-- and only booleans or lengths are shown.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
DROP ROLE IF EXISTS iso_login, iso_admin, iso_a, iso_b;
CREATE ROLE iso_a;
CREATE ROLE iso_b;
CREATE ROLE iso_login LOGIN;
CREATE ROLE iso_admin;
GRANT iso_a TO iso_login;
GRANT ords_administrator_role TO iso_admin;

-- try(sql): run one statement as the current role and answer its SQLSTATE ('ok' if it worked).
-- Used for the long sweeps below; a failing statement is rolled back (subtransaction).
CREATE FUNCTION pg_temp.try(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE p_sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END
$$;

-- =============================================================================================
-- Setup: iso_a and iso_b each REST-enable their schema and build the same kind of objects.
-- Both also create a role called "shared": names only have to be unique within a schema.
-- =============================================================================================
SET ROLE iso_a;
SELECT ords.enable_schema();
SELECT ords.create_role(p_role_name => 'a_role');
SELECT ords.create_role(p_role_name => 'shared');
SELECT ords.create_privilege(p_name => 'a_priv', p_role_name => 'a_role', p_label => 'A', p_description => 'iso_a privilege');
SELECT ords.define_module(p_module_name => 'a_mod', p_base_path => 'a/');
SELECT ords.define_template(p_module_name => 'a_mod', p_pattern => 'items/:id');
SELECT ords.define_handler(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'GET',
                           p_source_type => 'json/collection', p_source => 'SELECT 1');
SELECT ords.set_module_privilege(p_module_name => 'a_mod', p_privilege_name => 'a_priv');
SELECT ords.create_privilege_mapping(p_privilege_name => 'a_priv', p_pattern => '/a-extra/*');
SELECT client_id AS a_client_id, client_secret AS a_secret
  FROM oauth.create_client(p_name => 'a_client', p_grant_type => 'client_credentials',
                           p_privilege_names => 'a_priv') \gset
SELECT oauth.grant_client_role(p_client_name => 'a_client', p_role_name => 'a_role');
RESET ROLE;

SET ROLE iso_b;
SELECT ords.enable_schema();
SELECT ords.create_role(p_role_name => 'b_role');
SELECT ords.create_role(p_role_name => 'shared');
SELECT ords.create_privilege(p_name => 'b_priv', p_role_name => 'b_role', p_label => 'B', p_description => 'iso_b privilege');
SELECT ords.define_module(p_module_name => 'b_mod', p_base_path => 'b/');
SELECT ords.define_template(p_module_name => 'b_mod', p_pattern => 'things/:id');
SELECT ords.define_handler(p_module_name => 'b_mod', p_pattern => 'things/:id', p_method => 'POST',
                           p_source_type => 'plsql/block', p_source => 'SELECT 2');
SELECT ords.set_module_privilege(p_module_name => 'b_mod', p_privilege_name => 'b_priv');
SELECT ords.create_privilege_mapping(p_privilege_name => 'b_priv', p_pattern => '/b-extra/*');
SELECT client_id AS b_client_id, client_secret AS b_secret
  FROM oauth.create_client(p_name => 'b_client', p_grant_type => 'client_credentials',
                           p_privilege_names => 'b_priv') \gset
SELECT oauth.grant_client_role(p_client_name => 'b_client', p_role_name => 'b_role');
RESET ROLE;

-- =============================================================================================
-- Views: every user_ords_* view shows the current role's objects only.
-- =============================================================================================
SET ROLE iso_a;
SELECT name, auth_flow, grant_type, client_secret, created_by FROM user_ords_clients ORDER BY name;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;
SELECT client_name, name FROM user_ords_client_privileges ORDER BY 1, 2;
SELECT name, created_by FROM user_ords_roles ORDER BY name;
SELECT name, label, description, created_by FROM user_ords_privileges ORDER BY name;
SELECT privilege_name, role_name FROM user_ords_privilege_roles ORDER BY 1, 2;
SELECT name, pattern, created_by FROM user_ords_privilege_mappings ORDER BY 1, 2;
SELECT privilege_name, module_name FROM user_ords_privilege_modules ORDER BY 1, 2;
SELECT name, uri_prefix, status, created_by FROM user_ords_modules ORDER BY name;
SELECT uri_template, priority, etag_type FROM user_ords_templates ORDER BY 1;
SELECT method, source_type, source FROM user_ords_handlers ORDER BY 1;
SELECT parsing_schema, type, pattern, status FROM user_ords_schemas ORDER BY 1;
-- Nothing of iso_b's leaks into any view (by name, nor by the iso_b schema / its client_id).
SELECT (SELECT count(*) FROM user_ords_clients WHERE name LIKE 'b\_%' OR client_id = :'b_client_id')
     + (SELECT count(*) FROM user_ords_client_roles WHERE client_name LIKE 'b\_%' OR role_name LIKE 'b\_%')
     + (SELECT count(*) FROM user_ords_client_privileges WHERE client_name LIKE 'b\_%' OR name LIKE 'b\_%')
     + (SELECT count(*) FROM user_ords_roles WHERE name LIKE 'b\_%' OR created_by = 'iso_b')
     + (SELECT count(*) FROM user_ords_privileges WHERE name LIKE 'b\_%' OR created_by = 'iso_b')
     + (SELECT count(*) FROM user_ords_privilege_roles WHERE privilege_name LIKE 'b\_%' OR role_name LIKE 'b\_%')
     + (SELECT count(*) FROM user_ords_privilege_mappings WHERE name LIKE 'b\_%' OR pattern LIKE '/b-%')
     + (SELECT count(*) FROM user_ords_privilege_modules WHERE privilege_name LIKE 'b\_%' OR module_name LIKE 'b\_%')
     + (SELECT count(*) FROM user_ords_modules WHERE name LIKE 'b\_%' OR created_by = 'iso_b')
     + (SELECT count(*) FROM user_ords_templates WHERE created_by = 'iso_b')
     + (SELECT count(*) FROM user_ords_handlers WHERE created_by = 'iso_b')
     + (SELECT count(*) FROM user_ords_schemas WHERE parsing_schema = 'iso_b') AS iso_b_rows_seen_by_iso_a;
RESET ROLE;

-- The same from iso_b's side: its own objects, and none of iso_a's.
SET ROLE iso_b;
SELECT name, created_by FROM user_ords_clients ORDER BY name;
SELECT name, created_by FROM user_ords_roles ORDER BY name;
SELECT name, pattern FROM user_ords_privilege_mappings ORDER BY 1, 2;
SELECT name, uri_prefix FROM user_ords_modules ORDER BY name;
SELECT (SELECT count(*) FROM user_ords_clients WHERE name LIKE 'a\_%' OR client_id = :'a_client_id')
     + (SELECT count(*) FROM user_ords_client_roles WHERE client_name LIKE 'a\_%' OR role_name LIKE 'a\_%')
     + (SELECT count(*) FROM user_ords_client_privileges WHERE client_name LIKE 'a\_%' OR name LIKE 'a\_%')
     + (SELECT count(*) FROM user_ords_roles WHERE name LIKE 'a\_%' OR created_by = 'iso_a')
     + (SELECT count(*) FROM user_ords_privileges WHERE name LIKE 'a\_%' OR created_by = 'iso_a')
     + (SELECT count(*) FROM user_ords_privilege_roles WHERE privilege_name LIKE 'a\_%' OR role_name LIKE 'a\_%')
     + (SELECT count(*) FROM user_ords_privilege_mappings WHERE name LIKE 'a\_%' OR pattern LIKE '/a-%')
     + (SELECT count(*) FROM user_ords_privilege_modules WHERE privilege_name LIKE 'a\_%' OR module_name LIKE 'a\_%')
     + (SELECT count(*) FROM user_ords_modules WHERE name LIKE 'a\_%' OR created_by = 'iso_a')
     + (SELECT count(*) FROM user_ords_templates WHERE created_by = 'iso_a')
     + (SELECT count(*) FROM user_ords_handlers WHERE created_by = 'iso_a')
     + (SELECT count(*) FROM user_ords_schemas WHERE parsing_schema = 'iso_a') AS iso_a_rows_seen_by_iso_b;
RESET ROLE;

-- =============================================================================================
-- Functions: iso_a names iso_b's objects. They do not exist in iso_a's schema: 42704, and
-- nothing of iso_b's changes.
-- =============================================================================================
SET ROLE iso_a;
-- Granting iso_a's client iso_b's role.
SELECT oauth.grant_client_role(p_client_name => 'a_client', p_role_name => 'b_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_security.grant_client_role(p_client_name => 'a_client', p_role_name => 'b_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Granting iso_b's client a role (its own or iso_a's).
SELECT oauth.grant_client_role(p_client_name => 'b_client', p_role_name => 'a_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT oauth.grant_client_role(p_client_name => 'b_client', p_role_name => 'b_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Revoking iso_b's client's role.
SELECT oauth.revoke_client_role(p_client_name => 'b_client', p_role_name => 'b_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_security.revoke_client_role(p_client_name => 'b_client', p_role_name => 'b_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Deleting, renaming, updating iso_b's client.
SELECT oauth.delete_client(p_name => 'b_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_security.delete_client(p_name => 'b_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT oauth.rename_client(p_name => 'b_client', p_new_name => 'stolen');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_security.rename_client(p_name => 'b_client', p_new_name => 'stolen');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT oauth.update_client(p_name => 'b_client', p_description => 'defaced');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_security.update_client(p_name => 'b_client', p_new_name => 'stolen', p_description => 'defaced');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_security.update_client_privileges(p_name => 'b_client', p_privilege_names => 'a_priv');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_security.update_client_token_duration(p_name => 'b_client', p_token_duration => 999999);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Rotating, replacing or revoking iso_b's client's secrets.
SELECT oauth.rotate_client_secret(p_name => 'b_client') IS NOT NULL AS got_secret;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_security.rotate_client_secret(p_name => 'b_client', p_revoke_existing => true) IS NOT NULL AS got_secret;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT oauth.update_client_secret(p_name => 'b_client', p_client_secret => 'attacker-chosen-secret-123');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_security.register_client_secret(p_name => 'b_client', p_client_secret => 'attacker-chosen-secret-123');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_security.revoke_client_secret(p_name => 'b_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_security.revoke_client_secrets(p_name => 'b_client', p_slot => 3);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Deleting or renaming iso_b's role, privilege, mapping and module, or using them.
SELECT ords.delete_role(p_role_name => 'b_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.rename_role(p_role_name => 'b_role', p_new_name => 'stolen');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.create_privilege(p_name => 'a_priv2', p_role_name => 'b_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.define_privilege(p_privilege_name => 'a_priv2', p_roles => ARRAY['b_role'], p_patterns => ARRAY['/x/*']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.define_privilege(p_privilege_name => 'a_priv2', p_roles => ARRAY['a_role'], p_patterns => ARRAY['/x/*'],
                             p_modules => ARRAY['b_mod']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.delete_privilege(p_name => 'b_priv');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.rename_privilege(p_name => 'b_priv', p_new_name => 'stolen');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.create_privilege_mapping(p_privilege_name => 'b_priv', p_pattern => '/a-more/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.create_privilege_mapping(p_privilege_name => 'b_priv', p_patterns => ARRAY['/a-more/*']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.delete_privilege_mapping(p_privilege_name => 'b_priv', p_pattern => '/b-extra/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.set_module_privilege(p_module_name => 'b_mod', p_privilege_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.set_module_privilege(p_module_name => 'a_mod', p_privilege_name => 'b_priv');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.define_template(p_module_name => 'b_mod', p_pattern => 'planted');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.define_handler(p_module_name => 'b_mod', p_pattern => 'things/:id', p_method => 'POST', p_source => 'SELECT 666');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.delete_module(p_module_name => 'b_mod');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A client of iso_a cannot ask for iso_b's privilege.
SELECT oauth.create_client(p_name => 'a_greedy', p_grant_type => 'client_credentials', p_privilege_names => 'b_priv');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_security.update_client_privileges(p_name => 'a_client', p_privilege_names => 'a_priv, b_priv');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- iso_a's "shared" role is iso_a's own: deleting it leaves iso_b's "shared" alone.
SELECT ords.delete_role(p_role_name => 'shared');
-- The same pattern and base path may be used in both schemas (they live under different aliases).
SELECT ords.create_privilege_mapping(p_privilege_name => 'a_priv', p_pattern => '/b-extra/*');
SELECT ords.define_module(p_module_name => 'a_mod2', p_base_path => 'b/');
SELECT name, pattern FROM user_ords_privilege_mappings ORDER BY 1, 2;
RESET ROLE;

-- iso_b's objects are all still there, unchanged.
SET ROLE iso_b;
SELECT name, description, token_duration, client_secret, client_secret_issued_on IS NOT NULL AS slot1,
       client_secret_2_issued_on IS NOT NULL AS slot2, updated_by FROM user_ords_clients ORDER BY name;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;
SELECT client_name, name FROM user_ords_client_privileges ORDER BY 1, 2;
SELECT name FROM user_ords_roles ORDER BY name;
SELECT name, updated_by FROM user_ords_privileges ORDER BY name;
SELECT privilege_name, role_name FROM user_ords_privilege_roles ORDER BY 1, 2;
SELECT name, pattern FROM user_ords_privilege_mappings ORDER BY 1, 2;
SELECT privilege_name, module_name FROM user_ords_privilege_modules ORDER BY 1, 2;
SELECT name, uri_prefix FROM user_ords_modules ORDER BY name;
SELECT uri_template FROM user_ords_templates ORDER BY 1;
SELECT method, source FROM user_ords_handlers ORDER BY 1;
RESET ROLE;
-- ... and iso_b's original secret still works.
SELECT access_token IS NOT NULL AS b_secret_works FROM oauth.issue_token(:'b_client_id', :'b_secret');
-- Tokens are scoped too: iso_b's client cannot get a token at iso_a's alias (28000), and a
-- token of iso_a's client opens iso_a's "/b-extra/*" but not iso_b's (401), and vice versa.
SELECT access_token IS NOT NULL AS got_token
  FROM oauth.issue_token(:'b_client_id', :'b_secret', p_schema_alias => 'iso_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT access_token AS a_token FROM oauth.issue_token(:'a_client_id', :'a_secret', p_schema_alias => 'iso_a') \gset
SELECT access_token AS b_token FROM oauth.issue_token(:'b_client_id', :'b_secret', p_schema_alias => 'iso_b') \gset
SELECT alias, who, outcome, http_status, privilege_name
  FROM (VALUES ('iso_a', 'a_token', :'a_token'), ('iso_b', 'a_token', :'a_token'),
               ('iso_a', 'b_token', :'b_token'), ('iso_b', 'b_token', :'b_token')) AS v(alias, who, token),
       ords.authorize(v.token, 'GET', '/b-extra/x', v.alias)
 ORDER BY alias, who;

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

-- =============================================================================================
-- Enabling another role's schema, and the *_admin functions: 42501.
-- =============================================================================================
SELECT ords.enable_schema(p_schema => 'iso_b');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.enable_schema(p_enabled => false, p_schema => 'iso_b');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords_admin.enable_schema(p_schema => 'iso_b');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT oauth_admin.create_client(p_schema => 'iso_b', p_name => 'planted', p_grant_type => 'client_credentials');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- iso_a cannot take iso_b's URL alias either.
SELECT ords.enable_schema(p_url_mapping_pattern => 'iso_b');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Every *_admin function, aimed at iso_b's objects and at iso_a's own.
SELECT call, pg_temp.try(call) AS sqlstate FROM (VALUES
    ($$SELECT ords_admin.enable_schema(p_schema => 'iso_a')$$),
    ($$SELECT ords_admin.create_role(p_schema => 'iso_b', p_role_name => 'planted')$$),
    ($$SELECT ords_admin.delete_role(p_schema => 'iso_b', p_role_name => 'b_role')$$),
    ($$SELECT ords_admin.create_privilege(p_schema => 'iso_b', p_name => 'planted', p_role_name => 'b_role')$$),
    ($$SELECT ords_admin.define_privilege(p_schema => 'iso_b', p_privilege_name => 'b_priv', p_roles => '{}', p_patterns => '{}', p_modules => '{}')$$),
    ($$SELECT ords_admin.create_privilege_mapping(p_schema => 'iso_b', p_privilege_name => 'b_priv', p_pattern => '/planted/*')$$),
    ($$SELECT ords_admin.set_module_privilege(p_schema => 'iso_b', p_module_name => 'b_mod', p_privilege_name => NULL)$$),
    ($$SELECT oauth_admin.create_client(p_schema => 'iso_a', p_name => 'a_admin', p_grant_type => 'client_credentials')$$),
    ($$SELECT oauth_admin.grant_client_role(p_schema => 'iso_b', p_client_name => 'b_client', p_role_name => 'b_role')$$),
    ($$SELECT oauth_admin.revoke_client_role(p_schema => 'iso_b', p_client_name => 'b_client', p_role_name => 'b_role')$$),
    ($$SELECT oauth_admin.delete_client(p_schema => 'iso_b', p_name => 'b_client')$$),
    ($$SELECT oauth_admin.rotate_client_secret(p_schema => 'iso_b', p_name => 'b_client')$$),
    ($$SELECT ords_security_admin.register_client(p_schema => 'iso_b', p_name => 'planted', p_grant_type => 'client_credentials')$$),
    ($$SELECT ords_security_admin.rotate_client_secret(p_schema => 'iso_b', p_name => 'b_client')$$),
    ($$SELECT ords_security_admin.delete_client(p_schema => 'iso_b', p_name => 'b_client')$$)
) AS v(call) ORDER BY call;
RESET ROLE;

-- Still nothing of iso_b's changed: its client, role grant and secret are intact.
SELECT name, created_by, updated_by, client_secret_2_issued_on IS NULL AS one_secret
  FROM dba_ords_clients WHERE parsing_schema = 'iso_b';
SELECT client_name, role_name FROM dba_ords_client_roles WHERE parsing_schema = 'iso_b';
SELECT parsing_schema, pattern, status FROM dba_ords_schemas ORDER BY 1;

-- =============================================================================================
-- Ownership follows SET ROLE. iso_login (member of iso_a) logs in, sets role iso_a and
-- creates a client: it belongs to iso_a, created_by iso_a.
-- =============================================================================================
SET SESSION AUTHORIZATION iso_login;
SELECT session_user, current_user;
SET ROLE iso_a;
SELECT session_user, current_user;
SELECT client_id AS login_client_id FROM oauth.create_client(p_name => 'a_via_login', p_grant_type => 'client_credentials') \gset
SELECT name, created_by, updated_by FROM user_ords_clients ORDER BY name;
RESET ROLE;
-- Without SET ROLE, iso_login is itself: it sees none of iso_a's clients (membership does not
-- matter), and it is not REST-enabled, so provisioning fails with 55000 and a hint naming
-- ords.enable_schema.
SELECT current_user, count(*) AS clients_seen FROM user_ords_clients;
SELECT oauth.create_client(p_name => 'login_client', p_grant_type => 'client_credentials');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.create_role(p_role_name => 'login_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A schema that is not REST-enabled gets 55000 on every provisioning call (checked before
-- anything else, with otherwise valid arguments).
SELECT call, pg_temp.try(call) AS sqlstate FROM (VALUES
    ($$SELECT ords.create_role(p_role_name => 'r')$$),
    ($$SELECT ords.delete_role(p_role_name => 'a_role')$$),
    ($$SELECT ords.rename_role(p_role_name => 'a_role', p_new_name => 'r')$$),
    ($$SELECT ords.create_privilege(p_name => 'p', p_role_name => 'a_role')$$),
    ($$SELECT ords.create_privilege(p_name => 'p', p_roles => ARRAY['a_role'])$$),
    ($$SELECT ords.define_privilege(p_privilege_name => 'p', p_roles => ARRAY['a_role'], p_patterns => ARRAY['/p/*'])$$),
    ($$SELECT ords.define_privilege(p_privilege_name => 'p', p_roles => ARRAY['a_role'], p_patterns => ARRAY['/p/*'], p_modules => '{}')$$),
    ($$SELECT ords.delete_privilege(p_name => 'a_priv')$$),
    ($$SELECT ords.rename_privilege(p_name => 'a_priv', p_new_name => 'p')$$),
    ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'a_priv', p_pattern => '/p/*')$$),
    ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'a_priv', p_patterns => ARRAY['/p/*'])$$),
    ($$SELECT ords.delete_privilege_mapping(p_privilege_name => 'a_priv', p_pattern => '/a-extra/*')$$),
    ($$SELECT ords.set_module_privilege(p_module_name => 'a_mod', p_privilege_name => NULL)$$),
    ($$SELECT ords.define_module(p_module_name => 'm', p_base_path => 'm/')$$),
    ($$SELECT ords.define_template(p_module_name => 'a_mod', p_pattern => 't')$$),
    ($$SELECT ords.define_handler(p_module_name => 'a_mod', p_pattern => 'items/:id', p_source => 'SELECT 1')$$),
    ($$SELECT ords.define_service(p_module_name => 'm', p_base_path => 'm/', p_pattern => 't', p_source => 'SELECT 1')$$),
    ($$SELECT ords.delete_module(p_module_name => 'a_mod')$$),
    ($$SELECT oauth.create_client(p_name => 'c', p_grant_type => 'client_credentials')$$),
    ($$SELECT oauth.import_client(p_name => 'c', p_grant_type => 'client_credentials', p_client_id => 'iso-login-imported')$$),
    ($$SELECT oauth.delete_client(p_name => 'a_client')$$),
    ($$SELECT oauth.rename_client(p_name => 'a_client', p_new_name => 'c')$$),
    ($$SELECT oauth.update_client(p_name => 'a_client', p_description => 'd')$$),
    ($$SELECT oauth.grant_client_role(p_client_name => 'a_client', p_role_name => 'a_role')$$),
    ($$SELECT oauth.revoke_client_role(p_client_name => 'a_client', p_role_name => 'a_role')$$),
    ($$SELECT oauth.rotate_client_secret(p_name => 'a_client')$$),
    ($$SELECT oauth.update_client_secret(p_name => 'a_client', p_client_secret => 'a-chosen-secret-of-20+chars')$$),
    ($$SELECT ords_security.register_client(p_name => 'c', p_grant_type => 'client_credentials')$$),
    ($$SELECT ords_security.import_client(p_name => 'c', p_grant_type => 'client_credentials', p_client_id => 'iso-login-imported')$$),
    ($$SELECT ords_security.register_client_secret(p_name => 'a_client', p_client_secret => 'a-chosen-secret-of-20+chars')$$),
    ($$SELECT ords_security.rotate_client_secret(p_name => 'a_client')$$),
    ($$SELECT ords_security.revoke_client_secret(p_name => 'a_client')$$),
    ($$SELECT ords_security.revoke_client_secrets(p_name => 'a_client')$$),
    ($$SELECT ords_security.update_client(p_name => 'a_client', p_description => 'd')$$),
    ($$SELECT ords_security.update_client_privileges(p_name => 'a_client', p_privilege_names => 'a_priv')$$),
    ($$SELECT ords_security.update_client_token_duration(p_name => 'a_client', p_token_duration => 60)$$),
    ($$SELECT ords_security.rename_client(p_name => 'a_client', p_new_name => 'c')$$),
    ($$SELECT ords_security.grant_client_role(p_client_name => 'a_client', p_role_name => 'a_role')$$),
    ($$SELECT ords_security.revoke_client_role(p_client_name => 'a_client', p_role_name => 'a_role')$$),
    ($$SELECT ords_security.delete_client(p_name => 'a_client')$$)
) AS v(call) ORDER BY call;
RESET SESSION AUTHORIZATION;
SELECT session_user, current_user;

-- iso_a sees the client made through iso_login as its own.
SET ROLE iso_a;
SELECT name, created_by, client_id = :'login_client_id' AS same_client FROM user_ords_clients
 WHERE name = 'a_via_login';
RESET ROLE;

-- =============================================================================================
-- An administrator (member of ords_administrator_role) works on any schema through the
-- *_admin functions and sees everything in dba_ords_*.
-- =============================================================================================
SET ROLE iso_admin;
-- iso_admin is not REST-enabled itself: its user_ords_* views are empty.
SELECT count(*) AS admin_own_clients FROM user_ords_clients;
SELECT ords_admin.enable_schema(p_schema => 'iso_login', p_url_mapping_pattern => 'iso-login');
SELECT ords.enable_schema(p_schema => 'iso_b', p_url_mapping_pattern => 'iso_b');
SELECT ords_admin.create_role(p_schema => 'iso_a', p_role_name => 'adm_role');
SELECT ords_admin.create_privilege(p_schema => 'iso_a', p_name => 'adm_priv', p_role_name => 'adm_role');
SELECT ords_admin.create_privilege_mapping(p_schema => 'iso_a', p_privilege_name => 'adm_priv', p_pattern => '/adm/*');
SELECT client_id AS adm_client_id, client_secret AS adm_secret
  FROM oauth_admin.create_client(p_schema => 'iso_a', p_name => 'adm_client', p_grant_type => 'client_credentials') \gset
SELECT length(:'adm_client_id') > 0 AS got_client_id, length(:'adm_secret') > 0 AS got_secret;
SELECT oauth_admin.grant_client_role(p_schema => 'iso_a', p_client_name => 'adm_client', p_role_name => 'adm_role');
-- Even an administrator cannot grant a client a role of another schema.
SELECT oauth_admin.grant_client_role(p_schema => 'iso_a', p_client_name => 'adm_client', p_role_name => 'b_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- An administrator naming a schema that is not REST-enabled.
SELECT oauth_admin.create_client(p_schema => 'iso_admin', p_name => 'x', p_grant_type => 'client_credentials');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT parsing_schema, name, created_by FROM dba_ords_clients ORDER BY 1, 2;
SELECT parsing_schema, client_name, role_name FROM dba_ords_client_roles ORDER BY 1, 2, 3;
SELECT parsing_schema, name, created_by FROM dba_ords_roles ORDER BY 1, 2;
SELECT parsing_schema, name, pattern FROM dba_ords_privilege_mappings ORDER BY 1, 2, 3;
SELECT parsing_schema, pattern, status, updated_by FROM dba_ords_schemas ORDER BY 1;
RESET ROLE;

-- The administrator's objects belong to iso_a: iso_a sees them, and the client works.
SET ROLE iso_a;
SELECT name, created_by FROM user_ords_clients ORDER BY name;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;
SELECT name, pattern, created_by FROM user_ords_privilege_mappings ORDER BY 1, 2;
RESET ROLE;
SELECT access_token IS NOT NULL AS adm_client_works, roles
  FROM oauth.issue_token(:'adm_client_id', :'adm_secret') AS t, oauth.validate_token(t.access_token);

SET ROLE iso_admin;
SELECT oauth_admin.delete_client(p_schema => 'iso_a', p_name => 'adm_client');
SELECT count(*) AS adm_client_left FROM dba_ords_clients WHERE name = 'adm_client';
RESET ROLE;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_login, iso_admin, iso_a, iso_b;
