-- postgrest_pre_request: db-pre-request, one transaction per request as PostgREST runs it: allowed, 401 (no token,
-- garbage, swapped payload, expired, revoked), 403, read-only GET/HEAD, misconfiguration.
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
-- db-pre-request: one transaction per request
-- =============================================================================================
-- PostgREST's connection is the authenticator; SET LOCAL ROLE below needs its memberships.
SET ROLE pgrst_authenticator;

-- A public path, written out in full: GET /products/1 with no Authorization header.
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT set_config('request.method', 'GET', true) AS method,
       set_config('request.path', '/products/1', true) AS path,
       set_config('request.headers', '{"accept": "application/json"}', true) AS headers,
       set_config('request.jwt.claims', '{"role": "pgrst_anon"}', true) AS claims,
       set_config('app.settings.ords_schema_alias', 'shop', true) AS ords_schema_alias;
SELECT ords.postgrest_pre_request();
SELECT current_user;
COMMIT;

-- The same through the helper (every request below uses it): '00000' means the request goes on.
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('GET', '/products/1', NULL);
COMMIT;

-- Allowed: the JWT of a client holding orders_role; PostgREST switched to its role claim. The
-- main query then sees the client (for row-level security).
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT current_user;
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'good_jwt', :'good_claims');
SELECT ords.current_client_name() AS client_name, ords.current_client_id() = :'good_id' AS client_id_matches;
COMMIT;
-- The scheme is case-insensitive, as in PostgREST.
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('DELETE', '/orders/1', 'bearer ' || :'good_jwt', :'good_claims');
COMMIT;

-- 401: no token (anonymous request to a protected path). WWW-Authenticate offers Bearer, and
-- Basic for the schema's realm (pg_ords.basic_auth is on by default).
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('GET', '/orders/1', NULL);
COMMIT;
-- The whole PGRST error as PostgREST reads it.
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.pre_request('GET', '/orders/1', NULL);
COMMIT;

-- 401: garbage tokens (opaque-looking, JWT-looking, empty) and a JWT whose signature is cut off or
-- replaced.
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT n AS case, a.* FROM (VALUES (1, 'Bearer garbage'), (2, 'Bearer aaaa.bbbb.cccc'), (3, 'Bearer '),
                                   (4, 'Bearer ' || split_part(:'good_jwt', '.', 1) || '.' || split_part(:'good_jwt', '.', 2) || '.'),
                                   (5, 'Bearer ' || split_part(:'good_jwt', '.', 1) || '.' || split_part(:'good_jwt', '.', 2) || '.AAAA'))
                              v(n, t), LATERAL pg_temp.answer('GET', '/orders/1', v.t) a
 ORDER BY n;
COMMIT;

-- 401: a payload swapped under a kept signature (good's claims under nobody's header and signature).
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1',
    'Bearer ' || split_part(:'nobody_jwt', '.', 1) || '.' || split_part(:'good_jwt', '.', 2) || '.' || split_part(:'nobody_jwt', '.', 3),
    :'good_claims');
COMMIT;

-- 401: expired. short_lived's token is allowed until its session expires.
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'short_jwt', :'short_claims');
COMMIT;
RESET ROLE;
UPDATE ords_metadata.oauth_sessions SET expires_on = now() - interval '1 s'
 WHERE client_id = (SELECT id FROM ords_metadata.oauth_clients WHERE name = 'short_lived');
SET ROLE pgrst_authenticator;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'short_jwt', :'short_claims');
COMMIT;

-- 401: revoked (RFC 7009). Before, allowed; after, refused at once.
RESET ROLE;
SET ROLE pgrst_shop;
SELECT access_token AS revoked_jwt FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
RESET ROLE;
SET ROLE pgrst_authenticator;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'revoked_jwt', pg_temp.jwt_part(:'revoked_jwt', 2));
COMMIT;
RESET ROLE;
SET ROLE pgrst_shop;
SELECT oauth.revoke_token('Bearer ' || :'revoked_jwt') AS revoked;
RESET ROLE;
SET ROLE pgrst_authenticator;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'revoked_jwt', pg_temp.jwt_part(:'revoked_jwt', 2));
COMMIT;
-- On a PUBLIC path too: PostgREST already switched to the token's role, so a revoked token
-- must not keep acting as that role there. The valid token still passes on the public path.
SET ROLE pgrst_authenticator;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/products/1', 'Bearer ' || :'revoked_jwt', pg_temp.jwt_part(:'revoked_jwt', 2));
COMMIT;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/products/1', 'Bearer ' || :'good_jwt', :'good_claims');
COMMIT;
RESET ROLE;

-- request.jwt.claims is never trusted: it is an ordinary setting any session can SET. Claims
-- of the privileged client (role, sub, jti, all of them) with no Authorization header, with a
-- garbage one, and with the JWT of another client: claims can only refuse, never grant; claims
-- that are not those of the token in request.headers are 401.
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', NULL, :'good_claims');
COMMIT;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer garbage', :'good_claims');
COMMIT;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'nobody_jwt', :'good_claims');
SELECT ords.current_client_name() AS client_name;
COMMIT;
-- The same spoof in a session without PostgREST.
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT set_config('request.jwt.claims', jsonb_build_object('role', 'pgrst_web', 'sub', :'good_id')::text, true) IS NOT NULL AS spoofed;
SELECT set_config('request.method', 'GET', true) IS NOT NULL AND set_config('request.path', '/orders/1', true) IS NOT NULL
   AND set_config('app.settings.ords_schema_alias', 'shop', true) IS NOT NULL AS request_set;
SELECT ords.postgrest_pre_request();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;

-- 403: a valid JWT of a client without orders_role.
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'nobody_jwt', :'nobody_claims');
COMMIT;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.pre_request('GET', '/orders/1', 'Bearer ' || :'nobody_jwt', :'nobody_claims');
COMMIT;
-- ...which still passes public paths.
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/products/1', 'Bearer ' || :'nobody_jwt', :'nobody_claims');
COMMIT;

-- GET and HEAD run READ ONLY: the pre-request never writes. A token this backend has not seen
-- yet (a cache miss reads the catalog), then a refusal, both read-only.
RESET ROLE;
SET ROLE pgrst_shop;
SELECT access_token AS fresh_jwt FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
RESET ROLE;
SET ROLE pgrst_authenticator;
BEGIN;
SET TRANSACTION READ ONLY;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'fresh_jwt', pg_temp.jwt_part(:'fresh_jwt', 2));
SELECT * FROM pg_temp.answer('HEAD', '/orders/1', 'Bearer ' || :'nobody_jwt', :'nobody_claims');
SELECT current_setting('transaction_read_only') AS read_only;
COMMIT;

-- Misconfiguration: app.settings.ords_schema_alias missing -> 500 with a hint.
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('GET', '/orders/1', NULL, NULL, NULL);
SELECT message->>'message' AS message, message->>'hint' AS hint, detail
  FROM pg_temp.pre_request('GET', '/orders/1', NULL, NULL, NULL);
COMMIT;
-- A wrong alias or a bad path is an ordinary error (PostgREST: 400 / 404 by SQLSTATE).
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('GET', '/orders/1', NULL, NULL, 'no_such_alias');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('GET', '/orders/%2F..', NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP TABLE IF EXISTS public.partner_prices;
DROP ROLE IF EXISTS pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop, pgrst_mall;
