-- pg_ords 0.2.0 -> 0.3.0: hardening (gateway and PostgREST isolation, authentication).
-- Each section names the area it belongs to; the last statement empties every backend's caches.

-- authentication: a JWT session remembers its role claim, which every decision re-checks.
ALTER TABLE ords_metadata.oauth_sessions ADD COLUMN jwt_role text;

-- authentication: unambiguous identities for row-level security.
CREATE FUNCTION ords."current_schema_alias"() RETURNS TEXT
STRICT STABLE PARALLEL RESTRICTED LANGUAGE c AS 'MODULE_PATHNAME', 'current_schema_alias_wrapper';
CREATE FUNCTION ords."current_principal_type"() RETURNS TEXT
STRICT STABLE PARALLEL RESTRICTED LANGUAGE c AS 'MODULE_PATHNAME', 'current_principal_type_wrapper';
CREATE FUNCTION ords."current_identity"() RETURNS TEXT
STRICT STABLE PARALLEL RESTRICTED LANGUAGE c AS 'MODULE_PATHNAME', 'current_identity_wrapper';

-- authentication: aliases cannot be hijacked.
-- Aliases a schema has given up (changed alias, dropped its REST objects): an alias stays
-- reserved for the schema that used it, so another role cannot take over its URLs; only an
-- administrator can hand it to another schema (docs/security.md, "Aliases").
CREATE TABLE ords_metadata.ords_alias_history (
    pattern          text PRIMARY KEY,              -- the alias given up
    parsing_schema   text NOT NULL,                 -- the role that last used it
    released_on      timestamptz NOT NULL DEFAULT now()
);

SELECT pg_catalog.pg_extension_config_dump('ords_metadata.ords_alias_history', '');
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

-- authentication: enable_schema refuses an alias another schema gave up (administrators reassign).
CREATE OR REPLACE FUNCTION ords_metadata.schema_enable(p_enabled boolean, p_schema text, p_url_mapping_type text,
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

-- postgrest: the pre-request binds its decision to the JWT PostgREST verified
-- (ords.postgrest_token_binding); signing keys exist from the install on, with one current key
-- per algorithm whatever order rows arrive in (restores); ords.set_token_format('jwt') remakes
-- missing keys; db-pre-config writes nothing in a read-only transaction; the plain-secret route
-- ords_admin.jwt_hs256_secret() is gone (docs/postgrest.md, "HS256").
DROP FUNCTION ords_admin.jwt_hs256_secret();
CREATE FUNCTION ords."postgrest_token_binding"(
	"p_token" TEXT /* Option < & str > */
) RETURNS TABLE (
	"jti" TEXT,  /* String */
	"client_id" TEXT,  /* String */
	"schema_alias" TEXT,  /* String */
	"jwt_role" TEXT  /* String */
)
STABLE SECURITY DEFINER
SET search_path TO pg_catalog, pg_temp
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'postgrest_token_binding_wrapper';
ALTER FUNCTION ords.postgrest_token_binding(text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
CREATE FUNCTION ords_metadata.sec_keys_one_current()
RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_other timestamptz;
BEGIN
    IF NEW.retired_on IS NULL THEN
        SELECT created_on INTO v_other FROM ords_metadata.sec_keys
         WHERE alg = NEW.alg AND retired_on IS NULL AND kid <> NEW.kid FOR UPDATE;
        IF FOUND THEN
            IF v_other >= NEW.created_on THEN
                NEW.retired_on := v_other;
            ELSE
                UPDATE ords_metadata.sec_keys SET retired_on = NEW.created_on
                 WHERE alg = NEW.alg AND retired_on IS NULL AND kid <> NEW.kid;
            END IF;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION ords_metadata.sec_keys_one_current() FROM PUBLIC;
CREATE TRIGGER sec_keys_one_current BEFORE INSERT ON ords_metadata.sec_keys
    FOR EACH ROW EXECUTE FUNCTION ords_metadata.sec_keys_one_current();
ALTER TABLE ords_metadata.sec_keys ENABLE ALWAYS TRIGGER sec_keys_one_current;  -- rows from logical replication too
CREATE OR REPLACE FUNCTION ords.set_token_format(p_token_format text, p_jwt_role text DEFAULT NULL)
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

CREATE OR REPLACE FUNCTION ords_admin.set_token_format(p_schema text, p_token_format text, p_jwt_role text DEFAULT NULL)
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

CREATE OR REPLACE FUNCTION ords.postgrest_pre_request()
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

CREATE OR REPLACE FUNCTION ords.postgrest_pre_config()
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
SELECT ords_metadata.ensure_signing_keys();

-- gateway: handler definitions, aliases and login checks for pg-ords-gateway (sql/gateway.sql)
-- pg-ords-gateway support (docs/gateway.md). The gateway's decision role reads what it needs
-- through these functions only: no grant on ords_metadata, no membership in any tenant role.
-- EXECUTE is revoked from PUBLIC; the DBA grants it to the gateway's role:
--   GRANT EXECUTE ON FUNCTION ords.gateway_handlers(text, text), ords.gateway_aliases(),
--                             ords.gateway_check_login(text, text) TO ords_gateway;

-- The module handlers of an enabled alias whose module base path is a prefix of the
-- (normalised) path: one row per template and handler (a template without handlers has a NULL
-- method). The gateway picks the most specific template itself (gateway/src/routes.rs).
-- PL/pgSQL, not SQL: a SECURITY DEFINER SQL function is never inlined and would be planned
-- again on every call; PL/pgSQL keeps the plan for the session.
CREATE FUNCTION ords.gateway_handlers(p_alias text, p_path text)
RETURNS TABLE (parsing_schema text, uri_prefix text, module_items_per_page integer, uri_template text,
               priority integer, method text, source_type text, source text, handler_items_per_page integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT s.parsing_schema, m.uri_prefix, m.items_per_page, t.uri_template, t.priority,
           h.method, h.source_type, h.source, h.items_per_page
      FROM ords_metadata.ords_schemas s
      JOIN ords_metadata.ords_modules m ON m.schema_id OPERATOR(pg_catalog.=) s.id
                                       AND m.status OPERATOR(pg_catalog.=) 'PUBLISHED'
      JOIN ords_metadata.ords_templates t ON t.module_id OPERATOR(pg_catalog.=) m.id
      LEFT JOIN ords_metadata.ords_handlers h ON h.template_id OPERATOR(pg_catalog.=) t.id
     WHERE s.pattern OPERATOR(pg_catalog.=) p_alias
       AND s.status OPERATOR(pg_catalog.=) 'ENABLED'
       AND pg_catalog.left(p_path, pg_catalog.length(m.uri_prefix)) OPERATOR(pg_catalog.=) m.uri_prefix;
END
$$;
REVOKE EXECUTE ON FUNCTION ords.gateway_handlers(text, text) FROM PUBLIC;

-- The enabled aliases: the gateway refuses requests for any other alias before they reach
-- Postgres (no ERROR lines with attacker text in the server log).
CREATE FUNCTION ords.gateway_aliases()
RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.pattern FROM ords_metadata.ords_schemas s WHERE s.status OPERATOR(pg_catalog.=) 'ENABLED'
$$;
REVOKE EXECUTE ON FUNCTION ords.gateway_aliases() FROM PUBLIC;

-- Why a login role must not be used by the gateway, or NULL when it may. p_alias NULL: the
-- decision role, which may become no tenant. Otherwise the handler login of that alias, which
-- may become that alias's schema role and no other tenant. Neither may be a superuser, have
-- CREATEROLE (it could grant itself any tenant) or BYPASSRLS, or read/write all data.
CREATE FUNCTION ords.gateway_check_login(p_login text, p_alias text)
RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r pg_catalog.pg_roles%ROWTYPE;
    v_schema text;
    v_other text;
BEGIN
    SELECT * INTO r FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) p_login;
    IF NOT FOUND THEN
        RETURN pg_catalog.format('role %I does not exist', p_login);
    END IF;
    IF r.rolsuper OR r.rolcreaterole OR r.rolbypassrls THEN
        RETURN pg_catalog.format('role %I is a superuser or has CREATEROLE or BYPASSRLS', p_login);
    END IF;
    IF pg_catalog.pg_has_role(p_login, 'pg_read_all_data', 'MEMBER')
       OR pg_catalog.pg_has_role(p_login, 'pg_write_all_data', 'MEMBER') THEN
        RETURN pg_catalog.format('role %I is a member of pg_read_all_data or pg_write_all_data', p_login);
    END IF;
    IF p_alias IS NOT NULL THEN
        SELECT s.parsing_schema INTO v_schema FROM ords_metadata.ords_schemas s
         WHERE s.pattern OPERATOR(pg_catalog.=) p_alias AND s.status OPERATOR(pg_catalog.=) 'ENABLED';
        IF NOT FOUND THEN
            RETURN pg_catalog.format('no enabled REST-enabled schema has the alias %I', p_alias);
        END IF;
        IF NOT pg_catalog.pg_has_role(p_login, v_schema, 'MEMBER') THEN
            RETURN pg_catalog.format('role %I cannot become %I (GRANT %I TO %I, or log in as %I)',
                                     p_login, v_schema, v_schema, p_login, v_schema);
        END IF;
    END IF;
    SELECT s.parsing_schema INTO v_other FROM ords_metadata.ords_schemas s
     WHERE s.parsing_schema IS DISTINCT FROM v_schema
       AND EXISTS (SELECT FROM pg_catalog.pg_roles o WHERE o.rolname OPERATOR(pg_catalog.=) s.parsing_schema)
       AND pg_catalog.pg_has_role(p_login, s.parsing_schema, 'MEMBER')
     ORDER BY s.parsing_schema LIMIT 1;
    IF FOUND THEN
        RETURN pg_catalog.format('role %I can become the tenant role %I (REVOKE %I FROM %I)',
                                 p_login, v_other, v_other, p_login);
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION ords.gateway_check_login(text, text) FROM PUBLIC;

-- Nothing in ords_metadata is for PUBLIC (new tables and functions included).
REVOKE ALL ON ALL TABLES IN SCHEMA ords_metadata FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ords_metadata FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ords_metadata.invoker() TO PUBLIC;  -- used by the user_ords_* views

SELECT ords_metadata.invalidate_caches();
