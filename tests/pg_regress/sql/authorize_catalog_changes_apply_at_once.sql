-- authorize_catalog_changes_apply_at_once: decisions follow the catalog at once: roles are resolved when a token is used, not when it
-- was issued (revoke, grant, rollback), and a privilege mapping added after issuance is
-- enforced on the next call.
--
-- Fixture (fixtures/tokens.sql): a fresh pg_ords; schema roles tok_a (alias tok_a) and tok_b (not
-- REST-enabled); tok_a protects /customer/* with customer_priv (role customer_role); main_client
-- holds customer_role (psql variables main_id, main_secret, main_token), probe_client holds no
-- role (probe_id, probe_secret, probe_token). The session is SET ROLE tok_a.
-- Secrets, client_ids and tokens are random: captured with \gset, only their shape or a
-- comparison is printed.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/tokens.sql'
\i :f

-- =============================================================================================
-- Immediate effect: roles are resolved when the token is used, not when it was issued
-- =============================================================================================

SELECT outcome, http_status, client_name FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');
-- Revoking the role: the same token is forbidden on the next call.
SELECT oauth.revoke_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
SELECT outcome, http_status, client_name, privilege_name, www_authenticate
  FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');
SELECT client_name, roles FROM oauth.validate_token(:'main_token');
-- Revoking a role that is not granted is an error.
SELECT oauth.revoke_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Granting it back: allowed again, same token.
SELECT oauth.grant_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
SELECT outcome, http_status, client_name FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');

-- A change that is rolled back changes nothing.
BEGIN;
SELECT oauth.revoke_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
SELECT outcome FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');
ROLLBACK;
SELECT outcome FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');

-- =============================================================================================
-- A privilege mapping added after the token was issued is enforced on the next call
-- =============================================================================================
SELECT outcome, http_status FROM ords.authorize(:'main_token', 'GET', '/admin/users', 'tok_a');
SELECT ords.create_role(p_role_name => 'admin_role');
SELECT ords.create_privilege(p_name => 'admin_priv', p_role_name => 'admin_role');
SELECT ords.create_privilege_mapping(p_privilege_name => 'admin_priv', p_pattern => '/admin/*');
SELECT outcome, http_status, privilege_name, www_authenticate FROM ords.authorize(:'main_token', 'GET', '/admin/users', 'tok_a');
SELECT outcome, http_status, privilege_name, www_authenticate FROM ords.authorize(NULL, 'GET', '/admin/users', 'tok_a');
-- Removing the mapping makes the path public again.
SELECT ords.delete_privilege_mapping(p_privilege_name => 'admin_priv', p_pattern => '/admin/*');
SELECT outcome, http_status FROM ords.authorize(NULL, 'GET', '/admin/users', 'tok_a');
SELECT ords.create_privilege_mapping(p_privilege_name => 'admin_priv', p_pattern => '/admin/*');

-- =============================================================================================
-- Clean up
-- =============================================================================================
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
