-- ords_scripts: ORDS scripts run as ORDS users write them, with only the mechanical PL/SQL -> SQL
-- translation of docs/ords-mapping.md#calling-convention (fixtures/ords_scripts/README.md lists it):
--   a. a REST module export with handler parameters and a privilege (ORDS_EXPORT layout), and the
--      calls of older scripts (CREATE_SERVICE, CREATE_PRIVILEGE with lists, PUBLISH/RENAME_MODULE,
--      ENABLE_OBJECT, a SODA mapping removed);
--   b. the seeds' blocks (seed 003 and seed 004) and their read-back of the new secret;
--   c. an ORDS_SECURITY client lifecycle by p_client_key, and OAUTH's "delete, then create" client
--      script run twice.
-- Each script runs as one transaction, as a PL/SQL block is one unit of work: a call that fails
-- undoes the whole script. The scripts' own results (random client ids and secrets) are not shown
-- (psql's \o): errors are, and after each script the catalog it left behind, through the
-- user_ords_* views.
\set VERBOSITY terse
\getenv fixtures PG_ABS_SRCDIR
\set scripts :fixtures '/sql/fixtures/ords_scripts'
-- psql names the file in an error from an \i'd script: \cd there so the name stays relative.
\cd :scripts
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
SET pg_ords.secret_read_back = on;  -- the default: the seeds read the new secret back (the harness turns it off)
DROP ROLE IF EXISTS "HR";
DROP ROLE IF EXISTS page;
DROP ROLE IF EXISTS hr004;
DROP ROLE IF EXISTS "SCOTT";
-- ORDS schemas are upper-case Oracle users: a role named "HR" lets the export's p_schema => 'HR' stand.
CREATE ROLE "HR";
CREATE ROLE page;
CREATE ROLE hr004;
CREATE ROLE "SCOTT";

-- =============================================================================================
-- a. A REST module export, and older scripts' calls
-- =============================================================================================
SET ROLE "HR";
\o /dev/null
\i rest_export.sql
\o
SELECT parsing_schema, type, pattern, status FROM user_ords_schemas;
SELECT name, uri_prefix, items_per_page, status, comments, origins_allowed FROM user_ords_modules ORDER BY name;
SELECT m.name AS module, t.uri_template, t.priority, t.etag_type, h.method, h.source_type, h.mimes_allowed, h.source
  FROM user_ords_modules m JOIN user_ords_templates t ON t.module_id = m.id JOIN user_ords_handlers h ON h.template_id = t.id
 ORDER BY 1, 2, 5;
SELECT h.method, p.name, p.bind_variable_name, p.source_type, p.param_type, p.access_method
  FROM user_ords_parameters p JOIN user_ords_handlers h ON h.id = p.handler_id ORDER BY 1, 2;
SELECT name, label, description FROM user_ords_privileges ORDER BY name;
SELECT privilege_name, role_name FROM user_ords_privilege_roles ORDER BY 1, 2;
SELECT privilege_name, module_name FROM user_ords_privilege_modules ORDER BY 1, 2;
SELECT name, pattern FROM user_ords_privilege_mappings ORDER BY 1, 2;
-- The module, its base path ('.') and the pattern are protected; the rest of the alias is not.
SELECT p AS path, (ords.authorize(NULL, 'GET', p, 'hr')).outcome
  FROM unnest(ARRAY['/v1/', '/v1/employees/7', '/reports/daily', '/soda/latest/emp', '/elsewhere']) p;

\o /dev/null
\i older_script.sql
\o
SELECT name, uri_prefix, status FROM user_ords_modules ORDER BY name;
SELECT m.name AS module, t.uri_template, h.method, h.source_type
  FROM user_ords_modules m JOIN user_ords_templates t ON t.module_id = m.id JOIN user_ords_handlers h ON h.template_id = t.id
 WHERE m.name <> 'hr.v1' ORDER BY 1, 2;
SELECT privilege_name, module_name FROM user_ords_privilege_modules ORDER BY 1, 2;
SELECT name, pattern FROM user_ords_privilege_mappings ORDER BY 1, 2;
SELECT parsing_object, object_alias, type, status, auto_rest_auth FROM user_ords_enabled_objects;
-- The renamed module is protected; SODA is anonymous again.
SELECT p AS path, (ords.authorize(NULL, 'GET', p, 'hr')).outcome
  FROM unnest(ARRAY['/departments/departments/', '/legacy/locations/1', '/soda/latest/emp']) p;
RESET ROLE;

-- =============================================================================================
-- b. The seeds' blocks
-- =============================================================================================
-- Seed 003's endpoint, role and privilege were made in APEX's pages; here with the ORDS package.
SET ROLE page;
SELECT ords.enable_schema(p_url_mapping_pattern => 'page');
SELECT ords.define_service(p_module_name => 'customers', p_base_path => 'customers/', p_pattern => 'validation/:id',
                           p_source_type => ords.source_type_query_one_row(), p_source => 'select * from licenses where id = :id');
SELECT ords.create_role(p_role_name => 'license_role');
SELECT ords.create_privilege(p_name => 'license_priv', p_role_name => 'license_role');
SELECT ords.set_module_privilege(p_module_name => 'customers', p_privilege_name => 'license_priv');
\o /dev/null
\i seed003_block.sql
\o
-- The seed's read-back, as written (its values are random: captured, and their shape shown).
select client_id, client_secret
from user_ords_clients
where name = 'license_backend_client' \gset
SELECT length(:'client_id') AS client_id_length, :'client_secret' <> '********' AS secret_shown,
       length(:'client_secret') AS secret_length;
SELECT client_name, role_name FROM user_ords_client_roles;
SELECT (ords.authorize(t.access_token, 'GET', '/customers/validation/1', 'page')).outcome
  FROM oauth.issue_token(:'client_id', :'client_secret', 'client_credentials', 'page') t;
RESET ROLE;

SET ROLE hr004;
SELECT ords.enable_schema(p_url_mapping_pattern => 'hr004');
\o /dev/null
\i seed004_block.sql
\o
SELECT id, name, auth_flow, response_type, client_id, client_secret
FROM user_ords_clients \gset
SELECT :'name' AS name, :'auth_flow' AS auth_flow, :'response_type' AS response_type,
       :'client_secret' <> '********' AS secret_shown;
SELECT name, label, description FROM user_ords_privileges;
SELECT name, pattern FROM user_ords_privilege_mappings;
SELECT client_name, role_name FROM user_ords_client_roles;
RESET ROLE;

-- =============================================================================================
-- c. Clients: ORDS_SECURITY by client key, and OAUTH's "delete, then create" twice
-- =============================================================================================
-- The schema, role and privilege the client scripts refer to.
SET ROLE "SCOTT";
SELECT ords.enable_schema(p_url_mapping_pattern => 'scott');
SELECT ords.create_role(p_role_name => 'reports.reader');
SELECT ords.create_privilege(p_name => 'reports.privilege', p_role_name => 'reports.reader');
SELECT ords.create_privilege_mapping(p_privilege_name => 'reports.privilege', p_pattern => '/reports/*');
\o /dev/null
\i client_lifecycle.sql
\o
SELECT name, auth_flow, client_secret_issued_on IS NOT NULL AS slot_1, client_secret_2_issued_on IS NOT NULL AS slot_2
  FROM user_ords_clients ORDER BY name;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;
\o /dev/null
\i client_delete.sql
\o
SELECT count(*) AS clients_left FROM user_ords_clients;

-- First run: partner_client does not exist yet.
\o /dev/null
\i client_recreate.sql
\o
SELECT name, client_id IS NOT NULL AS has_client_id FROM user_ords_clients ORDER BY name;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;
\set first_client_id ''
SELECT client_id AS first_client_id FROM user_ords_clients WHERE name = 'partner_client' \gset
-- Second run: it exists, is deleted and made again (a new client id).
\o /dev/null
\i client_recreate.sql
\o
SELECT name, client_id <> :'first_client_id' AS new_client_id FROM user_ords_clients ORDER BY name;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;
RESET ROLE;

-- Clean up.
DROP EXTENSION pg_ords CASCADE;
DROP ROLE "HR", page, hr004, "SCOTT";
