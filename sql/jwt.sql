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
