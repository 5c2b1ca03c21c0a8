-- clients_builtin_roles: ORDS's built-in roles and privileges, as ORDS scripts name them without
-- creating them (docs/clients.md#built-in). A built-in role name ('SQL Developer', 'SODA
-- Developer', 'RESTful Services', 'OAuth2 Client Developer', 'Listener Administrator',
-- 'oracle.dbtools.autorest.any.schema', 'oracle.dbtools.role.autorest.*') is created in the
-- caller's schema, with a NOTICE, the first time a grant or a privilege names it: an ordinary
-- role of that schema, with no built-in behaviour and nothing in any other schema. Deleting a
-- built-in privilege ('oracle.soda.privilege.developer', 'oracle.dbtools.autorest.privilege.*'),
-- one of its mappings, or a built-in role that was never created is a NOTICE, not an error.
-- Other unknown names still fail (42704).
--
-- Fixture (fixtures/schema_isolation.sql): schema roles iso_a and iso_b with a client each
-- (a_client / b_client); pg_temp.try(sql). Nothing here prints a client_id, secret, id or time.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
SET client_min_messages = notice;
SET ROLE iso_a;
-- The SODA guide's lines, and Oracle's AutoREST privilege script.
SELECT ords.create_privilege(p_name => 'oracle.soda.privilege.developer', p_role_name => 'SODA Developer');
SELECT ords.create_privilege_mapping(p_privilege_name => 'oracle.soda.privilege.developer', p_pattern => '/soda/*');
SELECT oauth.grant_client_role(p_client_name => 'a_client', p_role_name => 'SQL Developer');
SELECT oauth.grant_client_role(p_client_name => 'a_client', p_role_name => 'SQL Developer');   -- again: no NOTICE, no error
SELECT ords_security.grant_client_role(p_client_key => ords_types.oauth_client_key(p_name => 'a_client'), p_role_name => 'RESTful Services');
SELECT ords.define_privilege(p_privilege_name => 'oracle.dbtools.autorest.privilege.ISO_A',
                             p_roles => ARRAY['oracle.dbtools.role.autorest.ISO_A', 'oracle.dbtools.autorest.any.schema'],
                             p_patterns => ARRAY['/metadata-catalog/*'],
                             p_label => 'oracle.dbtools.autorest.privilege.ISO_A', p_description => 'AutoREST');
SELECT name, created_by FROM user_ords_roles ORDER BY name;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY role_name;
SELECT privilege_name, role_name FROM user_ords_privilege_roles ORDER BY 1, 2;
-- Nothing appeared in iso_b's schema.
RESET ROLE;
SELECT parsing_schema, count(*) AS roles FROM dba_ords_roles GROUP BY 1 ORDER BY 1;
SET ROLE iso_a;
-- A name that is not built in still has to exist.
SELECT oauth.grant_client_role(p_client_name => 'a_client', p_role_name => 'SQL Developers');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.create_privilege(p_name => 'p', p_role_name => 'oracle.dbtools.role.autorestX');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A built-in role is an ordinary role: its client reaches the privilege that requires it (a
-- token for a_client is allowed on /soda/...), and only there.
SELECT oauth.grant_client_role(p_client_name => 'a_client', p_role_name => 'SODA Developer');
RESET ROLE;
SELECT access_token AS a_token FROM oauth.issue_token(:'a_client_id', :'a_secret') \gset
SELECT outcome FROM ords.authorize(:'a_token', 'GET', '/soda/latest/', 'iso_a');
SET ROLE iso_a;
SELECT ords.delete_privilege_mapping(p_privilege_name => 'oracle.soda.privilege.developer', p_pattern => '/soda/*');
RESET ROLE;
SELECT outcome FROM ords.authorize(:'a_token', 'GET', '/soda/latest/', 'iso_a');

-- =============================================================================================
-- The workshop scripts that make SODA anonymous, run in a schema where pg_ords never created
-- ORDS's SODA objects (iso_b), and run twice: NOTICEs, no error.
-- =============================================================================================
SET ROLE iso_b;
SELECT ords.delete_privilege_mapping('oracle.soda.privilege.developer', '/soda/*');
SELECT ords.delete_privilege(p_name => 'oracle.soda.privilege.developer');
SELECT ords.delete_privilege(p_name => 'oracle.dbtools.autorest.privilege.ISO_B.EMP');
SELECT ords.delete_role(p_role_name => 'SODA Developer');
-- In iso_a the privilege exists: a pattern it does not map is a NOTICE too; deleting it works.
SET ROLE iso_a;
SELECT ords.delete_privilege_mapping('oracle.soda.privilege.developer', '/soda/*');
SELECT ords.delete_privilege(p_name => 'oracle.soda.privilege.developer');
SELECT ords.delete_privilege(p_name => 'oracle.soda.privilege.developer');
SELECT ords.delete_role(p_role_name => 'SODA Developer');
SELECT ords.delete_role(p_role_name => 'SODA Developer');
-- Names that are not built in: 42704 as before.
SELECT ords.delete_privilege(p_name => 'no_such_privilege');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.delete_privilege_mapping('a_priv', '/not-mapped/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.delete_role(p_role_name => 'no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT name FROM user_ords_roles ORDER BY name;
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_login, iso_admin, iso_a, iso_b;
