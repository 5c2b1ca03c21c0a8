-- pg_ords catalog: the tables behind the ORDS-style API.
--
-- Everything lives in schema ords_metadata (named after ORDS's own metadata schema).
-- Nothing here is granted to PUBLIC: schema roles reach these rows only through the
-- functions in oauth / ords / ords_security (which check the invoker) and through the
-- user_ords_* views (which filter on current_user and hide secrets).
--
-- Every table and the id sequence are registered with pg_extension_config_dump, so pg_dump
-- keeps clients, secret hashes, roles, privileges, modules and tokens.

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
    updated_on       timestamptz NOT NULL DEFAULT now()
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
    UNIQUE (schema_id, name)
);

-- Client secrets: at most two slots, Argon2id PHC strings only (CONTRACT §4).
CREATE TABLE ords_metadata.oauth_client_secrets (
    client_id   bigint NOT NULL REFERENCES ords_metadata.oauth_clients(id) ON DELETE CASCADE,
    slot        smallint NOT NULL CHECK (slot IN (1, 2)),
    secret_hash text NOT NULL CHECK (secret_hash LIKE '$argon2id$%'),
    issued_on   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (client_id, slot)
);

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
    jwt_role    text        -- a JWT's role claim (NULL: opaque token); checked at every decision
);
CREATE INDEX ON ords_metadata.oauth_sessions (client_id);
CREATE INDEX ON ords_metadata.oauth_sessions (expires_on);

-- Aliases a schema has given up (changed alias, dropped its REST objects): an alias stays
-- reserved for the schema that used it, so another role cannot take over its URLs; only an
-- administrator can hand it to another schema (docs/security.md, "Aliases").
CREATE TABLE ords_metadata.ords_alias_history (
    pattern          text PRIMARY KEY,              -- the alias given up
    parsing_schema   text NOT NULL,                 -- the role that last used it
    released_on      timestamptz NOT NULL DEFAULT now()
);

-- Tables for which pg_dump must keep the rows.
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.id_seq', '');
-- (One call per statement: each call updates pg_extension's row.)
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.ords_schemas', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.sec_roles', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.sec_privileges', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.sec_privilege_roles', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.sec_privilege_mappings', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.ords_modules', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.ords_templates', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.ords_handlers', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.sec_privilege_modules', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.oauth_clients', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.oauth_client_secrets', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.oauth_client_roles', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.oauth_client_privileges', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.oauth_sessions', '');
SELECT pg_catalog.pg_extension_config_dump('ords_metadata.ords_alias_history', '');

-- The administrators' role (ORDS_ADMINISTRATOR_ROLE): may use the *_admin functions and the
-- dba_ords_* views. Roles are cluster-wide, so it survives DROP EXTENSION.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ords_administrator_role') THEN
        CREATE ROLE ords_administrator_role NOLOGIN;
    END IF;
END
$$;
