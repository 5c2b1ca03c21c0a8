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

-- The decision for a request the gateway serves with a module handler, in the handler's own
-- transaction (docs/gateway.md, "One round trip"): ords.authorize, but it raises unless the
-- request may pass (28000: HTTP 401, 42501: HTTP 403, with the WWW-Authenticate value in
-- DETAIL; no line in the server log), so that the handler query the gateway pipelined behind it
-- never runs. It raises 55000 when p_route is not the fingerprint of the alias's handlers that
-- serve p_handler_path now (the gateway's copy is out of date: it reads them again), and 42501
-- when the session's login cannot become the alias's schema role. For everyone: it tells a
-- caller no more than ords.authorize does, and nothing about another tenant's handlers.
CREATE FUNCTION ords.gateway_gate(p_token text, p_method text, p_path text, p_schema_alias text,
                                  p_handler_path text, p_route text)
RETURNS ords.decision LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'ords_gateway_gate';

-- What the gateway runs on a handler connection after every request, once its transaction has
-- ended (docs/gateway.md, "Nothing survives between requests"): in one call, what DISCARD ALL
-- does except dropping the session's prepared statements and plans (CLOSE ALL, SET SESSION
-- AUTHORIZATION DEFAULT, RESET ALL, UNLISTEN *, the session's advisory locks, DISCARD TEMP,
-- DISCARD SEQUENCES). Returns whether the prepared statements left are exactly the gateway's:
-- none made with SQL PREPARE and p_statements made at protocol level (otherwise the gateway
-- runs DISCARD ALL). Raises 25001 inside a transaction block. It acts on the caller's own
-- session only: callable by PUBLIC. No SET clause: one would be restored after RESET ALL.
CREATE FUNCTION ords.gateway_reset(p_statements integer)
RETURNS boolean LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'ords_gateway_reset';
