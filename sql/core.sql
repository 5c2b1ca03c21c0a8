-- pg_ords provisioning core: the one implementation behind oauth, ords_security, ords and their
-- *_admin twins. These functions take the owning schema's id explicitly and live in
-- ords_metadata, which PUBLIC cannot use; the public entry points (sql/api.sql) are
-- SECURITY DEFINER wrappers that first resolve the invoker's own schema (or check that an
-- administrator is calling) and then call in here.
--
-- Conventions:
--   * every reference is schema-qualified and every function pins search_path, so nothing a
--     user plants in public (functions, operators) is ever resolved here;
--   * errors carry a SQLSTATE a program can test (docs/errors.md#sqlstates) and name the object and the fix:
--       22023 invalid argument, 42704 unknown object, 42710 duplicate object,
--       23505 duplicate client_id, 42501 permission, 55000 schema not REST-enabled;
--   * secrets never appear in a message.

-- ---------------------------------------------------------------------------------------------
-- Argument checks
-- ---------------------------------------------------------------------------------------------

-- A required name-like argument: not NULL, not blank, at most p_max characters, no control
-- characters. Quotes, semicolons and any other printable text are stored as data.
CREATE FUNCTION ords_metadata.check_name(p_value text, p_param text, p_max integer DEFAULT 255)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_value IS NULL OR btrim(p_value) = '' THEN
        RAISE EXCEPTION '% must not be NULL or empty', p_param
            USING ERRCODE = '22023', HINT = format('Pass a value for %s.', p_param);
    END IF;
    IF char_length(p_value) > p_max THEN
        RAISE EXCEPTION '% is longer than % characters', p_param, p_max
            USING ERRCODE = '22023', HINT = format('Shorten %s to at most %s characters.', p_param, p_max);
    END IF;
    IF p_value ~ '[\x01-\x1f\x7f]' THEN
        RAISE EXCEPTION '% must not contain control characters', p_param USING ERRCODE = '22023';
    END IF;
    RETURN p_value;
END
$$;

-- A handler's source: like check_name, but lines and tabs are source text (ORDS exports carry
-- multi-line sources); other control characters are refused.
CREATE FUNCTION ords_metadata.check_source(p_value text, p_param text)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_value IS NULL OR btrim(p_value, E' \t\r\n') = '' THEN
        RAISE EXCEPTION '% must not be NULL or empty', p_param
            USING ERRCODE = '22023', HINT = format('Pass a value for %s.', p_param);
    END IF;
    IF char_length(p_value) > 1048576 THEN
        RAISE EXCEPTION '% is longer than % characters', p_param, 1048576
            USING ERRCODE = '22023', HINT = format('Shorten %s to at most %s characters.', p_param, 1048576);
    END IF;
    IF p_value ~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]' THEN
        RAISE EXCEPTION '% must not contain control characters other than tab, line feed and carriage return', p_param
            USING ERRCODE = '22023';
    END IF;
    RETURN p_value;
END
$$;

-- An optional free-text argument: NULL allowed, bounded length.
CREATE FUNCTION ords_metadata.check_text(p_value text, p_param text, p_max integer DEFAULT 4000)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_value IS NOT NULL AND char_length(p_value) > p_max THEN
        RAISE EXCEPTION '% is longer than % characters', p_param, p_max
            USING ERRCODE = '22023', HINT = format('Shorten %s to at most %s characters.', p_param, p_max);
    END IF;
    RETURN p_value;
END
$$;

-- A duration in seconds: NULL (instance default) or a positive integer.
CREATE FUNCTION ords_metadata.check_duration(p_value integer, p_param text)
RETURNS integer LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_value IS NOT NULL AND p_value <= 0 THEN
        RAISE EXCEPTION '% must be a positive number of seconds or NULL, not %', p_param, p_value
            USING ERRCODE = '22023', HINT = 'NULL uses the instance default (setting pg_ords.token_duration for access tokens).';
    END IF;
    RETURN p_value;
END
$$;

-- Split an ORDS comma-separated list ('a, b,c') into trimmed, non-empty, distinct items.
CREATE FUNCTION ords_metadata.split_list(p_list text)
RETURNS text[] LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT btrim(x)) FILTER (WHERE btrim(x) <> ''), '{}')
      FROM unnest(string_to_array(coalesce(p_list, ''), ',')) AS x
$$;

-- ---------------------------------------------------------------------------------------------
-- Who is calling, and which REST-enabled schema that makes them
-- ---------------------------------------------------------------------------------------------

-- The invoker's own REST-enabled schema. ords_metadata.invoker() (Rust, src/identity.rs) is
-- current_user where pg_ords was called, even inside these SECURITY DEFINER functions
-- (docs/ownership.md).
CREATE FUNCTION ords_metadata.my_schema_id()
RETURNS bigint LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_role text := ords_metadata.invoker();
    v_id   bigint;
BEGIN
    SELECT s.id INTO v_id FROM ords_metadata.ords_schemas s WHERE s.parsing_schema = v_role;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'role "%" is not REST-enabled', v_role
            USING ERRCODE = '55000',
                  HINT = 'Run SELECT ords.enable_schema(); as that role first (or ords_admin.enable_schema(p_schema => ...) as an administrator).';
    END IF;
    RETURN v_id;
END
$$;

CREATE FUNCTION ords_metadata.is_admin()
RETURNS boolean LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT r.rolsuper OR pg_catalog.pg_has_role(r.oid, 'ords_administrator_role', 'MEMBER')
      FROM pg_catalog.pg_roles r WHERE r.rolname = ords_metadata.invoker()
$$;

CREATE FUNCTION ords_metadata.require_admin(p_function text)
RETURNS void LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT coalesce(ords_metadata.is_admin(), false) THEN
        RAISE EXCEPTION 'permission denied for %: role "%" is not an ORDS administrator', p_function, ords_metadata.invoker()
            USING ERRCODE = '42501',
                  HINT = 'Administrators are superusers and members of ords_administrator_role; schema roles use the functions without the _admin suffix.';
    END IF;
END
$$;

-- The schema named by an administrator (p_schema of the *_admin functions).
CREATE FUNCTION ords_metadata.admin_schema_id(p_schema text, p_function text)
RETURNS bigint LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_id bigint;
BEGIN
    PERFORM ords_metadata.require_admin(p_function);
    PERFORM ords_metadata.check_name(p_schema, 'p_schema', 63);
    SELECT s.id INTO v_id FROM ords_metadata.ords_schemas s WHERE s.parsing_schema = p_schema;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'schema "%" is not REST-enabled', p_schema
            USING ERRCODE = '55000', HINT = 'Enable it with ords_admin.enable_schema(p_schema => ...).';
    END IF;
    RETURN v_id;
END
$$;

CREATE FUNCTION ords_metadata.schema_name(p_schema_id bigint)
RETURNS text LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT parsing_schema FROM ords_metadata.ords_schemas WHERE id = p_schema_id
$$;

-- ---------------------------------------------------------------------------------------------
-- Lookups by name within one schema (unknown → 42704 naming the object and the fix)
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION ords_metadata.role_id(p_schema_id bigint, p_role_name text, p_param text DEFAULT 'p_role_name')
RETURNS bigint LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint;
BEGIN
    PERFORM ords_metadata.check_name(p_role_name, p_param);
    SELECT r.id INTO v_id FROM ords_metadata.sec_roles r WHERE r.schema_id = p_schema_id AND r.name = p_role_name;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'ORDS role "%" does not exist in schema "%"', p_role_name, ords_metadata.schema_name(p_schema_id)
            USING ERRCODE = '42704', HINT = 'Create it with ords.create_role(p_role_name => ...); user_ords_roles lists the existing roles.';
    END IF;
    RETURN v_id;
END
$$;

CREATE FUNCTION ords_metadata.privilege_id(p_schema_id bigint, p_name text, p_param text DEFAULT 'p_privilege_name')
RETURNS bigint LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint;
BEGIN
    PERFORM ords_metadata.check_name(p_name, p_param);
    SELECT p.id INTO v_id FROM ords_metadata.sec_privileges p WHERE p.schema_id = p_schema_id AND p.name = p_name;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'ORDS privilege "%" does not exist in schema "%"', p_name, ords_metadata.schema_name(p_schema_id)
            USING ERRCODE = '42704', HINT = 'Create it with ords.create_privilege(p_name => ..., p_role_name => ...); user_ords_privileges lists the existing privileges.';
    END IF;
    RETURN v_id;
END
$$;

CREATE FUNCTION ords_metadata.module_id(p_schema_id bigint, p_module_name text)
RETURNS bigint LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint;
BEGIN
    PERFORM ords_metadata.check_name(p_module_name, 'p_module_name');
    SELECT m.id INTO v_id FROM ords_metadata.ords_modules m WHERE m.schema_id = p_schema_id AND m.name = p_module_name;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'ORDS module "%" does not exist in schema "%"', p_module_name, ords_metadata.schema_name(p_schema_id)
            USING ERRCODE = '42704', HINT = 'Create it with ords.define_module(p_module_name => ..., p_base_path => ...); user_ords_modules lists the existing modules.';
    END IF;
    RETURN v_id;
END
$$;

-- The client row, locked for the rest of the transaction (rotations and grants serialise on it).
CREATE FUNCTION ords_metadata.client_id_of(p_schema_id bigint, p_name text, p_param text DEFAULT 'p_name')
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint;
BEGIN
    PERFORM ords_metadata.check_name(p_name, p_param);
    SELECT c.id INTO v_id FROM ords_metadata.oauth_clients c
     WHERE c.schema_id = p_schema_id AND c.name = p_name FOR UPDATE;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'OAuth client "%" does not exist in schema "%"', p_name, ords_metadata.schema_name(p_schema_id)
            USING ERRCODE = '42704', HINT = 'Create it with oauth.create_client(p_name => ..., p_grant_type => ...); user_ords_clients lists the existing clients.';
    END IF;
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Schemas
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION ords_metadata.schema_enable(p_enabled boolean, p_schema text, p_url_mapping_type text,
                                            p_url_mapping_pattern text, p_auto_rest_auth boolean)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_alias text := coalesce(p_url_mapping_pattern, p_schema);
    v_type  text := upper(coalesce(p_url_mapping_type, 'BASE_PATH'));
    v_who   text := ords_metadata.invoker();
BEGIN
    PERFORM ords_metadata.check_name(p_schema, 'p_schema', 63);
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = p_schema) THEN
        RAISE EXCEPTION 'role "%" does not exist', p_schema
            USING ERRCODE = '42704', HINT = 'p_schema names the Postgres role that owns the REST objects; create it with CREATE ROLE first.';
    END IF;
    IF v_type NOT IN ('BASE_PATH', 'BASE_URL') THEN
        RAISE EXCEPTION 'p_url_mapping_type must be BASE_PATH or BASE_URL, not "%"', p_url_mapping_type USING ERRCODE = '22023';
    END IF;
    IF v_alias !~ '^[A-Za-z0-9_-]{1,128}$' THEN
        RAISE EXCEPTION 'schema alias "%" is not a valid URL segment', v_alias
            USING ERRCODE = '22023',
                  HINT = 'Pass p_url_mapping_pattern => ''alias'' made of letters, digits, "_" and "-" (at most 128 characters).';
    END IF;
    IF EXISTS (SELECT FROM ords_metadata.ords_schemas WHERE pattern = v_alias AND parsing_schema <> p_schema) THEN
        RAISE EXCEPTION 'schema alias "%" is already used by another REST-enabled schema', v_alias
            USING ERRCODE = '42710', HINT = 'Choose another p_url_mapping_pattern.';
    END IF;
    -- An alias another schema gave up stays that schema's until an administrator reassigns it:
    -- requests, clients and upstreams configured for it must not start serving someone else.
    IF EXISTS (SELECT FROM ords_metadata.ords_alias_history WHERE pattern = v_alias AND parsing_schema <> p_schema) THEN
        IF NOT coalesce(ords_metadata.is_admin(), false) THEN
            RAISE EXCEPTION 'schema alias "%" was used by another REST-enabled schema', v_alias
                USING ERRCODE = '42501',
                      HINT = 'Choose another p_url_mapping_pattern, or ask an administrator to assign it with ords_admin.enable_schema.';
        END IF;
    END IF;
    DELETE FROM ords_metadata.ords_alias_history WHERE pattern = v_alias;
    INSERT INTO ords_metadata.ords_schemas AS s (parsing_schema, type, pattern, status, auto_rest_auth, created_by, updated_by)
    VALUES (p_schema, v_type, v_alias, CASE WHEN coalesce(p_enabled, true) THEN 'ENABLED' ELSE 'DISABLED' END,
            coalesce(p_auto_rest_auth, false), v_who, v_who)
    ON CONFLICT (parsing_schema) DO UPDATE
       SET type = EXCLUDED.type, pattern = EXCLUDED.pattern, status = EXCLUDED.status,
           auto_rest_auth = coalesce(p_auto_rest_auth, s.auto_rest_auth),
           updated_by = v_who, updated_on = now();
END
$$;

-- An alias given up (changed, or the schema's REST objects dropped) is remembered for its role.
CREATE FUNCTION ords_metadata.on_alias_release() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.pattern IS DISTINCT FROM NEW.pattern THEN
        INSERT INTO ords_metadata.ords_alias_history (pattern, parsing_schema)
        VALUES (OLD.pattern, OLD.parsing_schema)
        ON CONFLICT (pattern) DO UPDATE SET parsing_schema = EXCLUDED.parsing_schema, released_on = now();
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER alias_release AFTER UPDATE OF pattern OR DELETE ON ords_metadata.ords_schemas
    FOR EACH ROW EXECUTE FUNCTION ords_metadata.on_alias_release();
ALTER TABLE ords_metadata.ords_schemas ENABLE ALWAYS TRIGGER alias_release;

-- ---------------------------------------------------------------------------------------------
-- Roles
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION ords_metadata.role_create(p_schema_id bigint, p_role_name text)
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint; v_who text := ords_metadata.invoker();
BEGIN
    PERFORM ords_metadata.check_name(p_role_name, 'p_role_name');
    INSERT INTO ords_metadata.sec_roles (schema_id, name, created_by, updated_by)
    VALUES (p_schema_id, p_role_name, v_who, v_who)
    ON CONFLICT (schema_id, name) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'ORDS role "%" already exists in schema "%"', p_role_name, ords_metadata.schema_name(p_schema_id)
            USING ERRCODE = '42710', HINT = 'Use the existing role, or ords.rename_role / ords.delete_role it first.';
    END IF;
    RETURN v_id;
END
$$;

-- ORDS.DELETE_ROLE. A role that does not exist is not an error (a NOTICE says so), so that
-- "delete, then create" scripts run twice (docs/rest-definitions.md#delete-missing).
CREATE FUNCTION ords_metadata.role_delete(p_schema_id bigint, p_role_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.check_name(p_role_name, 'p_role_name');
    -- Cascades to privilege requirements and client grants; tokens lose the role at once.
    DELETE FROM ords_metadata.sec_roles WHERE schema_id = p_schema_id AND name = p_role_name;
    IF NOT FOUND THEN
        RAISE NOTICE 'ORDS role "%" does not exist in schema "%": nothing deleted', p_role_name, ords_metadata.schema_name(p_schema_id);
    END IF;
END
$$;

CREATE FUNCTION ords_metadata.role_rename(p_schema_id bigint, p_role_name text, p_new_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.role_id(p_schema_id, p_role_name);
BEGIN
    PERFORM ords_metadata.check_name(p_new_name, 'p_new_name');
    IF EXISTS (SELECT FROM ords_metadata.sec_roles WHERE schema_id = p_schema_id AND name = p_new_name AND id <> v_id) THEN
        RAISE EXCEPTION 'ORDS role "%" already exists in schema "%"', p_new_name, ords_metadata.schema_name(p_schema_id)
            USING ERRCODE = '42710', HINT = 'Choose another p_new_name.';
    END IF;
    UPDATE ords_metadata.sec_roles SET name = p_new_name, updated_by = ords_metadata.invoker(), updated_on = now() WHERE id = v_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Privileges, their roles, patterns and modules
-- ---------------------------------------------------------------------------------------------

-- Resolve a role list to ids; unknown names fail, NULL/blank entries fail.
-- ORDS's built-in role names are created in the schema on first reference (role_id_builtin).
CREATE FUNCTION ords_metadata.role_ids(p_schema_id bigint, p_roles text[], p_param text)
RETURNS bigint[] LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_ids bigint[] := '{}'; v_name text;
BEGIN
    FOREACH v_name IN ARRAY coalesce(p_roles, '{}') LOOP
        v_ids := v_ids || ords_metadata.role_id_builtin(p_schema_id, v_name, p_param);
    END LOOP;
    RETURN v_ids;
END
$$;

CREATE FUNCTION ords_metadata.privilege_create(p_schema_id bigint, p_name text, p_roles text[],
                                               p_label text, p_description text, p_comments text)
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint; v_who text := ords_metadata.invoker(); v_role_ids bigint[];
BEGIN
    PERFORM ords_metadata.check_name(p_name, 'p_name');
    PERFORM ords_metadata.check_text(p_label, 'p_label'), ords_metadata.check_text(p_description, 'p_description'),
            ords_metadata.check_text(p_comments, 'p_comments');
    v_role_ids := ords_metadata.role_ids(p_schema_id, p_roles, 'p_roles');
    INSERT INTO ords_metadata.sec_privileges (schema_id, name, label, description, comments, created_by, updated_by)
    VALUES (p_schema_id, p_name, p_label, p_description, p_comments, v_who, v_who)
    ON CONFLICT (schema_id, name) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'ORDS privilege "%" already exists in schema "%"', p_name, ords_metadata.schema_name(p_schema_id)
            USING ERRCODE = '42710', HINT = 'Use ords.define_privilege to replace it, or ords.delete_privilege it first.';
    END IF;
    INSERT INTO ords_metadata.sec_privilege_roles (privilege_id, role_id)
    SELECT v_id, r FROM unnest(v_role_ids) AS r ON CONFLICT DO NOTHING;
    RETURN v_id;
END
$$;

-- Add URI patterns to a privilege. Each pattern is checked by the Rust pattern rules.
CREATE FUNCTION ords_metadata.mapping_add(p_schema_id bigint, p_privilege_id bigint, p_patterns text[])
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_pattern text; v_other text; v_who text := ords_metadata.invoker();
BEGIN
    FOREACH v_pattern IN ARRAY coalesce(p_patterns, '{}') LOOP
        PERFORM ords_metadata.check_name(v_pattern, 'p_pattern', 2048);
        PERFORM ords_metadata.validate_pattern(v_pattern);
        SELECT p.name INTO v_other
          FROM ords_metadata.sec_privilege_mappings m JOIN ords_metadata.sec_privileges p ON p.id = m.privilege_id
         WHERE m.schema_id = p_schema_id AND m.pattern = v_pattern;
        IF v_other IS NOT NULL THEN
            RAISE EXCEPTION 'pattern "%" is already mapped to privilege "%"', v_pattern, v_other
                USING ERRCODE = '42710', HINT = 'Remove it first with ords.delete_privilege_mapping, or use another pattern.';
        END IF;
        INSERT INTO ords_metadata.sec_privilege_mappings (schema_id, privilege_id, pattern, created_by)
        VALUES (p_schema_id, p_privilege_id, v_pattern, v_who);
    END LOOP;
END
$$;

CREATE FUNCTION ords_metadata.module_protect(p_schema_id bigint, p_privilege_id bigint, p_modules text[])
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_module text; v_module_id bigint;
BEGIN
    FOREACH v_module IN ARRAY coalesce(p_modules, '{}') LOOP
        v_module_id := ords_metadata.module_id(p_schema_id, v_module);
        -- A module has at most one privilege: the last assignment wins (as in ORDS's UI).
        DELETE FROM ords_metadata.sec_privilege_modules WHERE module_id = v_module_id;
        INSERT INTO ords_metadata.sec_privilege_modules (privilege_id, module_id) VALUES (p_privilege_id, v_module_id);
    END LOOP;
END
$$;

-- ORDS.DEFINE_PRIVILEGE: create or replace; the role, pattern and module sets are replaced whole
-- (an empty role list leaves a privilege nobody holds: every path it protects answers 401/403).
CREATE FUNCTION ords_metadata.privilege_define(p_schema_id bigint, p_name text, p_roles text[], p_patterns text[],
                                               p_modules text[], p_label text, p_description text, p_comments text)
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint; v_who text := ords_metadata.invoker(); v_role_ids bigint[];
BEGIN
    PERFORM ords_metadata.check_name(p_name, 'p_privilege_name');
    PERFORM ords_metadata.check_text(p_label, 'p_label'), ords_metadata.check_text(p_description, 'p_description'),
            ords_metadata.check_text(p_comments, 'p_comments');
    v_role_ids := ords_metadata.role_ids(p_schema_id, p_roles, 'p_roles');
    INSERT INTO ords_metadata.sec_privileges AS p (schema_id, name, label, description, comments, created_by, updated_by)
    VALUES (p_schema_id, p_name, p_label, p_description, p_comments, v_who, v_who)
    ON CONFLICT (schema_id, name) DO UPDATE
       SET label = EXCLUDED.label, description = EXCLUDED.description, comments = EXCLUDED.comments,
           updated_by = v_who, updated_on = now()
    RETURNING id INTO v_id;
    DELETE FROM ords_metadata.sec_privilege_roles WHERE privilege_id = v_id;
    DELETE FROM ords_metadata.sec_privilege_mappings WHERE privilege_id = v_id;
    DELETE FROM ords_metadata.sec_privilege_modules WHERE privilege_id = v_id;
    INSERT INTO ords_metadata.sec_privilege_roles (privilege_id, role_id)
    SELECT v_id, r FROM unnest(v_role_ids) AS r ON CONFLICT DO NOTHING;
    PERFORM ords_metadata.mapping_add(p_schema_id, v_id, p_patterns);
    PERFORM ords_metadata.module_protect(p_schema_id, v_id, p_modules);
    RETURN v_id;
END
$$;

CREATE FUNCTION ords_metadata.privilege_rename(p_schema_id bigint, p_name text, p_new_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.privilege_id(p_schema_id, p_name, 'p_name');
BEGIN
    PERFORM ords_metadata.check_name(p_new_name, 'p_new_name');
    IF EXISTS (SELECT FROM ords_metadata.sec_privileges WHERE schema_id = p_schema_id AND name = p_new_name AND id <> v_id) THEN
        RAISE EXCEPTION 'ORDS privilege "%" already exists in schema "%"', p_new_name, ords_metadata.schema_name(p_schema_id)
            USING ERRCODE = '42710', HINT = 'Choose another p_new_name.';
    END IF;
    UPDATE ords_metadata.sec_privileges SET name = p_new_name, updated_by = ords_metadata.invoker(), updated_on = now() WHERE id = v_id;
END
$$;

-- ORDS.DELETE_PRIVILEGE_MAPPING. A privilege or mapping that does not exist is not an error (a
-- NOTICE says so): scripts remove ORDS's built-in mappings (/soda/*) that pg_ords never creates
-- (docs/rest-definitions.md#delete-missing).
CREATE FUNCTION ords_metadata.mapping_delete(p_schema_id bigint, p_privilege_name text, p_pattern text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.check_name(p_privilege_name, 'p_privilege_name');
    PERFORM ords_metadata.check_name(p_pattern, 'p_pattern', 2048);
    DELETE FROM ords_metadata.sec_privilege_mappings m
     USING ords_metadata.sec_privileges p
     WHERE p.id = m.privilege_id AND p.schema_id = p_schema_id AND m.schema_id = p_schema_id
       AND p.name = p_privilege_name AND m.pattern = p_pattern;
    IF NOT FOUND THEN
        RAISE NOTICE 'pattern "%" is not mapped to privilege "%" in schema "%": nothing deleted',
            p_pattern, p_privilege_name, ords_metadata.schema_name(p_schema_id);
    END IF;
END
$$;

-- ORDS.SET_MODULE_PRIVILEGE: NULL privilege unprotects the module.
CREATE FUNCTION ords_metadata.module_set_privilege(p_schema_id bigint, p_module_name text, p_privilege_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_module bigint := ords_metadata.module_id(p_schema_id, p_module_name);
BEGIN
    DELETE FROM ords_metadata.sec_privilege_modules WHERE module_id = v_module;
    IF p_privilege_name IS NOT NULL THEN
        INSERT INTO ords_metadata.sec_privilege_modules (privilege_id, module_id)
        VALUES (ords_metadata.privilege_id(p_schema_id, p_privilege_name), v_module);
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Modules, templates, handlers
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION ords_metadata.check_status(p_status text)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_status IS NULL OR upper(p_status) NOT IN ('PUBLISHED', 'NOT_PUBLISHED') THEN
        RAISE EXCEPTION 'p_status must be PUBLISHED or NOT_PUBLISHED, not "%"', p_status USING ERRCODE = '22023';
    END IF;
    RETURN upper(p_status);
END
$$;

CREATE FUNCTION ords_metadata.check_items(p_items integer, p_param text)
RETURNS integer LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_items IS NOT NULL AND (p_items < 0 OR p_items > 10000) THEN
        RAISE EXCEPTION '% must be between 0 and 10000, not %', p_param, p_items USING ERRCODE = '22023';
    END IF;
    RETURN p_items;
END
$$;

-- ORDS.DEFINE_MODULE: create, or replace the module and drop its templates (ORDS semantics).
-- The module keeps its privilege protection across a redefinition.
CREATE FUNCTION ords_metadata.module_define(p_schema_id bigint, p_module_name text, p_base_path text,
                                            p_items_per_page integer, p_status text, p_comments text)
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_id bigint; v_who text := ords_metadata.invoker(); v_prefix text; v_other text;
BEGIN
    PERFORM ords_metadata.check_name(p_module_name, 'p_module_name');
    PERFORM ords_metadata.check_name(p_base_path, 'p_base_path', 2048);
    PERFORM ords_metadata.check_text(p_comments, 'p_comments');
    v_prefix := ords_metadata.normalize_base_path(p_base_path);
    SELECT name INTO v_other FROM ords_metadata.ords_modules
     WHERE schema_id = p_schema_id AND uri_prefix = v_prefix AND name <> p_module_name;
    IF v_other IS NOT NULL THEN
        RAISE EXCEPTION 'base path "%" is already used by module "%"', v_prefix, v_other
            USING ERRCODE = '42710', HINT = 'Choose another p_base_path.';
    END IF;
    INSERT INTO ords_metadata.ords_modules AS m (schema_id, name, uri_prefix, items_per_page, status, comments, created_by, updated_by)
    VALUES (p_schema_id, p_module_name, v_prefix, coalesce(ords_metadata.check_items(p_items_per_page, 'p_items_per_page'), 25),
            ords_metadata.check_status(p_status), p_comments, v_who, v_who)
    ON CONFLICT (schema_id, name) DO UPDATE
       SET uri_prefix = EXCLUDED.uri_prefix, items_per_page = EXCLUDED.items_per_page, status = EXCLUDED.status,
           comments = EXCLUDED.comments, updated_by = v_who, updated_on = now()
    RETURNING id INTO v_id;
    DELETE FROM ords_metadata.ords_templates WHERE module_id = v_id;
    RETURN v_id;
END
$$;

CREATE FUNCTION ords_metadata.check_uri_template(p_pattern text)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_pattern IS NULL THEN
        RAISE EXCEPTION 'p_pattern must not be NULL' USING ERRCODE = '22023', HINT = 'Use '''' for the module''s base path itself.';
    END IF;
    PERFORM ords_metadata.check_text(p_pattern, 'p_pattern', 2048);
    IF p_pattern LIKE '/%' OR p_pattern ~ '[\x01-\x1f\x7f?#\\]' OR p_pattern ~ '(^|/)\.\.?(/|$)' THEN
        RAISE EXCEPTION 'template pattern "%" is not valid', p_pattern
            USING ERRCODE = '22023',
                  HINT = 'A template pattern is relative to the module base path: no leading "/", no "." or ".." segments, no "?", "#" or "\", e.g. ''validation/:id''.';
    END IF;
    RETURN p_pattern;
END
$$;

-- A template pattern as stored: ORDS's '.' (the module's base path itself) is stored as '', the
-- same resource; any other pattern is checked by check_uri_template
-- (docs/rest-definitions.md#dot-pattern).
CREATE FUNCTION ords_metadata.template_pattern(p_pattern text)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_pattern = '.' THEN
        RETURN '';
    END IF;
    RETURN ords_metadata.check_uri_template(p_pattern);
END
$$;

-- ORDS.DEFINE_TEMPLATE: create, or replace the template and drop its handlers.
CREATE FUNCTION ords_metadata.template_define(p_schema_id bigint, p_module_name text, p_pattern text, p_priority integer,
                                              p_etag_type text, p_etag_query text, p_comments text)
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_module bigint := ords_metadata.module_id(p_schema_id, p_module_name); v_id bigint; v_who text := ords_metadata.invoker();
        v_pattern text := ords_metadata.template_pattern(p_pattern);
BEGIN
    IF upper(coalesce(p_etag_type, 'HASH')) NOT IN ('HASH', 'QUERY', 'NONE') THEN
        RAISE EXCEPTION 'p_etag_type must be HASH, QUERY or NONE, not "%"', p_etag_type USING ERRCODE = '22023';
    END IF;
    IF p_priority IS NOT NULL AND p_priority NOT BETWEEN 0 AND 9 THEN
        RAISE EXCEPTION 'p_priority must be between 0 and 9, not %', p_priority USING ERRCODE = '22023';
    END IF;
    INSERT INTO ords_metadata.ords_templates AS t (module_id, uri_template, priority, etag_type, etag_query, comments, created_by, updated_by)
    VALUES (v_module, v_pattern, coalesce(p_priority, 0), upper(coalesce(p_etag_type, 'HASH')),
            ords_metadata.check_text(p_etag_query, 'p_etag_query', 32768), ords_metadata.check_text(p_comments, 'p_comments'), v_who, v_who)
    ON CONFLICT (module_id, uri_template) DO UPDATE
       SET priority = EXCLUDED.priority, etag_type = EXCLUDED.etag_type, etag_query = EXCLUDED.etag_query,
           comments = EXCLUDED.comments, updated_by = v_who, updated_on = now()
    RETURNING id INTO v_id;
    DELETE FROM ords_metadata.ords_handlers WHERE template_id = v_id;
    RETURN v_id;
END
$$;

-- ORDS source types (the values of ords.source_type_* constants).
CREATE FUNCTION ords_metadata.check_source_type(p_source_type text)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_source_type IS NULL OR p_source_type NOT IN ('json/collection', 'json/item', 'json/query', 'json/query;type=single',
                                                      'csv/query', 'plsql/block', 'resource/lob', 'json/query;type=feed') THEN
        RAISE EXCEPTION 'p_source_type "%" is not a known ORDS source type', p_source_type
            USING ERRCODE = '22023',
                  HINT = 'Use ords.source_type_collection_feed() (json/collection), ords.source_type_collection_item() (json/item), ords.source_type_query() (json/query), ords.source_type_query_one_row() (json/query;type=single), ''csv/query'', ''plsql/block'', ''resource/lob'' or ords.source_type_feed() (json/query;type=feed).';
    END IF;
    RETURN p_source_type;
END
$$;

-- ORDS.DEFINE_HANDLER: create or replace the handler of one method on a template.
CREATE FUNCTION ords_metadata.handler_define(p_schema_id bigint, p_module_name text, p_pattern text, p_method text,
                                             p_source_type text, p_source text, p_items_per_page integer,
                                             p_mimes_allowed text, p_comments text)
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_module bigint := ords_metadata.module_id(p_schema_id, p_module_name);
    v_pattern text := ords_metadata.template_pattern(p_pattern);
    v_template bigint; v_id bigint; v_who text := ords_metadata.invoker();
BEGIN
    SELECT id INTO v_template FROM ords_metadata.ords_templates WHERE module_id = v_module AND uri_template = v_pattern;
    IF v_template IS NULL THEN
        RAISE EXCEPTION 'template "%" does not exist in module "%"', p_pattern, p_module_name
            USING ERRCODE = '42704', HINT = 'Create it with ords.define_template(p_module_name => ..., p_pattern => ...).';
    END IF;
    IF p_method IS NULL OR upper(p_method) NOT IN ('GET', 'POST', 'PUT', 'DELETE') THEN
        RAISE EXCEPTION 'p_method must be GET, POST, PUT or DELETE, not "%"', p_method USING ERRCODE = '22023';
    END IF;
    PERFORM ords_metadata.check_source(p_source, 'p_source');
    INSERT INTO ords_metadata.ords_handlers AS h (template_id, method, source_type, source, items_per_page, mimes_allowed, comments, created_by, updated_by)
    VALUES (v_template, upper(p_method), ords_metadata.check_source_type(p_source_type), p_source,
            ords_metadata.check_items(p_items_per_page, 'p_items_per_page'),
            ords_metadata.check_text(p_mimes_allowed, 'p_mimes_allowed'), ords_metadata.check_text(p_comments, 'p_comments'), v_who, v_who)
    ON CONFLICT (template_id, method) DO UPDATE
       SET source_type = EXCLUDED.source_type, source = EXCLUDED.source, items_per_page = EXCLUDED.items_per_page,
           mimes_allowed = EXCLUDED.mimes_allowed, comments = EXCLUDED.comments, updated_by = v_who, updated_on = now()
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- ORDS.DELETE_MODULE. A module that does not exist is not an error (a NOTICE says so)
-- (docs/rest-definitions.md#delete-missing).
CREATE FUNCTION ords_metadata.module_delete(p_schema_id bigint, p_module_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.check_name(p_module_name, 'p_module_name');
    -- Cascades to templates, handlers, parameters and the module's privilege link.
    DELETE FROM ords_metadata.ords_modules WHERE schema_id = p_schema_id AND name = p_module_name;
    IF NOT FOUND THEN
        RAISE NOTICE 'ORDS module "%" does not exist in schema "%": nothing deleted', p_module_name, ords_metadata.schema_name(p_schema_id);
    END IF;
END
$$;

-- ORDS.PUBLISH_MODULE: PUBLISHED modules are served, NOT_PUBLISHED ones are not.
CREATE FUNCTION ords_metadata.module_publish(p_schema_id bigint, p_module_name text, p_status text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.module_id(p_schema_id, p_module_name);
BEGIN
    UPDATE ords_metadata.ords_modules SET status = ords_metadata.check_status(p_status),
           updated_by = ords_metadata.invoker(), updated_on = now()
     WHERE id = v_id;
END
$$;

-- ORDS.RENAME_MODULE: a new name and/or a new base path (NULL keeps it). Templates, handlers,
-- parameters and the module's privilege stay.
CREATE FUNCTION ords_metadata.module_rename(p_schema_id bigint, p_module_name text, p_new_name text, p_new_base_path text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.module_id(p_schema_id, p_module_name); v_prefix text; v_other text;
BEGIN
    IF p_new_name IS NULL AND p_new_base_path IS NULL THEN
        RAISE EXCEPTION 'p_new_name and p_new_base_path must not both be NULL' USING ERRCODE = '22023',
            HINT = 'Pass the new module name, the new base path, or both.';
    END IF;
    IF p_new_name IS NOT NULL THEN
        PERFORM ords_metadata.check_name(p_new_name, 'p_new_name');
        SELECT name INTO v_other FROM ords_metadata.ords_modules WHERE schema_id = p_schema_id AND name = p_new_name AND id <> v_id;
        IF v_other IS NOT NULL THEN
            RAISE EXCEPTION 'ORDS module "%" already exists in schema "%"', p_new_name, ords_metadata.schema_name(p_schema_id)
                USING ERRCODE = '42710', HINT = 'Choose another p_new_name.';
        END IF;
    END IF;
    IF p_new_base_path IS NOT NULL THEN
        PERFORM ords_metadata.check_name(p_new_base_path, 'p_new_base_path', 2048);
        v_prefix := ords_metadata.normalize_base_path(p_new_base_path);
        SELECT name INTO v_other FROM ords_metadata.ords_modules WHERE schema_id = p_schema_id AND uri_prefix = v_prefix AND id <> v_id;
        IF v_other IS NOT NULL THEN
            RAISE EXCEPTION 'base path "%" is already used by module "%"', v_prefix, v_other
                USING ERRCODE = '42710', HINT = 'Choose another p_new_base_path.';
        END IF;
    END IF;
    UPDATE ords_metadata.ords_modules SET name = coalesce(p_new_name, name), uri_prefix = coalesce(v_prefix, uri_prefix),
           updated_by = ords_metadata.invoker(), updated_on = now()
     WHERE id = v_id;
END
$$;

-- ORDS.SET_MODULE_ORIGINS_ALLOWED: a comma-separated list of origins; NULL or '' clears it.
-- Stored and listed (user_ords_modules.origins_allowed); the gateway does not answer CORS yet.
CREATE FUNCTION ords_metadata.module_set_origins(p_schema_id bigint, p_module_name text, p_origins_allowed text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.module_id(p_schema_id, p_module_name);
BEGIN
    PERFORM ords_metadata.check_text(p_origins_allowed, 'p_origins_allowed');
    IF p_origins_allowed ~ '[\x01-\x1f\x7f]' THEN
        RAISE EXCEPTION 'p_origins_allowed must not contain control characters' USING ERRCODE = '22023';
    END IF;
    UPDATE ords_metadata.ords_modules SET origins_allowed = nullif(btrim(p_origins_allowed), ''),
           updated_by = ords_metadata.invoker(), updated_on = now()
     WHERE id = v_id;
END
$$;

-- The handler of one method on one template of a module (unknown → 42704).
CREATE FUNCTION ords_metadata.handler_id(p_schema_id bigint, p_module_name text, p_pattern text, p_method text)
RETURNS bigint LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_module bigint := ords_metadata.module_id(p_schema_id, p_module_name);
    v_pattern text := ords_metadata.template_pattern(p_pattern);
    v_id bigint;
BEGIN
    IF p_method IS NULL OR upper(p_method) NOT IN ('GET', 'POST', 'PUT', 'DELETE') THEN
        RAISE EXCEPTION 'p_method must be GET, POST, PUT or DELETE, not "%"', p_method USING ERRCODE = '22023';
    END IF;
    SELECT h.id INTO v_id FROM ords_metadata.ords_handlers h JOIN ords_metadata.ords_templates t ON t.id = h.template_id
     WHERE t.module_id = v_module AND t.uri_template = v_pattern AND h.method = upper(p_method);
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'handler % "%" does not exist in module "%"', upper(p_method), p_pattern, p_module_name
            USING ERRCODE = '42704', HINT = 'Create it with ords.define_handler(p_module_name => ..., p_pattern => ..., p_method => ...).';
    END IF;
    RETURN v_id;
END
$$;

-- One of a fixed list of upper-case values, or 22023 naming the parameter and the accepted values.
CREATE FUNCTION ords_metadata.check_choice(p_value text, p_param text, p_accepted text[])
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_value IS NULL OR NOT (upper(p_value) = ANY (p_accepted)) THEN
        RAISE EXCEPTION '% must be one of %, not "%"', p_param, array_to_string(p_accepted, ', '), p_value
            USING ERRCODE = '22023';
    END IF;
    RETURN upper(p_value);
END
$$;

-- ORDS.DEFINE_PARAMETER: create, or replace the parameter of that name on the handler.
CREATE FUNCTION ords_metadata.parameter_define(p_schema_id bigint, p_module_name text, p_pattern text, p_method text,
                                               p_name text, p_bind_variable_name text, p_source_type text,
                                               p_param_type text, p_access_method text, p_comments text)
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_handler bigint := ords_metadata.handler_id(p_schema_id, p_module_name, p_pattern, p_method);
    v_id bigint; v_who text := ords_metadata.invoker();
    v_source text := ords_metadata.check_choice(p_source_type, 'p_source_type', ARRAY['HEADER', 'RESPONSE', 'URI']);
    v_type text := ords_metadata.check_choice(p_param_type, 'p_param_type',
                                              ARRAY['STRING', 'INT', 'DOUBLE', 'BOOLEAN', 'LONG', 'TIMESTAMP', 'RESULTSET']);
    v_access text := ords_metadata.check_choice(p_access_method, 'p_access_method', ARRAY['IN', 'OUT', 'INOUT']);
BEGIN
    PERFORM ords_metadata.check_name(p_name, 'p_name');
    IF p_bind_variable_name IS NOT NULL THEN
        PERFORM ords_metadata.check_name(p_bind_variable_name, 'p_bind_variable_name', 128);
    END IF;
    INSERT INTO ords_metadata.ords_parameters AS p (handler_id, name, bind_variable_name, source_type, param_type,
                                                    access_method, comments, created_by, updated_by)
    VALUES (v_handler, p_name, p_bind_variable_name, v_source, v_type, v_access,
            ords_metadata.check_text(p_comments, 'p_comments'), v_who, v_who)
    ON CONFLICT (handler_id, name) DO UPDATE
       SET bind_variable_name = EXCLUDED.bind_variable_name, source_type = EXCLUDED.source_type,
           param_type = EXCLUDED.param_type, access_method = EXCLUDED.access_method, comments = EXCLUDED.comments,
           updated_by = v_who, updated_on = now()
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- ORDS.ENABLE_OBJECT: record (or disable) an AutoREST object of a schema. Stored only: nothing
-- serves AutoREST objects yet (docs/rest-definitions.md#enable-object).
CREATE FUNCTION ords_metadata.object_enable(p_enabled boolean, p_schema_id bigint, p_object text, p_object_type text,
                                            p_object_alias text, p_auto_rest_auth boolean)
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_type text := ords_metadata.check_choice(coalesce(p_object_type, 'TABLE'), 'p_object_type',
                                              ARRAY['TABLE', 'VIEW', 'MVIEW', 'PACKAGE', 'PROCEDURE', 'FUNCTION']);
    v_alias text; v_other text; v_id bigint; v_who text := ords_metadata.invoker();
BEGIN
    PERFORM ords_metadata.check_name(p_object, 'p_object', 128);
    v_alias := coalesce(p_object_alias, lower(p_object));
    IF v_alias !~ '^[A-Za-z0-9_-]{1,128}$' THEN
        RAISE EXCEPTION 'object alias "%" is not a valid URL segment', v_alias
            USING ERRCODE = '22023',
                  HINT = 'Pass p_object_alias => ''alias'' made of letters, digits, "_" and "-" (at most 128 characters).';
    END IF;
    SELECT parsing_object INTO v_other FROM ords_metadata.ords_objects
     WHERE schema_id = p_schema_id AND object_alias = v_alias AND parsing_object <> p_object;
    IF v_other IS NOT NULL THEN
        RAISE EXCEPTION 'object alias "%" is already used by object "%"', v_alias, v_other
            USING ERRCODE = '42710', HINT = 'Choose another p_object_alias.';
    END IF;
    INSERT INTO ords_metadata.ords_objects AS o (schema_id, parsing_object, object_alias, type, status, auto_rest_auth,
                                                 created_by, updated_by)
    VALUES (p_schema_id, p_object, v_alias, v_type, CASE WHEN coalesce(p_enabled, true) THEN 'ENABLED' ELSE 'DISABLED' END,
            coalesce(p_auto_rest_auth, false), v_who, v_who)
    ON CONFLICT (schema_id, parsing_object) DO UPDATE
       SET object_alias = EXCLUDED.object_alias, type = EXCLUDED.type, status = EXCLUDED.status,
           auto_rest_auth = coalesce(p_auto_rest_auth, o.auto_rest_auth), updated_by = v_who, updated_on = now()
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- ORDS.SET_URL_MAPPING: a new URL mapping (type and alias) for a REST-enabled schema, keeping its
-- status; the alias rules of ords.enable_schema apply (docs/ownership.md#aliases).
CREATE FUNCTION ords_metadata.schema_set_url_mapping(p_schema text, p_url_mapping_type text, p_url_mapping_pattern text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_status text;
BEGIN
    PERFORM ords_metadata.check_name(p_schema, 'p_schema', 63);
    SELECT status INTO v_status FROM ords_metadata.ords_schemas WHERE parsing_schema = p_schema;
    IF v_status IS NULL THEN
        RAISE EXCEPTION 'schema "%" is not REST-enabled', p_schema
            USING ERRCODE = '55000', HINT = 'Enable it with ords.enable_schema first.';
    END IF;
    PERFORM ords_metadata.schema_enable(v_status = 'ENABLED', p_schema, p_url_mapping_type, p_url_mapping_pattern, NULL);
END
$$;

-- ---------------------------------------------------------------------------------------------
-- OAuth clients
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION ords_metadata.check_grant_type(p_grant_type text)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_grant_type IS NULL OR p_grant_type NOT IN ('authorization_code', 'implicit', 'client_credentials') THEN
        RAISE EXCEPTION 'p_grant_type must be one of authorization_code, implicit, client_credentials, not "%"', p_grant_type
            USING ERRCODE = '22023', HINT = 'Machine-to-machine clients use ''client_credentials''.';
    END IF;
    RETURN p_grant_type;
END
$$;

-- A caller-chosen secret (update_client_secret, register_client_secret): 16 to 1024 characters,
-- no control characters. The value itself is never shown in a message.
CREATE FUNCTION ords_metadata.check_secret(p_secret text, p_param text)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
BEGIN
    IF p_secret IS NULL OR char_length(p_secret) < 16 OR char_length(p_secret) > 1024 OR p_secret ~ '[\x01-\x1f\x7f]' THEN
        RAISE EXCEPTION '% must be 16 to 1024 printable characters', p_param
            USING ERRCODE = '22023', HINT = 'Omit it to have pg_ords generate a 256-bit secret.';
    END IF;
    RETURN p_secret;
END
$$;

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

CREATE FUNCTION ords_metadata.client_set_privileges(p_schema_id bigint, p_client bigint, p_privilege_names text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_name text; v_ids bigint[] := '{}';
BEGIN
    PERFORM ords_metadata.check_text(p_privilege_names, 'p_privilege_names');
    FOREACH v_name IN ARRAY ords_metadata.split_list(p_privilege_names) LOOP
        v_ids := v_ids || ords_metadata.privilege_id(p_schema_id, v_name, 'p_privilege_names');
    END LOOP;
    DELETE FROM ords_metadata.oauth_client_privileges WHERE client_id = p_client;
    INSERT INTO ords_metadata.oauth_client_privileges (client_id, privilege_id)
    SELECT p_client, x FROM unnest(v_ids) AS x ON CONFLICT DO NOTHING;
END
$$;

-- Store a secret in a slot: the free slot if any, else over the older one; with
-- p_revoke_existing every other secret goes; with p_revoke_sessions every issued token goes.
-- p_secret NULL generates a 256-bit secret. Returns the plaintext (shown once, never stored).
CREATE FUNCTION ords_metadata.client_add_secret(p_client bigint, p_secret text, p_revoke_existing boolean, p_revoke_sessions boolean)
RETURNS text LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE
    v_generated boolean := p_secret IS NULL;
    v_secret text := coalesce(p_secret, ords_metadata.generate_secret());
    v_hash text := ords_metadata.hash_secret(v_secret, v_generated);
    v_slot smallint;
BEGIN
    IF coalesce(p_revoke_existing, false) THEN
        DELETE FROM ords_metadata.oauth_client_secrets WHERE client_id = p_client;
    END IF;
    SELECT s INTO v_slot FROM unnest(ARRAY[1, 2]::smallint[]) AS s
     WHERE NOT EXISTS (SELECT FROM ords_metadata.oauth_client_secrets x WHERE x.client_id = p_client AND x.slot = s)
     ORDER BY s LIMIT 1;
    IF v_slot IS NULL THEN
        SELECT slot INTO v_slot FROM ords_metadata.oauth_client_secrets WHERE client_id = p_client ORDER BY issued_on, slot LIMIT 1;
        DELETE FROM ords_metadata.oauth_client_secrets WHERE client_id = p_client AND slot = v_slot;
    END IF;
    INSERT INTO ords_metadata.oauth_client_secrets (client_id, slot, secret_hash) VALUES (p_client, v_slot, v_hash);
    IF coalesce(p_revoke_sessions, false) THEN
        DELETE FROM ords_metadata.oauth_sessions WHERE client_id = p_client;
    END IF;
    UPDATE ords_metadata.oauth_clients SET updated_by = ords_metadata.invoker(), updated_on = now() WHERE id = p_client;
    RETURN v_secret;
END
$$;

-- Create a client. p_secret_mode: 'generate' (oauth.create_client), 'given' (p_secret),
-- 'skip' (import_client, register_client without a secret).
CREATE FUNCTION ords_metadata.client_create(
    p_schema_id bigint, p_name text, p_grant_type text, p_owner text, p_description text,
    p_origins_allowed text, p_redirect_uri text, p_support_email text, p_support_uri text,
    p_privilege_names text, p_token_duration integer, p_refresh_duration integer, p_code_duration integer,
    p_client_id text, p_secret_mode text, p_secret text)
RETURNS TABLE (id bigint, name text, client_id text, client_secret text)
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE
    v_who text := ords_metadata.invoker();
    v_id bigint;
    v_client_id text := p_client_id;
    v_secret text;
BEGIN
    PERFORM ords_metadata.check_name(p_name, 'p_name');
    PERFORM ords_metadata.check_grant_type(p_grant_type);
    IF p_grant_type <> 'client_credentials' AND (p_description IS NULL OR btrim(p_description) = '') THEN
        RAISE EXCEPTION 'p_description is required for % clients', p_grant_type
            USING ERRCODE = '22023', HINT = 'It is shown to users on the approval page; only client_credentials clients may omit it.';
    END IF;
    IF p_grant_type <> 'client_credentials' AND (p_redirect_uri IS NULL OR btrim(p_redirect_uri) = '') THEN
        RAISE EXCEPTION 'p_redirect_uri is required for % clients', p_grant_type
            USING ERRCODE = '22023', HINT = 'Only client_credentials clients may omit it.';
    END IF;
    PERFORM ords_metadata.check_text(p_owner, 'p_owner'), ords_metadata.check_text(p_description, 'p_description'),
            ords_metadata.check_text(p_origins_allowed, 'p_origins_allowed'), ords_metadata.check_text(p_redirect_uri, 'p_redirect_uri'),
            ords_metadata.check_text(p_support_email, 'p_support_email'), ords_metadata.check_text(p_support_uri, 'p_support_uri');
    PERFORM ords_metadata.check_duration(p_token_duration, 'p_token_duration'),
            ords_metadata.check_duration(p_refresh_duration, 'p_refresh_duration'),
            ords_metadata.check_duration(p_code_duration, 'p_code_duration');
    IF v_client_id IS NULL THEN
        v_client_id := ords_metadata.generate_client_id();
    ELSE
        PERFORM ords_metadata.check_name(v_client_id, 'p_client_id');
        IF v_client_id ~ '[\s:]' THEN
            RAISE EXCEPTION 'p_client_id must not contain white space or ":"' USING ERRCODE = '22023',
                HINT = 'HTTP Basic authentication separates client_id and secret with ":".';
        END IF;
        IF EXISTS (SELECT FROM ords_metadata.oauth_clients c WHERE c.client_id = v_client_id) THEN
            RAISE EXCEPTION 'an OAuth client with this client_id already exists' USING ERRCODE = '23505',
                HINT = 'client_id values are unique across all schemas; omit p_client_id to generate one.';
        END IF;
    END IF;
    IF p_secret_mode = 'given' THEN
        PERFORM ords_metadata.check_secret(p_secret, 'p_client_secret');
    END IF;
    IF EXISTS (SELECT FROM ords_metadata.oauth_clients c WHERE c.schema_id = p_schema_id AND c.name = p_name) THEN
        RAISE EXCEPTION 'OAuth client "%" already exists in schema "%"', p_name, ords_metadata.schema_name(p_schema_id)
            USING ERRCODE = '42710', HINT = 'Choose another p_name, or oauth.delete_client the existing one first.';
    END IF;
    BEGIN
        INSERT INTO ords_metadata.oauth_clients AS c
            (schema_id, name, grant_type, client_id, owner, description, origins_allowed, redirect_uri,
             support_email, support_uri, token_duration, refresh_duration, code_duration, created_by, updated_by)
        VALUES (p_schema_id, p_name, p_grant_type, v_client_id, p_owner, p_description, p_origins_allowed, p_redirect_uri,
                p_support_email, p_support_uri, p_token_duration, p_refresh_duration, p_code_duration, v_who, v_who)
        RETURNING c.id INTO v_id;
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION 'OAuth client "%" (or its client_id) was created concurrently', p_name
            USING ERRCODE = '42710', HINT = 'Retry, or choose another p_name.';
    END;
    PERFORM ords_metadata.client_set_privileges(p_schema_id, v_id, p_privilege_names);
    IF p_secret_mode IN ('generate', 'given') THEN
        v_secret := ords_metadata.client_add_secret(v_id, CASE WHEN p_secret_mode = 'given' THEN p_secret END, false, false);
    END IF;
    RETURN QUERY SELECT v_id, p_name, v_client_id, v_secret;
END
$$;

-- Update a client's descriptive fields: NULL keeps the current value, '' clears it.
CREATE FUNCTION ords_metadata.client_update(
    p_schema_id bigint, p_name text, p_new_name text, p_description text, p_origins_allowed text,
    p_redirect_uri text, p_support_email text, p_support_uri text, p_privilege_names text,
    p_token_duration integer, p_refresh_duration integer, p_code_duration integer)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.client_id_of(p_schema_id, p_name);
BEGIN
    PERFORM ords_metadata.check_text(p_description, 'p_description'), ords_metadata.check_text(p_origins_allowed, 'p_origins_allowed'),
            ords_metadata.check_text(p_redirect_uri, 'p_redirect_uri'), ords_metadata.check_text(p_support_email, 'p_support_email'),
            ords_metadata.check_text(p_support_uri, 'p_support_uri');
    PERFORM ords_metadata.check_duration(p_token_duration, 'p_token_duration'),
            ords_metadata.check_duration(p_refresh_duration, 'p_refresh_duration'),
            ords_metadata.check_duration(p_code_duration, 'p_code_duration');
    IF p_new_name IS NOT NULL THEN
        PERFORM ords_metadata.client_rename(p_schema_id, p_name, p_new_name);
    END IF;
    UPDATE ords_metadata.oauth_clients c SET
        description      = CASE WHEN p_description IS NULL THEN c.description ELSE nullif(p_description, '') END,
        origins_allowed  = CASE WHEN p_origins_allowed IS NULL THEN c.origins_allowed ELSE nullif(p_origins_allowed, '') END,
        redirect_uri     = CASE WHEN p_redirect_uri IS NULL THEN c.redirect_uri ELSE nullif(p_redirect_uri, '') END,
        support_email    = CASE WHEN p_support_email IS NULL THEN c.support_email ELSE nullif(p_support_email, '') END,
        support_uri      = CASE WHEN p_support_uri IS NULL THEN c.support_uri ELSE nullif(p_support_uri, '') END,
        token_duration   = coalesce(p_token_duration, c.token_duration),
        refresh_duration = coalesce(p_refresh_duration, c.refresh_duration),
        code_duration    = coalesce(p_code_duration, c.code_duration),
        updated_by = ords_metadata.invoker(), updated_on = now()
     WHERE c.id = v_id;
    IF p_privilege_names IS NOT NULL THEN
        PERFORM ords_metadata.client_set_privileges(p_schema_id, v_id, p_privilege_names);
    END IF;
END
$$;

CREATE FUNCTION ords_metadata.client_rename(p_schema_id bigint, p_name text, p_new_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.client_id_of(p_schema_id, p_name);
BEGIN
    PERFORM ords_metadata.check_name(p_new_name, 'p_new_name');
    IF EXISTS (SELECT FROM ords_metadata.oauth_clients WHERE schema_id = p_schema_id AND name = p_new_name AND id <> v_id) THEN
        RAISE EXCEPTION 'OAuth client "%" already exists in schema "%"', p_new_name, ords_metadata.schema_name(p_schema_id)
            USING ERRCODE = '42710', HINT = 'Choose another p_new_name.';
    END IF;
    UPDATE ords_metadata.oauth_clients SET name = p_new_name, updated_by = ords_metadata.invoker(), updated_on = now() WHERE id = v_id;
END
$$;

CREATE FUNCTION ords_metadata.client_token_duration(p_schema_id bigint, p_name text, p_token_duration integer,
                                                    p_refresh_duration integer, p_code_duration integer)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.client_id_of(p_schema_id, p_name);
BEGIN
    UPDATE ords_metadata.oauth_clients
       SET token_duration = ords_metadata.check_duration(p_token_duration, 'p_token_duration'),
           refresh_duration = ords_metadata.check_duration(p_refresh_duration, 'p_refresh_duration'),
           code_duration = ords_metadata.check_duration(p_code_duration, 'p_code_duration'),
           updated_by = ords_metadata.invoker(), updated_on = now()
     WHERE id = v_id;
END
$$;

-- A client that does not exist: a NOTICE, not an error, as ORDS does, so a script that deletes
-- then creates a client runs twice (docs/clients.md#missing).
CREATE FUNCTION ords_metadata.client_delete(p_schema_id bigint, p_name text)
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

CREATE FUNCTION ords_metadata.client_grant_role(p_schema_id bigint, p_client_name text, p_role_name text)
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
CREATE FUNCTION ords_metadata.client_revoke_role(p_schema_id bigint, p_client_name text, p_role_name text)
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

CREATE FUNCTION ords_metadata.client_rotate_secret(p_schema_id bigint, p_name text, p_secret text,
                                                   p_revoke_existing boolean, p_revoke_sessions boolean)
RETURNS text LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_id bigint := ords_metadata.client_id_of(p_schema_id, p_name);
BEGIN
    IF p_secret IS NOT NULL THEN
        PERFORM ords_metadata.check_secret(p_secret, 'p_client_secret');
    END IF;
    RETURN ords_metadata.client_add_secret(v_id, p_secret, p_revoke_existing, p_revoke_sessions);
END
$$;

-- Revoke secrets by slot: NULL = the older one, 1 or 2, 3 = both. Returns the slot revoked
-- (3 = both, NULL = none: the client had no secret).
CREATE FUNCTION ords_metadata.client_revoke_secrets(p_schema_id bigint, p_name text, p_slot integer, p_revoke_sessions boolean)
RETURNS integer LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.client_id_of(p_schema_id, p_name); v_slot integer; v_n integer;
BEGIN
    IF p_slot IS NOT NULL AND p_slot NOT IN (1, 2, 3) THEN
        RAISE EXCEPTION 'p_slot must be 1, 2, 3 (both) or NULL (the older secret), not %', p_slot USING ERRCODE = '22023';
    END IF;
    IF p_slot = 3 THEN
        DELETE FROM ords_metadata.oauth_client_secrets WHERE client_id = v_id;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_slot := CASE v_n WHEN 0 THEN NULL ELSE 3 END;
    ELSE
        SELECT slot INTO v_slot FROM ords_metadata.oauth_client_secrets
         WHERE client_id = v_id AND (p_slot IS NULL OR slot = p_slot) ORDER BY issued_on, slot LIMIT 1;
        DELETE FROM ords_metadata.oauth_client_secrets WHERE client_id = v_id AND slot = v_slot;
    END IF;
    IF coalesce(p_revoke_sessions, false) THEN
        DELETE FROM ords_metadata.oauth_sessions WHERE client_id = v_id;
    END IF;
    RETURN v_slot;
END
$$;

-- Revoke the secret whose value is given (NULL: the older one).
CREATE FUNCTION ords_metadata.client_revoke_secret_value(p_schema_id bigint, p_name text, p_client_secret text, p_revoke_sessions boolean)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE v_id bigint := ords_metadata.client_id_of(p_schema_id, p_name); v_slot smallint;
BEGIN
    IF p_client_secret IS NULL THEN
        PERFORM ords_metadata.client_revoke_secrets(p_schema_id, p_name, NULL, p_revoke_sessions);
        RETURN;
    END IF;
    SELECT s.slot INTO v_slot FROM ords_metadata.oauth_client_secrets s
     WHERE s.client_id = v_id AND ords_metadata.verify_secret(p_client_secret, s.secret_hash)
     ORDER BY s.slot LIMIT 1;
    IF v_slot IS NULL THEN
        RAISE EXCEPTION 'no secret of OAuth client "%" matches the value given', p_name
            USING ERRCODE = '42704', HINT = 'Pass NULL to revoke the older secret, or use ords_security.revoke_client_secrets(p_name, p_slot).';
    END IF;
    DELETE FROM ords_metadata.oauth_client_secrets WHERE client_id = v_id AND slot = v_slot;
    IF coalesce(p_revoke_sessions, false) THEN
        DELETE FROM ords_metadata.oauth_sessions WHERE client_id = v_id;
    END IF;
END
$$;

-- ORDS.DELETE_PRIVILEGE. A privilege that does not exist is not an error (a NOTICE says so)
-- (docs/rest-definitions.md#delete-missing).
CREATE FUNCTION ords_metadata.privilege_delete(p_schema_id bigint, p_name text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.check_name(p_name, 'p_name');
    -- Cascades to its role requirements, patterns, module links and client requests.
    DELETE FROM ords_metadata.sec_privileges WHERE schema_id = p_schema_id AND name = p_name;
    IF NOT FOUND THEN
        RAISE NOTICE 'ORDS privilege "%" does not exist in schema "%": nothing deleted', p_name, ords_metadata.schema_name(p_schema_id);
    END IF;
END
$$;
