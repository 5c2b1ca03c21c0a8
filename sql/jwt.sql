-- JWT access tokens (for PostgREST, which decodes every Bearer token as a JWT itself).
--
-- The signing keys live in ords_metadata.sec_keys (sql/catalog.sql); ords.jwks() publishes the
-- public ones; ords.postgrest_pre_config() hands PostgREST its jwt-secret. A schema chooses its
-- token format with ords.set_token_format (NULL: the setting pg_ords.token_format, default
-- 'opaque'); docs/postgrest.md.

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
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE ords_metadata.ords_schemas
       SET token_format = ords_metadata.check_token_format(p_token_format),
           jwt_role = ords_metadata.check_jwt_role(p_jwt_role), updated_by = ords_metadata.invoker(), updated_on = now()
     WHERE id = ords_metadata.my_schema_id();
    -- JWTs need signing keys, published before the first token: made at install, remade here
    -- if an administrator deleted them (with NOTIFY pgrst, 'reload config').
    IF p_token_format = 'jwt' THEN
        PERFORM ords_metadata.ensure_signing_keys();
    END IF;
END
$$;

CREATE FUNCTION ords_admin.set_token_format(p_schema text, p_token_format text, p_jwt_role text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.admin_schema_id(p_schema, 'ords_admin.set_token_format');
BEGIN
    UPDATE ords_metadata.ords_schemas
       SET token_format = ords_metadata.check_token_format(p_token_format),
           jwt_role = ords_metadata.check_jwt_role(p_jwt_role), updated_by = ords_metadata.invoker(), updated_on = now()
     WHERE id = v_id;
    IF p_token_format = 'jwt' THEN
        PERFORM ords_metadata.ensure_signing_keys();
    END IF;
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
