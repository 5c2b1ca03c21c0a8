-- postgrest_key_retirement_bound: key retirement has a global bound, pg_ords.max_token_duration (superuser; default 86400 s).
--
-- Fixture (fixtures/postgrest.sql): PostgREST's roles (pgrst_authenticator, pgrst_anon, pgrst_web,
-- pgrst_partner), the REST-enabled schema pgrst_shop (alias shop, JWT access tokens for role
-- pgrst_web) where /orders/* needs orders_role: clients good (holds it), nobody (does not) and
-- short_lived (holds it), their JWTs and claims in psql variables, and the helpers
-- pg_temp.pre_request / answer (one PostgREST request's pre-request) and jwt_part.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/postgrest.sql'
\i :f
-- =============================================================================================
-- Key retirement has a global bound: pg_ords.max_token_duration (superuser; default 86400 s)
-- caps every token's lifetime, and a retired key is published and accepted only until
-- retired_on + that cap, whatever any client's p_token_duration says.
-- =============================================================================================
SET ROLE pgrst_shop;
SELECT ords_security.update_client_token_duration(p_name => 'good', p_token_duration => 2147483647);
SELECT access_token AS capped_jwt, expires_in AS capped_expires_in
  FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
RESET ROLE;
SELECT :capped_expires_in AS expires_in, (p->>'exp')::bigint - (p->>'iat')::bigint AS exp_minus_iat
  FROM pg_temp.jwt_part(:'capped_jwt', 2) p;
SELECT pg_temp.jwt_part(:'capped_jwt', 1)->>'kid' AS capped_kid \gset
-- Rotate; the old key was retired just under the cap ago: still published, its token accepted.
SELECT ords_admin.rotate_signing_keys();
UPDATE ords_metadata.sec_keys SET retired_on = now() - interval '86390 s' WHERE kid = :'capped_kid';
SELECT (SELECT count(*) FROM jsonb_array_elements(ords.jwks()->'keys') k WHERE k->>'kid' = :'capped_kid') AS published,
       (SELECT outcome FROM ords.authorize('Bearer ' || :'capped_jwt', 'GET', '/orders/1', 'shop')) AS outcome;
-- Retired longer ago than the cap: gone, though good's p_token_duration is 2147483647 s.
UPDATE ords_metadata.sec_keys SET retired_on = now() - interval '86410 s' WHERE kid = :'capped_kid';
SELECT (SELECT count(*) FROM jsonb_array_elements(ords.jwks()->'keys') k WHERE k->>'kid' = :'capped_kid') AS published,
       (SELECT outcome FROM ords.authorize('Bearer ' || :'capped_jwt', 'GET', '/orders/1', 'shop')) AS outcome;
-- A lower cap: new tokens live at most that long, and a JWT issued for longer is refused
-- (a token never outlives the cap, even one issued before the cap was lowered).
SET ROLE pgrst_shop;
SELECT access_token AS long_jwt FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
SET pg_ords.max_token_duration = 60;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SET pg_ords.max_token_duration = 60;
SET ROLE pgrst_shop;
SELECT expires_in FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop');
RESET ROLE;
SELECT outcome AS issued_for_86400_s FROM ords.authorize('Bearer ' || :'long_jwt', 'GET', '/orders/1', 'shop');
RESET pg_ords.max_token_duration;
SET ROLE pgrst_shop;
SELECT ords_security.update_client_token_duration(p_name => 'good', p_token_duration => NULL);
RESET ROLE;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP TABLE IF EXISTS public.partner_prices;
DROP ROLE IF EXISTS pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop, pgrst_mall;
