-- PostgREST's request contract, reproduced in SQL as PostgREST runs it (no PostgREST server is
-- needed): every request is ONE transaction in which PostgREST switches to the anonymous role or
-- to the JWT's role claim (SET LOCAL ROLE), sets the transaction-local request settings
-- (request.method, request.path without query string, request.headers with lower-cased names,
-- request.jwt.claims, app.settings.*), then runs the db-pre-request function
-- (SELECT ords.postgrest_pre_request()). A refusal is SQLSTATE 'PGRST' whose MESSAGE and DETAIL
-- are JSON: PostgREST answers with DETAIL's status and headers. The token RPC
-- (ords.postgrest_token), the in-database configuration (ords.postgrest_pre_config), the JWT
-- token format, key rotation and HS256 follow.
--
-- Roles: pgrst_authenticator (what PostgREST logs in as; NOINHERIT, member of the roles it may
-- switch to), pgrst_anon (db-anon-role), pgrst_web and pgrst_partner (role claims of JWTs),
-- pgrst_shop (the REST-enabled schema, URL alias shop).
-- Tokens, secrets, client_ids, key ids and times are random: captured with \gset, and only
-- their shape or a comparison is printed.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
DROP ROLE IF EXISTS pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop;
CREATE ROLE pgrst_authenticator LOGIN NOINHERIT;
CREATE ROLE pgrst_anon NOLOGIN;
CREATE ROLE pgrst_web NOLOGIN;
CREATE ROLE pgrst_partner NOLOGIN;
CREATE ROLE pgrst_shop NOLOGIN;
GRANT pgrst_anon, pgrst_web, pgrst_partner TO pgrst_authenticator;
-- pg_ords lets a schema hand out only roles it is a member of (README, "JWT access tokens").
GRANT pgrst_web, pgrst_partner TO pgrst_shop;

-- =============================================================================================
-- Helpers (this session only)
-- =============================================================================================

-- One PostgREST request after the role switch: the transaction-local settings exactly as
-- PostgREST sets them (claims: the JWT's claims with "role"; without a JWT {"role": <anon>}),
-- then the pre-request. Returns SQLSTATE '00000' when the request may go on, else the PGRST
-- error's SQLSTATE, MESSAGE and DETAIL as PostgREST reads them. p_alias NULL leaves
-- app.settings.ords_schema_alias unset.
CREATE FUNCTION pg_temp.pre_request(p_method text, p_path text, p_authorization text,
                                    p_claims jsonb DEFAULT NULL, p_alias text DEFAULT 'shop')
RETURNS TABLE (sqlstate text, message jsonb, detail jsonb) LANGUAGE plpgsql AS $$
DECLARE
    v_state text; v_message text; v_detail text;
BEGIN
    PERFORM set_config('request.method', p_method, true);
    PERFORM set_config('request.path', p_path, true);
    PERFORM set_config('request.headers',
        jsonb_strip_nulls(jsonb_build_object('accept', 'application/json', 'authorization', p_authorization))::text, true);
    PERFORM set_config('request.cookies', '{}', true);
    PERFORM set_config('request.jwt.claims', coalesce(p_claims, jsonb_build_object('role', current_user))::text, true);
    IF p_alias IS NOT NULL THEN
        PERFORM set_config('app.settings.ords_schema_alias', p_alias, true);
    END IF;
    BEGIN
        PERFORM ords.postgrest_pre_request();
        RETURN QUERY SELECT '00000'::text, NULL::jsonb, NULL::jsonb;
    EXCEPTION WHEN SQLSTATE 'PGRST' THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL;
        RETURN QUERY SELECT v_state, v_message::jsonb, v_detail::jsonb;
    END;
END
$$;

-- The same, as PostgREST answers it: error code, HTTP status and WWW-Authenticate.
CREATE FUNCTION pg_temp.answer(p_method text, p_path text, p_authorization text,
                               p_claims jsonb DEFAULT NULL, p_alias text DEFAULT 'shop')
RETURNS TABLE (sqlstate text, code text, status int, www_authenticate text) LANGUAGE sql AS $$
    SELECT r.sqlstate, r.message->>'code', coalesce((r.detail->>'status')::int, 200), r.detail->'headers'->>'WWW-Authenticate'
      FROM pg_temp.pre_request(p_method, p_path, p_authorization, p_claims, p_alias) r
$$;

-- Part 1 (header) or 2 (payload) of a JWT, decoded: base64url -> jsonb.
CREATE FUNCTION pg_temp.jwt_part(p_token text, p_part int) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_from(decode(translate(s, '-_', '+/') || repeat('=', (4 - length(s) % 4) % 4), 'base64'), 'UTF8')::jsonb
      FROM split_part(p_token, '.', p_part) s
$$;

-- =============================================================================================
-- Setup, as the schema role: /orders/* needs orders_role. Client good holds it, client nobody
-- does not, client short_lived holds it (its token is expired by hand below).
-- =============================================================================================
SET ROLE pgrst_shop;
SELECT ords.enable_schema(p_url_mapping_pattern => 'shop');
SELECT ords.create_role(p_role_name => 'orders_role');
SELECT ords.create_privilege(p_name => 'orders_priv', p_role_name => 'orders_role');
SELECT ords.create_privilege_mapping(p_privilege_name => 'orders_priv', p_pattern => '/orders/*');
SELECT client_id AS good_id, client_secret AS good_secret
  FROM oauth.create_client(p_name => 'good', p_grant_type => 'client_credentials', p_privilege_names => 'orders_priv') \gset
SELECT oauth.grant_client_role(p_client_name => 'good', p_role_name => 'orders_role');
SELECT client_id AS nobody_id, client_secret AS nobody_secret
  FROM oauth.create_client(p_name => 'nobody', p_grant_type => 'client_credentials') \gset
SELECT client_id AS short_id, client_secret AS short_secret
  FROM oauth.create_client(p_name => 'short_lived', p_grant_type => 'client_credentials') \gset
SELECT oauth.grant_client_role(p_client_name => 'short_lived', p_role_name => 'orders_role');

-- A token issued while the schema still has the default (opaque) format.
SELECT access_token AS opaque_before FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
SELECT :'opaque_before' ~ '^[A-Za-z0-9_-]{43}$' AS opaque_shape;

-- PostgREST decodes every Bearer token as a JWT: the schema switches to JWT access tokens, and
-- names the role PostgREST switches to for them.
SELECT ords.set_token_format(p_token_format => 'jwt', p_jwt_role => 'pgrst_web');
RESET ROLE;
SELECT pattern, token_format, jwt_role FROM ords_metadata.ords_schemas;
SET ROLE pgrst_shop;
SELECT ords.set_token_format(p_token_format => 'paseto');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.set_token_format(p_token_format => 'jwt', p_jwt_role => 'pgrst_no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- =============================================================================================
-- 1. JWT access tokens: what they claim
-- =============================================================================================
SELECT access_token AS good_jwt, expires_in AS good_expires_in
  FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
SELECT access_token AS nobody_jwt FROM oauth.issue_token(:'nobody_id', :'nobody_secret', 'client_credentials', 'shop') \gset
SELECT access_token AS short_jwt FROM oauth.issue_token(:'short_id', :'short_secret', 'client_credentials', 'shop') \gset
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
-- What PostgREST will put in request.jwt.claims, and the role it switches to.
SELECT pg_temp.jwt_part(:'good_jwt', 2) AS good_claims, pg_temp.jwt_part(:'good_jwt', 2)->>'role' AS good_role \gset
SELECT pg_temp.jwt_part(:'nobody_jwt', 2) AS nobody_claims \gset
SELECT pg_temp.jwt_part(:'short_jwt', 2) AS short_claims \gset

-- =============================================================================================
-- 2. db-pre-request: one transaction per request
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
-- garbage one, and with the JWT of another client: the decision follows the token alone.
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

-- =============================================================================================
-- 3. The token RPC: POST /rpc/token, run as the anonymous role
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

-- =============================================================================================
-- 4. db-pre-config: pgrst.jwt_secret = the public JWK Set (ES256 and EdDSA, no private parts)
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

-- =============================================================================================
-- 5. Token formats: both are accepted at all times
-- =============================================================================================
SET ROLE pgrst_authenticator;
-- The opaque token issued before the switch to JWT still works (outside PostgREST, which only
-- forwards JWTs).
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'opaque_before');
COMMIT;
-- Back to opaque: new tokens are opaque; the JWTs issued before keep working.
RESET ROLE;
SET ROLE pgrst_shop;
SELECT ords.set_token_format(p_token_format => 'opaque');
SELECT access_token AS opaque_after FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
SELECT :'opaque_after' ~ '^[A-Za-z0-9_-]{43}$' AS opaque_shape, :'opaque_after' ~ '\.' AS has_dots;
RESET ROLE;
SET ROLE pgrst_authenticator;
BEGIN;
SET LOCAL ROLE :"good_role";
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'good_jwt', :'good_claims');
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'opaque_after');
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'nobody_jwt', :'nobody_claims');
COMMIT;
-- And JWT again.
RESET ROLE;
SET ROLE pgrst_shop;
SELECT ords.set_token_format(p_token_format => 'jwt', p_jwt_role => 'pgrst_web');
SELECT access_token AS jwt_again FROM oauth.issue_token(:'good_id', :'good_secret', 'client_credentials', 'shop') \gset
SELECT :'jwt_again' ~ '^[^.]+\.[^.]+\.[^.]+$' AS is_jwt;
RESET ROLE;
SET ROLE pgrst_authenticator;
BEGIN;
SET LOCAL ROLE pgrst_anon;
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'opaque_after');
SELECT * FROM pg_temp.answer('GET', '/orders/1', 'Bearer ' || :'opaque_before');
COMMIT;

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

-- =============================================================================================
-- 6. Key rotation: old keys stay published, old tokens keep working, new tokens use new keys
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
-- 7. HS256 (pg_ords.jwt_algorithm, superuser only): PostgREST's jwt-secret is a JWK Set of oct keys
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
-- The secret is for administrators only.
SELECT ords_admin.jwt_hs256_secret();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SELECT length(ords_admin.jwt_hs256_secret()) >= 32 AS at_least_32_chars;
-- It never appears in the public JWK Set.
SELECT count(*) AS hs256_keys_published FROM jsonb_array_elements(ords.jwks()->'keys') k WHERE k->>'alg' = 'HS256' OR k->>'kty' = 'oct';
BEGIN;
SELECT ords.postgrest_pre_config();
-- Not the plain secret (PostgREST v13+ matches the token's kid, and a plain secret has none):
-- oct keys with their kids, whose k is the secret, base64url-encoded.
SELECT k->>'kty' AS kty, k->>'alg' AS alg, k->>'kid' = pg_temp.jwt_part(:'hs_jwt', 1)->>'kid' AS kid_matches_token,
       convert_from(decode(translate(k->>'k', '-_', '+/') || repeat('=', (4 - length(k->>'k') % 4) % 4), 'base64'), 'UTF8')
         = ords_admin.jwt_hs256_secret() AS k_is_the_secret
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
DROP ROLE pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop;
