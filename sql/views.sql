-- pg_ords dictionary views, named and shaped like ORDS's USER_ORDS_* / DBA_ORDS_* views.
--
-- user_ords_* show the current user's objects only: the REST-enabled schema whose
-- parsing_schema is ords_metadata.invoker() (current_user where the view is read; see
-- docs/ownership.md), the same role the provisioning functions act for. They are
-- security_barrier views over tables PUBLIC cannot read. client_secret is '********' when a
-- secret exists (as ORDS 24.3+ shows non-stored secrets), except in the session that created
-- or rotated it, for the role it acted for (docs/secrets.md#read-back), and except a stored
-- secret, which its owner reads (docs/secrets.md#stored).
-- dba_ords_* show every schema's objects, for superusers and ords_administrator_role.
-- They are created in the extension's schema (normally public) so the seeds' unqualified
-- SELECT ... FROM user_ords_clients works.

-- One internal view per ORDS view, with the owning role as a column; the public views filter it.
CREATE VIEW ords_metadata.all_clients AS
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

CREATE VIEW ords_metadata.all_client_roles AS
SELECT c.id AS client_id, c.name AS client_name, r.id AS role_id, r.name AS role_name, sc.parsing_schema
  FROM ords_metadata.oauth_client_roles cr
  JOIN ords_metadata.oauth_clients c ON c.id = cr.client_id
  JOIN ords_metadata.sec_roles r ON r.id = cr.role_id
  JOIN ords_metadata.ords_schemas sc ON sc.id = c.schema_id;

CREATE VIEW ords_metadata.all_client_privileges AS
SELECT c.id AS client_id, c.name AS client_name, p.id AS priv_id, p.name, sc.parsing_schema
  FROM ords_metadata.oauth_client_privileges cp
  JOIN ords_metadata.oauth_clients c ON c.id = cp.client_id
  JOIN ords_metadata.sec_privileges p ON p.id = cp.privilege_id
  JOIN ords_metadata.ords_schemas sc ON sc.id = c.schema_id;

CREATE VIEW ords_metadata.all_roles AS
SELECT r.id, r.name, r.schema_id, r.created_by, r.created_on, r.updated_by, r.updated_on, sc.parsing_schema
  FROM ords_metadata.sec_roles r JOIN ords_metadata.ords_schemas sc ON sc.id = r.schema_id;

CREATE VIEW ords_metadata.all_privileges AS
SELECT p.id, p.label, p.name, p.comments, p.description, p.schema_id,
       p.created_by, p.created_on, p.updated_by, p.updated_on, sc.parsing_schema
  FROM ords_metadata.sec_privileges p JOIN ords_metadata.ords_schemas sc ON sc.id = p.schema_id;

CREATE VIEW ords_metadata.all_privilege_roles AS
SELECT p.id AS privilege_id, p.name AS privilege_name, r.id AS role_id, r.name AS role_name, sc.parsing_schema
  FROM ords_metadata.sec_privilege_roles pr
  JOIN ords_metadata.sec_privileges p ON p.id = pr.privilege_id
  JOIN ords_metadata.sec_roles r ON r.id = pr.role_id
  JOIN ords_metadata.ords_schemas sc ON sc.id = p.schema_id;

CREATE VIEW ords_metadata.all_privilege_mappings AS
SELECT p.id AS privilege_id, p.name, m.pattern, m.schema_id, m.created_by, m.created_on, sc.parsing_schema
  FROM ords_metadata.sec_privilege_mappings m
  JOIN ords_metadata.sec_privileges p ON p.id = m.privilege_id
  JOIN ords_metadata.ords_schemas sc ON sc.id = m.schema_id;

CREATE VIEW ords_metadata.all_privilege_modules AS
SELECT p.id AS privilege_id, p.name AS privilege_name, mo.id AS module_id, mo.name AS module_name, sc.parsing_schema
  FROM ords_metadata.sec_privilege_modules pm
  JOIN ords_metadata.sec_privileges p ON p.id = pm.privilege_id
  JOIN ords_metadata.ords_modules mo ON mo.id = pm.module_id
  JOIN ords_metadata.ords_schemas sc ON sc.id = p.schema_id;

CREATE VIEW ords_metadata.all_modules AS
SELECT m.id, m.name, m.uri_prefix, m.items_per_page, m.status, m.comments, NULL::text AS pre_hook,
       m.origins_allowed, m.schema_id, m.created_by, m.created_on, m.updated_by, m.updated_on, sc.parsing_schema
  FROM ords_metadata.ords_modules m JOIN ords_metadata.ords_schemas sc ON sc.id = m.schema_id;

CREATE VIEW ords_metadata.all_templates AS
SELECT t.id, t.module_id, t.uri_template, t.priority, t.etag_type, t.etag_query, t.comments, m.schema_id,
       t.created_by, t.created_on, t.updated_by, t.updated_on, sc.parsing_schema
  FROM ords_metadata.ords_templates t
  JOIN ords_metadata.ords_modules m ON m.id = t.module_id
  JOIN ords_metadata.ords_schemas sc ON sc.id = m.schema_id;

CREATE VIEW ords_metadata.all_handlers AS
SELECT h.id, h.template_id, h.source_type, h.method, h.mimes_allowed, h.items_per_page, h.source, h.comments, m.schema_id,
       h.created_by, h.created_on, h.updated_by, h.updated_on, sc.parsing_schema
  FROM ords_metadata.ords_handlers h
  JOIN ords_metadata.ords_templates t ON t.id = h.template_id
  JOIN ords_metadata.ords_modules m ON m.id = t.module_id
  JOIN ords_metadata.ords_schemas sc ON sc.id = m.schema_id;

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

-- A schema has one URL mapping (its alias, ORDS.SET_URL_MAPPING): url_mapping_id is the
-- schema's id, the id of its row in dba_ords_url_mappings.
CREATE VIEW ords_metadata.all_schemas AS
SELECT s.id, s.parsing_schema, s.type, s.pattern, s.status, s.auto_rest_auth, NULL::text AS ops_allowed, NULL::text AS pre_hook,
       s.created_by, s.created_on, s.updated_by, s.updated_on, s.id AS url_mapping_id
  FROM ords_metadata.ords_schemas s;

-- The public views. user_ords_X: the rows of ords_metadata.all_X that belong to the caller
-- (parsing_schema = ords_metadata.invoker()), without that column; dba_ords_X: every row, for
-- administrators. All are security_barrier views, so no caller-supplied function sees a row
-- the filter removes.

CREATE VIEW @extschema@.user_ords_clients WITH (security_barrier) AS
SELECT id, name, description, auth_flow, response_type, grant_type, client_id, client_secret,
       redirect_uri, support_email, support_uri, allowed_origins, owner, token_duration,
       refresh_duration, code_duration, client_secret_issued_on, client_secret_2_issued_on,
       schema_id, created_by, created_on, updated_by, updated_on
  FROM ords_metadata.all_clients WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_clients WITH (security_barrier) AS SELECT * FROM ords_metadata.all_clients;
GRANT SELECT ON @extschema@.user_ords_clients TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_clients TO ords_administrator_role;

CREATE VIEW @extschema@.user_ords_client_roles WITH (security_barrier) AS
SELECT client_id, client_name, role_id, role_name
  FROM ords_metadata.all_client_roles WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_client_roles WITH (security_barrier) AS SELECT * FROM ords_metadata.all_client_roles;
GRANT SELECT ON @extschema@.user_ords_client_roles TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_client_roles TO ords_administrator_role;

CREATE VIEW @extschema@.user_ords_client_privileges WITH (security_barrier) AS
SELECT client_id, client_name, priv_id, name
  FROM ords_metadata.all_client_privileges WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_client_privileges WITH (security_barrier) AS SELECT * FROM ords_metadata.all_client_privileges;
GRANT SELECT ON @extschema@.user_ords_client_privileges TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_client_privileges TO ords_administrator_role;

CREATE VIEW @extschema@.user_ords_roles WITH (security_barrier) AS
SELECT id, name, schema_id, created_by, created_on, updated_by, updated_on
  FROM ords_metadata.all_roles WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_roles WITH (security_barrier) AS SELECT * FROM ords_metadata.all_roles;
GRANT SELECT ON @extschema@.user_ords_roles TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_roles TO ords_administrator_role;

CREATE VIEW @extschema@.user_ords_privileges WITH (security_barrier) AS
SELECT id, label, name, comments, description, schema_id, created_by, created_on, updated_by,
       updated_on
  FROM ords_metadata.all_privileges WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_privileges WITH (security_barrier) AS SELECT * FROM ords_metadata.all_privileges;
GRANT SELECT ON @extschema@.user_ords_privileges TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_privileges TO ords_administrator_role;

CREATE VIEW @extschema@.user_ords_privilege_roles WITH (security_barrier) AS
SELECT privilege_id, privilege_name, role_id, role_name
  FROM ords_metadata.all_privilege_roles WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_privilege_roles WITH (security_barrier) AS SELECT * FROM ords_metadata.all_privilege_roles;
GRANT SELECT ON @extschema@.user_ords_privilege_roles TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_privilege_roles TO ords_administrator_role;

CREATE VIEW @extschema@.user_ords_privilege_mappings WITH (security_barrier) AS
SELECT privilege_id, name, pattern, schema_id, created_by, created_on
  FROM ords_metadata.all_privilege_mappings WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_privilege_mappings WITH (security_barrier) AS SELECT * FROM ords_metadata.all_privilege_mappings;
GRANT SELECT ON @extschema@.user_ords_privilege_mappings TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_privilege_mappings TO ords_administrator_role;

CREATE VIEW @extschema@.user_ords_privilege_modules WITH (security_barrier) AS
SELECT privilege_id, privilege_name, module_id, module_name
  FROM ords_metadata.all_privilege_modules WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_privilege_modules WITH (security_barrier) AS SELECT * FROM ords_metadata.all_privilege_modules;
GRANT SELECT ON @extschema@.user_ords_privilege_modules TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_privilege_modules TO ords_administrator_role;

CREATE VIEW @extschema@.user_ords_modules WITH (security_barrier) AS
SELECT id, name, uri_prefix, items_per_page, status, comments, pre_hook, origins_allowed,
       schema_id, created_by, created_on, updated_by, updated_on
  FROM ords_metadata.all_modules WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_modules WITH (security_barrier) AS SELECT * FROM ords_metadata.all_modules;
GRANT SELECT ON @extschema@.user_ords_modules TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_modules TO ords_administrator_role;

CREATE VIEW @extschema@.user_ords_templates WITH (security_barrier) AS
SELECT id, module_id, uri_template, priority, etag_type, etag_query, comments, schema_id,
       created_by, created_on, updated_by, updated_on
  FROM ords_metadata.all_templates WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_templates WITH (security_barrier) AS SELECT * FROM ords_metadata.all_templates;
GRANT SELECT ON @extschema@.user_ords_templates TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_templates TO ords_administrator_role;

CREATE VIEW @extschema@.user_ords_handlers WITH (security_barrier) AS
SELECT id, template_id, source_type, method, mimes_allowed, items_per_page, source, comments,
       schema_id, created_by, created_on, updated_by, updated_on
  FROM ords_metadata.all_handlers WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_handlers WITH (security_barrier) AS SELECT * FROM ords_metadata.all_handlers;
GRANT SELECT ON @extschema@.user_ords_handlers TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_handlers TO ords_administrator_role;

CREATE VIEW @extschema@.user_ords_schemas WITH (security_barrier) AS
SELECT id, parsing_schema, type, pattern, status, auto_rest_auth, ops_allowed, pre_hook,
       created_by, created_on, updated_by, updated_on
  FROM ords_metadata.all_schemas WHERE parsing_schema = ords_metadata.invoker();
CREATE VIEW @extschema@.dba_ords_schemas WITH (security_barrier) AS SELECT * FROM ords_metadata.all_schemas;
GRANT SELECT ON @extschema@.user_ords_schemas TO PUBLIC;
GRANT SELECT ON @extschema@.dba_ords_schemas TO ords_administrator_role;
CREATE VIEW @extschema@.dba_ords_url_mappings WITH (security_barrier) AS
SELECT id, pattern, type, parsing_schema FROM ords_metadata.all_schemas;
GRANT SELECT ON @extschema@.dba_ords_url_mappings TO ords_administrator_role;

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
