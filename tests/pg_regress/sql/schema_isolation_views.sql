-- schema_isolation_views: every user_ords_* view shows the current role's objects only: nothing of
-- another schema leaks into any view (by name, schema or client_id).
--
-- Fixture (fixtures/schema_isolation.sql): schema roles iso_a and iso_b, each with a role, a privilege,
-- a mapping, a module (template, handler) and a client; iso_login (member of iso_a), iso_admin
-- (ords_administrator_role); pg_temp.try(sql). Nothing here prints a client_id, secret, token,
-- id or timestamp: they are captured with \gset and only booleans or lengths are shown.
\set fixture_verbose
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
-- =============================================================================================
-- Views: every user_ords_* view shows the current role's objects only.
-- =============================================================================================
SET ROLE iso_a;
SELECT name, auth_flow, grant_type, client_secret, created_by FROM user_ords_clients ORDER BY name;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;
SELECT client_name, name FROM user_ords_client_privileges ORDER BY 1, 2;
SELECT name, created_by FROM user_ords_roles ORDER BY name;
SELECT name, label, description, created_by FROM user_ords_privileges ORDER BY name;
SELECT privilege_name, role_name FROM user_ords_privilege_roles ORDER BY 1, 2;
SELECT name, pattern, created_by FROM user_ords_privilege_mappings ORDER BY 1, 2;
SELECT privilege_name, module_name FROM user_ords_privilege_modules ORDER BY 1, 2;
SELECT name, uri_prefix, status, created_by FROM user_ords_modules ORDER BY name;
SELECT uri_template, priority, etag_type FROM user_ords_templates ORDER BY 1;
SELECT method, source_type, source FROM user_ords_handlers ORDER BY 1;
SELECT parsing_schema, type, pattern, status FROM user_ords_schemas ORDER BY 1;
-- Nothing of iso_b's leaks into any view (by name, nor by the iso_b schema / its client_id).
SELECT (SELECT count(*) FROM user_ords_clients WHERE name LIKE 'b\_%' OR client_id = :'b_client_id')
     + (SELECT count(*) FROM user_ords_client_roles WHERE client_name LIKE 'b\_%' OR role_name LIKE 'b\_%')
     + (SELECT count(*) FROM user_ords_client_privileges WHERE client_name LIKE 'b\_%' OR name LIKE 'b\_%')
     + (SELECT count(*) FROM user_ords_roles WHERE name LIKE 'b\_%' OR created_by = 'iso_b')
     + (SELECT count(*) FROM user_ords_privileges WHERE name LIKE 'b\_%' OR created_by = 'iso_b')
     + (SELECT count(*) FROM user_ords_privilege_roles WHERE privilege_name LIKE 'b\_%' OR role_name LIKE 'b\_%')
     + (SELECT count(*) FROM user_ords_privilege_mappings WHERE name LIKE 'b\_%' OR pattern LIKE '/b-%')
     + (SELECT count(*) FROM user_ords_privilege_modules WHERE privilege_name LIKE 'b\_%' OR module_name LIKE 'b\_%')
     + (SELECT count(*) FROM user_ords_modules WHERE name LIKE 'b\_%' OR created_by = 'iso_b')
     + (SELECT count(*) FROM user_ords_templates WHERE created_by = 'iso_b')
     + (SELECT count(*) FROM user_ords_handlers WHERE created_by = 'iso_b')
     + (SELECT count(*) FROM user_ords_schemas WHERE parsing_schema = 'iso_b') AS iso_b_rows_seen_by_iso_a;
RESET ROLE;

-- The same from iso_b's side: its own objects, and none of iso_a's.
SET ROLE iso_b;
SELECT name, created_by FROM user_ords_clients ORDER BY name;
SELECT name, created_by FROM user_ords_roles ORDER BY name;
SELECT name, pattern FROM user_ords_privilege_mappings ORDER BY 1, 2;
SELECT name, uri_prefix FROM user_ords_modules ORDER BY name;
SELECT (SELECT count(*) FROM user_ords_clients WHERE name LIKE 'a\_%' OR client_id = :'a_client_id')
     + (SELECT count(*) FROM user_ords_client_roles WHERE client_name LIKE 'a\_%' OR role_name LIKE 'a\_%')
     + (SELECT count(*) FROM user_ords_client_privileges WHERE client_name LIKE 'a\_%' OR name LIKE 'a\_%')
     + (SELECT count(*) FROM user_ords_roles WHERE name LIKE 'a\_%' OR created_by = 'iso_a')
     + (SELECT count(*) FROM user_ords_privileges WHERE name LIKE 'a\_%' OR created_by = 'iso_a')
     + (SELECT count(*) FROM user_ords_privilege_roles WHERE privilege_name LIKE 'a\_%' OR role_name LIKE 'a\_%')
     + (SELECT count(*) FROM user_ords_privilege_mappings WHERE name LIKE 'a\_%' OR pattern LIKE '/a-%')
     + (SELECT count(*) FROM user_ords_privilege_modules WHERE privilege_name LIKE 'a\_%' OR module_name LIKE 'a\_%')
     + (SELECT count(*) FROM user_ords_modules WHERE name LIKE 'a\_%' OR created_by = 'iso_a')
     + (SELECT count(*) FROM user_ords_templates WHERE created_by = 'iso_a')
     + (SELECT count(*) FROM user_ords_handlers WHERE created_by = 'iso_a')
     + (SELECT count(*) FROM user_ords_schemas WHERE parsing_schema = 'iso_a') AS iso_a_rows_seen_by_iso_b;
RESET ROLE;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_login, iso_admin, iso_a, iso_b;
