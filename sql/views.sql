-- pg_ords dictionary views, named and shaped like ORDS's USER_ORDS_* / DBA_ORDS_* views.
--
-- user_ords_* show the current user's objects only: the REST-enabled schema whose
-- parsing_schema is ords_metadata.invoker() (current_user where the view is read; see
-- docs/ownership.md), the same role the provisioning functions act for. They are
-- security_barrier views over tables PUBLIC cannot read, and never show a secret:
-- client_secret is '********' when a secret exists (as ORDS 24.3+ shows non-stored secrets).
-- dba_ords_* show every schema's objects, for superusers and ords_administrator_role.
-- They are created in the extension's schema (normally public) so the seeds' unqualified
-- SELECT ... FROM user_ords_clients works.

-- One internal view per ORDS view, with the owning role as a column; the public views filter it.
CREATE VIEW ords_metadata.all_clients AS
SELECT c.id, c.name, c.description,
       CASE c.grant_type WHEN 'client_credentials' THEN 'CLIENT_CRED' WHEN 'authorization_code' THEN 'CODE' ELSE 'IMPLICIT' END AS auth_flow,
       CASE c.grant_type WHEN 'authorization_code' THEN 'CODE' ELSE 'TOKEN' END AS response_type,
       c.grant_type, c.client_id,
       CASE WHEN EXISTS (SELECT FROM ords_metadata.oauth_client_secrets s WHERE s.client_id = c.id) THEN '********' END AS client_secret,
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

CREATE VIEW ords_metadata.all_schemas AS
SELECT s.id, s.parsing_schema, s.type, s.pattern, s.status, s.auto_rest_auth, NULL::text AS ops_allowed, NULL::text AS pre_hook,
       s.created_by, s.created_on, s.updated_by, s.updated_on
  FROM ords_metadata.ords_schemas s;

-- The public views: user_ords_X filters ords_metadata.all_X on current_user; dba_ords_X shows all.
DO $$
DECLARE
    v_name text;
    v_cols text;
BEGIN
    FOREACH v_name IN ARRAY ARRAY['clients', 'client_roles', 'client_privileges', 'roles', 'privileges', 'privilege_roles',
                                  'privilege_mappings', 'privilege_modules', 'modules', 'templates', 'handlers', 'schemas'] LOOP
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = format('ords_metadata.all_%s', v_name)::regclass AND a.attnum > 0 AND NOT a.attisdropped
           AND (a.attname <> 'parsing_schema' OR v_name = 'schemas');
        EXECUTE format('CREATE VIEW @extschema@.user_ords_%1$s WITH (security_barrier) AS SELECT %2$s FROM ords_metadata.all_%1$s WHERE parsing_schema = ords_metadata.invoker()',
                       v_name, v_cols);
        EXECUTE format('CREATE VIEW @extschema@.dba_ords_%1$s WITH (security_barrier) AS SELECT * FROM ords_metadata.all_%1$s', v_name);
        EXECUTE format('GRANT SELECT ON @extschema@.user_ords_%s TO PUBLIC', v_name);
        EXECUTE format('GRANT SELECT ON @extschema@.dba_ords_%s TO ords_administrator_role', v_name);
    END LOOP;
END
$$;
