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
DROP TABLE IF EXISTS public.partner_prices;
DROP ROLE IF EXISTS pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop, pgrst_mall;
CREATE ROLE pgrst_authenticator LOGIN NOINHERIT;
CREATE ROLE pgrst_anon NOLOGIN;
CREATE ROLE pgrst_web NOLOGIN;
CREATE ROLE pgrst_partner NOLOGIN;
CREATE ROLE pgrst_shop NOLOGIN;
GRANT pgrst_anon, pgrst_web, pgrst_partner TO pgrst_authenticator;
-- pg_ords lets a schema hand out only roles it is a member of (README, "JWT access tokens").
GRANT pgrst_web, pgrst_partner TO pgrst_shop;

-- =============================================================================================
-- 0. First start (docs/postgrest.md, "First start"): the signing keys exist from CREATE
-- EXTENSION on, so PostgREST's first db-pre-config, run as the authenticator in its settings
-- query inside BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY, already publishes them.
-- =============================================================================================
SELECT alg, count(*) AS current_keys FROM ords_metadata.sec_keys WHERE retired_on IS NULL
 GROUP BY alg ORDER BY alg COLLATE "C";
GRANT EXECUTE ON FUNCTION ords.postgrest_pre_config() TO pgrst_authenticator;
SET ROLE pgrst_authenticator;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
SELECT x AS key, jsonb_array_length(current_setting(x, true)::jsonb->'keys') AS published_keys,
       (SELECT string_agg(k->>'alg', ',' ORDER BY k->>'alg' COLLATE "C") FROM jsonb_array_elements(current_setting(x, true)::jsonb->'keys') k) AS algs
  FROM unnest(ARRAY['pgrst.jwt_secret']) x JOIN ords.postgrest_pre_config() _ ON TRUE;
COMMIT;
RESET ROLE;
REVOKE EXECUTE ON FUNCTION ords.postgrest_pre_config() FROM pgrst_authenticator;

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
-- names the role PostgREST switches to for them. Switching to JWT makes signing keys if an
-- administrator deleted them (they exist from the install on).
RESET ROLE;
DELETE FROM ords_metadata.sec_keys;
SET ROLE pgrst_shop;
SELECT ords.set_token_format(p_token_format => 'jwt', p_jwt_role => 'pgrst_web');
RESET ROLE;
SELECT count(*) AS current_keys_after_set_token_format FROM ords_metadata.sec_keys WHERE retired_on IS NULL;
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

-- =============================================================================================
-- 2b. The decision is about the token PostgREST verified (docs/postgrest.md, "What the
-- pre-request checks"). PostgREST verifies the FIRST Authorization header and switches to its
-- role claim; request.headers keeps the LAST one. pg_temp.postgrest runs PostgREST's whole
-- request cycle (v13):
--   1. before any SQL, the first header: only "Bearer <token>" (scheme in any case, wai's
--      extractBearerAuth) counts, any other scheme means no token. "Bearer " alone is 401
--      PGRST301; a token that is not three parts, or whose kid is not a key of pgrst.jwt_secret
--      (what db-pre-config publishes), 401 PGRST301; exp more than 30 s ago, 401 PGRST303. (Every
--      token given here as a first header is signed by pg_ords, so the signature check is not
--      repeated in SQL; tests/reliability/jwt_independent.py verifies signatures with PyJWT.)
--      The role is the role claim, else db-anon-role (pgrst_anon); the claims get "role" added.
--   2. one transaction (READ ONLY for GET and HEAD), and in it ONE statement of set_config(…,
--      true): search_path, role, request.jwt.claims, request.method, request.path,
--      request.headers (lower-cased names, the LAST value of a repeated header),
--      request.cookies, app.settings.ords_schema_alias;
--   3. SELECT ords.postgrest_pre_request(); 4. the main query (p_main).
-- A PGRST error answers with its DETAIL's status and headers; any other error with PostgREST's
-- mapping (42501: 401 for the anonymous role, else 403; 22023 unknown role: 401; 25006: 405).
-- The transaction then ends (rolled back here, so requests do not leak into each other).
-- Returns the HTTP status, the error code, WWW-Authenticate and the main query's result.
-- =============================================================================================
RESET ROLE;
CREATE FUNCTION pg_temp.postgrest(p_method text, p_path text, p_authorizations text[] DEFAULT '{}',
                                  p_main text DEFAULT 'SELECT current_user || '' '' || coalesce(ords.current_client_name(), ''-'')')
RETURNS TABLE (status int, code text, www_authenticate text, result text) LANGUAGE plpgsql AS $$
DECLARE
    v_first   text := p_authorizations[1];
    v_scheme  text[];
    v_token   text;
    v_header  jsonb;
    v_payload jsonb;
    v_jwks    jsonb;
    v_role    text := 'pgrst_anon';
    v_claims  jsonb;
    v_headers jsonb;
    v_state text; v_message text; v_detail text;
BEGIN
    -- 1. The auth middleware, on the first Authorization header.
    v_scheme := regexp_match(v_first, '^(\S*)\s*(.*)$');
    IF lower(v_scheme[1]) = 'bearer' THEN
        v_token := v_scheme[2];
        IF v_token = '' THEN
            RETURN QUERY SELECT 401, 'PGRST301', 'Bearer error="invalid_token", error_description="Empty JWT is sent in Authorization header"', NULL::text;
            RETURN;
        END IF;
        PERFORM ords.postgrest_pre_config();   -- PostgREST's jwt-secret, as its last config reload read it
        v_jwks := current_setting('pgrst.jwt_secret')::jsonb;
        BEGIN
            v_header := pg_temp.jwt_part(v_token, 1);
            v_payload := pg_temp.jwt_part(v_token, 2);
        EXCEPTION WHEN OTHERS THEN
            v_header := NULL;
        END;
        IF array_length(string_to_array(v_token, '.'), 1) <> 3 OR v_header IS NULL
           OR NOT EXISTS (SELECT FROM jsonb_array_elements(v_jwks->'keys') k
                           WHERE k->>'kid' = v_header->>'kid' AND k->>'alg' = v_header->>'alg') THEN
            RETURN QUERY SELECT 401, 'PGRST301', 'Bearer error="invalid_token"', NULL::text;
            RETURN;
        END IF;
        IF (v_payload->>'exp')::bigint + 30 < extract(epoch FROM clock_timestamp()) THEN
            RETURN QUERY SELECT 401, 'PGRST303', 'Bearer error="invalid_token"', NULL::text;
            RETURN;
        END IF;
        v_role := coalesce(v_payload->>'role', 'pgrst_anon');
        v_claims := v_payload || jsonb_build_object('role', v_role);
    ELSE
        v_claims := jsonb_build_object('role', v_role);
    END IF;
    -- request.headers: a JSON object, so the last of repeated headers wins.
    SELECT jsonb_object_agg(h.name, h.value ORDER BY h.n) INTO v_headers
      FROM (SELECT 0 AS n, 'accept' AS name, 'application/json' AS value
            UNION ALL SELECT n, 'authorization', a FROM unnest(p_authorizations) WITH ORDINALITY u(a, n)) h;
    -- 2.-4. One transaction per request (a subtransaction here, always rolled back).
    BEGIN
        IF p_method IN ('GET', 'HEAD') THEN
            PERFORM set_config('transaction_read_only', 'on', true);
        END IF;
        PERFORM set_config('search_path', 'public', true), set_config('role', v_role, true),
                set_config('request.jwt.claims', v_claims::text, true), set_config('request.method', p_method, true),
                set_config('request.path', p_path, true), set_config('request.headers', v_headers::text, true),
                set_config('request.cookies', '{}', true), set_config('app.settings.ords_schema_alias', 'shop', true);
        PERFORM ords.postgrest_pre_request();
        EXECUTE p_main INTO v_message;
        RAISE SQLSTATE 'PR200' USING MESSAGE = coalesce(v_message, '<null>');
    EXCEPTION
        WHEN SQLSTATE 'PR200' THEN
            RETURN QUERY SELECT 200, NULL::text, NULL::text, SQLERRM;
        WHEN SQLSTATE 'PGRST' THEN
            GET STACKED DIAGNOSTICS v_message = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL;
            RETURN QUERY SELECT (v_detail::jsonb->>'status')::int, v_message::jsonb->>'code',
                                v_detail::jsonb->'headers'->>'WWW-Authenticate', NULL::text;
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE;
            RETURN QUERY SELECT CASE WHEN v_state = '42501' THEN CASE WHEN v_role = 'pgrst_anon' THEN 401 ELSE 403 END
                                     WHEN v_state = '22023' THEN 401 WHEN v_state = '25006' THEN 405
                                     WHEN v_state LIKE '28%' THEN 403 ELSE 400 END,
                                v_state, NULL::text, NULL::text;
    END;
END
$$;
-- PostgREST's authenticator may run db-pre-config (docs/postgrest.md).
GRANT EXECUTE ON FUNCTION ords.postgrest_pre_config() TO pgrst_authenticator;

-- The cast: pgrst_partner is the more privileged JWT role (it may read partner_prices);
-- pgrst_web is what ordinary clients get. Client partner_app (role claim pgrst_partner) holds
-- orders_role. A second REST-enabled schema, pgrst_mall (alias mall), also hands out
-- pgrst_partner.
CREATE TABLE public.partner_prices (item text);
INSERT INTO public.partner_prices VALUES ('secret-price');
GRANT SELECT ON public.partner_prices TO pgrst_partner;
CREATE ROLE pgrst_mall NOLOGIN;
GRANT pgrst_partner TO pgrst_mall;
SET ROLE pgrst_shop;
SELECT client_id AS partner_id, client_secret AS partner_secret
  FROM oauth.create_client(p_name => 'partner_app', p_grant_type => 'client_credentials', p_privilege_names => 'orders_priv') \gset
SELECT oauth.grant_client_role(p_client_name => 'partner_app', p_role_name => 'orders_role');
SELECT oauth.set_client_jwt_role(p_name => 'partner_app', p_jwt_role => 'pgrst_partner');
SELECT access_token AS partner_revoked FROM oauth.issue_token(:'partner_id', :'partner_secret', 'client_credentials', 'shop') \gset
SELECT access_token AS partner_live FROM oauth.issue_token(:'partner_id', :'partner_secret', 'client_credentials', 'shop') \gset
SELECT client_id AS gone_id, client_secret AS gone_secret
  FROM oauth.create_client(p_name => 'gone_app', p_grant_type => 'client_credentials') \gset
SELECT oauth.set_client_jwt_role(p_name => 'gone_app', p_jwt_role => 'pgrst_partner');
SELECT access_token AS gone_jwt FROM oauth.issue_token(:'gone_id', :'gone_secret', 'client_credentials', 'shop') \gset
SELECT oauth.delete_client(p_name => 'gone_app');
SELECT oauth.revoke_token('Bearer ' || :'partner_revoked') AS revoked;
RESET ROLE;
SET ROLE pgrst_mall;
SELECT ords.enable_schema(p_url_mapping_pattern => 'mall');
SELECT ords.set_token_format(p_token_format => 'jwt', p_jwt_role => 'pgrst_partner');
SELECT client_id AS mall_id, client_secret AS mall_secret
  FROM oauth.create_client(p_name => 'mall_app', p_grant_type => 'client_credentials') \gset
SELECT access_token AS mall_jwt FROM oauth.issue_token(:'mall_id', :'mall_secret', 'client_credentials', 'mall') \gset
RESET ROLE;
SELECT pg_temp.jwt_part(:'partner_revoked', 2)->>'role' AS revoked_role, pg_temp.jwt_part(:'gone_jwt', 2)->>'role' AS deleted_client_role,
       pg_temp.jwt_part(:'mall_jwt', 2)->>'role' AS foreign_alias_role, pg_temp.jwt_part(:'good_jwt', 2)->>'role' AS good_role;
\set read_partner_prices 'SELECT current_user || '' '' || coalesce((SELECT string_agg(item, '','') FROM public.partner_prices), ''-'')'

SET ROLE pgrst_authenticator;
-- Ordinary requests go through: one valid token (also sent twice), no token on a public path.
SELECT 'good' AS headers, * FROM pg_temp.postgrest('GET', '/orders/1', ARRAY['Bearer ' || :'good_jwt'])
UNION ALL SELECT 'good, good', * FROM pg_temp.postgrest('GET', '/orders/1', ARRAY['Bearer ' || :'good_jwt', 'bearer ' || :'good_jwt'])
UNION ALL SELECT 'partner (live)', * FROM pg_temp.postgrest('GET', '/orders/1', ARRAY['Bearer ' || :'partner_live'], :'read_partner_prices')
UNION ALL SELECT 'none, public path', * FROM pg_temp.postgrest('GET', '/products/1')
UNION ALL SELECT 'none, protected path', * FROM pg_temp.postgrest('GET', '/orders/1');
-- The attacks: a JWT PostgREST accepts (signature and exp are fine) but pg_ords does not (revoked,
-- of another alias, of a deleted client) first, and a valid token or any Basic credentials
-- last. PostgREST switched to the first token's role (pgrst_partner, which reads
-- partner_prices); the pre-request must refuse, on protected and public paths alike.
SELECT 'revoked, good' AS headers, * FROM pg_temp.postgrest('GET', '/orders/1', ARRAY['Bearer ' || :'partner_revoked', 'Bearer ' || :'good_jwt'], :'read_partner_prices')
UNION ALL SELECT 'revoked, Basic x:y', * FROM pg_temp.postgrest('GET', '/products/1', ARRAY['Bearer ' || :'partner_revoked', 'Basic eDp5'], :'read_partner_prices')
UNION ALL SELECT 'revoked, good (public path)', * FROM pg_temp.postgrest('GET', '/products/1', ARRAY['Bearer ' || :'partner_revoked', 'Bearer ' || :'good_jwt'], :'read_partner_prices')
UNION ALL SELECT 'foreign alias, good', * FROM pg_temp.postgrest('GET', '/orders/1', ARRAY['Bearer ' || :'mall_jwt', 'Bearer ' || :'good_jwt'], :'read_partner_prices')
UNION ALL SELECT 'foreign alias, Basic x:y', * FROM pg_temp.postgrest('GET', '/products/1', ARRAY['Bearer ' || :'mall_jwt', 'Basic eDp5'], :'read_partner_prices')
UNION ALL SELECT 'deleted client, good', * FROM pg_temp.postgrest('POST', '/orders', ARRAY['Bearer ' || :'gone_jwt', 'Bearer ' || :'good_jwt'], :'read_partner_prices')
UNION ALL SELECT 'deleted client, Basic x:y', * FROM pg_temp.postgrest('GET', '/products/1', ARRAY['Bearer ' || :'gone_jwt', 'Basic eDp5'], :'read_partner_prices')
UNION ALL SELECT 'revoked, no second header', * FROM pg_temp.postgrest('GET', '/products/1', ARRAY['Bearer ' || :'partner_revoked'], :'read_partner_prices');
-- The other way round: PostgREST verified no token (Basic first: the anonymous role), and a
-- valid token comes last. The decision may not use a token PostgREST did not verify.
SELECT 'Basic x:y, good' AS headers, * FROM pg_temp.postgrest('GET', '/orders/1', ARRAY['Basic eDp5', 'Bearer ' || :'good_jwt'])
UNION ALL SELECT 'Basic x:y, bare good', * FROM pg_temp.postgrest('GET', '/orders/1', ARRAY['Basic eDp5', :'good_jwt'])
UNION ALL SELECT 'Basic x:y, good (public path)', * FROM pg_temp.postgrest('GET', '/products/1', ARRAY['Basic eDp5', 'Bearer ' || :'good_jwt']);
-- current_user must be the role the token maps to NOW: partner_app's JWT role moves to
-- pgrst_web; its live token still claims pgrst_partner (PostgREST switches to that), so it is
-- refused until the client gets a new token.
RESET ROLE;
SET ROLE pgrst_shop;
SELECT oauth.set_client_jwt_role(p_name => 'partner_app', p_jwt_role => 'pgrst_web');
SELECT access_token AS partner_new FROM oauth.issue_token(:'partner_id', :'partner_secret', 'client_credentials', 'shop') \gset
RESET ROLE;
SET ROLE pgrst_authenticator;
SELECT 'partner (old role claim)' AS headers, * FROM pg_temp.postgrest('GET', '/orders/1', ARRAY['Bearer ' || :'partner_live'], :'read_partner_prices')
UNION ALL SELECT 'partner (old role claim), public path', * FROM pg_temp.postgrest('GET', '/products/1', ARRAY['Bearer ' || :'partner_live'], :'read_partner_prices')
UNION ALL SELECT 'partner (new token)', * FROM pg_temp.postgrest('GET', '/orders/1', ARRAY['Bearer ' || :'partner_new']);
-- What PostgREST itself refuses never reaches SQL: an empty Bearer, a token of an unpublished kid.
SELECT 'Bearer (empty)' AS headers, * FROM pg_temp.postgrest('GET', '/orders/1', ARRAY['Bearer '])
UNION ALL SELECT 'unknown kid', * FROM pg_temp.postgrest('GET', '/orders/1',
    ARRAY['Bearer ' || translate(encode(convert_to('{"alg":"ES256","typ":"JWT","kid":"es256-unknown"}', 'UTF8'), 'base64'), '+/=', '-_') || '.'
                    || split_part(:'good_jwt', '.', 2) || '.' || split_part(:'good_jwt', '.', 3)]);
RESET ROLE;
REVOKE EXECUTE ON FUNCTION ords.postgrest_pre_config() FROM pgrst_authenticator;

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

-- =============================================================================================
-- 8. Key retirement has a global bound: pg_ords.max_token_duration (superuser; default 86400 s)
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

-- =============================================================================================
-- 9. One current key per algorithm, whatever order rows arrive in (a restore loads the dumped
-- keys after CREATE EXTENSION made new ones): the newer stays current, the older is retired as
-- of the newer's creation.
-- =============================================================================================
BEGIN;
SELECT kid AS es_kid, created_on AS es_created FROM ords_metadata.sec_keys WHERE alg = 'ES256' AND retired_on IS NULL \gset
-- An older current key arrives (the dumped one): it is stored retired.
INSERT INTO ords_metadata.sec_keys (kid, alg, private_key, created_on)
SELECT 'es256-from-dump', alg, private_key, created_on - interval '1 day' FROM ords_metadata.sec_keys WHERE kid = :'es_kid';
-- A newer current key arrives: the one that was current is retired.
INSERT INTO ords_metadata.sec_keys (kid, alg, private_key, created_on)
SELECT 'es256-newer', alg, private_key, created_on + interval '1 day' FROM ords_metadata.sec_keys WHERE kid = :'es_kid';
SELECT kid = :'es_kid' AS was_current, CASE WHEN kid = :'es_kid' THEN '(the current kid)' ELSE kid END AS kid, retired_on IS NULL AS current,
       retired_on = :'es_created'::timestamptz AS retired_when_the_newer_was_made,
       retired_on = :'es_created'::timestamptz + interval '1 day' AS retired_when_the_newest_was_made
  FROM ords_metadata.sec_keys WHERE kid IN (:'es_kid', 'es256-from-dump', 'es256-newer') ORDER BY created_on;
SELECT alg, count(*) AS current_keys FROM ords_metadata.sec_keys WHERE retired_on IS NULL GROUP BY alg ORDER BY alg COLLATE "C";
ROLLBACK;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP TABLE public.partner_prices;
DROP ROLE pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop, pgrst_mall;
