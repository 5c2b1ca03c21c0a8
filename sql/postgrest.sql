-- PostgREST glue. PostgREST decodes every "Authorization: Bearer" header as a JWT before any
-- SQL runs, so schemas served through PostgREST use JWT access tokens
-- (ords.set_token_format('jwt')); pg_ords then enforces privileges and revocation in the
-- db-pre-request function, from the token itself: request.jwt.claims is an ordinary setting any
-- session can SET, and is never trusted.
--
-- PostgREST configuration (see README, "PostgREST"):
--   db-pre-config  = "ords.postgrest_pre_config"
--   db-pre-request = "ords.postgrest_pre_request"
--   app.settings.ords_schema_alias = "<the schema alias>"

-- db-pre-request: read-only (GET and HEAD run in read-only transactions).
CREATE FUNCTION ords.postgrest_pre_request()
RETURNS void LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_alias   text := nullif(current_setting('app.settings.ords_schema_alias', true), '');
    v_method  text := coalesce(nullif(current_setting('request.method', true), ''), 'GET');
    v_path    text := coalesce(nullif(current_setting('request.path', true), ''), '/');
    v_headers jsonb := coalesce(nullif(current_setting('request.headers', true), ''), '{}')::jsonb;
    d record;
BEGIN
    IF v_alias IS NULL THEN
        RAISE SQLSTATE 'PGRST' USING
            MESSAGE = json_build_object('code', 'ORDS500', 'message', 'pg_ords is not configured',
                                       'hint', 'Set app.settings.ords_schema_alias in the PostgREST configuration.')::text,
            DETAIL = json_build_object('status', 500, 'headers', json_build_object())::text;
    END IF;
    SELECT * INTO d FROM ords.authorize(v_headers->>'authorization', v_method, v_path, v_alias);
    -- PostgREST has already switched to the token's role claim, checking only signature and
    -- exp. So on a public path a revoked, deleted or foreign token must be refused too, or it
    -- would keep acting as its role until it expires.
    IF d.outcome = 'public' AND (v_headers->>'authorization') ~* '^\s*bearer\s'
       AND NOT EXISTS (SELECT FROM oauth.validate_token(v_headers->>'authorization') v WHERE v.schema_alias = v_alias) THEN
        d.outcome := 'unauthorized';
        d.http_status := 401;
        d.www_authenticate := 'Bearer error="invalid_token"';
    END IF;
    IF d.outcome IN ('unauthorized', 'forbidden') THEN
        RAISE SQLSTATE 'PGRST' USING
            MESSAGE = json_build_object('code', 'ORDS' || d.http_status,
                                        'message', CASE d.outcome WHEN 'unauthorized' THEN 'Unauthorized' ELSE 'Forbidden' END,
                                        'details', CASE WHEN d.privilege_name IS NOT NULL THEN 'protected by privilege ' || d.privilege_name END)::text,
            DETAIL = json_build_object('status', d.http_status,
                                       'headers', CASE WHEN d.www_authenticate IS NULL THEN json_build_object()
                                                       ELSE json_build_object('WWW-Authenticate', d.www_authenticate) END)::text;
    END IF;
END
$$;

-- db-pre-config: publish the signing keys to PostgREST (pgrst.jwt_secret), so no secret is
-- ever copied by hand. The asymmetric public keys by default (setting pg_ords.jwt_algorithm);
-- with HS256 the secret keys, as oct JWKs. ords_admin.rotate_signing_keys() sends NOTIFY pgrst.
CREATE FUNCTION ords.postgrest_pre_config()
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
BEGIN
    IF NOT pg_catalog.pg_is_in_recovery() THEN
        PERFORM ords_metadata.ensure_signing_keys();
    END IF;
    IF current_setting('pg_ords.jwt_algorithm', true) = 'HS256' THEN
        -- A JWK Set of oct keys with their kids (current and still-published), not the plain
        -- secret: PostgREST v13+ matches the token's kid against the keys' kids.
        PERFORM pg_catalog.set_config('pgrst.jwt_secret', ords_metadata.hs256_jwks()::text, true);
    ELSE
        PERFORM pg_catalog.set_config('pgrst.jwt_secret', ords.jwks()::text, true);
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION ords.postgrest_pre_config() FROM PUBLIC;

-- The token endpoint as an RPC for POST /rpc/token (expose it from your API schema with a
-- one-line wrapper, see README). Every RFC 6749 form field is an argument with a default, so
-- PostgREST's overload resolution accepts any subset of them; HTTP Basic comes from
-- request.headers.
CREATE FUNCTION ords.postgrest_token(grant_type text DEFAULT NULL, scope text DEFAULT NULL, client_id text DEFAULT NULL,
                                     client_secret text DEFAULT NULL, audience text DEFAULT NULL, resource text DEFAULT NULL)
RETURNS json LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE
    v_alias   text := nullif(current_setting('app.settings.ords_schema_alias', true), '');
    v_headers jsonb := coalesce(nullif(current_setting('request.headers', true), ''), '{}')::jsonb;
    r record;
BEGIN
    SELECT * INTO r FROM oauth.token_request(v_headers->>'authorization', grant_type, client_id, client_secret, v_alias);
    PERFORM pg_catalog.set_config('response.status', r.status::text, true);
    PERFORM pg_catalog.set_config('response.headers',
        (SELECT json_agg(json_build_object(k, v))::text FROM jsonb_each_text(r.headers - 'Content-Type') AS h(k, v)), true);
    RETURN r.body::json;
END
$$;
GRANT EXECUTE ON FUNCTION ords.postgrest_token(text, text, text, text, text, text) TO PUBLIC;
