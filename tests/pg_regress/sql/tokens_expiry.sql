-- tokens_expiry: expired tokens are refused (401, error="invalid_token"), also once cached; public paths stay
-- public.
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
-- Expired tokens are refused: 401 with error="invalid_token"
-- =============================================================================================

-- A client whose tokens live 2 seconds. The token works, then it expires by itself
-- (even though this backend has already validated and cached it).
SELECT client_id AS brief_id, client_secret AS brief_secret
  FROM oauth.create_client(p_name => 'brief_client', p_grant_type => 'client_credentials',
                           p_token_duration => 2) \gset
SELECT oauth.grant_client_role(p_client_name => 'brief_client', p_role_name => 'customer_role');
SELECT access_token AS brief_token FROM oauth.issue_token(:'brief_id', :'brief_secret') \gset
SELECT outcome, http_status FROM ords.authorize(:'brief_token', 'GET', '/customer/1', 'tok_a');
SELECT pg_sleep(2.2);
SELECT outcome, http_status, client_name, www_authenticate FROM ords.authorize(:'brief_token', 'GET', '/customer/1', 'tok_a');
SELECT count(*) AS rows_from_validate_token FROM oauth.validate_token(:'brief_token');

-- Expiry simulated by a superuser: the sessions of expiring_client end one second ago.
SELECT client_id AS exp_id, client_secret AS exp_secret
  FROM oauth.create_client(p_name => 'expiring_client', p_grant_type => 'client_credentials') \gset
SELECT oauth.grant_client_role(p_client_name => 'expiring_client', p_role_name => 'customer_role');
SELECT access_token AS exp_token FROM oauth.issue_token(:'exp_id', :'exp_secret') \gset
SELECT outcome, http_status, client_name FROM ords.authorize(:'exp_token', 'GET', '/customer/1', 'tok_a');
RESET ROLE;
UPDATE ords_metadata.oauth_sessions s SET expires_on = now() - interval '1 second'
  FROM ords_metadata.oauth_clients c WHERE c.id = s.client_id AND c.name = 'expiring_client';
SET ROLE tok_a;
SELECT outcome, http_status, client_name, www_authenticate FROM ords.authorize(:'exp_token', 'GET', '/customer/1', 'tok_a');
SELECT count(*) AS rows_from_validate_token FROM oauth.validate_token(:'exp_token');
-- An expired token on a public path is irrelevant: public stays public.
SELECT outcome, http_status FROM ords.authorize(:'exp_token', 'GET', '/public/1', 'tok_a');

-- =============================================================================================
-- Clean up
-- =============================================================================================
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
