-- clients_delete_missing: deleting a client that does not exist, or revoking a role that is not
-- granted, is a NOTICE and changes nothing, as in ORDS, whose own scripts call
-- OAUTH.DELETE_CLIENT before OAUTH.CREATE_CLIENT in a freshly enabled schema
-- (docs/clients.md#missing). So a "delete then create" script runs twice. Every other call on a
-- missing client still fails (42704), and nothing of another schema's is ever touched.
--
-- Fixture (fixtures/schema_isolation.sql): schema roles iso_a and iso_b, each with a role
-- (a_role / b_role) and a client (a_client / b_client); iso_admin; pg_temp.try(sql).
-- Nothing here prints a client_id, secret, token, id or timestamp.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
SET client_min_messages = notice;
-- The setup script of an ORDS sample, as a function so it runs as one block, twice.
CREATE FUNCTION pg_temp.setup() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM oauth.revoke_client_role(p_client_name => 'demo_api', p_role_name => 'demo api');
    PERFORM oauth.delete_client(p_name => 'demo_api');
    PERFORM ords_security.delete_client(p_name => 'demo_api2');
    PERFORM ords_security.delete_client(p_client_key => ords_types.oauth_client_key(p_name => 'demo_api3'));
    PERFORM ords.delete_privilege(p_name => 'oracle.dbtools.autorest.privilege.DEMO');
    IF NOT EXISTS (SELECT FROM user_ords_roles WHERE name = 'demo api') THEN
        PERFORM ords.create_role(p_role_name => 'demo api');
    END IF;
    PERFORM oauth.create_client(p_name => 'demo_api', p_grant_type => 'client_credentials', p_owner => 'Name',
                                p_description => 'demo OAuth client', p_support_email => 'demo@example.com', p_privilege_names => '');
    PERFORM oauth.grant_client_role(p_client_name => 'demo_api', p_role_name => 'demo api');
    PERFORM ords_security.register_client(p_name => 'demo_api2', p_grant_type => 'client_credentials');
    PERFORM ords_security.register_client(p_name => 'demo_api3', p_grant_type => 'client_credentials',
                                          p_client_secret => ords_types.oauth_client_secret());
    PERFORM ords.define_privilege(p_privilege_name => 'oracle.dbtools.autorest.privilege.DEMO',
                                  p_roles => ARRAY['oracle.dbtools.role.autorest.DEMO', 'demo api'],
                                  p_patterns => ARRAY['/metadata-catalog/*']);
    RETURN 'done';
END
$$;
SET ROLE iso_a;
SELECT pg_temp.setup() AS first_run;
SELECT pg_temp.setup() AS second_run;
SELECT name FROM user_ords_clients ORDER BY name;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;

-- =============================================================================================
-- Each delete and revoke on something missing: a NOTICE naming it, no error.
-- =============================================================================================
SELECT oauth.delete_client(p_name => 'never_existed');
SELECT ords_security.delete_client(p_name => 'never_existed');
SELECT ords_security.delete_client(p_client_key => ords_types.oauth_client_key(p_client_id => 'never-existed..'));
SELECT oauth.revoke_client_role(p_client_name => 'never_existed', p_role_name => 'a_role');
SELECT oauth.revoke_client_role(p_client_name => 'a_client', p_role_name => 'never_existed');
SELECT ords_security.revoke_client_role(p_client_name => 'demo_api2', p_role_name => 'a_role');
SELECT ords_security.revoke_client_role(p_client_key => ords_types.oauth_client_key(p_name => 'never_existed'), p_role_name => 'a_role');
-- Arguments are still checked: NULL or blank names are 22023.
SELECT oauth.delete_client(p_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT oauth.revoke_client_role(p_client_name => 'a_client', p_role_name => ' ');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Other calls on a missing client still fail.
SELECT oauth.rename_client(p_name => 'never_existed', p_new_name => 'x');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT oauth.grant_client_role(p_client_name => 'never_existed', p_role_name => 'a_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT oauth.rotate_client_secret(p_name => 'never_existed');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- =============================================================================================
-- Attack: iso_a "deletes" iso_b's client and revokes its role by name; the administrator's
-- twins aimed at iso_a do the same. Missing in iso_a, so NOTICEs; iso_b's client, role grant and
-- secret are intact.
-- =============================================================================================
SELECT oauth.delete_client(p_name => 'b_client');
SELECT oauth.revoke_client_role(p_client_name => 'b_client', p_role_name => 'b_role');
SELECT ords_security.delete_client(p_client_key => ords_types.oauth_client_key(p_name => 'b_client'));
RESET ROLE;
SET ROLE iso_admin;
SELECT oauth_admin.delete_client(p_schema => 'iso_a', p_name => 'b_client');
SELECT oauth_admin.revoke_client_role(p_schema => 'iso_a', p_client_name => 'b_client', p_role_name => 'b_role');
RESET ROLE;
SELECT name, updated_by FROM dba_ords_clients WHERE parsing_schema = 'iso_b';
SELECT client_name, role_name FROM dba_ords_client_roles WHERE parsing_schema = 'iso_b';
SELECT access_token IS NOT NULL AS b_secret_works FROM oauth.issue_token(:'b_client_id', :'b_secret');
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_login, iso_admin, iso_a, iso_b;
