-- ORDS_TYPES and ORDS_CONSTANTS (ORDS 24.3+): the client key, secret and credentials records of
-- ORDS_SECURITY's p_client_key overloads, and the internal helpers that resolve a key and add a
-- secret given as a record (docs/clients.md).
--
-- PL/SQL constants become functions: ORDS's `ords_constants.oauth_client_secret_skip` is written
-- `ords_constants.oauth_client_secret_skip()` here (docs/clients.md#constants).

CREATE SCHEMA IF NOT EXISTS ords_types;
CREATE SCHEMA IF NOT EXISTS ords_constants;
GRANT USAGE ON SCHEMA ords_types, ords_constants TO PUBLIC;

-- A client key: at least one of the three is set; every field set must match the same client
-- of the caller's schema (docs/clients.md#client-key). id is user_ords_clients.id, not client_id.
CREATE TYPE ords_types.t_client_key AS (id bigint, name text, client_id text);

-- A client secret: the value (NULL: generate one), when it was issued (set by pg_ords only),
-- whether ORDS should keep it retrievable, and its slot (1 or 2; 3 = both in a revoke filter;
-- 0 = no secret, ords_constants.oauth_client_secret_skip()).
CREATE TYPE ords_types.t_client_secret AS (secret text, issued_on timestamptz, stored boolean, slot integer);

-- What register_client, rotate_client_secret and revoke_client_secrets return.
CREATE TYPE ords_types.t_client_credentials AS (client_key ords_types.t_client_key, client_secret ords_types.t_client_secret);

GRANT USAGE ON TYPE ords_types.t_client_key, ords_types.t_client_secret, ords_types.t_client_credentials TO PUBLIC;

-- ORDS_TYPES.OAUTH_CLIENT_KEY: 22023 unless at least one field is given.
CREATE FUNCTION ords_types.oauth_client_key(p_id bigint DEFAULT NULL, p_name text DEFAULT NULL, p_client_id text DEFAULT NULL)
RETURNS ords_types.t_client_key LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_id IS NULL AND p_name IS NULL AND p_client_id IS NULL THEN
        RAISE EXCEPTION 'a client key needs at least one of p_id, p_name, p_client_id'
            USING ERRCODE = '22023', HINT = 'For example ords_types.oauth_client_key(p_name => ''my_client''); user_ords_clients lists id, name and client_id.';
    END IF;
    RETURN ROW(p_id, p_name, p_client_id)::ords_types.t_client_key;
END
$$;

-- ORDS_TYPES.OAUTH_CLIENT_SECRET: no p_secret asks for a generated secret when the record is
-- used; p_secret is checked here (16 to 1024 printable characters) and never shown in a message.
-- SECURITY DEFINER only so that it may carry the logging settings below (it reads nothing).
CREATE FUNCTION ords_types.oauth_client_secret(p_secret text DEFAULT NULL, p_stored boolean DEFAULT false)
RETURNS ords_types.t_client_secret LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
BEGIN
    IF p_secret IS NOT NULL THEN
        PERFORM ords_metadata.check_secret(p_secret, 'p_secret');
    END IF;
    RETURN ROW(p_secret, NULL, coalesce(p_stored, false), NULL)::ords_types.t_client_secret;
END
$$;

-- ORDS_CONSTANTS.OAUTH_CLIENT_SECRET_SKIP: register no secret (slot 0); as a revoke filter it
-- matches nothing.
CREATE FUNCTION ords_constants.oauth_client_secret_skip()
RETURNS ords_types.t_client_secret LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT ROW(NULL, NULL, NULL, 0)::ords_types.t_client_secret $$;

-- ORDS_CONSTANTS.OAUTH_CLIENT_SECRET_DEFAULT: every field NULL. To register_client: generate a
-- secret; as revoke_client_secrets' filter: the older secret.
CREATE FUNCTION ords_constants.oauth_client_secret_default()
RETURNS ords_types.t_client_secret LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT ROW(NULL, NULL, NULL, NULL)::ords_types.t_client_secret $$;

GRANT EXECUTE ON FUNCTION ords_types.oauth_client_key(bigint, text, text), ords_types.oauth_client_secret(text, boolean),
      ords_constants.oauth_client_secret_skip(), ords_constants.oauth_client_secret_default() TO PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- Internal helpers (ords_metadata: not for PUBLIC)
-- ---------------------------------------------------------------------------------------------

-- The client a key names in one schema, locked for the rest of the transaction. Only the
-- schema's own clients are searched: a key naming another schema's client (its id, name or
-- client_id) is "does not exist", exactly like a key naming no client (docs/clients.md#client-key).
-- p_missing_ok: NULL instead of 42704 (the delete calls, docs/clients.md#missing).
CREATE FUNCTION ords_metadata.client_key_id(p_schema_id bigint, p_key ords_types.t_client_key,
                                            p_missing_ok boolean DEFAULT false, p_param text DEFAULT 'p_client_key')
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint; v_n integer;
BEGIN
    IF p_key IS NULL OR (p_key.id IS NULL AND p_key.name IS NULL AND p_key.client_id IS NULL) THEN
        RAISE EXCEPTION '% must name a client by id, name or client_id', p_param
            USING ERRCODE = '22023', HINT = 'Build it with ords_types.oauth_client_key(p_id => ... | p_name => ... | p_client_id => ...).';
    END IF;
    SELECT c.id INTO v_id FROM ords_metadata.oauth_clients c
     WHERE c.schema_id = p_schema_id
       AND (p_key.id IS NULL OR c.id = p_key.id)
       AND (p_key.name IS NULL OR c.name = p_key.name)
       AND (p_key.client_id IS NULL OR c.client_id = p_key.client_id)
       FOR UPDATE;
    IF v_id IS NULL AND NOT coalesce(p_missing_ok, false) THEN
        RAISE EXCEPTION 'no OAuth client of schema "%" matches % (%)', ords_metadata.schema_name(p_schema_id), p_param,
              concat_ws(', ', 'id ' || p_key.id, 'name "' || p_key.name || '"', 'client_id "' || p_key.client_id || '"')
            USING ERRCODE = '42704', HINT = 'Every field set must match one client of your schema; user_ords_clients lists id, name and client_id.';
    END IF;
    RETURN v_id;
END
$$;

-- The name of the client a key names (then the name-based implementation in sql/core.sql runs;
-- the row stays locked, so the name cannot change in between).
CREATE FUNCTION ords_metadata.client_key_name(p_schema_id bigint, p_key ords_types.t_client_key, p_param text DEFAULT 'p_client_key')
RETURNS text LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$ SELECT c.name FROM ords_metadata.oauth_clients c WHERE c.id = ords_metadata.client_key_id(p_schema_id, p_key, false, p_param) $$;

CREATE FUNCTION ords_metadata.client_key_of(p_client bigint)
RETURNS ords_types.t_client_key LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT ROW(c.id, c.name, c.client_id)::ords_types.t_client_key FROM ords_metadata.oauth_clients c WHERE c.id = p_client $$;

-- Legacy OAUTH stores its secrets (ORDS before 24.3 kept every OAUTH secret retrievable):
-- when pg_ords.legacy_stored_secrets and pg_ords.stored_secrets are both on, a secret made by
-- OAUTH/OAUTH_ADMIN's create_client, rotate_client_secret or update_client_secret gets an
-- encrypted copy (docs/secrets.md#stored). Returns the secret unchanged.
CREATE FUNCTION ords_metadata.legacy_keep(p_client bigint, p_secret text)
RETURNS text LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
BEGIN
    IF p_secret IS NOT NULL AND ords_metadata.legacy_stored_secrets() AND ords_metadata.stored_secrets_enabled() THEN
        PERFORM ords_metadata.client_store_secret(p_client, p_secret);
    END IF;
    RETURN p_secret;
END
$$;

-- Add a secret given as a record: its value (NULL: generated), slot (NULL: the free one, else the
-- older; 1 or 2: that one) and stored flag. THE one place where a secret to be kept retrievable
-- is handed to ords_metadata.client_store_secret (docs/clients.md#stored). Returns the secret
-- record with its value, issue time and slot (the value is shown to the caller once).
CREATE FUNCTION ords_metadata.client_secret_add(p_client bigint, p_secret ords_types.t_client_secret,
                                                p_revoke_existing boolean, p_revoke_sessions boolean)
RETURNS ords_types.t_client_secret LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE
    v_slot integer := p_secret.slot;
    v_stored boolean := coalesce(p_secret.stored, false);
    v_plain text;
    v_row record;
BEGIN
    IF p_secret.issued_on IS NOT NULL THEN
        RAISE EXCEPTION 'the issued_on of a client secret is set by pg_ords, not by the caller'
            USING ERRCODE = '22023', HINT = 'Build the secret with ords_types.oauth_client_secret(p_secret => ..., p_stored => ...).';
    END IF;
    IF v_slot IS NOT NULL AND v_slot NOT IN (1, 2) THEN
        RAISE EXCEPTION 'the slot of a new client secret must be 1, 2 or NULL, not %', v_slot USING ERRCODE = '22023';
    END IF;
    IF p_secret.secret IS NOT NULL THEN
        PERFORM ords_metadata.check_secret(p_secret.secret, 'p_client_secret');
    END IF;
    IF v_slot IS NOT NULL THEN
        DELETE FROM ords_metadata.oauth_client_secrets WHERE client_id = p_client AND slot = v_slot;
    END IF;
    v_plain := ords_metadata.client_add_secret(p_client, p_secret.secret, p_revoke_existing, p_revoke_sessions);
    SELECT s.slot, s.issued_on INTO v_row FROM ords_metadata.oauth_client_secrets s
     WHERE s.client_id = p_client ORDER BY s.issued_on DESC, s.slot DESC LIMIT 1;
    IF v_slot IS NOT NULL AND v_row.slot <> v_slot THEN
        UPDATE ords_metadata.oauth_client_secrets SET slot = v_slot WHERE client_id = p_client AND slot = v_row.slot;
    END IF;
    IF v_stored THEN
        PERFORM ords_metadata.client_store_secret(p_client, v_plain);
    END IF;
    RETURN ROW(v_plain, v_row.issued_on, v_stored, coalesce(v_slot, v_row.slot))::ords_types.t_client_secret;
END
$$;

-- ORDS_SECURITY.REGISTER_CLIENT's function form: create the client, then add the secret the
-- record asks for (slot 0, ords_constants.oauth_client_secret_skip(): none).
CREATE FUNCTION ords_metadata.client_register(
    p_schema_id bigint, p_name text, p_grant_type text, p_description text, p_client_secret ords_types.t_client_secret,
    p_privilege_names text, p_origins_allowed text, p_redirect_uri text, p_support_email text, p_support_uri text,
    p_token_duration integer, p_refresh_duration integer, p_code_duration integer)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_id bigint; v_secret ords_types.t_client_secret;
BEGIN
    SELECT c.id INTO v_id FROM ords_metadata.client_create(p_schema_id, p_name, p_grant_type, NULL, p_description,
          p_origins_allowed, p_redirect_uri, p_support_email, p_support_uri, p_privilege_names,
          p_token_duration, p_refresh_duration, p_code_duration, NULL, 'skip', NULL) AS c;
    IF p_client_secret.slot IS DISTINCT FROM 0 THEN
        v_secret := ords_metadata.client_secret_add(v_id, p_client_secret, false, false);
    END IF;
    RETURN ROW(ords_metadata.client_key_of(v_id), v_secret)::ords_types.t_client_credentials;
END
$$;

-- ORDS_SECURITY.REVOKE_CLIENT_SECRETS(p_client_key, p_filter). A NULL filter (every field NULL,
-- ords_constants.oauth_client_secret_default()) revokes the older secret. Otherwise each field
-- set selects secrets on its own and the union is revoked: secret = the slot holding that value,
-- slot = that slot (3: both, 0: none), issued_on = the secret issued then, stored = true the
-- retrievable ones; stored = false counts only when it is the only field set (then: every
-- secret that is not retrievable). Returns the slot revoked: 1, 2, 3 (both) or NULL (none).
CREATE FUNCTION ords_metadata.client_revoke_filter(p_client bigint, p_filter ords_types.t_client_secret, p_revoke_sessions boolean)
RETURNS integer LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_slots smallint[]; v_only_stored boolean;
BEGIN
    IF p_filter.slot IS NOT NULL AND p_filter.slot NOT IN (0, 1, 2, 3) THEN
        RAISE EXCEPTION 'p_filter.slot must be 1, 2, 3 (both), 0 (none) or NULL, not %', p_filter.slot USING ERRCODE = '22023';
    END IF;
    v_only_stored := p_filter.secret IS NULL AND p_filter.issued_on IS NULL AND p_filter.slot IS NULL;
    IF p_filter IS NULL THEN
        SELECT ARRAY[s.slot] INTO v_slots FROM ords_metadata.oauth_client_secrets s
         WHERE s.client_id = p_client ORDER BY s.issued_on, s.slot LIMIT 1;
    ELSE
        -- stored = true: the secrets with a stored copy (docs/secrets.md#stored); stored = false
        -- alone: those without one.
        SELECT array_agg(s.slot ORDER BY s.slot) INTO v_slots FROM ords_metadata.oauth_client_secrets s
         WHERE s.client_id = p_client
           AND (p_filter.slot = 3 OR s.slot = p_filter.slot
                OR s.issued_on = p_filter.issued_on
                OR (p_filter.stored IS TRUE AND s.stored_secret IS NOT NULL)
                OR (v_only_stored AND p_filter.stored IS FALSE AND s.stored_secret IS NULL)
                OR (p_filter.secret IS NOT NULL AND ords_metadata.verify_secret(p_filter.secret, s.secret_hash)));
    END IF;
    IF v_slots IS NULL OR cardinality(v_slots) = 0 THEN
        RETURN NULL;
    END IF;
    DELETE FROM ords_metadata.oauth_client_secrets WHERE client_id = p_client AND slot = ANY (v_slots);
    IF coalesce(p_revoke_sessions, false) THEN
        DELETE FROM ords_metadata.oauth_sessions WHERE client_id = p_client;
    END IF;
    RETURN CASE WHEN cardinality(v_slots) = 2 THEN 3 ELSE v_slots[1] END;
END
$$;

-- The ≤23.1 spelling p_allowed_origins and the 23.2+ p_origins_allowed name one value: either
-- may be given, or both when equal (docs/clients.md#allowed-origins).
CREATE FUNCTION ords_metadata.origins_arg(p_origins_allowed text, p_allowed_origins text)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_origins_allowed IS NOT NULL AND p_allowed_origins IS NOT NULL AND p_origins_allowed <> p_allowed_origins THEN
        RAISE EXCEPTION 'p_origins_allowed and p_allowed_origins differ'
            USING ERRCODE = '22023', HINT = 'They are two spellings of one parameter (p_allowed_origins up to ORDS 23.1): pass one of them.';
    END IF;
    RETURN coalesce(p_origins_allowed, p_allowed_origins);
END
$$;

-- p_token_endpoint_auth_method (OAUTH.CREATE_CLIENT, ORDS 26.3): pg_ords's token endpoint
-- accepts every client's secret both ways, so client_secret_basic and client_secret_post are
-- accepted (and not stored); the methods it cannot do are refused (docs/clients.md#auth-method).
CREATE FUNCTION ords_metadata.check_auth_method(p_method text)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_method IS NOT NULL AND lower(p_method) NOT IN ('client_secret_basic', 'client_secret_post') THEN
        RAISE EXCEPTION 'p_token_endpoint_auth_method "%" is not supported', p_method
            USING ERRCODE = '0A000', HINT = 'pg_ords''s token endpoint authenticates clients by secret, in the Authorization header (client_secret_basic) or the body (client_secret_post); pass one of those or NULL.';
    END IF;
    RETURN p_method;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The p_client_key forms (ORDS_SECURITY and ORDS_SECURITY_ADMIN call these with the schema they
-- resolved). Each resolves the key in that schema only (client_key_id), then runs the name-based
-- implementation of sql/core.sql.
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION ords_metadata.client_key_register_secret(p_schema_id bigint, p_key ords_types.t_client_key,
                                                         p_secret ords_types.t_client_secret,
                                                         p_revoke_existing boolean, p_revoke_sessions boolean)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_id bigint := ords_metadata.client_key_id(p_schema_id, p_key); v_secret ords_types.t_client_secret;
BEGIN
    IF p_secret.slot = 0 THEN   -- ords_constants.oauth_client_secret_skip(): nothing to register
        RETURN ROW(ords_metadata.client_key_of(v_id), NULL)::ords_types.t_client_credentials;
    END IF;
    v_secret := ords_metadata.client_secret_add(v_id, p_secret, p_revoke_existing, p_revoke_sessions);
    RETURN ROW(ords_metadata.client_key_of(v_id), v_secret)::ords_types.t_client_credentials;
END
$$;

CREATE FUNCTION ords_metadata.client_key_update(p_schema_id bigint, p_key ords_types.t_client_key, p_new_name text,
                                                p_description text, p_privilege_names text, p_origins_allowed text,
                                                p_redirect_uri text, p_support_email text, p_support_uri text,
                                                p_token_duration integer, p_refresh_duration integer, p_code_duration integer)
RETURNS ords_types.t_client_key LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.client_key_id(p_schema_id, p_key);
BEGIN
    PERFORM ords_metadata.client_update(p_schema_id, (SELECT c.name FROM ords_metadata.oauth_clients c WHERE c.id = v_id),
          p_new_name, p_description, p_origins_allowed, p_redirect_uri, p_support_email, p_support_uri, p_privilege_names,
          p_token_duration, p_refresh_duration, p_code_duration);
    RETURN ords_metadata.client_key_of(v_id);
END
$$;

CREATE FUNCTION ords_metadata.client_key_rename(p_schema_id bigint, p_key ords_types.t_client_key, p_new_name text)
RETURNS ords_types.t_client_key LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.client_key_id(p_schema_id, p_key);
BEGIN
    PERFORM ords_metadata.client_rename(p_schema_id, (SELECT c.name FROM ords_metadata.oauth_clients c WHERE c.id = v_id), p_new_name);
    RETURN ords_metadata.client_key_of(v_id);
END
$$;

-- A key naming no client of the schema: a NOTICE (docs/clients.md#missing).
CREATE FUNCTION ords_metadata.client_key_delete(p_schema_id bigint, p_key ords_types.t_client_key)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.client_key_id(p_schema_id, p_key, true);
BEGIN
    IF v_id IS NULL THEN
        RAISE NOTICE 'no OAuth client of schema "%" matches p_client_key: nothing to delete', ords_metadata.schema_name(p_schema_id);
        RETURN;
    END IF;
    -- Cascades to secrets, role grants, requested privileges and issued tokens.
    DELETE FROM ords_metadata.oauth_clients WHERE id = v_id;
END
$$;

CREATE FUNCTION ords_metadata.client_key_revoke_role(p_schema_id bigint, p_key ords_types.t_client_key, p_role_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.client_key_id(p_schema_id, p_key, true);
BEGIN
    IF v_id IS NULL THEN
        PERFORM ords_metadata.check_name(p_role_name, 'p_role_name');
        RAISE NOTICE 'no OAuth client of schema "%" matches p_client_key: nothing to revoke', ords_metadata.schema_name(p_schema_id);
        RETURN;
    END IF;
    PERFORM ords_metadata.client_revoke_role(p_schema_id, (SELECT c.name FROM ords_metadata.oauth_clients c WHERE c.id = v_id), p_role_name);
END
$$;

CREATE FUNCTION ords_metadata.client_key_revoke_secrets(p_schema_id bigint, p_key ords_types.t_client_key,
                                                        p_filter ords_types.t_client_secret, p_revoke_sessions boolean)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_id bigint := ords_metadata.client_key_id(p_schema_id, p_key); v_slot integer;
BEGIN
    v_slot := ords_metadata.client_revoke_filter(v_id, p_filter, p_revoke_sessions);
    RETURN ROW(ords_metadata.client_key_of(v_id), ROW(NULL, NULL, NULL, v_slot)::ords_types.t_client_secret)::ords_types.t_client_credentials;
END
$$;

-- ORDS_SECURITY.UPDATE_CLIENT_LOGO: pg_ords has no approval page to show a logo on, so the logo
-- is not stored; the client must exist (42704) and the call says so (docs/clients.md#update-client).
CREATE FUNCTION ords_metadata.client_logo(p_schema_id bigint, p_client bigint, p_content_type text, p_logo bytea)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.check_text(p_content_type, 'p_content_type', 255);
    RAISE NOTICE 'the logo of OAuth client "%" is not stored: pg_ords shows no approval page',
        (SELECT c.name FROM ords_metadata.oauth_clients c WHERE c.id = p_client);
END
$$;
