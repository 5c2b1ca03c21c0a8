-- schema_isolation_admin_functions: enabling another role's schema and every *_admin function: 42501 for a
-- schema role.
--
-- Fixture (fixtures/schema_isolation.sql): schema roles iso_a and iso_b, each with a role, a privilege,
-- a mapping, a module (template, handler) and a client; iso_login (member of iso_a), iso_admin
-- (ords_administrator_role); pg_temp.try(sql). Nothing here prints a client_id, secret, token,
-- id or timestamp: they are captured with \gset and only booleans or lengths are shown.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
SET ROLE iso_a;
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

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_login, iso_admin, iso_a, iso_b;
