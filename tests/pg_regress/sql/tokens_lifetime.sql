-- tokens_lifetime: a token lives for its client's p_token_duration, else pg_ords.token_duration (default 3600,
-- as in ORDS); only a superuser changes the instance default; a duration must be positive.
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
-- short_client has its own p_token_duration (1800 seconds); main_client has none.
SELECT client_id AS short_id, client_secret AS short_secret
  FROM oauth.create_client(p_name => 'short_client', p_grant_type => 'client_credentials',
                           p_privilege_names => 'customer_priv', p_token_duration => 1800) \gset
SELECT oauth.grant_client_role(p_client_name => 'short_client', p_role_name => 'customer_role');
SELECT name, token_duration FROM user_ords_clients ORDER BY name;

-- =============================================================================================
-- Token lifetime: the client's p_token_duration, else pg_ords.token_duration (default 3600)
-- =============================================================================================

-- Default: 3600 seconds, as in ORDS. token_type is always bearer.
SELECT access_token AS main_token, token_type, expires_in
  FROM oauth.issue_token(:'main_id', :'main_secret') \gset
SELECT :'token_type' AS token_type, :'expires_in' AS expires_in,
       length(:'main_token') AS token_length, :'main_token' ~ '^[A-Za-z0-9_-]+$' AS url_safe;
-- The client's own duration wins.
SELECT token_type, expires_in FROM oauth.issue_token(:'short_id', :'short_secret');
-- validate_token reports the expiry time that matches expires_in.
SELECT client_name, roles,
       expires_at > now() + interval '3590 seconds' AND expires_at <= now() + interval '3601 seconds' AS expires_in_an_hour
  FROM oauth.validate_token(:'main_token');

-- Only a superuser may change the instance default...
SET pg_ords.token_duration = 7200;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SET pg_ords.token_duration = 7200;
SET ROLE tok_a;
-- ...which then applies to clients without a duration of their own...
SELECT token_type, expires_in FROM oauth.issue_token(:'main_id', :'main_secret');
-- ...but not to a client with p_token_duration: per-client duration wins.
SELECT token_type, expires_in FROM oauth.issue_token(:'short_id', :'short_secret');
-- The same through the token endpoint.
SELECT status, body->'expires_in' AS expires_in
  FROM oauth.token_endpoint(oauth.basic_authorization(:'main_id', :'main_secret'),
                            'application/x-www-form-urlencoded', 'grant_type=client_credentials', 'tok_a');
RESET ROLE;
RESET pg_ords.token_duration;
SET ROLE tok_a;
SELECT expires_in FROM oauth.issue_token(:'main_id', :'main_secret');

-- A duration must be positive.
SELECT oauth.create_client(p_name => 'bad_duration', p_grant_type => 'client_credentials', p_token_duration => 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- =============================================================================================
-- Clean up
-- =============================================================================================
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
