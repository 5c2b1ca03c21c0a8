-- schema_isolation_functions: a schema role naming another schema's objects through the API finds them
-- unknown (42704) and changes nothing; tokens are scoped to their schema's alias.
--
-- Fixture (fixtures/schema_isolation.sql): schema roles iso_a and iso_b, each with a role, a privilege,
-- a mapping, a module (template, handler) and a client; iso_login (member of iso_a), iso_admin
-- (ords_administrator_role); pg_temp.try(sql). Nothing here prints a client_id, secret, token,
-- id or timestamp: they are captured with \gset and only booleans or lengths are shown.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
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
-- Deleting or renaming iso_b's role, privilege, mapping and module, or using them. A delete of a
-- name iso_a does not own deletes nothing (a NOTICE, docs/rest-definitions.md#delete-missing):
-- iso_b's objects are checked below.
SELECT ords.delete_role(p_role_name => 'b_role');
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
SELECT ords.rename_privilege(p_name => 'b_priv', p_new_name => 'stolen');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.create_privilege_mapping(p_privilege_name => 'b_priv', p_pattern => '/a-more/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.create_privilege_mapping(p_privilege_name => 'b_priv', p_patterns => ARRAY['/a-more/*']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.delete_privilege_mapping(p_privilege_name => 'b_priv', p_pattern => '/b-extra/*');
SELECT ords.set_module_privilege(p_module_name => 'b_mod', p_privilege_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.set_module_privilege(p_module_name => 'a_mod', p_privilege_name => 'b_priv');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.define_template(p_module_name => 'b_mod', p_pattern => 'planted');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.define_handler(p_module_name => 'b_mod', p_pattern => 'things/:id', p_method => 'POST', p_source => 'SELECT 666');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.delete_module(p_module_name => 'b_mod');
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

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_login, iso_admin, iso_a, iso_b;
