-- pg_ords 0.2.0 -> 0.3.0: hardening (gateway and PostgREST isolation, authentication).
-- Each section names the area it belongs to; the last statement empties every backend's caches.

-- authentication: a JWT session remembers its role claim, which every decision re-checks.
ALTER TABLE ords_metadata.oauth_sessions ADD COLUMN jwt_role text;
-- May a schema hand out this role as a JWT role claim (docs/security.md)? Only a non-superuser
-- role the schema role is a member of (the schema role itself included). Checked when a token
-- is issued and at every decision on a JWT, so a revoked membership or a role made superuser
-- stops live tokens at once.
CREATE FUNCTION ords_metadata.jwt_role_usable(p_schema_role text, p_role text)
RETURNS boolean LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce((SELECT NOT r.rolsuper AND pg_catalog.pg_has_role(u.oid, r.oid, 'MEMBER')
                       FROM pg_catalog.pg_roles r, pg_catalog.pg_roles u
                      WHERE r.rolname OPERATOR(pg_catalog.=) p_role AND u.rolname OPERATOR(pg_catalog.=) p_schema_role), false)
$$;

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

-- Nothing in ords_metadata is for PUBLIC (new tables and functions included).
REVOKE ALL ON ALL TABLES IN SCHEMA ords_metadata FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ords_metadata FROM PUBLIC;

SELECT ords_metadata.invalidate_caches();
