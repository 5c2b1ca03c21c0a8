-- postgrest_jwt_tokens: JWT access tokens for PostgREST: signing keys exist from CREATE EXTENSION on
-- (PostgREST's first db-pre-config already publishes them), what set_token_format accepts, and
-- what a JWT claims (header: alg, typ, kid; payload: iss, aud, role, scope, sub, exp, jti).
--
-- Fixture (fixtures/postgrest.sql): PostgREST's roles (pgrst_authenticator, pgrst_anon, pgrst_web,
-- pgrst_partner), the REST-enabled schema pgrst_shop (alias shop, JWT access tokens for role
-- pgrst_web) where /orders/* needs orders_role: clients good (holds it), nobody (does not) and
-- short_lived (holds it), their JWTs and claims in psql variables, and the helpers
-- pg_temp.pre_request / answer (one PostgREST request's pre-request) and jwt_part.
\set fixture_verbose
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/postgrest.sql'
\i :f
SELECT :'good_jwt' ~ '^[^.]+\.[^.]+\.[^.]+$' AS is_jwt;
-- Header: alg (ES256 by default), typ, and the kid of a published key.
SELECT h->>'alg' AS alg, h->>'typ' AS typ, h->>'kid' ~ '^es256-' AS kid_es256,
       (SELECT count(*) FROM jsonb_array_elements(ords.jwks()->'keys') k WHERE k->>'kid' = h->>'kid') AS kid_published
  FROM pg_temp.jwt_part(:'good_jwt', 1) h;
-- Payload: iss, aud (the schema alias), role (for PostgREST), scope; sub is the client_id;
-- exp - iat is expires_in; jti identifies the session.
SELECT p->>'iss' AS iss, p->>'aud' AS aud, p->>'role' AS role, p->>'scope' AS scope,
       p->>'sub' = :'good_id' AS sub_is_client_id,
       (p->>'exp')::bigint - (p->>'iat')::bigint = :good_expires_in AS exp_minus_iat_is_expires_in,
       :good_expires_in AS expires_in,
       p->>'jti' ~ '^[A-Za-z0-9_-]{43}$' AS jti_present,
       abs((p->>'iat')::bigint - extract(epoch FROM now())::bigint) < 60 AS iat_is_now
  FROM pg_temp.jwt_part(:'good_jwt', 2) p;
SELECT array_agg(k ORDER BY k COLLATE "C") AS claims FROM jsonb_object_keys(pg_temp.jwt_part(:'good_jwt', 2)) k;
SET ROLE pgrst_shop;
SELECT ords.set_token_format(p_token_format => 'paseto');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.set_token_format(p_token_format => 'jwt', p_jwt_role => 'pgrst_no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP TABLE IF EXISTS public.partner_prices;
DROP ROLE IF EXISTS pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop, pgrst_mall;
