-- pg_ords public API: ORDS's OAUTH, ORDS and ORDS_SECURITY packages (and their *_ADMIN twins)
-- as SQL functions with ORDS's parameter names and defaults (docs/ords-mapping.md#calling-convention).
--
-- Each function is a SECURITY DEFINER wrapper that pins search_path, resolves the caller's own
-- REST-enabled schema (ords_metadata.my_schema_id) or checks that an administrator is calling
-- (ords_metadata.admin_schema_id), and calls the single implementation in sql/core.sql.
-- A PL/SQL call with named arguments works unchanged inside the parentheses:
--     SELECT * FROM oauth.create_client(p_name => 'c', p_grant_type => 'client_credentials', ...);

CREATE SCHEMA IF NOT EXISTS oauth;
CREATE SCHEMA IF NOT EXISTS ords;
CREATE SCHEMA IF NOT EXISTS ords_security;
CREATE SCHEMA IF NOT EXISTS oauth_admin;
CREATE SCHEMA IF NOT EXISTS ords_admin;
CREATE SCHEMA IF NOT EXISTS ords_security_admin;
GRANT USAGE ON SCHEMA oauth, ords, ords_security, oauth_admin, ords_admin, ords_security_admin TO PUBLIC;

-- =============================================================================================
-- ORDS package: schema, roles, privileges, mappings, modules
-- =============================================================================================

CREATE FUNCTION ords.enable_schema(p_enabled boolean DEFAULT true, p_schema text DEFAULT NULL,
                                   p_url_mapping_type text DEFAULT 'BASE_PATH', p_url_mapping_pattern text DEFAULT NULL,
                                   p_auto_rest_auth boolean DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_me text := ords_metadata.invoker();
BEGIN
    IF p_schema IS NOT NULL AND p_schema <> v_me AND NOT coalesce(ords_metadata.is_admin(), false) THEN
        RAISE EXCEPTION 'permission denied to enable schema "%": role "%" may only enable its own schema', p_schema, v_me
            USING ERRCODE = '42501', HINT = 'Omit p_schema, or ask an administrator to run ords_admin.enable_schema(p_schema => ...).';
    END IF;
    PERFORM ords_metadata.schema_enable(p_enabled, coalesce(p_schema, v_me), p_url_mapping_type, p_url_mapping_pattern, p_auto_rest_auth);
END
$$;

CREATE FUNCTION ords.create_role(p_role_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.role_create(ords_metadata.my_schema_id(), p_role_name) $$;

CREATE FUNCTION ords.delete_role(p_role_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.role_delete(ords_metadata.my_schema_id(), p_role_name) $$;

CREATE FUNCTION ords.rename_role(p_role_name text, p_new_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.role_rename(ords_metadata.my_schema_id(), p_role_name, p_new_name) $$;

CREATE FUNCTION ords.create_privilege(p_name text, p_role_name text, p_label text DEFAULT NULL, p_description text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.privilege_create(ords_metadata.my_schema_id(), p_name,
          ARRAY[ords_metadata.check_name(p_role_name, 'p_role_name')], p_label, p_description, NULL) $$;

CREATE FUNCTION ords.create_privilege(p_name text, p_roles text[], p_label text DEFAULT NULL, p_description text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.privilege_create(ords_metadata.my_schema_id(), p_name, p_roles, p_label, p_description, NULL) $$;

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

CREATE FUNCTION ords.define_privilege(p_privilege_name text, p_roles text[], p_patterns text[], p_modules text[],
                                      p_label text DEFAULT NULL, p_description text DEFAULT NULL, p_comments text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.privilege_define(ords_metadata.my_schema_id(), p_privilege_name, p_roles, p_patterns,
                                                  p_modules, p_label, p_description, p_comments) $$;

CREATE FUNCTION ords.define_privilege(p_privilege_name text, p_roles text[], p_patterns text[],
                                      p_label text DEFAULT NULL, p_description text DEFAULT NULL, p_comments text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.privilege_define(ords_metadata.my_schema_id(), p_privilege_name, p_roles, p_patterns,
                                                  '{}', p_label, p_description, p_comments) $$;

CREATE FUNCTION ords.delete_privilege(p_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.privilege_delete(ords_metadata.my_schema_id(), p_name) $$;

CREATE FUNCTION ords.rename_privilege(p_name text, p_new_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.privilege_rename(ords_metadata.my_schema_id(), p_name, p_new_name) $$;

CREATE FUNCTION ords.create_privilege_mapping(p_privilege_name text, p_pattern text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    PERFORM ords_metadata.check_name(p_pattern, 'p_pattern', 2048);
    PERFORM ords_metadata.mapping_add(v_schema, ords_metadata.privilege_id(v_schema, p_privilege_name), ARRAY[p_pattern]);
END
$$;

CREATE FUNCTION ords.create_privilege_mapping(p_privilege_name text, p_patterns text[])
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    IF p_patterns IS NULL OR cardinality(p_patterns) = 0 THEN
        RAISE EXCEPTION 'p_patterns must not be NULL or empty' USING ERRCODE = '22023';
    END IF;
    PERFORM ords_metadata.mapping_add(v_schema, ords_metadata.privilege_id(v_schema, p_privilege_name), p_patterns);
END
$$;

CREATE FUNCTION ords.delete_privilege_mapping(p_privilege_name text, p_pattern text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.mapping_delete(ords_metadata.my_schema_id(), p_privilege_name, p_pattern) $$;

CREATE FUNCTION ords.set_module_privilege(p_module_name text, p_privilege_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.module_set_privilege(ords_metadata.my_schema_id(), p_module_name, p_privilege_name) $$;

CREATE FUNCTION ords.define_module(p_module_name text, p_base_path text, p_items_per_page integer DEFAULT 25,
                                   p_status text DEFAULT 'PUBLISHED', p_comments text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.module_define(ords_metadata.my_schema_id(), p_module_name, p_base_path,
                                               p_items_per_page, p_status, p_comments) $$;

CREATE FUNCTION ords.define_template(p_module_name text, p_pattern text, p_priority integer DEFAULT 0,
                                     p_etag_type text DEFAULT 'HASH', p_etag_query text DEFAULT NULL, p_comments text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.template_define(ords_metadata.my_schema_id(), p_module_name, p_pattern, p_priority,
                                                 p_etag_type, p_etag_query, p_comments) $$;

CREATE FUNCTION ords.define_handler(p_module_name text, p_pattern text, p_method text DEFAULT 'GET',
                                    p_source_type text DEFAULT 'json/collection', p_source text DEFAULT NULL,
                                    p_items_per_page integer DEFAULT NULL, p_mimes_allowed text DEFAULT NULL,
                                    p_comments text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.handler_define(ords_metadata.my_schema_id(), p_module_name, p_pattern, p_method,
                                                p_source_type, p_source, p_items_per_page, p_mimes_allowed, p_comments) $$;

-- ORDS.DEFINE_SERVICE: module + template + handler in one call.
CREATE FUNCTION ords.define_service(p_module_name text, p_base_path text, p_pattern text, p_method text DEFAULT 'GET',
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

CREATE FUNCTION ords.delete_module(p_module_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.module_delete(ords_metadata.my_schema_id(), p_module_name) $$;

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

-- ORDS's source-type constants.
CREATE FUNCTION ords.source_type_collection_feed() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'json/collection'::text $$;
CREATE FUNCTION ords.source_type_collection_item() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'json/item'::text $$;
CREATE FUNCTION ords.source_type_query() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'json/query'::text $$;
CREATE FUNCTION ords.source_type_query_one_row() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'json/query;type=single'::text $$;
CREATE FUNCTION ords.source_type_csv_query() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'csv/query'::text $$;
CREATE FUNCTION ords.source_type_plsql() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'plsql/block'::text $$;
CREATE FUNCTION ords.source_type_media() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'resource/lob'::text $$;
-- ORDS's feed source type: the value ORDS's own exports use (oracle.example.hr); stored, not served by the gateway.
CREATE FUNCTION ords.source_type_feed() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'json/query;type=feed'::text $$;

-- =============================================================================================
-- OAUTH package (legacy, as used by the seeds)
-- =============================================================================================

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

CREATE FUNCTION oauth.import_client(p_name text, p_grant_type text, p_description text DEFAULT NULL, p_client_id text DEFAULT NULL,
                                    p_privilege_names text DEFAULT NULL, p_origins_allowed text DEFAULT NULL,
                                    p_redirect_uri text DEFAULT NULL, p_support_email text DEFAULT NULL,
                                    p_support_uri text DEFAULT NULL, p_token_duration integer DEFAULT NULL,
                                    p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL,
                                    p_owner text DEFAULT NULL)
RETURNS TABLE (id bigint, name text, client_id text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT c.id, c.name, c.client_id FROM ords_metadata.client_create(ords_metadata.my_schema_id(), p_name, p_grant_type, p_owner,
          p_description, p_origins_allowed, p_redirect_uri, p_support_email, p_support_uri, p_privilege_names,
          p_token_duration, p_refresh_duration, p_code_duration, p_client_id, 'skip', NULL) AS c $$;

CREATE FUNCTION oauth.delete_client(p_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_delete(ords_metadata.my_schema_id(), p_name) $$;

CREATE FUNCTION oauth.rename_client(p_name text, p_new_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_rename(ords_metadata.my_schema_id(), p_name, p_new_name) $$;

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

CREATE FUNCTION oauth.grant_client_role(p_client_name text, p_role_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_grant_role(ords_metadata.my_schema_id(), p_client_name, p_role_name) $$;

CREATE FUNCTION oauth.revoke_client_role(p_client_name text, p_role_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_revoke_role(ords_metadata.my_schema_id(), p_client_name, p_role_name) $$;

-- Returns the new secret: the only time it is ever shown.
CREATE FUNCTION oauth.rotate_client_secret(p_name text, p_revoke_existing boolean DEFAULT false, p_revoke_sessions boolean DEFAULT false)
RETURNS text LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.legacy_keep(ords_metadata.client_id_of(ords_metadata.my_schema_id(), p_name),
          ords_metadata.client_rotate_secret(ords_metadata.my_schema_id(), p_name, NULL, p_revoke_existing, p_revoke_sessions)) $$;

-- A caller-chosen secret replaces every existing one (moving a client between environments).
-- Issued tokens stay valid.
CREATE FUNCTION oauth.update_client_secret(p_name text, p_client_secret text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
BEGIN
    PERFORM ords_metadata.check_secret(p_client_secret, 'p_client_secret');
    PERFORM ords_metadata.legacy_keep(ords_metadata.client_id_of(ords_metadata.my_schema_id(), p_name),
        ords_metadata.client_rotate_secret(ords_metadata.my_schema_id(), p_name, p_client_secret, true, false));
END
$$;

-- =============================================================================================
-- ORDS_SECURITY package (24.3+)
-- =============================================================================================

-- p_client_secret: a caller-chosen secret; p_generate_secret => true: a generated one.
-- Neither: no secret is registered (ORDS's default, oauth_client_secret_skip).
CREATE FUNCTION ords_security.register_client(p_name text, p_grant_type text, p_description text DEFAULT NULL,
                                              p_client_secret text DEFAULT NULL, p_privilege_names text DEFAULT NULL,
                                              p_origins_allowed text DEFAULT NULL, p_redirect_uri text DEFAULT NULL,
                                              p_support_email text DEFAULT NULL, p_support_uri text DEFAULT NULL,
                                              p_token_duration integer DEFAULT NULL, p_refresh_duration integer DEFAULT NULL,
                                              p_code_duration integer DEFAULT NULL, p_generate_secret boolean DEFAULT false)
RETURNS TABLE (id bigint, name text, client_id text, client_secret text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
BEGIN
    IF p_client_secret IS NOT NULL AND coalesce(p_generate_secret, false) THEN
        RAISE EXCEPTION 'pass either p_client_secret or p_generate_secret => true, not both' USING ERRCODE = '22023';
    END IF;
    RETURN QUERY SELECT * FROM ords_metadata.client_create(ords_metadata.my_schema_id(), p_name, p_grant_type, NULL, p_description,
          p_origins_allowed, p_redirect_uri, p_support_email, p_support_uri, p_privilege_names,
          p_token_duration, p_refresh_duration, p_code_duration, NULL,
          CASE WHEN p_client_secret IS NOT NULL THEN 'given' WHEN coalesce(p_generate_secret, false) THEN 'generate' ELSE 'skip' END,
          p_client_secret);
END
$$;

CREATE FUNCTION ords_security.import_client(p_name text, p_grant_type text, p_description text DEFAULT NULL, p_client_id text DEFAULT NULL,
                                            p_privilege_names text DEFAULT NULL, p_origins_allowed text DEFAULT NULL,
                                            p_redirect_uri text DEFAULT NULL, p_support_email text DEFAULT NULL,
                                            p_support_uri text DEFAULT NULL, p_token_duration integer DEFAULT NULL,
                                            p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL)
RETURNS TABLE (id bigint, name text, client_id text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT c.id, c.name, c.client_id FROM ords_metadata.client_create(ords_metadata.my_schema_id(), p_name, p_grant_type, NULL,
          p_description, p_origins_allowed, p_redirect_uri, p_support_email, p_support_uri, p_privilege_names,
          p_token_duration, p_refresh_duration, p_code_duration, p_client_id, 'skip', NULL) AS c $$;

CREATE FUNCTION ords_security.register_client_secret(p_name text, p_client_secret text, p_revoke_existing boolean DEFAULT false,
                                                     p_revoke_sessions boolean DEFAULT false)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0 AS $$
BEGIN
    PERFORM ords_metadata.check_secret(p_client_secret, 'p_client_secret');
    PERFORM ords_metadata.client_rotate_secret(ords_metadata.my_schema_id(), p_name, p_client_secret, p_revoke_existing, p_revoke_sessions);
END
$$;

CREATE FUNCTION ords_security.rotate_client_secret(p_name text, p_revoke_existing boolean DEFAULT false, p_revoke_sessions boolean DEFAULT false)
RETURNS text LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_rotate_secret(ords_metadata.my_schema_id(), p_name, NULL, p_revoke_existing, p_revoke_sessions) $$;

CREATE FUNCTION ords_security.revoke_client_secret(p_name text, p_client_secret text DEFAULT NULL, p_revoke_sessions boolean DEFAULT false)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0
AS $$ SELECT ords_metadata.client_revoke_secret_value(ords_metadata.my_schema_id(), p_name, p_client_secret, p_revoke_sessions) $$;

-- p_slot: NULL = the older secret, 1 or 2, 3 = both. Returns the slot revoked (NULL: none).
CREATE FUNCTION ords_security.revoke_client_secrets(p_name text, p_slot integer DEFAULT NULL, p_revoke_sessions boolean DEFAULT false)
RETURNS integer LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_revoke_secrets(ords_metadata.my_schema_id(), p_name, p_slot, p_revoke_sessions) $$;

-- NULL keeps a value, '' clears it; p_new_name NULL keeps the name.
CREATE FUNCTION ords_security.update_client(p_name text, p_new_name text DEFAULT NULL, p_description text DEFAULT NULL,
                                            p_privilege_names text DEFAULT NULL, p_origins_allowed text DEFAULT NULL,
                                            p_redirect_uri text DEFAULT NULL, p_support_email text DEFAULT NULL,
                                            p_support_uri text DEFAULT NULL, p_token_duration integer DEFAULT NULL,
                                            p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_update(ords_metadata.my_schema_id(), p_name, p_new_name, p_description, p_origins_allowed,
          p_redirect_uri, p_support_email, p_support_uri, p_privilege_names, p_token_duration, p_refresh_duration, p_code_duration) $$;

CREATE FUNCTION ords_security.update_client_privileges(p_name text, p_privilege_names text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.my_schema_id();
BEGIN
    PERFORM ords_metadata.client_set_privileges(v_schema, ords_metadata.client_id_of(v_schema, p_name), p_privilege_names);
END
$$;

-- NULL durations fall back to the instance defaults.
CREATE FUNCTION ords_security.update_client_token_duration(p_name text, p_token_duration integer DEFAULT NULL,
                                                           p_refresh_duration integer DEFAULT NULL, p_code_duration integer DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_token_duration(ords_metadata.my_schema_id(), p_name, p_token_duration, p_refresh_duration, p_code_duration) $$;

CREATE FUNCTION ords_security.rename_client(p_name text, p_new_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_rename(ords_metadata.my_schema_id(), p_name, p_new_name) $$;

CREATE FUNCTION ords_security.grant_client_role(p_client_name text, p_role_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_grant_role(ords_metadata.my_schema_id(), p_client_name, p_role_name) $$;

CREATE FUNCTION ords_security.revoke_client_role(p_client_name text, p_role_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_revoke_role(ords_metadata.my_schema_id(), p_client_name, p_role_name) $$;

CREATE FUNCTION ords_security.delete_client(p_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_delete(ords_metadata.my_schema_id(), p_name) $$;

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

-- =============================================================================================
-- *_ADMIN twins: a leading p_schema, for superusers and members of ords_administrator_role
-- =============================================================================================

CREATE FUNCTION ords_admin.enable_schema(p_enabled boolean DEFAULT true, p_schema text DEFAULT NULL,
                                         p_url_mapping_type text DEFAULT 'BASE_PATH', p_url_mapping_pattern text DEFAULT NULL,
                                         p_auto_rest_auth boolean DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.require_admin('ords_admin.enable_schema');
    PERFORM ords_metadata.schema_enable(p_enabled, p_schema, p_url_mapping_type, p_url_mapping_pattern, p_auto_rest_auth);
END
$$;

-- ORDS_ADMIN.DROP_REST_FOR_SCHEMA: forget a schema and everything it owns (clients, secrets,
-- tokens, roles, privileges, modules). Run it before DROP ROLE: ownership is by role name, so
-- a new role of the same name would otherwise find the old objects.
CREATE FUNCTION ords_admin.drop_rest_for_schema(p_schema text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.admin_schema_id(p_schema, 'ords_admin.drop_rest_for_schema');
BEGIN
    DELETE FROM ords_metadata.ords_schemas WHERE id = v_id;
END
$$;

-- ORDS.DROP_REST_FOR_SCHEMA: the same for the caller's own schema.
CREATE FUNCTION ords.drop_rest_for_schema(p_schema text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_id bigint := ords_metadata.my_schema_id();
BEGIN
    IF p_schema IS NOT NULL AND p_schema <> ords_metadata.invoker() THEN
        RAISE EXCEPTION 'permission denied to drop REST for schema "%": use ords_admin.drop_rest_for_schema', p_schema
            USING ERRCODE = '42501';
    END IF;
    DELETE FROM ords_metadata.ords_schemas WHERE id = v_id;
END
$$;

CREATE FUNCTION ords_admin.create_role(p_schema text, p_role_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.role_create(ords_metadata.admin_schema_id(p_schema, 'ords_admin.create_role'), p_role_name) $$;

CREATE FUNCTION ords_admin.delete_role(p_schema text, p_role_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.role_delete(ords_metadata.admin_schema_id(p_schema, 'ords_admin.delete_role'), p_role_name) $$;

CREATE FUNCTION ords_admin.create_privilege(p_schema text, p_name text, p_role_name text, p_label text DEFAULT NULL,
                                            p_description text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.privilege_create(ords_metadata.admin_schema_id(p_schema, 'ords_admin.create_privilege'), p_name,
          ARRAY[ords_metadata.check_name(p_role_name, 'p_role_name')], p_label, p_description, NULL) $$;

CREATE FUNCTION ords_admin.define_privilege(p_schema text, p_privilege_name text, p_roles text[], p_patterns text[], p_modules text[],
                                            p_label text DEFAULT NULL, p_description text DEFAULT NULL, p_comments text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.privilege_define(ords_metadata.admin_schema_id(p_schema, 'ords_admin.define_privilege'),
          p_privilege_name, p_roles, p_patterns, p_modules, p_label, p_description, p_comments) $$;

CREATE FUNCTION ords_admin.create_privilege_mapping(p_schema text, p_privilege_name text, p_pattern text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_schema bigint := ords_metadata.admin_schema_id(p_schema, 'ords_admin.create_privilege_mapping');
BEGIN
    PERFORM ords_metadata.check_name(p_pattern, 'p_pattern', 2048);
    PERFORM ords_metadata.mapping_add(v_schema, ords_metadata.privilege_id(v_schema, p_privilege_name), ARRAY[p_pattern]);
END
$$;

CREATE FUNCTION ords_admin.set_module_privilege(p_schema text, p_module_name text, p_privilege_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.module_set_privilege(ords_metadata.admin_schema_id(p_schema, 'ords_admin.set_module_privilege'),
          p_module_name, p_privilege_name) $$;

-- ORDS_ADMIN twins of the REST-definition calls (docs/rest-definitions.md#admin-twins).
CREATE FUNCTION ords_admin.create_privilege(p_schema text, p_name text, p_roles text[], p_label text DEFAULT NULL,
                                            p_description text DEFAULT NULL)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT FROM ords_metadata.privilege_create(ords_metadata.admin_schema_id(p_schema, 'ords_admin.create_privilege'), p_name, p_roles, p_label, p_description, NULL) $$;

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

CREATE FUNCTION oauth_admin.grant_client_role(p_schema text, p_client_name text, p_role_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_grant_role(ords_metadata.admin_schema_id(p_schema, 'oauth_admin.grant_client_role'),
          p_client_name, p_role_name) $$;

CREATE FUNCTION oauth_admin.revoke_client_role(p_schema text, p_client_name text, p_role_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_revoke_role(ords_metadata.admin_schema_id(p_schema, 'oauth_admin.revoke_client_role'),
          p_client_name, p_role_name) $$;

CREATE FUNCTION oauth_admin.delete_client(p_schema text, p_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_delete(ords_metadata.admin_schema_id(p_schema, 'oauth_admin.delete_client'), p_name) $$;

CREATE FUNCTION oauth_admin.rotate_client_secret(p_schema text, p_name text, p_revoke_existing boolean DEFAULT false,
                                                 p_revoke_sessions boolean DEFAULT false)
RETURNS text LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.legacy_keep(
          ords_metadata.client_id_of(ords_metadata.admin_schema_id(p_schema, 'oauth_admin.rotate_client_secret'), p_name),
          ords_metadata.client_rotate_secret(ords_metadata.admin_schema_id(p_schema, 'oauth_admin.rotate_client_secret'),
          p_name, NULL, p_revoke_existing, p_revoke_sessions)) $$;

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

CREATE FUNCTION ords_security_admin.rotate_client_secret(p_schema text, p_name text, p_revoke_existing boolean DEFAULT false,
                                                         p_revoke_sessions boolean DEFAULT false)
RETURNS text LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_rotate_secret(ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.rotate_client_secret'),
          p_name, NULL, p_revoke_existing, p_revoke_sessions) $$;

CREATE FUNCTION ords_security_admin.delete_client(p_schema text, p_name text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT ords_metadata.client_delete(ords_metadata.admin_schema_id(p_schema, 'ords_security_admin.delete_client'), p_name) $$;

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

-- =============================================================================================
-- The access decision (src/authorize.rs). One composite row; docs/decision.md#outcomes.
-- =============================================================================================
CREATE TYPE ords.decision AS (
    outcome          text,     -- public | allowed | unauthorized | forbidden
    http_status      integer,  -- 200 | 200 | 401 | 403
    client_id        text,     -- the token's client (NULL: public, unauthorized, HTTP Basic users)
    client_name      text,     -- the client's name, or the HTTP Basic user
    privilege_name   text,     -- the privilege that governs the path (NULL: public, unauthorized)
    www_authenticate text      -- the WWW-Authenticate value of a 401/403
);
CREATE FUNCTION ords.authorize(p_token text, p_method text, p_path text, p_schema_alias text)
RETURNS ords.decision LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'ords_authorize';
