-- tokens_read_only_transactions: read-only transactions (and hot standbys): validation and decisions work, issuance does not
-- (25006; the token endpoint answers 503).
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
SELECT client_id AS ep_id, client_secret AS ep_secret
  FROM oauth.create_client(p_name => 'endpoint_client', p_grant_type => 'client_credentials') \gset
SELECT oauth.basic_authorization(:'ep_id', :'ep_secret') AS ep_basic \gset
\set form '''application/x-www-form-urlencoded'''

-- =============================================================================================
-- Read-only transactions (and hot standbys): validation works, issuance does not
-- =============================================================================================
BEGIN READ ONLY;
SELECT outcome, http_status, client_name FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');
SELECT ords.current_client_name() AS current_client_name;
SELECT client_name, roles FROM oauth.validate_token(:'main_token');
SELECT status, body->>'error' AS error
  FROM oauth.token_endpoint(:'ep_basic', :form, 'grant_type=client_credentials', 'tok_a');
SELECT token_type FROM oauth.issue_token(:'main_id', :'main_secret');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;

-- =============================================================================================
-- Clean up
-- =============================================================================================
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
