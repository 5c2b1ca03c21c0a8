-- postgrest_token_rpc: the token RPC (POST /rpc/token, ords.postgrest_token) run as the anonymous role.
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
-- The token RPC: POST /rpc/token, run as the anonymous role
-- =============================================================================================
RESET ROLE;
SELECT p.prosecdef AS security_definer, has_function_privilege('pgrst_anon', p.oid, 'EXECUTE') AS anon_may_execute
  FROM pg_proc p WHERE p.oid = 'ords.postgrest_token(text, text, text, text, text, text)'::regprocedure;
SET ROLE pgrst_authenticator;

-- client_secret_post: the form fields become named arguments. The pre-request treats the RPC
-- path as public.
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('POST', '/rpc/token', NULL);
SELECT ords.postgrest_token(grant_type => 'client_credentials', client_id => :'good_id', client_secret => :'good_secret') AS body \gset
SELECT current_setting('response.status') AS status, current_setting('response.headers')::jsonb AS headers;
SELECT (SELECT array_agg(k ORDER BY k COLLATE "C") FROM json_object_keys(:'body'::json) k) AS keys,
       :'body'::json->>'token_type' AS token_type, :'body'::json->>'expires_in' AS expires_in,
       :'body'::json->>'access_token' ~ '^[^.]+\.[^.]+\.[^.]+$' AS access_token_is_jwt;
COMMIT;
SELECT :'body'::json->>'access_token' AS rpc_jwt \gset
-- The token from the RPC passes the next request.
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'rpc_jwt', pg_temp.jwt_part(:'rpc_jwt', 2));
COMMIT;

-- client_secret_basic: the Authorization header (curl --user id:secret) from request.headers.
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('POST', '/rpc/token', oauth.basic_authorization(:'good_id', :'good_secret'));
SELECT ords.postgrest_token(grant_type => 'client_credentials') AS body \gset
SELECT current_setting('response.status') AS status, current_setting('response.headers')::jsonb AS headers;
SELECT (SELECT array_agg(k ORDER BY k COLLATE "C") FROM json_object_keys(:'body'::json) k) AS keys,
       :'body'::json->>'token_type' AS token_type, :'body'::json->>'expires_in' AS expires_in,
       :'body'::json->>'access_token' ~ '^[^.]+\.[^.]+\.[^.]+$' AS access_token_is_jwt;
COMMIT;

-- Wrong secret: 401 invalid_client (with a Basic challenge when Basic was used).
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('POST', '/rpc/token', NULL);
SELECT ords.postgrest_token(grant_type => 'client_credentials', client_id => :'good_id', client_secret => 'wrong') AS body;
SELECT current_setting('response.status') AS status, current_setting('response.headers')::jsonb AS headers;
COMMIT;
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('POST', '/rpc/token', oauth.basic_authorization(:'good_id', 'wrong'));
SELECT ords.postgrest_token(grant_type => 'client_credentials') AS body;
SELECT current_setting('response.status') AS status, current_setting('response.headers')::jsonb AS headers;
COMMIT;
-- Other RFC 6749 answers: no grant_type, another grant type, both authentication methods.
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('POST', '/rpc/token', oauth.basic_authorization(:'good_id', :'good_secret'));
SELECT ords.postgrest_token(client_id => :'good_id') AS body;
SELECT current_setting('response.status') AS status;
SELECT ords.postgrest_token(grant_type => 'password') AS body;
SELECT current_setting('response.status') AS status;
SELECT ords.postgrest_token(grant_type => 'client_credentials', client_id => :'good_id', client_secret => :'good_secret') AS body;
SELECT current_setting('response.status') AS status;
COMMIT;
-- Issuing writes: in a read-only transaction the RPC answers 503 (PostgREST runs POST to a
-- VOLATILE function read-write, so this only happens on a standby).
BEGIN;
SET TRANSACTION READ ONLY;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('POST', '/rpc/token', NULL);
SELECT ords.postgrest_token(grant_type => 'client_credentials', client_id => :'good_id', client_secret => :'good_secret') AS body;
SELECT current_setting('response.status') AS status;
COMMIT;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP TABLE IF EXISTS public.partner_prices;
DROP ROLE IF EXISTS pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop, pgrst_mall;
