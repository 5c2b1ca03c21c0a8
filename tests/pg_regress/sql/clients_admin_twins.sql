-- clients_admin_twins: every OAUTH and ORDS_SECURITY client call has its *_ADMIN twin (p_schema
-- first, then the same parameters); every twin refuses a schema role (42501) before looking at
-- any other argument; the twins act on the schema named, for an administrator. Also the ≤23.1
-- spelling p_allowed_origins and p_token_endpoint_auth_method of OAUTH.CREATE_CLIENT
-- (docs/clients.md#admin-twins, #allowed-origins, #auth-method).
--
-- Fixture (fixtures/schema_isolation.sql): schema roles iso_a and iso_b, each with a role
-- (a_role / b_role), a privilege (a_priv / b_priv) and a client (a_client / b_client);
-- iso_admin (ords_administrator_role); pg_temp.try(sql). Nothing here prints a client_id,
-- secret, token, id or timestamp.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
SET client_min_messages = notice;

-- =============================================================================================
-- Every client call of oauth and ords_security has a twin in oauth_admin / ords_security_admin
-- with p_schema text first and then the same parameter names and types. (The JWT-profile calls
-- and pg_ords's own additions are elsewhere.) Lists the calls without a twin: none.
-- =============================================================================================
SELECT p.oid::regprocedure AS without_admin_twin
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname IN ('oauth', 'ords_security')
   AND p.proname NOT LIKE '%jwt%'
   AND p.proname NOT IN ('issue_token', 'token_endpoint', 'token_request', 'validate_token', 'revoke_token',
                         'basic_authorization', 'purge_expired_tokens')
   AND NOT EXISTS (SELECT FROM pg_proc t JOIN pg_namespace tn ON tn.oid = t.pronamespace
                    WHERE tn.nspname = n.nspname || '_admin' AND t.proname = p.proname
                      AND oidvectortypes(t.proargtypes) = 'text, ' || oidvectortypes(p.proargtypes)
                      AND t.proargnames = ARRAY['p_schema'] || p.proargnames)
 ORDER BY 1::text;
SELECT n.nspname, count(*) AS functions
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname IN ('oauth_admin', 'ords_security_admin') GROUP BY 1 ORDER BY 1;

-- =============================================================================================
-- Attack: a schema role calls every oauth_admin / ords_security_admin function, aimed at iso_b
-- and with every other argument NULL: each answers 42501 (the administrator check comes first).
-- Lists the functions that answered anything else: none.
-- =============================================================================================
CREATE TEMP TABLE admin_calls AS
SELECT p.oid::regprocedure AS function,
       format('SELECT %s.%s(%s)', n.nspname, p.proname,
              (SELECT string_agg(CASE WHEN i = 0 THEN '''iso_b''' ELSE 'NULL::' || format_type(t, NULL) END, ', ' ORDER BY i)
                 FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(t, i1), LATERAL (SELECT i1 - 1 AS i) x)) AS call
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname IN ('oauth_admin', 'ords_security_admin');
GRANT SELECT ON admin_calls TO iso_a;
SET ROLE iso_a;
SELECT function, sqlstate FROM (SELECT function, pg_temp.try(call) AS sqlstate FROM admin_calls) s
 WHERE sqlstate <> '42501' ORDER BY function::text;
SELECT count(*) AS refused FROM (SELECT pg_temp.try(call) AS sqlstate FROM admin_calls) s WHERE sqlstate = '42501';
RESET ROLE;
-- iso_b's client is as the fixture left it.
SELECT name, updated_by, client_secret_2_issued_on IS NULL AS one_secret FROM dba_ords_clients WHERE parsing_schema = 'iso_b';

-- =============================================================================================
-- The twins, for an administrator, on iso_b.
-- =============================================================================================
SET ROLE iso_admin;
SELECT name, client_id = 'imported-client-id..' AS kept_client_id
  FROM oauth_admin.import_client(p_schema => 'iso_b', p_name => 'imp1', p_grant_type => 'client_credentials',
                                 p_client_id => 'imported-client-id..');
SELECT oauth_admin.rename_client(p_schema => 'iso_b', p_name => 'imp1', p_new_name => 'imp2');
SELECT oauth_admin.update_client(p_schema => 'iso_b', p_name => 'imp2', p_description => 'updated by an administrator',
                                 p_allowed_origins => 'https://b.example');
SELECT oauth_admin.update_client_secret(p_schema => 'iso_b', p_name => 'imp2', p_client_secret => 'imp2-chosen-secret-0123456789');
SELECT name, client_id FROM ords_security_admin.import_client(p_schema => 'iso_b', p_name => 'imp3', p_grant_type => 'client_credentials',
                                                              p_client_id => 'imported-client-id-3..');
SELECT (c).client_key.name, length((c).client_secret.secret) AS secret_length
  FROM (SELECT ords_security_admin.register_client(p_schema => 'iso_b', p_name => 'reg1', p_grant_type => 'client_credentials',
                                                   p_client_secret => ords_types.oauth_client_secret()) AS c) s;
SELECT ords_security_admin.register_client_secret(p_schema => 'iso_b', p_name => 'imp3', p_client_secret => 'imp3-chosen-secret-0123456789');
SELECT (c).client_secret.slot FROM (SELECT ords_security_admin.register_client_secret(p_schema => 'iso_b',
          p_client_key => ords_types.oauth_client_key(p_name => 'imp3'), p_client_secret => ords_types.oauth_client_secret()) AS c) s;
SELECT ords_security_admin.grant_client_role(p_schema => 'iso_b', p_client_name => 'imp3', p_role_name => 'b_role');
SELECT ords_security_admin.grant_client_role(p_schema => 'iso_b', p_client_key => ords_types.oauth_client_key(p_name => 'reg1'), p_role_name => 'b_role');
SELECT ords_security_admin.revoke_client_role(p_schema => 'iso_b', p_client_key => ords_types.oauth_client_key(p_name => 'reg1'), p_role_name => 'b_role');
SELECT ords_security_admin.update_client(p_schema => 'iso_b', p_name => 'imp3', p_description => 'by name');
SELECT (ords_security_admin.update_client(p_schema => 'iso_b', p_client_key => ords_types.oauth_client_key(p_name => 'reg1'),
                                          p_new_name => 'reg2', p_support_email => 'ops@b.example')).name;
SELECT ords_security_admin.update_client_privileges(p_schema => 'iso_b', p_name => 'imp3', p_privilege_names => 'b_priv');
SELECT ords_security_admin.update_client_privileges(p_schema => 'iso_b', p_client_key => ords_types.oauth_client_key(p_name => 'reg2'), p_privilege_names => 'b_priv');
SELECT ords_security_admin.update_client_token_duration(p_schema => 'iso_b', p_name => 'imp3', p_token_duration => 120);
SELECT ords_security_admin.update_client_token_duration(p_schema => 'iso_b', p_client_key => ords_types.oauth_client_key(p_name => 'reg2'), p_token_duration => 240);
SELECT (ords_security_admin.rename_client(p_schema => 'iso_b', p_client_key => ords_types.oauth_client_key(p_name => 'reg2'), p_new_name => 'reg3')).name;
SELECT ords_security_admin.rename_client(p_schema => 'iso_b', p_name => 'reg3', p_new_name => 'reg4');
SELECT (c).client_secret.slot FROM (SELECT ords_security_admin.rotate_client_secret(p_schema => 'iso_b',
          p_client_key => ords_types.oauth_client_key(p_name => 'reg4')) AS c) s;
SELECT (c).client_secret.slot AS revoked FROM (SELECT ords_security_admin.revoke_client_secrets(p_schema => 'iso_b',
          p_client_key => ords_types.oauth_client_key(p_name => 'reg4')) AS c) s;
SELECT ords_security_admin.revoke_client_secrets(p_schema => 'iso_b', p_name => 'reg4', p_slot => 3) AS revoked;
SELECT ords_security_admin.revoke_client_secret(p_schema => 'iso_b', p_name => 'imp3', p_client_secret => 'imp3-chosen-secret-0123456789');
SELECT ords_security_admin.revoke_client_role(p_schema => 'iso_b', p_client_name => 'imp3', p_role_name => 'b_role');
RESET ROLE;
SELECT name, description, allowed_origins, support_email, token_duration, created_by, updated_by,
       client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM dba_ords_clients WHERE parsing_schema = 'iso_b' ORDER BY name;
SELECT client_name, name FROM dba_ords_client_privileges WHERE parsing_schema = 'iso_b' ORDER BY 1;
SELECT client_name, role_name FROM dba_ords_client_roles WHERE parsing_schema = 'iso_b' ORDER BY 1;
SELECT client_id AS imp2_client_id FROM dba_ords_clients WHERE name = 'imp2' \gset
SELECT access_token IS NOT NULL AS chosen_secret_works FROM oauth.issue_token(:'imp2_client_id', 'imp2-chosen-secret-0123456789');
SET ROLE iso_admin;
SELECT ords_security_admin.delete_client(p_schema => 'iso_b', p_client_key => ords_types.oauth_client_key(p_name => 'reg4'));
SELECT ords_security_admin.delete_client(p_schema => 'iso_b', p_name => 'imp3');
RESET ROLE;
SELECT name FROM dba_ords_clients WHERE parsing_schema = 'iso_b' ORDER BY name;

-- =============================================================================================
-- p_allowed_origins (ORDS ≤ 23.1) and p_origins_allowed (23.2+) name one parameter: the same
-- row either way; both, equal: fine; both, different: 22023. Positional calls are unchanged.
-- =============================================================================================
SET ROLE iso_a;
SELECT name FROM oauth.create_client(p_name => 'o1', p_grant_type => 'client_credentials', p_allowed_origins => 'https://one.example, https://two.example');
SELECT name FROM oauth.create_client(p_name => 'o2', p_grant_type => 'client_credentials', p_origins_allowed => 'https://one.example, https://two.example');
SELECT name FROM oauth.create_client(p_name => 'o3', p_grant_type => 'client_credentials', p_origins_allowed => 'https://one.example',
                                     p_allowed_origins => 'https://one.example');
SELECT name FROM oauth.create_client(p_name => 'o4', p_grant_type => 'client_credentials', p_origins_allowed => 'https://one.example',
                                     p_allowed_origins => 'https://evil.example');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT name FROM oauth.create_client('o5', 'client_credentials', 'owner', 'description', 'https://five.example', NULL,
                                     'support@example', NULL, 'a_priv', 600, NULL, NULL);
SELECT (SELECT allowed_origins FROM user_ords_clients WHERE name = 'o1') = (SELECT allowed_origins FROM user_ords_clients WHERE name = 'o2') AS same_row;
SELECT name, allowed_origins, owner, support_email, token_duration FROM user_ords_clients WHERE name LIKE 'o_' ORDER BY name;
SELECT oauth.update_client(p_name => 'o1', p_allowed_origins => 'https://three.example');
SELECT oauth.update_client(p_name => 'o1', p_origins_allowed => 'https://a.example', p_allowed_origins => 'https://b.example');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT oauth.update_client('o2', 'new description', 'https://four.example');
SELECT name, description, allowed_origins FROM user_ords_clients WHERE name IN ('o1', 'o2') ORDER BY name;

-- p_token_endpoint_auth_method (ORDS 26.3): the two methods pg_ords's token endpoint accepts for
-- every client; others are refused (0A000) and create nothing.
SELECT name FROM oauth.create_client(p_name => 't1', p_grant_type => 'client_credentials', p_token_endpoint_auth_method => 'client_secret_basic');
SELECT name FROM oauth.create_client(p_name => 't2', p_grant_type => 'client_credentials', p_token_endpoint_auth_method => 'client_secret_post');
SELECT name FROM oauth.create_client(p_name => 't3', p_grant_type => 'client_credentials', p_token_endpoint_auth_method => 'private_key_jwt');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT name FROM oauth.create_client(p_name => 't4', p_grant_type => 'client_credentials', p_token_endpoint_auth_method => 'none');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT name FROM user_ords_clients WHERE name LIKE 't_' ORDER BY name;
RESET ROLE;
DROP TABLE admin_calls;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_login, iso_admin, iso_a, iso_b;
