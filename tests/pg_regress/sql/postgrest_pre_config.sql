-- postgrest_pre_config: db-pre-config: pgrst.jwt_secret is the public JWK Set (no private parts).
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
-- db-pre-config: pgrst.jwt_secret = the public JWK Set (ES256 and EdDSA, no private parts)
-- =============================================================================================
RESET ROLE;
BEGIN;
SELECT ords.postgrest_pre_config();
SELECT current_setting('pgrst.jwt_secret')::jsonb = ords.jwks() AS secret_is_jwks,
       jsonb_array_length(current_setting('pgrst.jwt_secret')::jsonb->'keys') AS keys;
SELECT k->>'kty' AS kty, k->>'alg' AS alg, k->>'crv' AS crv, k->>'use' AS use, k ? 'kid' AS has_kid,
       k ? 'd' AS has_private_part, k->>'kid' ~ ('^' || lower(k->>'alg') || '-') AS kid_names_alg
  FROM jsonb_array_elements(current_setting('pgrst.jwt_secret')::jsonb->'keys') k ORDER BY k->>'alg' COLLATE "C";
COMMIT;
-- It is not for PUBLIC: the authenticator needs a grant (PostgREST runs db-pre-config as it).
SET ROLE pgrst_authenticator;
BEGIN;
SELECT ords.postgrest_pre_config();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
RESET ROLE;
GRANT EXECUTE ON FUNCTION ords.postgrest_pre_config() TO pgrst_authenticator;
SET ROLE pgrst_authenticator;
BEGIN;
SELECT ords.postgrest_pre_config();
SELECT current_setting('pgrst.jwt_secret')::jsonb = ords.jwks() AS secret_is_jwks;
COMMIT;
-- The anonymous role still may not.
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT ords.postgrest_pre_config();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
RESET ROLE;
REVOKE EXECUTE ON FUNCTION ords.postgrest_pre_config() FROM pgrst_authenticator;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP TABLE IF EXISTS public.partner_prices;
DROP ROLE IF EXISTS pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop, pgrst_mall;
