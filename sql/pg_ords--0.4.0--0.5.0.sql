-- pg_ords 0.4.0 -> 0.5.0: the ORDS calls a DBA's scripts use, verbatim (docs/ords-compatibility.md).
-- Each area keeps its own section; the upgrade test compares the result with a fresh install.

-- == REST definitions: ORDS and ORDS_ADMIN (parameters, services, modules, url mappings) ==

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


-- Handler parameters and AutoREST objects (sql/catalog.sql).

CREATE TABLE ords_metadata.ords_parameters (
    id                 bigint PRIMARY KEY DEFAULT nextval('ords_metadata.id_seq'),
    handler_id         bigint NOT NULL REFERENCES ords_metadata.ords_handlers(id) ON DELETE CASCADE,
    name               text NOT NULL,
    bind_variable_name text,
    source_type        text NOT NULL DEFAULT 'HEADER' CHECK (source_type IN ('HEADER', 'RESPONSE', 'URI')),
    param_type         text NOT NULL DEFAULT 'STRING'
                       CHECK (param_type IN ('STRING', 'INT', 'DOUBLE', 'BOOLEAN', 'LONG', 'TIMESTAMP', 'RESULTSET')),
    access_method      text NOT NULL DEFAULT 'IN' CHECK (access_method IN ('IN', 'OUT', 'INOUT')),
    comments           text,
    created_by         text NOT NULL,
    created_on         timestamptz NOT NULL DEFAULT now(),
    updated_by         text NOT NULL,
    updated_on         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (handler_id, name)
);


CREATE TABLE ords_metadata.ords_objects (
    id              bigint PRIMARY KEY DEFAULT nextval('ords_metadata.id_seq'),
    schema_id       bigint NOT NULL REFERENCES ords_metadata.ords_schemas(id) ON DELETE CASCADE,
    parsing_object  text NOT NULL,                 -- the object's name, as given
    object_alias    text NOT NULL,                 -- its URL segment
    type            text NOT NULL CHECK (type IN ('TABLE', 'VIEW', 'MVIEW', 'PACKAGE', 'PROCEDURE', 'FUNCTION')),
    status          text NOT NULL DEFAULT 'ENABLED' CHECK (status IN ('ENABLED', 'DISABLED')),
    auto_rest_auth  boolean NOT NULL DEFAULT false,
    created_by      text NOT NULL,
    created_on      timestamptz NOT NULL DEFAULT now(),
    updated_by      text NOT NULL,
    updated_on      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (schema_id, parsing_object),
    UNIQUE (schema_id, object_alias)
);

SELECT pg_catalog.pg_extension_config_dump('ords_metadata.ords_objects', '');

SELECT pg_catalog.pg_extension_config_dump('ords_metadata.ords_parameters', '');

CREATE TRIGGER invalidate_caches AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ords_metadata.ords_objects
    FOR EACH STATEMENT EXECUTE FUNCTION ords_metadata.on_catalog_change();
ALTER TABLE ords_metadata.ords_objects ENABLE ALWAYS TRIGGER invalidate_caches;

CREATE TRIGGER invalidate_caches AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ords_metadata.ords_parameters
    FOR EACH STATEMENT EXECUTE FUNCTION ords_metadata.on_catalog_change();
ALTER TABLE ords_metadata.ords_parameters ENABLE ALWAYS TRIGGER invalidate_caches;

REVOKE ALL ON ords_metadata.ords_parameters, ords_metadata.ords_objects FROM PUBLIC;


-- Deleting a missing role, privilege, mapping or module is a NOTICE; '.' is the module's base path;
-- the feed source type (sql/core.sql).

CREATE OR REPLACE FUNCTION ords_metadata.role_delete(p_schema_id bigint, p_role_name text)
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

CREATE OR REPLACE FUNCTION ords_metadata.mapping_delete(p_schema_id bigint, p_privilege_name text, p_pattern text)
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

CREATE OR REPLACE FUNCTION ords_metadata.privilege_delete(p_schema_id bigint, p_name text)
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

CREATE OR REPLACE FUNCTION ords_metadata.template_define(p_schema_id bigint, p_module_name text, p_pattern text, p_priority integer,
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

CREATE OR REPLACE FUNCTION ords_metadata.check_source_type(p_source_type text)
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

CREATE OR REPLACE FUNCTION ords_metadata.handler_define(p_schema_id bigint, p_module_name text, p_pattern text, p_method text,
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

CREATE FUNCTION ords_metadata.template_pattern(p_pattern text)
RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_pattern = '.' THEN
        RETURN '';
    END IF;
    RETURN ords_metadata.check_uri_template(p_pattern);
END
$$;

CREATE OR REPLACE FUNCTION ords_metadata.module_delete(p_schema_id bigint, p_module_name text)
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

REVOKE EXECUTE ON FUNCTION ords_metadata.template_pattern(text), ords_metadata.module_publish(bigint, text, text),
    ords_metadata.module_rename(bigint, text, text, text), ords_metadata.module_set_origins(bigint, text, text),
    ords_metadata.handler_id(bigint, text, text, text), ords_metadata.check_choice(text, text, text[]),
    ords_metadata.parameter_define(bigint, text, text, text, text, text, text, text, text, text),
    ords_metadata.object_enable(boolean, bigint, text, text, text, boolean),
    ords_metadata.schema_set_url_mapping(text, text, text) FROM PUBLIC;


-- The ORDS calls and their ORDS_ADMIN twins (sql/api.sql).

-- ORDS.DEFINE_PARAMETER: create or replace a handler's parameter (docs/rest-definitions.md#parameters).
CREATE FUNCTION ords.define_parameter(p_module_name text, p_pattern text, p_method text, p_name text,
                                      p_bind_variable_name text DEFAULT NULL, p_source_type text DEFAULT 'HEADER',
                                      p_param_type text DEFAULT 'STRING', p_access_method text DEFAULT 'IN',
                                      p_comments text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.parameter_define(ords_metadata.my_schema_id(), p_module_name, p_pattern, p_method, p_name,
          p_bind_variable_name, p_source_type, p_param_type, p_access_method, p_comments) $$;

-- ORDS.CREATE_SERVICE: ORDS's deprecated name of DEFINE_SERVICE, kept for old exports.
CREATE FUNCTION ords.create_service(p_module_name text, p_base_path text, p_pattern text, p_method text DEFAULT 'GET',
                                    p_source_type text DEFAULT 'json/collection', p_source text DEFAULT NULL,
                                    p_items_per_page integer DEFAULT 25, p_status text DEFAULT 'PUBLISHED',
                                    p_etag_type text DEFAULT 'HASH', p_etag_query text DEFAULT NULL,
                                    p_mimes_allowed text DEFAULT NULL, p_module_comments text DEFAULT NULL,
                                    p_template_comments text DEFAULT NULL, p_handler_comments text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    PERFORM ords_metadata.module_define(v_schema, p_module_name, p_base_path, p_items_per_page, p_status, p_module_comments);
    PERFORM ords_metadata.template_define(v_schema, p_module_name, p_pattern, 0, p_etag_type, p_etag_query, p_template_comments);
    PERFORM ords_metadata.handler_define(v_schema, p_module_name, p_pattern, p_method, p_source_type, p_source,
                                         NULL, p_mimes_allowed, p_handler_comments);
END
$$;

CREATE FUNCTION ords.publish_module(p_module_name text, p_status text DEFAULT 'PUBLISHED')
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.module_publish(ords_metadata.my_schema_id(), p_module_name, p_status) $$;

CREATE FUNCTION ords.rename_module(p_module_name text, p_new_name text DEFAULT NULL, p_new_base_path text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.module_rename(ords_metadata.my_schema_id(), p_module_name, p_new_name, p_new_base_path) $$;

CREATE FUNCTION ords.set_module_origins_allowed(p_module_name text, p_origins_allowed text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.module_set_origins(ords_metadata.my_schema_id(), p_module_name, p_origins_allowed) $$;

-- ORDS.ENABLE_OBJECT: stored only, nothing serves AutoREST objects yet (docs/rest-definitions.md#enable-object).
-- p_object has a default only because Postgres requires one after p_schema's; NULL is refused.
-- Another schema's objects: administrators only (42501), as for ords.enable_schema.
CREATE FUNCTION ords.enable_object(p_enabled boolean DEFAULT true, p_schema text DEFAULT NULL, p_object text DEFAULT NULL,
                                   p_object_type text DEFAULT 'TABLE', p_object_alias text DEFAULT NULL,
                                   p_auto_rest_auth boolean DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint;
BEGIN
    IF p_schema IS NULL OR p_schema = ords_metadata.invoker() THEN
        v_schema := ords_metadata.my_schema_id();
    ELSE
        v_schema := ords_metadata.admin_schema_id(p_schema, 'ords.enable_object');
    END IF;
    PERFORM ords_metadata.object_enable(p_enabled, v_schema, p_object, p_object_type, p_object_alias, p_auto_rest_auth);
END
$$;

-- ORDS.SET_URL_MAPPING: the schema's URL mapping (type and alias). ORDS's parameter names as far as
-- documented (p_schema, p_url_mapping_type, p_url_mapping_pattern); their defaults are unconfirmed.
CREATE FUNCTION ords.set_url_mapping(p_schema text DEFAULT NULL, p_url_mapping_type text DEFAULT 'BASE_PATH',
                                     p_url_mapping_pattern text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_me text := ords_metadata.invoker();
BEGIN
    IF p_schema IS NOT NULL AND p_schema <> v_me THEN
        PERFORM ords_metadata.admin_schema_id(p_schema, 'ords.set_url_mapping');
    END IF;
    PERFORM ords_metadata.schema_set_url_mapping(coalesce(p_schema, v_me), p_url_mapping_type, p_url_mapping_pattern);
END
$$;

CREATE FUNCTION ords.source_type_feed() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'json/query;type=feed'::text $$;

-- ORDS_ADMIN twins of the REST-definition calls (docs/rest-definitions.md#admin-twins).
CREATE FUNCTION ords_admin.create_privilege(p_schema text, p_name text, p_roles text[], p_label text DEFAULT NULL,
                                            p_description text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.privilege_create(ords_metadata.admin_schema_id(p_schema, 'ords_admin.create_privilege'), p_name, p_roles, p_label, p_description, NULL) $$;

CREATE FUNCTION ords_admin.define_privilege(p_schema text, p_privilege_name text, p_roles text[], p_patterns text[],
                                            p_label text DEFAULT NULL, p_description text DEFAULT NULL, p_comments text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.privilege_define(ords_metadata.admin_schema_id(p_schema, 'ords_admin.define_privilege'),
          p_privilege_name, p_roles, p_patterns, '{}', p_label, p_description, p_comments) $$;

CREATE FUNCTION ords_admin.create_privilege_mapping(p_schema text, p_privilege_name text, p_patterns text[])
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_admin.create_privilege_mapping');
BEGIN
    IF p_patterns IS NULL OR cardinality(p_patterns) = 0 THEN
        RAISE EXCEPTION 'p_patterns must not be NULL or empty' USING ERRCODE = '22023';
    END IF;
    PERFORM ords_metadata.mapping_add(v_schema, ords_metadata.privilege_id(v_schema, p_privilege_name), p_patterns);
END
$$;

CREATE FUNCTION ords_admin.delete_privilege_mapping(p_schema text, p_privilege_name text, p_pattern text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.mapping_delete(ords_metadata.admin_schema_id(p_schema, 'ords_admin.delete_privilege_mapping'), p_privilege_name, p_pattern) $$;

CREATE FUNCTION ords_admin.delete_privilege(p_schema text, p_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.privilege_delete(ords_metadata.admin_schema_id(p_schema, 'ords_admin.delete_privilege'), p_name) $$;

CREATE FUNCTION ords_admin.rename_privilege(p_schema text, p_name text, p_new_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.privilege_rename(ords_metadata.admin_schema_id(p_schema, 'ords_admin.rename_privilege'), p_name, p_new_name) $$;

CREATE FUNCTION ords_admin.rename_role(p_schema text, p_role_name text, p_new_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.role_rename(ords_metadata.admin_schema_id(p_schema, 'ords_admin.rename_role'), p_role_name, p_new_name) $$;

CREATE FUNCTION ords_admin.define_module(p_schema text, p_module_name text, p_base_path text, p_items_per_page integer DEFAULT 25,
                                         p_status text DEFAULT 'PUBLISHED', p_comments text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.module_define(ords_metadata.admin_schema_id(p_schema, 'ords_admin.define_module'), p_module_name, p_base_path,
                                               p_items_per_page, p_status, p_comments) $$;

CREATE FUNCTION ords_admin.define_template(p_schema text, p_module_name text, p_pattern text, p_priority integer DEFAULT 0,
                                           p_etag_type text DEFAULT 'HASH', p_etag_query text DEFAULT NULL, p_comments text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.template_define(ords_metadata.admin_schema_id(p_schema, 'ords_admin.define_template'), p_module_name, p_pattern, p_priority,
                                                 p_etag_type, p_etag_query, p_comments) $$;

CREATE FUNCTION ords_admin.define_handler(p_schema text, p_module_name text, p_pattern text, p_method text DEFAULT 'GET',
                                          p_source_type text DEFAULT 'json/collection', p_source text DEFAULT NULL,
                                          p_items_per_page integer DEFAULT NULL, p_mimes_allowed text DEFAULT NULL,
                                          p_comments text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.handler_define(ords_metadata.admin_schema_id(p_schema, 'ords_admin.define_handler'), p_module_name, p_pattern, p_method,
                                                p_source_type, p_source, p_items_per_page, p_mimes_allowed, p_comments) $$;

CREATE FUNCTION ords_admin.define_service(p_schema text, p_module_name text, p_base_path text, p_pattern text,
                                          p_method text DEFAULT 'GET', p_source_type text DEFAULT 'json/collection',
                                          p_source text DEFAULT NULL, p_items_per_page integer DEFAULT 25,
                                          p_status text DEFAULT 'PUBLISHED', p_etag_type text DEFAULT 'HASH',
                                          p_etag_query text DEFAULT NULL, p_mimes_allowed text DEFAULT NULL,
                                          p_module_comments text DEFAULT NULL, p_template_comments text DEFAULT NULL,
                                          p_handler_comments text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_admin.define_service');
BEGIN
    PERFORM ords_metadata.module_define(v_schema, p_module_name, p_base_path, p_items_per_page, p_status, p_module_comments);
    PERFORM ords_metadata.template_define(v_schema, p_module_name, p_pattern, 0, p_etag_type, p_etag_query, p_template_comments);
    PERFORM ords_metadata.handler_define(v_schema, p_module_name, p_pattern, p_method, p_source_type, p_source,
                                         NULL, p_mimes_allowed, p_handler_comments);
END
$$;

-- Not in ORDS's ORDS_ADMIN (it has no deprecated calls); kept so a schema's old export runs as an administrator.
CREATE FUNCTION ords_admin.create_service(p_schema text, p_module_name text, p_base_path text, p_pattern text,
                                          p_method text DEFAULT 'GET', p_source_type text DEFAULT 'json/collection',
                                          p_source text DEFAULT NULL, p_items_per_page integer DEFAULT 25,
                                          p_status text DEFAULT 'PUBLISHED', p_etag_type text DEFAULT 'HASH',
                                          p_etag_query text DEFAULT NULL, p_mimes_allowed text DEFAULT NULL,
                                          p_module_comments text DEFAULT NULL, p_template_comments text DEFAULT NULL,
                                          p_handler_comments text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_admin.create_service');
BEGIN
    PERFORM ords_metadata.module_define(v_schema, p_module_name, p_base_path, p_items_per_page, p_status, p_module_comments);
    PERFORM ords_metadata.template_define(v_schema, p_module_name, p_pattern, 0, p_etag_type, p_etag_query, p_template_comments);
    PERFORM ords_metadata.handler_define(v_schema, p_module_name, p_pattern, p_method, p_source_type, p_source,
                                         NULL, p_mimes_allowed, p_handler_comments);
END
$$;

CREATE FUNCTION ords_admin.define_parameter(p_schema text, p_module_name text, p_pattern text, p_method text, p_name text,
                                            p_bind_variable_name text DEFAULT NULL, p_source_type text DEFAULT 'HEADER',
                                            p_param_type text DEFAULT 'STRING', p_access_method text DEFAULT 'IN',
                                            p_comments text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.parameter_define(ords_metadata.admin_schema_id(p_schema, 'ords_admin.define_parameter'), p_module_name, p_pattern, p_method, p_name,
          p_bind_variable_name, p_source_type, p_param_type, p_access_method, p_comments) $$;

CREATE FUNCTION ords_admin.delete_module(p_schema text, p_module_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.module_delete(ords_metadata.admin_schema_id(p_schema, 'ords_admin.delete_module'), p_module_name) $$;

CREATE FUNCTION ords_admin.publish_module(p_schema text, p_module_name text, p_status text DEFAULT 'PUBLISHED')
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.module_publish(ords_metadata.admin_schema_id(p_schema, 'ords_admin.publish_module'), p_module_name, p_status) $$;

CREATE FUNCTION ords_admin.rename_module(p_schema text, p_module_name text, p_new_name text DEFAULT NULL,
                                         p_new_base_path text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.module_rename(ords_metadata.admin_schema_id(p_schema, 'ords_admin.rename_module'), p_module_name, p_new_name, p_new_base_path) $$;

CREATE FUNCTION ords_admin.set_module_origins_allowed(p_schema text, p_module_name text, p_origins_allowed text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.module_set_origins(ords_metadata.admin_schema_id(p_schema, 'ords_admin.set_module_origins_allowed'), p_module_name, p_origins_allowed) $$;

-- Same parameter order as ords_admin.enable_schema (p_enabled first; p_schema is required).
CREATE FUNCTION ords_admin.enable_object(p_enabled boolean DEFAULT true, p_schema text DEFAULT NULL, p_object text DEFAULT NULL,
                                         p_object_type text DEFAULT 'TABLE', p_object_alias text DEFAULT NULL,
                                         p_auto_rest_auth boolean DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.object_enable(p_enabled, ords_metadata.admin_schema_id(p_schema, 'ords_admin.enable_object'), p_object, p_object_type,
                                               p_object_alias, p_auto_rest_auth) $$;

CREATE FUNCTION ords_admin.set_url_mapping(p_schema text, p_url_mapping_type text DEFAULT 'BASE_PATH',
                                           p_url_mapping_pattern text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.admin_schema_id(p_schema, 'ords_admin.set_url_mapping');
    PERFORM ords_metadata.schema_set_url_mapping(p_schema, p_url_mapping_type, p_url_mapping_pattern);
END
$$;

-- ORDS_ADMIN's own copies of the source-type constants (its reference writes
-- ords_admin.source_type_collection_feed as DEFINE_HANDLER's default).
CREATE FUNCTION ords_admin.source_type_collection_feed() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'json/collection'::text $$;
CREATE FUNCTION ords_admin.source_type_collection_item() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'json/item'::text $$;
CREATE FUNCTION ords_admin.source_type_query() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'json/query'::text $$;
CREATE FUNCTION ords_admin.source_type_query_one_row() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'json/query;type=single'::text $$;
CREATE FUNCTION ords_admin.source_type_csv_query() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'csv/query'::text $$;
CREATE FUNCTION ords_admin.source_type_plsql() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'plsql/block'::text $$;
CREATE FUNCTION ords_admin.source_type_media() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'resource/lob'::text $$;
CREATE FUNCTION ords_admin.source_type_feed() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'json/query;type=feed'::text $$;


-- The views (sql/views.sql).

CREATE VIEW ords_metadata.all_parameters AS
SELECT p.id, p.handler_id, p.name, p.bind_variable_name, p.source_type, p.access_method, p.param_type, p.comments,
       m.schema_id, p.created_by, p.created_on, p.updated_by, p.updated_on, sc.parsing_schema
  FROM ords_metadata.ords_parameters p
  JOIN ords_metadata.ords_handlers h ON h.id = p.handler_id
  JOIN ords_metadata.ords_templates t ON t.id = h.template_id
  JOIN ords_metadata.ords_modules m ON m.id = t.module_id
  JOIN ords_metadata.ords_schemas sc ON sc.id = m.schema_id;

CREATE VIEW ords_metadata.all_enabled_objects AS
SELECT o.id, o.schema_id, o.parsing_object, o.object_alias, o.type, o.status, o.auto_rest_auth,
       NULL::text AS ops_allowed, NULL::text AS type_path, NULL::text AS pre_hook,
       o.created_by, o.created_on, o.updated_by, o.updated_on, sc.parsing_schema
  FROM ords_metadata.ords_objects o JOIN ords_metadata.ords_schemas sc ON sc.id = o.schema_id;

REVOKE ALL ON ords_metadata.all_parameters, ords_metadata.all_enabled_objects FROM PUBLIC;

CREATE VIEW @extschema@.user_ords_parameters WITH (security_barrier) AS
SELECT id, handler_id, name, bind_variable_name, source_type, access_method, param_type, comments,
       schema_id, created_by, created_on, updated_by, updated_on
  FROM ords_metadata.all_parameters WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_parameters WITH (security_barrier) AS SELECT * FROM ords_metadata.all_parameters;
GRANT SELECT ON @extschema@.user_ords_parameters TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_parameters TO ords_administrator_role;

CREATE VIEW @extschema@.user_ords_enabled_objects WITH (security_barrier) AS
SELECT id, schema_id, parsing_schema, parsing_object, object_alias, type, status, auto_rest_auth, ops_allowed, type_path,
       pre_hook, created_by, created_on, updated_by, updated_on
  FROM ords_metadata.all_enabled_objects WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_enabled_objects WITH (security_barrier) AS SELECT * FROM ords_metadata.all_enabled_objects;
GRANT SELECT ON @extschema@.user_ords_enabled_objects TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_enabled_objects TO ords_administrator_role;

-- ORDS.CREATE_PRIVILEGE with patterns and modules (ORDS's older array form): creates the
-- privilege (42710 if it exists, like the other create_privilege forms), then maps and protects.
CREATE FUNCTION ords.create_privilege(p_name text, p_roles text[], p_patterns text[], p_modules text[] DEFAULT NULL,
                                      p_label text DEFAULT NULL, p_description text DEFAULT NULL, p_comments text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id(); v_id bigint;
BEGIN
    v_id := ords_metadata.privilege_create(v_schema, p_name, p_roles, p_label, p_description, p_comments);
    PERFORM ords_metadata.mapping_add(v_schema, v_id, p_patterns);
    PERFORM ords_metadata.module_protect(v_schema, v_id, p_modules);
END
$$;

CREATE FUNCTION ords_admin.create_privilege(p_schema text, p_name text, p_roles text[], p_patterns text[], p_modules text[] DEFAULT NULL,
                                            p_label text DEFAULT NULL, p_description text DEFAULT NULL, p_comments text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_admin.create_privilege'); v_id bigint;
BEGIN
    v_id := ords_metadata.privilege_create(v_schema, p_name, p_roles, p_label, p_description, p_comments);
    PERFORM ords_metadata.mapping_add(v_schema, v_id, p_patterns);
    PERFORM ords_metadata.module_protect(v_schema, v_id, p_modules);
END
$$;

-- == end of REST definitions ==


-- == clients: OAUTH, OAUTH_ADMIN, ORDS_SECURITY, ORDS_SECURITY_ADMIN, ORDS_TYPES ==

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
AS $$ SELECT c.id, c.name, c.client_id, ords_metadata.legacy_keep(c.id, c.client_secret)
        FROM ords_metadata.client_create(ords_metadata.my_schema_id(), p_name, p_grant_type, p_owner, p_description,
          ords_metadata.origins_arg(p_origins_allowed, p_allowed_origins), p_redirect_uri, p_support_email, p_support_uri,
          p_privilege_names, p_token_duration, p_refresh_duration, p_code_duration, NULL,
          CASE WHEN ords_metadata.check_auth_method(p_token_endpoint_auth_method) IS NULL THEN 'generate' ELSE 'generate' END, NULL) AS c $$;
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
AS $$ SELECT c.id, c.name, c.client_id, ords_metadata.legacy_keep(c.id, c.client_secret)
        FROM ords_metadata.client_create(ords_metadata.admin_schema_id(p_schema, 'oauth_admin.create_client'),
          p_name, p_grant_type, p_owner, p_description, ords_metadata.origins_arg(p_origins_allowed, p_allowed_origins),
          p_redirect_uri, p_support_email, p_support_uri, p_privilege_names, p_token_duration, p_refresh_duration,
          p_code_duration, NULL,
          CASE WHEN ords_metadata.check_auth_method(p_token_endpoint_auth_method) IS NULL THEN 'generate' ELSE 'generate' END, NULL) AS c $$;
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
    PERFORM ords_metadata.legacy_keep(ords_metadata.client_id_of(v_schema, p_name),
        ords_metadata.client_rotate_secret(v_schema, p_name,
              ords_metadata.check_secret(p_client_secret, 'p_client_secret'), true, false));
END
$$;

-- Nothing in ords_metadata is for PUBLIC (sql/privileges.sql).
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ords_metadata FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ords_metadata.invoker() TO PUBLIC;
GRANT EXECUTE ON FUNCTION ords_metadata.secret_seen(text[]) TO PUBLIC;

-- == end of clients ==


-- == stored secrets ==
-- Opt-in stored (retrievable) client secrets, encrypted with the key file pg_ords_secrets.key of
-- the data directory (docs/secrets.md#stored).
ALTER TABLE ords_metadata.oauth_client_secrets
    ADD COLUMN stored_secret bytea CHECK (octet_length(stored_secret) >= 33 AND get_byte(stored_secret, 0) = 1);
-- A slot whose hash changes loses its stored copy (it belonged to the old secret).
CREATE FUNCTION ords_metadata.oauth_client_secrets_unstore()
RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.secret_hash IS DISTINCT FROM OLD.secret_hash AND NEW.stored_secret IS NOT DISTINCT FROM OLD.stored_secret THEN
        NEW.stored_secret := NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER oauth_client_secrets_unstore BEFORE UPDATE ON ords_metadata.oauth_client_secrets
    FOR EACH ROW EXECUTE FUNCTION ords_metadata.oauth_client_secrets_unstore();

CREATE FUNCTION ords_metadata."stored_secrets_enabled"() RETURNS bool /* bool */
STRICT STABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'stored_secrets_enabled_wrapper';
CREATE FUNCTION ords_metadata."legacy_stored_secrets"() RETURNS bool /* bool */
STRICT STABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'legacy_stored_secrets_wrapper';
CREATE FUNCTION ords_metadata."stored_seal"(
	"p_client" bigint, /* i64 */
	"p_slot" smallint, /* i16 */
	"p_secret" TEXT /* & str */
) RETURNS bytea /* Vec < u8 > */
STRICT VOLATILE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'stored_seal_wrapper';
CREATE FUNCTION ords_metadata."stored_open"(
	"p_client" bigint, /* i64 */
	"p_slot" smallint, /* i16 */
	"p_stored" bytea /* & [u8] */
) RETURNS TEXT /* Option < String > */
STRICT STABLE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'stored_open_wrapper';
CREATE FUNCTION ords_metadata."stored_reseal"(
	"p_client" bigint, /* i64 */
	"p_slot" smallint, /* i16 */
	"p_stored" bytea /* & [u8] */
) RETURNS bytea /* :: std :: option :: Option < Vec < u8 > > */
STRICT VOLATILE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'stored_reseal_wrapper';
CREATE FUNCTION ords_metadata."stored_key_id"(
	"p_stored" bytea /* & [u8] */
) RETURNS bigint /* Option < i64 > */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'stored_key_id_wrapper';
CREATE FUNCTION ords_metadata."stored_key_add"() RETURNS bigint /* i64 */
STRICT VOLATILE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'stored_key_add_wrapper';
CREATE FUNCTION ords_metadata."stored_keys_retain"(
	"p_keep" bigint[] /* Vec < Option < i64 > > */
) RETURNS INT /* i32 */
STRICT VOLATILE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'stored_keys_retain_wrapper';
ALTER FUNCTION ords_metadata.stored_seal(bigint, smallint, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.stored_open(bigint, smallint, bytea) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.stored_reseal(bigint, smallint, bytea) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;

-- Store an encrypted copy of p_secret on the secret row of client row p_client whose Argon2id
-- hash it matches. Called by the provisioning functions (ORDS_SECURITY's p_stored => true,
-- legacy oauth.create_client with pg_ords.legacy_stored_secrets), after they checked the
-- caller owns the client.
CREATE FUNCTION ords_metadata.client_store_secret(p_client bigint, p_secret text)
RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
DECLARE
    v_name text;
    v_slot smallint;
    r      record;
BEGIN
    SELECT c.name INTO v_name FROM ords_metadata.oauth_clients c WHERE c.id = p_client;
    IF v_name IS NULL THEN
        RAISE EXCEPTION 'client % does not exist', coalesce(p_client::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass the id of an existing client (user_ords_clients.id).';
    END IF;
    IF NOT ords_metadata.stored_secrets_enabled() THEN
        RAISE EXCEPTION 'stored client secrets are turned off: the secret of client "%" cannot be stored', v_name
            USING ERRCODE = '55000',
                  HINT = 'A superuser turns them on with pg_ords.stored_secrets = on (docs/secrets.md#stored); otherwise keep the secret where the call that made it returned it.';
    END IF;
    IF p_secret IS NULL THEN
        RAISE EXCEPTION 'no secret given to store for client "%"', v_name
            USING ERRCODE = '22023', HINT = 'Pass the secret the client was given.';
    END IF;
    FOR r IN SELECT s.slot, s.secret_hash FROM ords_metadata.oauth_client_secrets s
              WHERE s.client_id = p_client ORDER BY s.issued_on DESC, s.slot DESC FOR UPDATE LOOP
        IF ords_metadata.verify_secret(p_secret, r.secret_hash) THEN
            v_slot := r.slot;
            EXIT;
        END IF;
    END LOOP;
    IF v_slot IS NULL THEN
        RAISE EXCEPTION 'no secret of client "%" matches the secret given, so it was not stored', v_name
            USING ERRCODE = '22023',
                  HINT = 'Pass the secret that created, registered or rotated one of the client''s two secrets.';
    END IF;
    UPDATE ords_metadata.oauth_client_secrets
       SET stored_secret = ords_metadata.stored_seal(p_client, v_slot, p_secret)
     WHERE client_id = p_client AND slot = v_slot;
END
$$;

-- For ords_metadata.all_clients: the stored secret (newest stored slot) of client row
-- p_client, for the role that owns the client only; NULL for everyone else, when nothing is
-- stored, and when it cannot be read (then with a WARNING). Never an error.
CREATE FUNCTION ords_metadata.client_stored_secret(p_client bigint)
RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT ords_metadata.stored_open(s.client_id, s.slot, s.stored_secret)
      FROM ords_metadata.oauth_client_secrets s
      JOIN ords_metadata.oauth_clients c ON c.id = s.client_id
      JOIN ords_metadata.ords_schemas sc ON sc.id = c.schema_id
     WHERE s.client_id = p_client AND s.stored_secret IS NOT NULL
       AND sc.parsing_schema = ords_metadata.invoker()
     ORDER BY s.issued_on DESC, s.slot DESC
     LIMIT 1
$$;

-- Every stored secret of this database sealed again with the current key (those already under
-- it are left as they are; one that cannot be decrypted is left with a WARNING). Returns how
-- many were sealed again.
CREATE FUNCTION ords_metadata.stored_reseal_all()
RETURNS integer LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_count integer := 0;
    v_new   bytea;
    r       record;
BEGIN
    FOR r IN SELECT s.client_id, s.slot, s.stored_secret FROM ords_metadata.oauth_client_secrets s
              WHERE s.stored_secret IS NOT NULL ORDER BY s.client_id, s.slot FOR UPDATE LOOP
        v_new := ords_metadata.stored_reseal(r.client_id, r.slot, r.stored_secret);
        IF v_new IS NOT NULL AND v_new <> r.stored_secret THEN
            UPDATE ords_metadata.oauth_client_secrets SET stored_secret = v_new
             WHERE client_id = r.client_id AND slot = r.slot;
            v_count := v_count + 1;
        END IF;
    END LOOP;
    RETURN v_count;
END
$$;

-- Rotate the key of stored secrets: a new current key in the key file, and every stored secret
-- of this database sealed again with it. Returns how many were. Old keys stay in the file
-- (other databases of the cluster may use them) until ords_admin.retire_stored_secret_keys().
CREATE FUNCTION ords_admin.rotate_stored_secret_key()
RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.require_admin('ords_admin.rotate_stored_secret_key');
    PERFORM ords_metadata.stored_key_add();
    RETURN ords_metadata.stored_reseal_all();
END
$$;

-- The other databases of the cluster after a rotation: seal this database's stored secrets
-- with the current key, without adding one. Returns how many were sealed again.
CREATE FUNCTION ords_admin.reseal_stored_secrets()
RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.require_admin('ords_admin.reseal_stored_secrets');
    RETURN ords_metadata.stored_reseal_all();
END
$$;

-- Drop the keys of the key file that no stored secret of THIS database uses (never the
-- current key). Returns how many were dropped. The key file is shared by every database of the
-- cluster: after a rotation, run ords_admin.reseal_stored_secrets() in every other database
-- that stores secrets before this (docs/secrets.md#stored).
CREATE FUNCTION ords_admin.retire_stored_secret_keys()
RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.require_admin('ords_admin.retire_stored_secret_keys');
    -- Wait for transactions storing secrets, and keep new ones out until commit: every key in
    -- use is then visible below.
    LOCK TABLE ords_metadata.oauth_client_secrets IN SHARE MODE;
    RETURN ords_metadata.stored_keys_retain(ARRAY(
        SELECT DISTINCT ords_metadata.stored_key_id(s.stored_secret)
          FROM ords_metadata.oauth_client_secrets s WHERE s.stored_secret IS NOT NULL));
END
$$;

CREATE OR REPLACE VIEW ords_metadata.all_clients AS
SELECT c.id, c.name, c.description,
       CASE c.grant_type WHEN 'client_credentials' THEN 'CLIENT_CRED' WHEN 'authorization_code' THEN 'CODE' ELSE 'IMPLICIT' END AS auth_flow,
       CASE c.grant_type WHEN 'authorization_code' THEN 'CODE' ELSE 'TOKEN' END AS response_type,
       c.grant_type, c.client_id,
       CASE WHEN EXISTS (SELECT FROM ords_metadata.oauth_client_secrets s WHERE s.client_id = c.id)
            THEN coalesce(ords_metadata.secret_seen(ARRAY(SELECT s.secret_hash FROM ords_metadata.oauth_client_secrets s
                                                           WHERE s.client_id = c.id ORDER BY s.issued_on DESC, s.slot DESC)),
                          CASE WHEN EXISTS (SELECT FROM ords_metadata.oauth_client_secrets s
                                             WHERE s.client_id = c.id AND s.stored_secret IS NOT NULL)
                               THEN ords_metadata.client_stored_secret(c.id) END,
                          '********') END AS client_secret,
       c.redirect_uri, c.support_email, c.support_uri, c.origins_allowed AS allowed_origins, c.owner,
       c.token_duration, c.refresh_duration, c.code_duration,
       (SELECT s.issued_on FROM ords_metadata.oauth_client_secrets s WHERE s.client_id = c.id AND s.slot = 1) AS client_secret_issued_on,
       (SELECT s.issued_on FROM ords_metadata.oauth_client_secrets s WHERE s.client_id = c.id AND s.slot = 2) AS client_secret_2_issued_on,
       c.schema_id, c.created_by, c.created_on, c.updated_by, c.updated_on, sc.parsing_schema
  FROM ords_metadata.oauth_clients c JOIN ords_metadata.ords_schemas sc ON sc.id = c.schema_id;

REVOKE EXECUTE ON FUNCTION ords_metadata.stored_secrets_enabled() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ords_metadata.legacy_stored_secrets() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ords_metadata.stored_seal(bigint, smallint, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ords_metadata.stored_open(bigint, smallint, bytea) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ords_metadata.stored_reseal(bigint, smallint, bytea) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ords_metadata.stored_key_id(bytea) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ords_metadata.stored_key_add() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ords_metadata.stored_keys_retain(bigint[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ords_metadata.client_store_secret(bigint, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ords_metadata.client_stored_secret(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ords_metadata.oauth_client_secrets_unstore() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ords_metadata.stored_reseal_all() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ords_metadata.client_stored_secret(bigint) TO PUBLIC;  -- the client views (owner only)


-- The legacy OAUTH calls 0.4.0 already had store their secrets when
-- pg_ords.legacy_stored_secrets is on (ords_metadata.legacy_keep, in the clients section).
CREATE OR REPLACE FUNCTION oauth.rotate_client_secret(p_name text, p_revoke_existing boolean DEFAULT false, p_revoke_sessions boolean DEFAULT false)
RETURNS text LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.legacy_keep(ords_metadata.client_id_of(ords_metadata.my_schema_id(), p_name),
          ords_metadata.client_rotate_secret(ords_metadata.my_schema_id(), p_name, NULL, p_revoke_existing, p_revoke_sessions)) $$;

CREATE OR REPLACE FUNCTION oauth.update_client_secret(p_name text, p_client_secret text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
BEGIN
    PERFORM ords_metadata.check_secret(p_client_secret, 'p_client_secret');
    PERFORM ords_metadata.legacy_keep(ords_metadata.client_id_of(ords_metadata.my_schema_id(), p_name),
        ords_metadata.client_rotate_secret(ords_metadata.my_schema_id(), p_name, p_client_secret, true, false));
END
$$;

CREATE OR REPLACE FUNCTION oauth_admin.rotate_client_secret(p_schema text, p_name text, p_revoke_existing boolean DEFAULT false,
                                                 p_revoke_sessions boolean DEFAULT false)
RETURNS text LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.legacy_keep(
          ords_metadata.client_id_of(ords_metadata.admin_schema_id(p_schema, 'oauth_admin.rotate_client_secret'), p_name),
          ords_metadata.client_rotate_secret(ords_metadata.admin_schema_id(p_schema, 'oauth_admin.rotate_client_secret'),
          p_name, NULL, p_revoke_existing, p_revoke_sessions)) $$;



-- == end of stored secrets ==


-- == views: DBA_ORDS_SCHEMAS.url_mapping_id and DBA_ORDS_URL_MAPPINGS ==
CREATE OR REPLACE VIEW ords_metadata.all_schemas AS
SELECT s.id, s.parsing_schema, s.type, s.pattern, s.status, s.auto_rest_auth, NULL::text AS ops_allowed, NULL::text AS pre_hook,
       s.created_by, s.created_on, s.updated_by, s.updated_on, s.id AS url_mapping_id
  FROM ords_metadata.ords_schemas s;
CREATE OR REPLACE VIEW @extschema@.dba_ords_schemas WITH (security_barrier) AS SELECT * FROM ords_metadata.all_schemas;
CREATE VIEW @extschema@.dba_ords_url_mappings WITH (security_barrier) AS
SELECT id, pattern, type, parsing_schema FROM ords_metadata.all_schemas;
GRANT SELECT ON @extschema@.dba_ords_url_mappings TO ords_administrator_role;
-- == end of views ==


-- Caches loaded before the update hold rows of the old shape.
SELECT ords_metadata.invalidate_caches();
