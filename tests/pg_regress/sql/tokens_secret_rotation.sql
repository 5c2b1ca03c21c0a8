-- tokens_secret_rotation: secret rotation (two secret slots) and what it does to issued tokens; deleting the client
-- refuses its tokens and credentials at once.
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
-- Secret rotation (two secret slots)
-- =============================================================================================
SELECT client_id AS rot_id, client_secret AS rot_secret1
  FROM oauth.create_client(p_name => 'rotating_client', p_grant_type => 'client_credentials') \gset
SELECT oauth.grant_client_role(p_client_name => 'rotating_client', p_role_name => 'customer_role');
SELECT access_token AS rot_token FROM oauth.issue_token(:'rot_id', :'rot_secret1') \gset
SELECT outcome FROM ords.authorize(:'rot_token', 'GET', '/customer/1', 'tok_a');

-- Rotate with p_revoke_sessions => true: the new secret is returned (once); issued tokens go.
SELECT oauth.rotate_client_secret(p_name => 'rotating_client', p_revoke_sessions => true) AS rot_secret2 \gset
SELECT length(:'rot_secret2') = length(:'rot_secret1') AS same_shape, :'rot_secret2' <> :'rot_secret1' AS new_secret;
SELECT outcome, http_status, www_authenticate FROM ords.authorize(:'rot_token', 'GET', '/customer/1', 'tok_a');
-- Both secrets are now registered (slots 1 and 2)...
SELECT client_secret, client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 'rotating_client';
-- ...so the old secret still gets new tokens (for a zero-downtime switch-over)...
SELECT token_type, expires_in FROM oauth.issue_token(:'rot_id', :'rot_secret1');
-- ...and so does the new one.
SELECT access_token AS rot_token2 FROM oauth.issue_token(:'rot_id', :'rot_secret2') \gset
SELECT outcome FROM ords.authorize(:'rot_token2', 'GET', '/customer/1', 'tok_a');

-- A client holds at most two secrets: rotating again (no flags) overwrites the older one.
-- The first secret stops working, the second keeps working, tokens stay.
SELECT oauth.rotate_client_secret(p_name => 'rotating_client') AS rot_secret3 \gset
SELECT client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 'rotating_client';
SELECT token_type FROM oauth.issue_token(:'rot_id', :'rot_secret1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT token_type FROM oauth.issue_token(:'rot_id', :'rot_secret2');
SELECT token_type FROM oauth.issue_token(:'rot_id', :'rot_secret3');
SELECT outcome FROM ords.authorize(:'rot_token2', 'GET', '/customer/1', 'tok_a');

-- Rotate with p_revoke_existing => true (and without p_revoke_sessions): every older secret
-- goes, issued tokens stay.
SELECT oauth.rotate_client_secret(p_name => 'rotating_client', p_revoke_existing => true) AS rot_secret4 \gset
SELECT client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 'rotating_client';
SELECT token_type FROM oauth.issue_token(:'rot_id', :'rot_secret3');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT token_type FROM oauth.issue_token(:'rot_id', :'rot_secret4');
SELECT outcome FROM ords.authorize(:'rot_token2', 'GET', '/customer/1', 'tok_a');

-- =============================================================================================
-- Deleting the client: its tokens are refused at once
-- =============================================================================================
SELECT oauth.delete_client(p_name => 'rotating_client');
SELECT outcome, http_status, client_name, www_authenticate FROM ords.authorize(:'rot_token2', 'GET', '/customer/1', 'tok_a');
SELECT count(*) AS rows_from_validate_token FROM oauth.validate_token(:'rot_token2');
-- Its credentials no longer work either.
SELECT token_type FROM oauth.issue_token(:'rot_id', :'rot_secret4');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- =============================================================================================
-- Clean up
-- =============================================================================================
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
