-- schema_isolation_administrator: a member of ords_administrator_role works on any schema through the
-- *_admin twins, and still cannot grant a client a role of another schema.
--
-- Fixture (fixtures/schema_isolation.sql): schema roles iso_a and iso_b, each with a role, a privilege,
-- a mapping, a module (template, handler) and a client; iso_login (member of iso_a), iso_admin
-- (ords_administrator_role); pg_temp.try(sql). Nothing here prints a client_id, secret, token,
-- id or timestamp: they are captured with \gset and only booleans or lengths are shown.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
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
