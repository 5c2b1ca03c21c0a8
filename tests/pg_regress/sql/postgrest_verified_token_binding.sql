-- postgrest_verified_token_binding: the pre-request decides about the token PostgREST verified (first Authorization header)
-- and not about another header a client adds; PostgREST's whole request cycle in pg_temp.postgrest.
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
-- The decision is about the token PostgREST verified (docs/postgrest.md, "What the
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

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP TABLE IF EXISTS public.partner_prices;
DROP ROLE IF EXISTS pgrst_authenticator, pgrst_anon, pgrst_web, pgrst_partner, pgrst_shop, pgrst_mall;
