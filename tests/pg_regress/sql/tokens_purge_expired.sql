-- tokens_purge_expired: oauth.purge_expired_tokens deletes expired tokens and returns how many; valid tokens stay.
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
-- oauth.purge_expired_tokens: deletes expired tokens, returns how many
-- =============================================================================================
-- Start from no expired tokens (token issuance also purges a few on the way).
SELECT oauth.purge_expired_tokens() >= 0 AS purged_leftovers;
SELECT oauth.purge_expired_tokens() AS nothing_to_purge;
-- Three tokens of one client, expired by a superuser.
SELECT client_id AS pur_id, client_secret AS pur_secret
  FROM oauth.create_client(p_name => 'purge_client', p_grant_type => 'client_credentials') \gset
SELECT expires_in FROM oauth.issue_token(:'pur_id', :'pur_secret');
SELECT expires_in FROM oauth.issue_token(:'pur_id', :'pur_secret');
SELECT expires_in FROM oauth.issue_token(:'pur_id', :'pur_secret');
RESET ROLE;
UPDATE ords_metadata.oauth_sessions s SET expires_on = now() - interval '1 second'
  FROM ords_metadata.oauth_clients c WHERE c.id = s.client_id AND c.name = 'purge_client';
SELECT count(*) AS live_tokens_before FROM ords_metadata.oauth_sessions WHERE expires_on > now() \gset
SET ROLE tok_a;
SELECT oauth.purge_expired_tokens() AS purged;
SELECT oauth.purge_expired_tokens() AS purged_again;
-- Valid tokens are kept.
RESET ROLE;
SELECT count(*) = :live_tokens_before AS live_tokens_kept FROM ords_metadata.oauth_sessions WHERE expires_on > now();
SET ROLE tok_a;
SELECT outcome FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');

-- =============================================================================================
-- Clean up
-- =============================================================================================
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
