-- postgrest_token_formats: both token formats (opaque and JWT) are accepted at all times; which roles a schema
-- may name as its JWT role.
--
-- Fixture (fixtures/postgrest.sql): PostgREST's roles (pgrst_authenticator, pgrst_anon, pgrst_web,
-- pgrst_partner), the REST-enabled schema pgrst_shop (alias shop, JWT access tokens for role
-- pgrst_web) where /orders/* needs orders_role: clients good (holds it), nobody (does not) and
-- short_lived (holds it), their JWTs and claims in psql variables, and the helpers
-- pg_temp.pre_request / answer (one PostgREST request's pre-request) and jwt_part.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/postgrest.sql'
\i :f
RESET ROLE;
-- =============================================================================================
-- Token formats: both are accepted at all times
-- =============================================================================================
-- The opaque token issued before the switch to JWT still works with ords.authorize (the gateway,
-- any other HTTP layer). PostgREST never forwards an opaque token (401 PGRST301 or 500
-- PGRST300 before any SQL), and one that reaches the pre-request anyway was not verified by
-- PostgREST: 401.
SELECT outcome FROM ords.authorize('Bearer ' || :'opaque_before', 'GET', '/orders/1', 'shop');
SET ROLE pgrst_authenticator;
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'opaque_before');
COMMIT;
-- Back to opaque (keeping the JWT role): new tokens are opaque; the JWTs issued before keep
-- working, through PostgREST too.
RESET ROLE;
SET ROLE pgrst_shop;
SELECT ords.set_token_format(p_token_format => 'opaque', p_jwt_role => 'pgrst_web');
SELECT access_token AS opaque_after FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
SELECT :'opaque_after' ~ '^[A-Za-z0-9_-]{43}$' AS opaque_shape, :'opaque_after' ~ '\.' AS has_dots;
RESET ROLE;
SELECT outcome FROM ords.authorize('Bearer ' || :'opaque_after', 'GET', '/orders/1', 'shop');
SET ROLE pgrst_authenticator;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'good_jwt', :'good_claims');
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'nobody_jwt', :'nobody_claims');
COMMIT;
-- And JWT again.
RESET ROLE;
SET ROLE pgrst_shop;
SELECT ords.set_token_format(p_token_format => 'jwt', p_jwt_role => 'pgrst_web');
SELECT access_token AS jwt_again FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
SELECT :'jwt_again' ~ '^[^.]+\.[^.]+\.[^.]+$' AS is_jwt;
RESET ROLE;
SELECT outcome FROM ords.authorize('Bearer ' || :'opaque_after', 'GET', '/orders/1', 'shop')
UNION ALL SELECT outcome FROM ords.authorize('Bearer ' || :'opaque_before', 'GET', '/orders/1', 'shop');

-- One client's own role claim: oauth.set_client_jwt_role (NULL: the schema's again).
RESET ROLE;
SET ROLE pgrst_shop;
-- A schema may only hand out a role it is a member of, and never a superuser.
SELECT ords.set_token_format('jwt', p_jwt_role => 'postgres');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.set_token_format('jwt', p_jwt_role => 'pgrst_anon');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT oauth.set_client_jwt_role(p_name => 'good', p_jwt_role => 'pgrst_partner');
SELECT access_token AS partner_jwt FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
SELECT pg_temp.jwt_part(:'partner_jwt', 2)->>'role' AS partner_role \gset
SELECT :'partner_role' AS role_claim;
SELECT oauth.set_client_jwt_role(p_name => 'good', p_jwt_role => 'pgrst_no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT oauth.set_client_jwt_role(p_name => 'no_such_client', p_jwt_role => 'pgrst_partner');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SET ROLE pgrst_authenticator;
BEGIN;
SET LOCAL ROLE :"partner_role";
SELECT current_user;
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'partner_jwt', pg_temp.jwt_part(:'partner_jwt', 2));
COMMIT;
RESET ROLE;
SET ROLE pgrst_shop;
SELECT oauth.set_client_jwt_role(p_name => 'good', p_jwt_role => NULL);
SELECT pg_temp.jwt_part(access_token, 2)->>'role' AS role_claim
  FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop');

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP TABLE IF EXISTS public.partner_prices;
DROP ROLE IF EXISTS pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop, pgrst_mall;
