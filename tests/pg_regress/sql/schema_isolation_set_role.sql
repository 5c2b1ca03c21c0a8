-- schema_isolation_set_role: ownership follows SET ROLE (iso_login acting as iso_a); a role that is not
-- REST-enabled gets 55000 on every provisioning call.
--
-- Fixture (fixtures/schema_isolation.sql): schema roles iso_a and iso_b, each with a role, a privilege,
-- a mapping, a module (template, handler) and a client; iso_login (member of iso_a), iso_admin
-- (ords_administrator_role); pg_temp.try(sql). Nothing here prints a client_id, secret, token,
-- id or timestamp: they are captured with \gset and only booleans or lengths are shown.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
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

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_login, iso_admin, iso_a, iso_b;
