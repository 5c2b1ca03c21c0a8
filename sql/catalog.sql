-- pg_ords catalog: the tables behind the ORDS-style API.
--
-- Everything lives in schema ords_metadata (named after ORDS's own metadata schema).
-- This file is the complete current schema: every table with every column, the integrity
-- triggers, what pg_dump keeps and what empties the decision caches. Upgrade scripts
-- (pg_ords--A--B.sql) bring an older catalog to this shape; a fresh install runs only this.
--
-- Nothing here is granted to PUBLIC (sql/privileges.sql): schema roles reach these rows only
-- through the functions in oauth / ords / ords_security (which act for the invoking role,
-- docs/ownership.md) and through the user_ords_* views (the invoking role's rows, no secrets).
--
-- Naming: a column `client_id` of type bigint is the client's key (oauth_clients.id); the
-- OAuth client_id users see is the text column oauth_clients.client_id. ords_schemas.pattern
-- is the schema's URL alias (ORDS's column name). oauth_sessions holds access tokens.

CREATE SCHEMA IF NOT EXISTS ords_metadata;
REVOKE ALL ON SCHEMA ords_metadata FROM PUBLIC;
COMMENT ON SCHEMA ords_metadata IS 'pg_ords catalog tables (not for direct use; see the user_ords_* views)';

-- One id space for every object, like ORDS's numeric ids.
CREATE SEQUENCE ords_metadata.id_seq START 10000;

-- A REST-enabled schema: a Postgres role and its URL alias (ORDS.ENABLE_SCHEMA).
CREATE TABLE ords_metadata.ords_schemas (
    id               bigint PRIMARY KEY DEFAULT nextval('ords_metadata.id_seq'),
    parsing_schema   text NOT NULL UNIQUE,          -- the owning Postgres role
    type             text NOT NULL DEFAULT 'BASE_PATH' CHECK (type IN ('BASE_PATH', 'BASE_URL')),
    pattern          text NOT NULL UNIQUE,          -- the schema alias: /ords/<pattern>/...
    status           text NOT NULL DEFAULT 'ENABLED' CHECK (status IN ('ENABLED', 'DISABLED')),
    auto_rest_auth   boolean NOT NULL DEFAULT false,
    created_by       text NOT NULL DEFAULT current_user,
    created_on       timestamptz NOT NULL DEFAULT now(),
    updated_by       text NOT NULL DEFAULT current_user,
    updated_on       timestamptz NOT NULL DEFAULT now(),
    token_format     text CHECK (token_format IN ('opaque', 'jwt')),  -- NULL: pg_ords.token_format
    jwt_role         text                           -- PostgREST role of its JWTs (NULL: parsing_schema)
);

-- ORDS roles (ORDS.CREATE_ROLE), owned by a schema.
CREATE TABLE ords_metadata.sec_roles (
    id          bigint PRIMARY KEY DEFAULT nextval('ords_metadata.id_seq'),
    schema_id   bigint NOT NULL REFERENCES ords_metadata.ords_schemas(id) ON DELETE CASCADE,
    name        text NOT NULL,
    created_by  text NOT NULL,
    created_on  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL,
    updated_on  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (schema_id, name)
);

-- ORDS privileges (ORDS.CREATE_PRIVILEGE / DEFINE_PRIVILEGE).
CREATE TABLE ords_metadata.sec_privileges (
    id           bigint PRIMARY KEY DEFAULT nextval('ords_metadata.id_seq'),
    schema_id    bigint NOT NULL REFERENCES ords_metadata.ords_schemas(id) ON DELETE CASCADE,
    name         text NOT NULL,
    label        text,
    description  text,
    comments     text,
    created_by   text NOT NULL,
    created_on   timestamptz NOT NULL DEFAULT now(),
    updated_by   text NOT NULL,
    updated_on   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (schema_id, name)
);

-- The roles a privilege requires (a caller needs at least one of them).
CREATE TABLE ords_metadata.sec_privilege_roles (
    privilege_id bigint NOT NULL REFERENCES ords_metadata.sec_privileges(id) ON DELETE CASCADE,
    role_id      bigint NOT NULL REFERENCES ords_metadata.sec_roles(id) ON DELETE CASCADE,
    PRIMARY KEY (privilege_id, role_id)
);
CREATE INDEX ON ords_metadata.sec_privilege_roles (role_id);

-- URI patterns a privilege protects (ORDS.CREATE_PRIVILEGE_MAPPING). A pattern is mapped by at
-- most one privilege of a schema, so "most specific" is never a tie between privileges.
CREATE TABLE ords_metadata.sec_privilege_mappings (
    id           bigint PRIMARY KEY DEFAULT nextval('ords_metadata.id_seq'),
    schema_id    bigint NOT NULL REFERENCES ords_metadata.ords_schemas(id) ON DELETE CASCADE,
    privilege_id bigint NOT NULL REFERENCES ords_metadata.sec_privileges(id) ON DELETE CASCADE,
    pattern      text NOT NULL,
    created_by   text NOT NULL,
    created_on   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (schema_id, pattern)
);
CREATE INDEX ON ords_metadata.sec_privilege_mappings (privilege_id);
-- A pattern's literal prefix (the text before its first '*'): a backend's first decisions read
-- only the rules that can govern their path (src/cache.rs).
CREATE INDEX sec_privilege_mappings_literal_prefix
    ON ords_metadata.sec_privilege_mappings (schema_id, split_part(pattern, '*', 1));

-- Resource modules, templates and handlers (ORDS.DEFINE_MODULE / DEFINE_TEMPLATE / DEFINE_HANDLER).
CREATE TABLE ords_metadata.ords_modules (
    id              bigint PRIMARY KEY DEFAULT nextval('ords_metadata.id_seq'),
    schema_id       bigint NOT NULL REFERENCES ords_metadata.ords_schemas(id) ON DELETE CASCADE,
    name            text NOT NULL,
    uri_prefix      text NOT NULL,                 -- normalised base path, e.g. /customers/
    items_per_page  integer NOT NULL DEFAULT 25 CHECK (items_per_page >= 0),
    status          text NOT NULL DEFAULT 'PUBLISHED' CHECK (status IN ('PUBLISHED', 'NOT_PUBLISHED')),
    comments        text,
    origins_allowed text,
    created_by      text NOT NULL,
    created_on      timestamptz NOT NULL DEFAULT now(),
    updated_by      text NOT NULL,
    updated_on      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (schema_id, name),
    UNIQUE (schema_id, uri_prefix)
);

CREATE TABLE ords_metadata.ords_templates (
    id            bigint PRIMARY KEY DEFAULT nextval('ords_metadata.id_seq'),
    module_id     bigint NOT NULL REFERENCES ords_metadata.ords_modules(id) ON DELETE CASCADE,
    uri_template  text NOT NULL,
    priority      integer NOT NULL DEFAULT 0,
    etag_type     text NOT NULL DEFAULT 'HASH' CHECK (etag_type IN ('HASH', 'QUERY', 'NONE')),
    etag_query    text,
    comments      text,
    created_by    text NOT NULL,
    created_on    timestamptz NOT NULL DEFAULT now(),
    updated_by    text NOT NULL,
    updated_on    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (module_id, uri_template)
);

CREATE TABLE ords_metadata.ords_handlers (
    id              bigint PRIMARY KEY DEFAULT nextval('ords_metadata.id_seq'),
    template_id     bigint NOT NULL REFERENCES ords_metadata.ords_templates(id) ON DELETE CASCADE,
    method          text NOT NULL CHECK (method IN ('GET', 'POST', 'PUT', 'DELETE')),
    source_type     text NOT NULL,
    source          text NOT NULL,
    items_per_page  integer CHECK (items_per_page >= 0),
    mimes_allowed   text,
    comments        text,
    created_by      text NOT NULL,
    created_on      timestamptz NOT NULL DEFAULT now(),
    updated_by      text NOT NULL,
    updated_on      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (template_id, method)
);

-- Handler parameters (ORDS.DEFINE_PARAMETER): one row per handler and parameter name; defining
-- it again replaces it. Stored and listed (user_ords_parameters); the gateway does not read them
-- (docs/rest-definitions.md#parameters).
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

-- AutoREST objects (ORDS.ENABLE_OBJECT): stored and listed (user_ords_enabled_objects); nothing
-- serves them yet (docs/rest-definitions.md#enable-object).
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

-- A module is protected by at most one privilege (ORDS.SET_MODULE_PRIVILEGE).
CREATE TABLE ords_metadata.sec_privilege_modules (
    privilege_id bigint NOT NULL REFERENCES ords_metadata.sec_privileges(id) ON DELETE CASCADE,
    module_id    bigint NOT NULL UNIQUE REFERENCES ords_metadata.ords_modules(id) ON DELETE CASCADE,
    PRIMARY KEY (privilege_id, module_id)
);

-- OAuth clients (OAUTH.CREATE_CLIENT / ORDS_SECURITY.REGISTER_CLIENT).
CREATE TABLE ords_metadata.oauth_clients (
    id               bigint PRIMARY KEY DEFAULT nextval('ords_metadata.id_seq'),
    schema_id        bigint NOT NULL REFERENCES ords_metadata.ords_schemas(id) ON DELETE CASCADE,
    name             text NOT NULL,
    grant_type       text NOT NULL CHECK (grant_type IN ('authorization_code', 'implicit', 'client_credentials')),
    client_id        text NOT NULL UNIQUE,
    owner            text,
    description      text,
    origins_allowed  text,
    redirect_uri     text,
    support_email    text,
    support_uri      text,
    token_duration   integer CHECK (token_duration > 0),
    refresh_duration integer CHECK (refresh_duration > 0),
    code_duration    integer CHECK (code_duration > 0),
    created_by       text NOT NULL,
    created_on       timestamptz NOT NULL DEFAULT now(),
    updated_by       text NOT NULL,
    updated_on       timestamptz NOT NULL DEFAULT now(),
    jwt_role         text,                          -- PostgREST role of its JWTs (NULL: the schema's)
    UNIQUE (schema_id, name)
);

-- Client secrets: at most two slots, Argon2id PHC strings only (docs/secrets.md#storage).
-- stored_secret: an opt-in encrypted copy (AES-256-GCM under a key of the key file
-- pg_ords_secrets.key in the data directory, never in the database; NULL = not stored;
-- docs/secrets.md#stored).
CREATE TABLE ords_metadata.oauth_client_secrets (
    client_id   bigint NOT NULL REFERENCES ords_metadata.oauth_clients(id) ON DELETE CASCADE,
    slot        smallint NOT NULL CHECK (slot IN (1, 2)),
    secret_hash text NOT NULL CHECK (secret_hash LIKE '$argon2id$%'),
    issued_on   timestamptz NOT NULL DEFAULT clock_timestamp(),
    stored_secret bytea CHECK (octet_length(stored_secret) >= 33 AND get_byte(stored_secret, 0) = 1),
    PRIMARY KEY (client_id, slot)
);

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

-- Roles granted to clients (OAUTH.GRANT_CLIENT_ROLE).
CREATE TABLE ords_metadata.oauth_client_roles (
    client_id  bigint NOT NULL REFERENCES ords_metadata.oauth_clients(id) ON DELETE CASCADE,
    role_id    bigint NOT NULL REFERENCES ords_metadata.sec_roles(id) ON DELETE CASCADE,
    granted_by text NOT NULL,
    granted_on timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, role_id)
);
CREATE INDEX ON ords_metadata.oauth_client_roles (role_id);

-- Privileges a client asked for (p_privilege_names); informative for client_credentials.
CREATE TABLE ords_metadata.oauth_client_privileges (
    client_id    bigint NOT NULL REFERENCES ords_metadata.oauth_clients(id) ON DELETE CASCADE,
    privilege_id bigint NOT NULL REFERENCES ords_metadata.sec_privileges(id) ON DELETE CASCADE,
    PRIMARY KEY (client_id, privilege_id)
);
CREATE INDEX ON ords_metadata.oauth_client_privileges (privilege_id);

-- Issued access tokens ("sessions"): only the SHA-256 of the token is stored.
CREATE TABLE ords_metadata.oauth_sessions (
    token_hash  bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    client_id   bigint NOT NULL REFERENCES ords_metadata.oauth_clients(id) ON DELETE CASCADE,
    issued_on   timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_on  timestamptz NOT NULL,
    jwt_role    text,       -- a JWT's role claim (NULL: opaque token); checked at every decision
    -- SHA-256 of the exact JWT text returned at issuance (NULL: opaque token, whose key is
    -- already its text's SHA-256, or a JWT issued before 0.8.0). A decision on that exact
    -- text skips the signature check, not the others (docs/tokens.md, "Verifying a JWT").
    token_digest bytea CHECK (token_digest IS NULL OR octet_length(token_digest) = 32)
);
CREATE INDEX ON ords_metadata.oauth_sessions (client_id);
CREATE INDEX ON ords_metadata.oauth_sessions (expires_on);

-- Aliases a schema has given up (changed alias, dropped its REST objects): an alias stays
-- reserved for the schema that used it, so another role cannot take over its URLs; only an
-- administrator can hand it to another schema (docs/ownership.md#aliases).
CREATE TABLE ords_metadata.ords_alias_history (
    pattern          text PRIMARY KEY,              -- the alias given up
    parsing_schema   text NOT NULL,                 -- the role that last used it
    released_on      timestamptz NOT NULL DEFAULT now()
);

-- JWT signing keys (HS256, ES256, EdDSA): made at install and by ords.set_token_format('jwt')
-- or ords_admin.rotate_signing_keys() when an algorithm has no current key (src/jwt_keys.rs);
-- ords.jwks() publishes the public ones.
CREATE TABLE ords_metadata.sec_keys (
    kid          text PRIMARY KEY,
    alg          text NOT NULL CHECK (alg IN ('HS256', 'ES256', 'EdDSA')),
    private_key  bytea NOT NULL,
    created_on   timestamptz NOT NULL DEFAULT now(),
    retired_on   timestamptz            -- NULL: the current key of its algorithm
);
CREATE UNIQUE INDEX sec_keys_one_current_per_alg ON ords_metadata.sec_keys (alg) WHERE retired_on IS NULL;

-- One current key per algorithm, whatever order rows arrive in. A restore loads the dumped keys
-- into a database whose CREATE EXTENSION already made current keys: of two current keys of one
-- algorithm the newer stays current and the older is retired as of the newer's creation (it is
-- still published, and its tokens accepted, until pg_ords.max_token_duration after that).
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
CREATE TRIGGER sec_keys_one_current BEFORE INSERT ON ords_metadata.sec_keys
    FOR EACH ROW EXECUTE FUNCTION ords_metadata.sec_keys_one_current();
ALTER TABLE ords_metadata.sec_keys ENABLE ALWAYS TRIGGER sec_keys_one_current;  -- rows from logical replication too

-- pg_dump keeps the rows of every table and the id sequence: clients, secret hashes, roles,
-- privileges, modules, tokens, signing keys. (One call per statement: each updates
-- pg_extension's row.)
DO $$
DECLARE v_rel regclass;
BEGIN
    FOR v_rel IN SELECT c.oid FROM pg_catalog.pg_class c
                  WHERE c.relnamespace = 'ords_metadata'::regnamespace AND c.relkind IN ('r', 'S')
                  ORDER BY c.relname LOOP
        PERFORM pg_catalog.pg_extension_config_dump(v_rel, '');
    END LOOP;
END
$$;

-- Cache invalidation. ords.authorize keeps, per backend, the privilege patterns of each schema
-- and the tokens it has validated (see src/cache.rs). Any change that can narrow or widen access
-- (a role revoked, a client deleted, a secret rotated with p_revoke_sessions, a mapping added,
-- a token revoked, ...) must reach every backend before its next decision. These statement
-- triggers queue a relcache invalidation for ords_metadata.oauth_sessions; Postgres delivers it
-- to every backend at commit (and to hot standbys through the commit record), and each backend's
-- relcache callback then empties its pg_ords caches. Inserting a token invalidates nothing: a
-- token that is not in the cache is looked up.
CREATE FUNCTION ords_metadata.on_catalog_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ords_metadata.invalidate_caches();
    RETURN NULL;
END
$$;

-- Every table a decision reads gets the trigger: all of ords_metadata but oauth_sessions
-- (its own triggers below) and ords_alias_history (aliases given up: read only when a schema
-- takes an alias, never by a decision).
DO $$
DECLARE v_rel regclass;
BEGIN
    FOR v_rel IN SELECT c.oid FROM pg_catalog.pg_class c
                  WHERE c.relnamespace = 'ords_metadata'::regnamespace AND c.relkind = 'r'
                    AND c.relname NOT IN ('oauth_sessions', 'ords_alias_history')
                  ORDER BY c.relname LOOP
        EXECUTE format('CREATE TRIGGER invalidate_caches AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ords_metadata.on_catalog_change()', v_rel);
    END LOOP;
END
$$;
CREATE TRIGGER invalidate_caches AFTER UPDATE OR TRUNCATE ON ords_metadata.oauth_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION ords_metadata.on_catalog_change();
-- Deleting tokens invalidates only when a live token went (a revocation, a deleted client, a
-- rotation with p_revoke_sessions): the purge of expired tokens that every issuance does, and
-- revoking an unknown token, leave every backend's caches alone (an expired token is refused by
-- its expiry anyway).
CREATE FUNCTION ords_metadata.on_sessions_delete() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT FROM gone WHERE expires_on >= now()) THEN
        PERFORM ords_metadata.invalidate_caches();
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER invalidate_caches_on_delete AFTER DELETE ON ords_metadata.oauth_sessions
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION ords_metadata.on_sessions_delete();

-- Invalidation also when rows arrive by logical replication or with
-- session_replication_role = replica.
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT t.tgrelid::regclass AS rel, t.tgname FROM pg_catalog.pg_trigger t
               JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
              WHERE t.tgname IN ('invalidate_caches', 'invalidate_caches_on_delete') AND NOT t.tgisinternal
                AND c.relnamespace = 'ords_metadata'::regnamespace LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', r.rel, r.tgname);
    END LOOP;
END
$$;

-- The administrators' role (ORDS_ADMINISTRATOR_ROLE): may use the *_admin functions and the
-- dba_ords_* views. Roles are cluster-wide, so it survives DROP EXTENSION.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ords_administrator_role') THEN
        CREATE ROLE ords_administrator_role NOLOGIN;
    END IF;
END
$$;
