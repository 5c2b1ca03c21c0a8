-- postgrest_key_rotation: key rotation (old keys stay published, old tokens keep working, new tokens use new keys)
-- and HS256 (pg_ords.jwt_algorithm, superuser only: PostgREST's jwt-secret is a JWK Set of oct keys).
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
-- Key rotation: old keys stay published, old tokens keep working, new tokens use new keys
-- =============================================================================================
RESET ROLE;
SELECT pg_temp.jwt_part(:'good_jwt', 1)->>'kid' AS old_kid \gset
SELECT jsonb_array_length(ords.jwks()->'keys') AS keys_before;
-- Administrators only.
SET ROLE pgrst_shop;
SELECT ords_admin.rotate_signing_keys();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SELECT ords_admin.rotate_signing_keys();
SELECT jsonb_array_length(ords.jwks()->'keys') AS keys_after,
       (SELECT count(*) FROM jsonb_array_elements(ords.jwks()->'keys') k WHERE k->>'kid' = :'old_kid') AS old_kid_published,
       (SELECT count(*) FROM jsonb_array_elements(ords.jwks()->'keys') k WHERE k ? 'd') AS private_parts;
SET ROLE pgrst_shop;
SELECT access_token AS rotated_jwt FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
RESET ROLE;
SELECT h->>'alg' AS alg, h->>'kid' <> :'old_kid' AS new_kid,
       (SELECT count(*) FROM jsonb_array_elements(ords.jwks()->'keys') k WHERE k->>'kid' = h->>'kid') AS new_kid_published
  FROM pg_temp.jwt_part(:'rotated_jwt', 1) h;
SET ROLE pgrst_authenticator;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'good_jwt', :'good_claims');
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'rotated_jwt', pg_temp.jwt_part(:'rotated_jwt', 2));
COMMIT;
-- pre-config publishes old and new keys.
RESET ROLE;
BEGIN;
SELECT ords.postgrest_pre_config();
SELECT current_setting('pgrst.jwt_secret')::jsonb = ords.jwks() AS secret_is_jwks,
       jsonb_array_length(current_setting('pgrst.jwt_secret')::jsonb->'keys') AS keys;
COMMIT;

-- =============================================================================================
-- HS256 (pg_ords.jwt_algorithm, superuser only): PostgREST's jwt-secret is a JWK Set of oct keys
-- =============================================================================================
SET ROLE pgrst_shop;
SET pg_ords.jwt_algorithm = 'HS256';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SET pg_ords.jwt_algorithm = 'HS256';
SET ROLE pgrst_shop;
SELECT access_token AS hs_jwt FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
SELECT h->>'alg' AS alg, h->>'typ' AS typ, h->>'kid' ~ '^hs256-' AS kid_hs256
  FROM pg_temp.jwt_part(:'hs_jwt', 1) h;
RESET ROLE;
-- There is no plain-secret route (ords_admin.jwt_hs256_secret() is gone): PostgREST v13 matches
-- the token's kid against its keys' kids, and a plain jwt-secret has none (docs/postgrest.md).
SELECT count(*) AS plain_secret_functions FROM pg_proc WHERE proname = 'jwt_hs256_secret';
-- It never appears in the public JWK Set.
SELECT count(*) AS hs256_keys_published FROM jsonb_array_elements(ords.jwks()->'keys') k WHERE k->>'alg' = 'HS256' OR k->>'kty' = 'oct';
BEGIN;
SELECT ords.postgrest_pre_config();
-- Not the plain secret (PostgREST v13+ matches the token's kid, and a plain secret has none):
-- oct keys with their kids, whose k is the secret, base64url-encoded.
SELECT k->>'kty' AS kty, k->>'alg' AS alg, k->>'kid' = pg_temp.jwt_part(:'hs_jwt', 1)->>'kid' AS kid_matches_token,
       convert_from(decode(translate(k->>'k', '-_', '+/') || repeat('=', (4 - length(k->>'k') % 4) % 4), 'base64'), 'UTF8')
         = (SELECT convert_from(private_key, 'UTF8') FROM ords_metadata.sec_keys WHERE alg = 'HS256' AND retired_on IS NULL) AS k_is_the_secret,
       length(k->>'k') >= 43 AS at_least_32_bytes
  FROM jsonb_array_elements(current_setting('pgrst.jwt_secret')::jsonb->'keys') k;
COMMIT;
SET ROLE pgrst_authenticator;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'hs_jwt', pg_temp.jwt_part(:'hs_jwt', 2));
-- ES256 tokens issued before still pass.
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'rotated_jwt', pg_temp.jwt_part(:'rotated_jwt', 2));
COMMIT;
-- EdDSA as well.
RESET ROLE;
SET pg_ords.jwt_algorithm = 'EdDSA';
SET ROLE pgrst_shop;
SELECT access_token AS ed_jwt FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
SELECT h->>'alg' AS alg, h->>'kid' ~ '^eddsa-' AS kid_eddsa,
       (SELECT count(*) FROM jsonb_array_elements(ords.jwks()->'keys') k WHERE k->>'kid' = h->>'kid') AS kid_published
  FROM pg_temp.jwt_part(:'ed_jwt', 1) h;
RESET ROLE;
SET ROLE pgrst_authenticator;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'ed_jwt', pg_temp.jwt_part(:'ed_jwt', 2));
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'hs_jwt', pg_temp.jwt_part(:'hs_jwt', 2));
COMMIT;
RESET ROLE;
RESET pg_ords.jwt_algorithm;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP TABLE IF EXISTS public.partner_prices;
DROP ROLE IF EXISTS pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop, pgrst_mall;
