-- pg_ords 0.4.0 -> 0.5.0: the ORDS calls a DBA's scripts use, verbatim (docs/ords-compatibility.md).
-- Each area keeps its own section; the upgrade test compares the result with a fresh install.

-- == REST definitions: ORDS and ORDS_ADMIN (parameters, services, modules, url mappings) ==

-- == end of REST definitions ==


-- == clients: OAUTH, OAUTH_ADMIN, ORDS_SECURITY, ORDS_SECURITY_ADMIN, ORDS_TYPES ==

-- ORDS_TYPES and ORDS_CONSTANTS, and the helpers of the p_client_key forms (sql/types.sql, whole).
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
        -- pg_ords keeps no secret retrievable by itself: every secret here is a hash only, so
        -- stored = true matches none and stored = false (alone) matches all.
        SELECT array_agg(s.slot ORDER BY s.slot) INTO v_slots FROM ords_metadata.oauth_client_secrets s
         WHERE s.client_id = p_client
           AND (p_filter.slot = 3 OR s.slot = p_filter.slot
                OR s.issued_on = p_filter.issued_on
                OR (v_only_stored AND p_filter.stored IS FALSE)
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

-- ORDS's built-in roles and privileges; missing clients, grants and built-in objects are NOTICEs on delete (sql/core.sql).
-- ORDS's built-in roles and privileges, which ORDS scripts name without creating them
-- (docs/clients.md#built-in): a role of these names is created in the caller's schema the first
-- time a grant or a privilege names it; deleting one that was never created is a NOTICE.
CREATE FUNCTION ords_metadata.is_builtin_role(p_name text)
RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(p_name IN ('SQL Developer', 'SODA Developer', 'RESTful Services', 'OAuth2 Client Developer',
                               'Listener Administrator', 'oracle.dbtools.autorest.any.schema')
                    OR p_name LIKE 'oracle.dbtools.role.autorest.%', false)
$$;
CREATE FUNCTION ords_metadata.is_builtin_privilege(p_name text)
RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(p_name = 'oracle.soda.privilege.developer' OR p_name LIKE 'oracle.dbtools.autorest.privilege.%', false)
$$;
-- A role of the schema; an ORDS built-in role name not yet there is created (with a NOTICE).
CREATE FUNCTION ords_metadata.role_id_builtin(p_schema_id bigint, p_role_name text, p_param text DEFAULT 'p_role_name')
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint; v_who text;
BEGIN
    SELECT r.id INTO v_id FROM ords_metadata.sec_roles r WHERE r.schema_id = p_schema_id AND r.name = p_role_name;
    IF v_id IS NULL AND ords_metadata.is_builtin_role(p_role_name) AND char_length(p_role_name) <= 255
       AND p_role_name !~ '[\x01-\x1f\x7f]' THEN
        v_who := ords_metadata.invoker();
        INSERT INTO ords_metadata.sec_roles (schema_id, name, created_by, updated_by)
        VALUES (p_schema_id, p_role_name, v_who, v_who)
        ON CONFLICT (schema_id, name) DO NOTHING
        RETURNING id INTO v_id;
        IF v_id IS NULL THEN
            SELECT r.id INTO v_id FROM ords_metadata.sec_roles r WHERE r.schema_id = p_schema_id AND r.name = p_role_name;
        ELSE
            RAISE NOTICE 'ORDS built-in role "%" created in schema "%"', p_role_name, ords_metadata.schema_name(p_schema_id)
                USING HINT = 'It is an ordinary role of your schema: pg_ords attaches no built-in behaviour to it (docs/clients.md#built-in).';
        END IF;
    END IF;
    RETURN coalesce(v_id, ords_metadata.role_id(p_schema_id, p_role_name, p_param));
END
$$;
-- Resolve a role list to ids; unknown names fail, NULL/blank entries fail.
-- ORDS's built-in role names are created in the schema on first reference (role_id_builtin).
CREATE OR REPLACE FUNCTION ords_metadata.role_ids(p_schema_id bigint, p_roles text[], p_param text)
RETURNS bigint[] LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_ids bigint[] := '{}'; v_name text;
BEGIN
    FOREACH v_name IN ARRAY coalesce(p_roles, '{}') LOOP
        v_ids := v_ids || ords_metadata.role_id_builtin(p_schema_id, v_name, p_param);
    END LOOP;
    RETURN v_ids;
END
$$;
CREATE OR REPLACE FUNCTION ords_metadata.role_delete(p_schema_id bigint, p_role_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint;
BEGIN
    IF ords_metadata.is_builtin_role(p_role_name)
       AND NOT EXISTS (SELECT FROM ords_metadata.sec_roles WHERE schema_id = p_schema_id AND name = p_role_name) THEN
        RAISE NOTICE 'ORDS built-in role "%" is not in schema "%": nothing to delete', p_role_name, ords_metadata.schema_name(p_schema_id);
        RETURN;
    END IF;
    v_id := ords_metadata.role_id(p_schema_id, p_role_name);
    -- Cascades to privilege requirements and client grants; tokens lose the role at once.
    DELETE FROM ords_metadata.sec_roles WHERE id = v_id;
END
$$;
-- On one of ORDS's built-in privileges (is_builtin_privilege) that pg_ords never created, or a
-- pattern it does not map, a NOTICE instead of 42704: ORDS scripts remove ORDS's own mappings,
-- e.g. '/soda/*' (docs/clients.md#built-in).
CREATE OR REPLACE FUNCTION ords_metadata.mapping_delete(p_schema_id bigint, p_privilege_name text, p_pattern text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_priv bigint; v_builtin boolean := ords_metadata.is_builtin_privilege(p_privilege_name);
BEGIN
    IF v_builtin AND NOT EXISTS (SELECT FROM ords_metadata.sec_privileges WHERE schema_id = p_schema_id AND name = p_privilege_name) THEN
        RAISE NOTICE 'ORDS built-in privilege "%" is not in schema "%": no mapping to delete', p_privilege_name, ords_metadata.schema_name(p_schema_id);
        RETURN;
    END IF;
    v_priv := ords_metadata.privilege_id(p_schema_id, p_privilege_name);
    PERFORM ords_metadata.check_name(p_pattern, 'p_pattern', 2048);
    DELETE FROM ords_metadata.sec_privilege_mappings WHERE privilege_id = v_priv AND pattern = p_pattern;
    IF NOT FOUND AND v_builtin THEN
        RAISE NOTICE 'pattern "%" is not mapped to privilege "%": nothing to delete', p_pattern, p_privilege_name;
    ELSIF NOT FOUND THEN
        RAISE EXCEPTION 'pattern "%" is not mapped to privilege "%"', p_pattern, p_privilege_name
            USING ERRCODE = '42704', HINT = 'user_ords_privilege_mappings lists the mapped patterns.';
    END IF;
END
$$;
CREATE OR REPLACE FUNCTION ords_metadata.privilege_delete(p_schema_id bigint, p_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint;
BEGIN
    IF ords_metadata.is_builtin_privilege(p_name)
       AND NOT EXISTS (SELECT FROM ords_metadata.sec_privileges WHERE schema_id = p_schema_id AND name = p_name) THEN
        RAISE NOTICE 'ORDS built-in privilege "%" is not in schema "%": nothing to delete', p_name, ords_metadata.schema_name(p_schema_id);
        RETURN;
    END IF;
    v_id := ords_metadata.privilege_id(p_schema_id, p_name, 'p_name');
    -- Cascades to its role requirements, patterns, module links and client requests.
    DELETE FROM ords_metadata.sec_privileges WHERE id = v_id;
END
$$;
-- A client that does not exist: a NOTICE, not an error, as ORDS does, so a script that deletes
-- then creates a client runs twice (docs/clients.md#missing).
CREATE OR REPLACE FUNCTION ords_metadata.client_delete(p_schema_id bigint, p_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.check_name(p_name, 'p_name');
    -- Cascades to secrets, role grants, requested privileges and issued tokens.
    DELETE FROM ords_metadata.oauth_clients WHERE schema_id = p_schema_id AND name = p_name;
    IF NOT FOUND THEN
        RAISE NOTICE 'OAuth client "%" does not exist in schema "%": nothing to delete', p_name, ords_metadata.schema_name(p_schema_id);
    END IF;
END
$$;
CREATE OR REPLACE FUNCTION ords_metadata.client_grant_role(p_schema_id bigint, p_client_name text, p_role_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_client bigint := ords_metadata.client_id_of(p_schema_id, p_client_name, 'p_client_name');
    v_role bigint := ords_metadata.role_id_builtin(p_schema_id, p_role_name, 'p_role_name');
BEGIN
    INSERT INTO ords_metadata.oauth_client_roles (client_id, role_id, granted_by)
    VALUES (v_client, v_role, ords_metadata.invoker())
    ON CONFLICT DO NOTHING;   -- granting twice is harmless, as in ORDS
END
$$;
-- Revoking what is not granted (no such client, no such role, or not granted): a NOTICE, not
-- an error, like deleting a missing client (docs/clients.md#missing).
CREATE OR REPLACE FUNCTION ords_metadata.client_revoke_role(p_schema_id bigint, p_client_name text, p_role_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_n integer;
BEGIN
    PERFORM ords_metadata.check_name(p_client_name, 'p_client_name'), ords_metadata.check_name(p_role_name, 'p_role_name');
    DELETE FROM ords_metadata.oauth_client_roles cr
     USING ords_metadata.oauth_clients c, ords_metadata.sec_roles r
     WHERE cr.client_id = c.id AND cr.role_id = r.id
       AND c.schema_id = p_schema_id AND c.name = p_client_name AND r.schema_id = p_schema_id AND r.name = p_role_name;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_n = 0 THEN
        RAISE NOTICE 'ORDS role "%" is not granted to OAuth client "%" of schema "%": nothing to revoke',
            p_role_name, p_client_name, ords_metadata.schema_name(p_schema_id)
            USING HINT = 'user_ords_client_roles lists the roles granted to each client.';
    END IF;
END
$$;
-- OAUTH.CREATE_CLIENT / UPDATE_CLIENT and OAUTH_ADMIN.CREATE_CLIENT gain p_allowed_origins (and p_token_endpoint_auth_method).
DROP FUNCTION oauth.create_client(text, text, text, text, text, text, text, text, text, integer, integer, integer);
DROP FUNCTION oauth.update_client(text, text, text, text, text, text, text, integer, integer, integer);
DROP FUNCTION oauth_admin.create_client(text, text, text, text, text, text, text, text, text, text, integer, integer, integer);

-- ORDS_SECURITY_ADMIN.REGISTER_CLIENT becomes the exact twin of ords_security.register_client (p_client_secret text).
DROP FUNCTION ords_security_admin.register_client(text, text, text, text, text, text, text, text, text, integer, integer, integer, boolean);

-- p_allowed_origins: the ≤23.1 spelling of p_origins_allowed (docs/clients.md#allowed-origins);
-- p_token_endpoint_auth_method (26.3): checked, not stored (docs/clients.md#auth-method).
CREATE FUNCTION oauth.create_client(p_name text, p_grant_type text, p_owner text DEFAULT NULL, p_description text DEFAULT NULL,
                                    p_origins_allowed text DEFAULT NULL, p_redirect_uri text DEFAULT NULL,
                                    p_support_email text DEFAULT NULL, p_support_uri text DEFAULT NULL,
                                    p_privilege_names text DEFAULT NULL, p_token_duration integer DEFAULT NULL,
                                    p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL,
                                    p_token_endpoint_auth_method text DEFAULT NULL, p_allowed_origins text DEFAULT NULL)
RETURNS TABLE (id bigint, name text, client_id text, client_secret text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM ords_metadata.client_create(ords_metadata.my_schema_id(), p_name, p_grant_type, p_owner, p_description,
          ords_metadata.origins_arg(p_origins_allowed, p_allowed_origins), p_redirect_uri, p_support_email, p_support_uri,
          p_privilege_names, p_token_duration, p_refresh_duration, p_code_duration, NULL,
          CASE WHEN ords_metadata.check_auth_method(p_token_endpoint_auth_method) IS NULL THEN 'generate' ELSE 'generate' END, NULL) $$;
-- NULL keeps a value, '' clears it. p_allowed_origins: the ≤23.1 spelling of p_origins_allowed.
CREATE FUNCTION oauth.update_client(p_name text, p_description text DEFAULT NULL, p_origins_allowed text DEFAULT NULL,
                                    p_redirect_uri text DEFAULT NULL, p_support_email text DEFAULT NULL,
                                    p_support_uri text DEFAULT NULL, p_privilege_names text DEFAULT NULL,
                                    p_token_duration integer DEFAULT NULL, p_refresh_duration integer DEFAULT NULL,
                                    p_code_duration integer DEFAULT NULL, p_allowed_origins text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_update(ords_metadata.my_schema_id(), p_name, NULL, p_description,
          ords_metadata.origins_arg(p_origins_allowed, p_allowed_origins), p_redirect_uri, p_support_email, p_support_uri,
          p_privilege_names, p_token_duration, p_refresh_duration, p_code_duration) $$;
CREATE FUNCTION oauth_admin.create_client(p_schema text, p_name text, p_grant_type text, p_owner text DEFAULT NULL,
                                          p_description text DEFAULT NULL, p_origins_allowed text DEFAULT NULL,
                                          p_redirect_uri text DEFAULT NULL, p_support_email text DEFAULT NULL,
                                          p_support_uri text DEFAULT NULL, p_privilege_names text DEFAULT NULL,
                                          p_token_duration integer DEFAULT NULL, p_refresh_duration integer DEFAULT NULL,
                                          p_code_duration integer DEFAULT NULL, p_token_endpoint_auth_method text DEFAULT NULL,
                                          p_allowed_origins text DEFAULT NULL)
RETURNS TABLE (id bigint, name text, client_id text, client_secret text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM ords_metadata.client_create(ords_metadata.admin_schema_id(p_schema, 'oauth_admin.create_client'),
          p_name, p_grant_type, p_owner, p_description, ords_metadata.origins_arg(p_origins_allowed, p_allowed_origins),
          p_redirect_uri, p_support_email, p_support_uri, p_privilege_names, p_token_duration, p_refresh_duration,
          p_code_duration, NULL,
          CASE WHEN ords_metadata.check_auth_method(p_token_endpoint_auth_method) IS NULL THEN 'generate' ELSE 'generate' END, NULL) $$;
-- The twin of ords_security.register_client's text form: p_client_secret (a chosen secret) or
-- p_generate_secret => true; neither registers no secret.
CREATE FUNCTION ords_security_admin.register_client(p_schema text, p_name text, p_grant_type text, p_description text DEFAULT NULL,
                                                    p_client_secret text DEFAULT NULL, p_privilege_names text DEFAULT NULL,
                                                    p_origins_allowed text DEFAULT NULL, p_redirect_uri text DEFAULT NULL,
                                                    p_support_email text DEFAULT NULL, p_support_uri text DEFAULT NULL,
                                                    p_token_duration integer DEFAULT NULL, p_refresh_duration integer DEFAULT NULL,
                                                    p_code_duration integer DEFAULT NULL, p_generate_secret boolean DEFAULT false)
RETURNS TABLE (id bigint, name text, client_id text, client_secret text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.register_client');
BEGIN
    IF p_client_secret IS NOT NULL AND coalesce(p_generate_secret, false) THEN
        RAISE EXCEPTION 'pass either p_client_secret or p_generate_secret => true, not both' USING ERRCODE = '22023';
    END IF;
    RETURN QUERY SELECT * FROM ords_metadata.client_create(v_schema, p_name, p_grant_type, NULL, p_description,
          p_origins_allowed, p_redirect_uri, p_support_email, p_support_uri, p_privilege_names,
          p_token_duration, p_refresh_duration, p_code_duration, NULL,
          CASE WHEN p_client_secret IS NOT NULL THEN 'given' WHEN coalesce(p_generate_secret, false) THEN 'generate' ELSE 'skip' END,
          p_client_secret);
END
$$;
-- ---------------------------------------------------------------------------------------------
-- ORDS_SECURITY: the p_client_key overloads (ords_types records, sql/types.sql) and the function
-- form of REGISTER_CLIENT (docs/clients.md). A key is resolved in the caller's schema only.
-- ---------------------------------------------------------------------------------------------

-- REGISTER_CLIENT's function form, chosen by an ords_types.t_client_secret p_client_secret (pass it by
-- name: it has no default and precedes p_description, docs/clients.md#register-client).
CREATE FUNCTION ords_security.register_client(p_name text, p_grant_type text, p_client_secret ords_types.t_client_secret, p_description text DEFAULT NULL,
                                              p_privilege_names text DEFAULT NULL, p_origins_allowed text DEFAULT NULL, p_redirect_uri text DEFAULT NULL,
                                              p_support_email text DEFAULT NULL, p_support_uri text DEFAULT NULL, p_token_duration integer DEFAULT NULL,
                                              p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    RETURN ords_metadata.client_register(v_schema, p_name, p_grant_type, p_description, p_client_secret,
              p_privilege_names, p_origins_allowed, p_redirect_uri, p_support_email, p_support_uri,
              p_token_duration, p_refresh_duration, p_code_duration);
END
$$;

-- A secret given as a record (NULL value: generated) or as text (a chosen value).
CREATE FUNCTION ords_security.register_client_secret(p_client_key ords_types.t_client_key, p_client_secret ords_types.t_client_secret,
                                                     p_revoke_existing boolean DEFAULT false, p_revoke_sessions boolean DEFAULT false)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    RETURN ords_metadata.client_key_register_secret(v_schema, p_client_key, p_client_secret,
              p_revoke_existing, p_revoke_sessions);
END
$$;

CREATE FUNCTION ords_security.register_client_secret(p_client_key ords_types.t_client_key, p_client_secret text,
                                                     p_revoke_existing boolean DEFAULT false, p_revoke_sessions boolean DEFAULT false)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    RETURN ords_metadata.client_key_register_secret(v_schema, p_client_key,
              ROW(ords_metadata.check_secret(p_client_secret, 'p_client_secret'), NULL, false, NULL)::ords_types.t_client_secret,
              p_revoke_existing, p_revoke_sessions);
END
$$;

-- Returns the new (generated) secret in client_secret.secret: the only time it is shown.
CREATE FUNCTION ords_security.rotate_client_secret(p_client_key ords_types.t_client_key, p_revoke_existing boolean DEFAULT false,
                                                   p_revoke_sessions boolean DEFAULT false)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    RETURN ords_metadata.client_key_register_secret(v_schema, p_client_key,
              ords_constants.oauth_client_secret_default(), p_revoke_existing, p_revoke_sessions);
END
$$;

-- The filter: docs/clients.md#revoke-filter. client_secret.slot is the slot revoked (3: both, NULL: none).
CREATE FUNCTION ords_security.revoke_client_secrets(p_client_key ords_types.t_client_key,
                                                    p_filter ords_types.t_client_secret DEFAULT ords_constants.oauth_client_secret_default(),
                                                    p_revoke_sessions boolean DEFAULT false)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    RETURN ords_metadata.client_key_revoke_secrets(v_schema, p_client_key, p_filter, p_revoke_sessions);
END
$$;

CREATE FUNCTION ords_security.grant_client_role(p_client_key ords_types.t_client_key, p_role_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    PERFORM ords_metadata.client_grant_role(v_schema, ords_metadata.client_key_name(v_schema, p_client_key), p_role_name);
END
$$;

CREATE FUNCTION ords_security.revoke_client_role(p_client_key ords_types.t_client_key, p_role_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    PERFORM ords_metadata.client_key_revoke_role(v_schema, p_client_key, p_role_name);
END
$$;

-- ORDS's four UPDATE_CLIENT overloads in one (by name): NULL keeps a value, '' clears it.
CREATE FUNCTION ords_security.update_client(p_client_key ords_types.t_client_key, p_new_name text DEFAULT NULL, p_description text DEFAULT NULL,
                                            p_privilege_names text DEFAULT NULL, p_origins_allowed text DEFAULT NULL, p_redirect_uri text DEFAULT NULL,
                                            p_support_email text DEFAULT NULL, p_support_uri text DEFAULT NULL, p_token_duration integer DEFAULT NULL,
                                            p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL)
RETURNS ords_types.t_client_key LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    RETURN ords_metadata.client_key_update(v_schema, p_client_key, p_new_name, p_description, p_privilege_names,
              p_origins_allowed, p_redirect_uri, p_support_email, p_support_uri, p_token_duration, p_refresh_duration, p_code_duration);
END
$$;

CREATE FUNCTION ords_security.update_client_privileges(p_client_key ords_types.t_client_key, p_privilege_names text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    PERFORM ords_metadata.client_set_privileges(v_schema, ords_metadata.client_key_id(v_schema, p_client_key), p_privilege_names);
END
$$;

CREATE FUNCTION ords_security.update_client_token_duration(p_client_key ords_types.t_client_key, p_token_duration integer DEFAULT NULL,
                                                           p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    PERFORM ords_metadata.client_token_duration(v_schema, ords_metadata.client_key_name(v_schema, p_client_key),
              p_token_duration, p_refresh_duration, p_code_duration);
END
$$;

CREATE FUNCTION ords_security.rename_client(p_client_key ords_types.t_client_key, p_new_name text)
RETURNS ords_types.t_client_key LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    RETURN ords_metadata.client_key_rename(v_schema, p_client_key, p_new_name);
END
$$;

-- UPDATE_CLIENT_LOGO: accepted, not stored (docs/clients.md#update-client).
CREATE FUNCTION ords_security.update_client_logo(p_client_key ords_types.t_client_key, p_content_type text, p_logo bytea)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    PERFORM ords_metadata.client_logo(v_schema, ords_metadata.client_key_id(v_schema, p_client_key), p_content_type, p_logo);
END
$$;

CREATE FUNCTION ords_security.update_client_logo(p_name text, p_content_type text, p_logo bytea)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    PERFORM ords_metadata.client_logo(v_schema, ords_metadata.client_id_of(v_schema, p_name), p_content_type, p_logo);
END
$$;

CREATE FUNCTION ords_security.delete_client(p_client_key ords_types.t_client_key)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    PERFORM ords_metadata.client_key_delete(v_schema, p_client_key);
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The remaining ORDS_SECURITY_ADMIN and OAUTH_ADMIN twins: p_schema first; the administrator
-- check (ords_metadata.admin_schema_id) runs before anything else (docs/clients.md#admin-twins).
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION ords_security_admin.register_client(p_schema text, p_name text, p_grant_type text, p_client_secret ords_types.t_client_secret, p_description text DEFAULT NULL,
                                                    p_privilege_names text DEFAULT NULL, p_origins_allowed text DEFAULT NULL, p_redirect_uri text DEFAULT NULL,
                                                    p_support_email text DEFAULT NULL, p_support_uri text DEFAULT NULL, p_token_duration integer DEFAULT NULL,
                                                    p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.register_client');
BEGIN
    RETURN ords_metadata.client_register(v_schema, p_name, p_grant_type, p_description, p_client_secret,
              p_privilege_names, p_origins_allowed, p_redirect_uri, p_support_email, p_support_uri,
              p_token_duration, p_refresh_duration, p_code_duration);
END
$$;

CREATE FUNCTION ords_security_admin.register_client_secret(p_schema text, p_client_key ords_types.t_client_key, p_client_secret ords_types.t_client_secret,
                                                           p_revoke_existing boolean DEFAULT false, p_revoke_sessions boolean DEFAULT false)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.register_client_secret');
BEGIN
    RETURN ords_metadata.client_key_register_secret(v_schema, p_client_key, p_client_secret,
              p_revoke_existing, p_revoke_sessions);
END
$$;

CREATE FUNCTION ords_security_admin.register_client_secret(p_schema text, p_client_key ords_types.t_client_key, p_client_secret text,
                                                           p_revoke_existing boolean DEFAULT false, p_revoke_sessions boolean DEFAULT false)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.register_client_secret');
BEGIN
    RETURN ords_metadata.client_key_register_secret(v_schema, p_client_key,
              ROW(ords_metadata.check_secret(p_client_secret, 'p_client_secret'), NULL, false, NULL)::ords_types.t_client_secret,
              p_revoke_existing, p_revoke_sessions);
END
$$;

CREATE FUNCTION ords_security_admin.rotate_client_secret(p_schema text, p_client_key ords_types.t_client_key, p_revoke_existing boolean DEFAULT false,
                                                         p_revoke_sessions boolean DEFAULT false)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.rotate_client_secret');
BEGIN
    RETURN ords_metadata.client_key_register_secret(v_schema, p_client_key,
              ords_constants.oauth_client_secret_default(), p_revoke_existing, p_revoke_sessions);
END
$$;

CREATE FUNCTION ords_security_admin.revoke_client_secrets(p_schema text, p_client_key ords_types.t_client_key,
                                                          p_filter ords_types.t_client_secret DEFAULT ords_constants.oauth_client_secret_default(),
                                                          p_revoke_sessions boolean DEFAULT false)
RETURNS ords_types.t_client_credentials LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.revoke_client_secrets');
BEGIN
    RETURN ords_metadata.client_key_revoke_secrets(v_schema, p_client_key, p_filter, p_revoke_sessions);
END
$$;

CREATE FUNCTION ords_security_admin.grant_client_role(p_schema text, p_client_key ords_types.t_client_key, p_role_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.grant_client_role');
BEGIN
    PERFORM ords_metadata.client_grant_role(v_schema, ords_metadata.client_key_name(v_schema, p_client_key), p_role_name);
END
$$;

CREATE FUNCTION ords_security_admin.revoke_client_role(p_schema text, p_client_key ords_types.t_client_key, p_role_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.revoke_client_role');
BEGIN
    PERFORM ords_metadata.client_key_revoke_role(v_schema, p_client_key, p_role_name);
END
$$;

CREATE FUNCTION ords_security_admin.update_client(p_schema text, p_client_key ords_types.t_client_key, p_new_name text DEFAULT NULL, p_description text DEFAULT NULL,
                                                  p_privilege_names text DEFAULT NULL, p_origins_allowed text DEFAULT NULL, p_redirect_uri text DEFAULT NULL,
                                                  p_support_email text DEFAULT NULL, p_support_uri text DEFAULT NULL, p_token_duration integer DEFAULT NULL,
                                                  p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL)
RETURNS ords_types.t_client_key LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.update_client');
BEGIN
    RETURN ords_metadata.client_key_update(v_schema, p_client_key, p_new_name, p_description, p_privilege_names,
              p_origins_allowed, p_redirect_uri, p_support_email, p_support_uri, p_token_duration, p_refresh_duration, p_code_duration);
END
$$;

CREATE FUNCTION ords_security_admin.update_client_privileges(p_schema text, p_client_key ords_types.t_client_key, p_privilege_names text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.update_client_privileges');
BEGIN
    PERFORM ords_metadata.client_set_privileges(v_schema, ords_metadata.client_key_id(v_schema, p_client_key), p_privilege_names);
END
$$;

CREATE FUNCTION ords_security_admin.update_client_token_duration(p_schema text, p_client_key ords_types.t_client_key, p_token_duration integer DEFAULT NULL,
                                                                 p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.update_client_token_duration');
BEGIN
    PERFORM ords_metadata.client_token_duration(v_schema, ords_metadata.client_key_name(v_schema, p_client_key),
              p_token_duration, p_refresh_duration, p_code_duration);
END
$$;

CREATE FUNCTION ords_security_admin.rename_client(p_schema text, p_client_key ords_types.t_client_key, p_new_name text)
RETURNS ords_types.t_client_key LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.rename_client');
BEGIN
    RETURN ords_metadata.client_key_rename(v_schema, p_client_key, p_new_name);
END
$$;

CREATE FUNCTION ords_security_admin.update_client_logo(p_schema text, p_client_key ords_types.t_client_key, p_content_type text, p_logo bytea)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.update_client_logo');
BEGIN
    PERFORM ords_metadata.client_logo(v_schema, ords_metadata.client_key_id(v_schema, p_client_key), p_content_type, p_logo);
END
$$;

CREATE FUNCTION ords_security_admin.update_client_logo(p_schema text, p_name text, p_content_type text, p_logo bytea)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.update_client_logo');
BEGIN
    PERFORM ords_metadata.client_logo(v_schema, ords_metadata.client_id_of(v_schema, p_name), p_content_type, p_logo);
END
$$;

CREATE FUNCTION ords_security_admin.delete_client(p_schema text, p_client_key ords_types.t_client_key)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.delete_client');
BEGIN
    PERFORM ords_metadata.client_key_delete(v_schema, p_client_key);
END
$$;

CREATE FUNCTION ords_security_admin.import_client(p_schema text, p_name text, p_grant_type text, p_description text DEFAULT NULL, p_client_id text DEFAULT NULL,
                                                  p_privilege_names text DEFAULT NULL, p_origins_allowed text DEFAULT NULL, p_redirect_uri text DEFAULT NULL,
                                                  p_support_email text DEFAULT NULL, p_support_uri text DEFAULT NULL, p_token_duration integer DEFAULT NULL,
                                                  p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL)
RETURNS TABLE (id bigint, name text, client_id text) LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.import_client');
BEGIN
    RETURN QUERY SELECT c.id, c.name, c.client_id FROM ords_metadata.client_create(v_schema, p_name, p_grant_type, NULL,
              p_description, p_origins_allowed, p_redirect_uri, p_support_email, p_support_uri, p_privilege_names,
              p_token_duration, p_refresh_duration, p_code_duration, p_client_id, 'skip', NULL) AS c;
END
$$;

CREATE FUNCTION ords_security_admin.register_client_secret(p_schema text, p_name text, p_client_secret text, p_revoke_existing boolean DEFAULT false,
                                                           p_revoke_sessions boolean DEFAULT false)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.register_client_secret');
BEGIN
    PERFORM ords_metadata.client_rotate_secret(v_schema, p_name,
              ords_metadata.check_secret(p_client_secret, 'p_client_secret'), p_revoke_existing, p_revoke_sessions);
END
$$;

CREATE FUNCTION ords_security_admin.grant_client_role(p_schema text, p_client_name text, p_role_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.grant_client_role');
BEGIN
    PERFORM ords_metadata.client_grant_role(v_schema, p_client_name, p_role_name);
END
$$;

CREATE FUNCTION ords_security_admin.revoke_client_role(p_schema text, p_client_name text, p_role_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.revoke_client_role');
BEGIN
    PERFORM ords_metadata.client_revoke_role(v_schema, p_client_name, p_role_name);
END
$$;

CREATE FUNCTION ords_security_admin.update_client(p_schema text, p_name text, p_new_name text DEFAULT NULL, p_description text DEFAULT NULL,
                                                  p_privilege_names text DEFAULT NULL, p_origins_allowed text DEFAULT NULL, p_redirect_uri text DEFAULT NULL,
                                                  p_support_email text DEFAULT NULL, p_support_uri text DEFAULT NULL, p_token_duration integer DEFAULT NULL,
                                                  p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.update_client');
BEGIN
    PERFORM ords_metadata.client_update(v_schema, p_name, p_new_name, p_description, p_origins_allowed,
              p_redirect_uri, p_support_email, p_support_uri, p_privilege_names, p_token_duration, p_refresh_duration, p_code_duration);
END
$$;

CREATE FUNCTION ords_security_admin.update_client_privileges(p_schema text, p_name text, p_privilege_names text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.update_client_privileges');
BEGIN
    PERFORM ords_metadata.client_set_privileges(v_schema, ords_metadata.client_id_of(v_schema, p_name), p_privilege_names);
END
$$;

CREATE FUNCTION ords_security_admin.update_client_token_duration(p_schema text, p_name text, p_token_duration integer DEFAULT NULL,
                                                                 p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.update_client_token_duration');
BEGIN
    PERFORM ords_metadata.client_token_duration(v_schema, p_name, p_token_duration, p_refresh_duration, p_code_duration);
END
$$;

CREATE FUNCTION ords_security_admin.rename_client(p_schema text, p_name text, p_new_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.rename_client');
BEGIN
    PERFORM ords_metadata.client_rename(v_schema, p_name, p_new_name);
END
$$;

CREATE FUNCTION ords_security_admin.revoke_client_secrets(p_schema text, p_name text, p_slot integer DEFAULT NULL, p_revoke_sessions boolean DEFAULT false)
RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.revoke_client_secrets');
BEGIN
    RETURN ords_metadata.client_revoke_secrets(v_schema, p_name, p_slot, p_revoke_sessions);
END
$$;

CREATE FUNCTION ords_security_admin.revoke_client_secret(p_schema text, p_name text, p_client_secret text DEFAULT NULL, p_revoke_sessions boolean DEFAULT false)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.revoke_client_secret');
BEGIN
    PERFORM ords_metadata.client_revoke_secret_value(v_schema, p_name, p_client_secret, p_revoke_sessions);
END
$$;

CREATE FUNCTION oauth_admin.import_client(p_schema text, p_name text, p_grant_type text, p_description text DEFAULT NULL, p_client_id text DEFAULT NULL,
                                          p_privilege_names text DEFAULT NULL, p_origins_allowed text DEFAULT NULL, p_redirect_uri text DEFAULT NULL,
                                          p_support_email text DEFAULT NULL, p_support_uri text DEFAULT NULL, p_token_duration integer DEFAULT NULL,
                                          p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL, p_owner text DEFAULT NULL)
RETURNS TABLE (id bigint, name text, client_id text) LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'oauth_admin.import_client');
BEGIN
    RETURN QUERY SELECT c.id, c.name, c.client_id FROM ords_metadata.client_create(v_schema, p_name, p_grant_type, p_owner,
              p_description, p_origins_allowed, p_redirect_uri, p_support_email, p_support_uri, p_privilege_names,
              p_token_duration, p_refresh_duration, p_code_duration, p_client_id, 'skip', NULL) AS c;
END
$$;

CREATE FUNCTION oauth_admin.rename_client(p_schema text, p_name text, p_new_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'oauth_admin.rename_client');
BEGIN
    PERFORM ords_metadata.client_rename(v_schema, p_name, p_new_name);
END
$$;

CREATE FUNCTION oauth_admin.update_client(p_schema text, p_name text, p_description text DEFAULT NULL, p_origins_allowed text DEFAULT NULL,
                                          p_redirect_uri text DEFAULT NULL, p_support_email text DEFAULT NULL, p_support_uri text DEFAULT NULL,
                                          p_privilege_names text DEFAULT NULL, p_token_duration integer DEFAULT NULL, p_refresh_duration integer DEFAULT NULL,
                                          p_code_duration integer DEFAULT NULL, p_allowed_origins text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'oauth_admin.update_client');
BEGIN
    PERFORM ords_metadata.client_update(v_schema, p_name, NULL, p_description,
              ords_metadata.origins_arg(p_origins_allowed, p_allowed_origins), p_redirect_uri, p_support_email, p_support_uri,
              p_privilege_names, p_token_duration, p_refresh_duration, p_code_duration);
END
$$;

CREATE FUNCTION oauth_admin.update_client_secret(p_schema text, p_name text, p_client_secret text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'oauth_admin.update_client_secret');
BEGIN
    PERFORM ords_metadata.client_rotate_secret(v_schema, p_name,
              ords_metadata.check_secret(p_client_secret, 'p_client_secret'), true, false);
END
$$;

-- Nothing in ords_metadata is for PUBLIC (sql/privileges.sql).
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ords_metadata FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ords_metadata.invoker() TO PUBLIC;
GRANT EXECUTE ON FUNCTION ords_metadata.secret_seen(text[]) TO PUBLIC;

-- == end of clients ==


-- == stored secrets ==

-- == end of stored secrets ==


-- Caches loaded before the update hold rows of the old shape.
SELECT ords_metadata.invalidate_caches();
