-- PostgREST glue. PostgREST decodes every "Authorization: Bearer" header as a JWT before any
-- SQL runs, so schemas served through PostgREST use JWT access tokens
-- (ords.set_token_format('jwt')); pg_ords then enforces privileges and revocation in the
-- db-pre-request function, from the token itself: request.jwt.claims is an ordinary setting any
-- session can SET, and is never trusted.
--
-- PostgREST configuration (docs/postgrest.md):
--   db-pre-config  = "ords.postgrest_pre_config"
--   db-pre-request = "ords.postgrest_pre_request"
--   app.settings.ords_schema_alias = "<the schema alias>"

-- db-pre-request: read-only (GET and HEAD run in read-only transactions).
--
-- PostgREST verifies only the FIRST Authorization header (signature and time claims), switches
-- to its role claim and puts its claims in request.jwt.claims; request.headers keeps the LAST
-- header of a name. So the decision is bound to the token PostgREST verified
-- (docs/postgrest.md, "What the pre-request checks"):
--   * request.jwt.claims holds a JWT's claims (anything besides "role"): the Authorization header
--     in request.headers must be that very token (same jti), a live pg_ords JWT of this alias,
--     and current_user must be the role it maps to now; anything else is 401;
--   * no JWT verified: the request runs as the anonymous role, and the decision may use no
--     token (only no credentials, or HTTP Basic when pg_ords.basic_auth is on); a Bearer or bare
--     token that PostgREST did not verify is 401.
-- Then ords.authorize decides (public / allowed / 401 / 403).
CREATE FUNCTION ords.postgrest_pre_request()
RETURNS void LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_alias    text := nullif(current_setting('app.settings.ords_schema_alias', true), '');
    v_method   text := coalesce(nullif(current_setting('request.method', true), ''), 'GET');
    v_path     text := coalesce(nullif(current_setting('request.path', true), ''), '/');
    v_headers  jsonb := coalesce(nullif(current_setting('request.headers', true), ''), '{}')::jsonb;
    v_claims   jsonb := coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb;
    v_auth     text := v_headers->>'authorization';
    v_verified boolean;
    v_bound    boolean := true;
    b record;
    d record;
BEGIN
    IF v_alias IS NULL THEN
        RAISE SQLSTATE 'PGRST' USING
            MESSAGE = json_build_object('code', 'ORDS500', 'message', 'pg_ords is not configured',
                                       'hint', 'Set app.settings.ords_schema_alias in the PostgREST configuration.')::text,
            DETAIL = json_build_object('status', 500, 'headers', json_build_object())::text;
    END IF;
    -- Did PostgREST verify a JWT? Then its claims are more than the "role" it always adds.
    v_verified := CASE WHEN jsonb_typeof(v_claims) = 'object' THEN (v_claims - 'role') <> '{}'::jsonb ELSE true END;
    IF v_verified THEN
        SELECT * INTO b FROM ords.postgrest_token_binding(v_auth);
        v_bound := coalesce(FOUND AND b.jti = (v_claims->>'jti') AND b.schema_alias = v_alias AND b.jwt_role = current_user::text, false);
    ELSIF v_auth IS NOT NULL AND btrim(v_auth, E' \t') <> '' AND v_auth !~* '^[ \t]*basic[ \t]' THEN
        v_bound := false;
    END IF;
    IF v_bound THEN
        SELECT * INTO d FROM ords.authorize(v_auth, v_method, v_path, v_alias);
    ELSE
        SELECT 'unauthorized' AS outcome, 401 AS http_status, NULL::text AS privilege_name,
               'Bearer error="invalid_token"' || CASE WHEN current_setting('pg_ords.basic_auth', true) = 'on'
                                                      THEN ', Basic realm="' || v_alias || '"' ELSE '' END AS www_authenticate INTO d;
    END IF;
    IF d.outcome IN ('unauthorized', 'forbidden') THEN
        RAISE SQLSTATE 'PGRST' USING
            MESSAGE = json_build_object('code', 'ORDS' || d.http_status,
                                        'message', CASE d.outcome WHEN 'unauthorized' THEN 'Unauthorized' ELSE 'Forbidden' END,
                                        'details', CASE WHEN d.outcome = 'forbidden' AND d.privilege_name IS NOT NULL
                                                        THEN 'protected by privilege ' || d.privilege_name END)::text,
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
    -- The keys exist from CREATE EXTENSION on (and ords.set_token_format('jwt') remakes missing
    -- ones). PostgREST runs this in a READ ONLY transaction, so it only writes when it can.
    IF NOT pg_catalog.pg_is_in_recovery() AND NOT current_setting('transaction_read_only')::boolean THEN
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
-- one-line wrapper, docs/postgrest.md). Every RFC 6749 form field is an argument with a default, so
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

-- The signing keys exist from the install on, so the first db-pre-config (which PostgREST runs
-- in a READ ONLY transaction) already publishes them. A restore (pg_restore, pg_dump | psql)
-- brings the dumped keys next to the ones made here: ords_metadata.sec_keys_one_current keeps
-- one current key per algorithm (see sql/jwt.sql).
SELECT ords_metadata.ensure_signing_keys();
