-- pg_ords 0.1.0 → 0.2.0. Hand-written (see README, "Upgrades"):
--   * JWT access tokens: per-schema token format, signing keys, ords.jwks();
--   * the PostgREST glue: pre-request, pre-config, token RPC;
--   * ords.authorize returns one ords.decision value instead of a set (same columns);
--   * deleting expired or unknown tokens no longer empties every backend's caches; the
--     invalidation triggers fire under logical replication too;
--   * functions that take secrets do not log bind parameters of a failing call either;
--   * ords.current_client_id/_name are PARALLEL RESTRICTED.
\echo Use "ALTER EXTENSION pg_ords UPDATE TO '0.2.0'" to load this file. \quit

-- New Rust functions.
CREATE  FUNCTION ords_metadata."ensure_signing_keys"() RETURNS void
STRICT VOLATILE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'ensure_signing_keys_wrapper';

CREATE  FUNCTION ords_metadata."hs256_jwks"() RETURNS jsonb /* pgrx :: JsonB */
STRICT STABLE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'hs256_jwks_wrapper';

CREATE  FUNCTION ords."jwks"() RETURNS jsonb /* pgrx :: JsonB */
STRICT STABLE SECURITY DEFINER
SET search_path TO pg_catalog, pg_temp
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'jwks_wrapper';

CREATE  FUNCTION oauth."token_request"(
	"p_authorization" TEXT, /* Option < & str > */
	"p_grant_type" TEXT, /* Option < & str > */
	"p_client_id" TEXT, /* Option < & str > */
	"p_client_secret" TEXT, /* Option < & str > */
	"p_schema_alias" TEXT /* Option < & str > */
) RETURNS TABLE (
	"status" INT,  /* i32 */
	"headers" jsonb,  /* pgrx :: JsonB */
	"body" jsonb  /* pgrx :: JsonB */
)
VOLATILE SECURITY DEFINER
SET search_path TO pg_catalog, pg_temp
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'token_request_wrapper';

-- ords.authorize: one ords.decision value.
DROP FUNCTION ords.authorize(text, text, text, text);
CREATE TYPE ords.decision AS (
    outcome          text,     -- public | allowed | unauthorized | forbidden
    http_status      integer,  -- 200 | 200 | 401 | 403
    client_id        text,     -- the token's client (NULL for HTTP Basic users and refusals)
    client_name      text,     -- the client's name, or the HTTP Basic user
    privilege_name   text,     -- the privilege that governs the path (NULL: public)
    www_authenticate text      -- the WWW-Authenticate value of a 401/403
);
CREATE FUNCTION ords.authorize(p_token text, p_method text, p_path text, p_schema_alias text)
RETURNS ords.decision LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'ords_authorize';

-- ---------------------------------------------------------------- sql/jwt.sql (new in 0.2.0)
-- JWT access tokens (for PostgREST, which decodes every Bearer token as a JWT itself).
--
-- Signing keys live here, made at first use; ords.jwks() publishes the public ones; the HS256
-- secret is for administrators only. A schema chooses its token format with
-- ords.set_token_format (NULL: the setting pg_ords.token_format, default 'opaque').

CREATE TABLE ords_metadata.sec_keys (
    kid          text PRIMARY KEY,
    alg          text NOT NULL CHECK (alg IN ('HS256', 'ES256', 'EdDSA')),
    private_key  bytea NOT NULL,
    created_on   timestamptz NOT NULL DEFAULT now(),
    retired_on   timestamptz            -- NULL: the current key of its algorithm
);
CREATE UNIQUE INDEX sec_keys_one_current_per_alg ON ords_metadata.sec_keys (alg) WHERE retired_on IS NULL;
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.sec_keys', '');

ALTER TABLE ords_metadata.ords_schemas
    ADD COLUMN token_format text CHECK (token_format IN ('opaque', 'jwt')),
    ADD COLUMN jwt_role text;
ALTER TABLE ords_metadata.oauth_clients ADD COLUMN jwt_role text;

REVOKE ALL ON ords_metadata.sec_keys FROM PUBLIC;

CREATE FUNCTION ords_metadata.check_token_format(p_format text)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_format IS NOT NULL AND p_format NOT IN ('opaque', 'jwt') THEN
        RAISE EXCEPTION 'p_token_format must be ''opaque'', ''jwt'' or NULL (the setting pg_ords.token_format), not "%"', p_format
            USING ERRCODE = '22023';
    END IF;
    RETURN p_format;
END
$$;

CREATE FUNCTION ords_metadata.check_jwt_role(p_role text)
RETURNS text LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_super boolean;
BEGIN
    IF p_role IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT rolsuper INTO v_super FROM pg_catalog.pg_roles WHERE rolname = p_role;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'role "%" does not exist', p_role
            USING ERRCODE = '42704', HINT = 'p_jwt_role names the Postgres role PostgREST switches to for this token (it must be granted to the authenticator).';
    END IF;
    -- A schema may only hand out a role its own role could switch to, and never a superuser.
    IF v_super OR NOT (coalesce(ords_metadata.is_admin(), false)
                       OR pg_catalog.pg_has_role(ords_metadata.invoker(), p_role, 'MEMBER')) THEN
        RAISE EXCEPTION 'permission denied to use role "%" as the JWT role', p_role
            USING ERRCODE = '42501', HINT = 'The JWT role must be a non-superuser role the schema role is a member of (or the schema role itself).';
    END IF;
    RETURN p_role;
END
$$;

-- Token format and PostgREST role of the caller's own schema.
CREATE FUNCTION ords.set_token_format(p_token_format text, p_jwt_role text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ UPDATE ords_metadata.ords_schemas
         SET token_format = ords_metadata.check_token_format(p_token_format),
             jwt_role = ords_metadata.check_jwt_role(p_jwt_role), updated_by = ords_metadata.invoker(), updated_on = now()
       WHERE id = ords_metadata.my_schema_id() $$;

CREATE FUNCTION ords_admin.set_token_format(p_schema text, p_token_format text, p_jwt_role text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.admin_schema_id(p_schema, 'ords_admin.set_token_format');
BEGIN
    UPDATE ords_metadata.ords_schemas
       SET token_format = ords_metadata.check_token_format(p_token_format),
           jwt_role = ords_metadata.check_jwt_role(p_jwt_role), updated_by = ords_metadata.invoker(), updated_on = now()
     WHERE id = v_id;
END
$$;

-- The Postgres role PostgREST switches to for one client's JWTs (NULL: the schema's).
CREATE FUNCTION oauth.set_client_jwt_role(p_name text, p_jwt_role text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.client_id_of(ords_metadata.my_schema_id(), p_name);
BEGIN
    UPDATE ords_metadata.oauth_clients
       SET jwt_role = ords_metadata.check_jwt_role(p_jwt_role), updated_by = ords_metadata.invoker(), updated_on = now()
     WHERE id = v_id;
END
$$;

-- Rotate the signing keys: new current keys for every algorithm; the old ones stay in
-- ords.jwks() until every token they signed has expired; PostgREST is told to reload.
CREATE FUNCTION ords_admin.rotate_signing_keys()
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.require_admin('ords_admin.rotate_signing_keys');
    UPDATE ords_metadata.sec_keys SET retired_on = now() WHERE retired_on IS NULL;
    PERFORM ords_metadata.ensure_signing_keys();
    PERFORM pg_catalog.pg_notify('pgrst', 'reload config');
END
$$;

-- The HS256 secret, for administrators who configure PostgREST with a plain jwt-secret.
CREATE FUNCTION ords_admin.jwt_hs256_secret()
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
BEGIN
    PERFORM ords_metadata.require_admin('ords_admin.jwt_hs256_secret');
    PERFORM ords_metadata.ensure_signing_keys();
    RETURN (SELECT pg_catalog.convert_from(private_key, 'UTF8') FROM ords_metadata.sec_keys WHERE alg = 'HS256' AND retired_on IS NULL);
END
$$;

-- ---------------------------------------------------------- sql/postgrest.sql (new in 0.2.0)
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

-- -------------------------------------------------------------- changes in sql/triggers.sql
CREATE TRIGGER invalidate_caches AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ords_metadata.sec_keys
    FOR EACH STATEMENT EXECUTE FUNCTION ords_metadata.on_catalog_change();
DROP TRIGGER invalidate_caches ON ords_metadata.oauth_sessions;
CREATE TRIGGER invalidate_caches AFTER UPDATE OR TRUNCATE ON ords_metadata.oauth_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION ords_metadata.on_catalog_change();
CREATE FUNCTION ords_metadata.on_sessions_delete() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT FROM gone WHERE expires_on >= now()) THEN
        PERFORM ords_metadata.invalidate_caches();
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER invalidate_caches_on_delete AFTER DELETE ON ords_metadata.oauth_sessions
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION ords_metadata.on_sessions_delete();
-- Invalidation also when rows arrive by logical replication or with
-- session_replication_role = replica.
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT tgrelid::regclass AS rel, tgname FROM pg_catalog.pg_trigger
              WHERE tgname IN ('invalidate_caches', 'invalidate_caches_on_delete') AND NOT tgisinternal LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', r.rel, r.tgname);
    END LOOP;
END
$$;

ALTER FUNCTION oauth.issue_token(text, text, text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.token_endpoint(text, text, text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.token_request(text, text, text, text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.validate_token(text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.revoke_token(text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION oauth.update_client_secret(text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_security.register_client_secret(text, text, boolean, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_security.revoke_client_secret(text, text, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_security.register_client(text, text, text, text, text, text, text, text, text, integer, integer, integer, boolean)
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ords_metadata FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ords_metadata.invoker() TO PUBLIC;

-- The current client lives in the backend, not in parallel workers.
ALTER FUNCTION ords.current_client_id() PARALLEL RESTRICTED;
ALTER FUNCTION ords.current_client_name() PARALLEL RESTRICTED;

-- Every backend's pg_ords caches start again from the updated catalog.
SELECT ords_metadata.invalidate_caches();
