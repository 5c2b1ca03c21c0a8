-- pg_ords 0.4.0 -> 0.5.0: the ORDS calls a DBA's scripts use, verbatim (docs/ords-compatibility.md).
-- Each area keeps its own section; the upgrade test compares the result with a fresh install.

-- == REST definitions: ORDS and ORDS_ADMIN (parameters, services, modules, url mappings) ==

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
    PERFORM ords_metadata.check_name(p_source, 'p_source', 1048576);
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

-- == end of REST definitions ==


-- == clients: OAUTH, OAUTH_ADMIN, ORDS_SECURITY, ORDS_SECURITY_ADMIN, ORDS_TYPES ==

-- == end of clients ==


-- == stored secrets ==

-- == end of stored secrets ==


-- Caches loaded before the update hold rows of the old shape.
SELECT ords_metadata.invalidate_caches();
