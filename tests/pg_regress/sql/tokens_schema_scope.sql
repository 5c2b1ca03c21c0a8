-- tokens_schema_scope: schemas are separate: a token of tok_a never authorizes a path of tok_b (and the other way
-- round); names resolve in the caller's own schema.
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
-- Schemas are separate: a token of tok_a never authorizes a path of tok_b
-- =============================================================================================
RESET ROLE;
SET ROLE tok_b;
SELECT ords.enable_schema(p_url_mapping_pattern => 'tok_b');
SELECT ords.create_role(p_role_name => 'customer_role');
SELECT ords.create_privilege(p_name => 'customer_priv', p_role_name => 'customer_role');
SELECT ords.create_privilege_mapping(p_privilege_name => 'customer_priv', p_pattern => '/customer/*');
SELECT client_id AS b_id, client_secret AS b_secret
  FROM oauth.create_client(p_name => 'main_client', p_grant_type => 'client_credentials') \gset
SELECT oauth.grant_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
SELECT access_token AS b_token FROM oauth.issue_token(:'b_id', :'b_secret', p_schema_alias => 'tok_b') \gset
-- tok_b sees only its own client, although both schemas have a client named main_client.
SELECT name, client_id = :'b_id' AS is_b_client FROM user_ords_clients;
-- tok_b's token works in tok_b...
SELECT outcome, http_status, client_name FROM ords.authorize(:'b_token', 'GET', '/customer/1', 'tok_b');
-- ...and tok_a's token (same role and privilege names) does not: 401 invalid_token.
SELECT outcome, http_status, client_name, www_authenticate FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_b');
-- Nor the other way round.
SELECT outcome, http_status, client_name, www_authenticate FROM ords.authorize(:'b_token', 'GET', '/customer/1', 'tok_a');
-- tok_b cannot act on tok_a's clients by name: the name resolves in tok_b's own schema.
SELECT oauth.delete_client(p_name => 'probe_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SET ROLE tok_a;

-- =============================================================================================
-- Clean up
-- =============================================================================================
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
