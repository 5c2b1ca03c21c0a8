-- rest_admin_twins: the ORDS_ADMIN twins of the REST-definition calls (docs/rest-definitions.md#admin-twins).
-- Each refuses a schema role (42501, even aimed at its own schema), acts on the schema named by
-- p_schema for an administrator, refuses an unknown or blank p_schema, and treats names as data.
--
-- Fixture (fixtures/schema_isolation.sql): iso_a, iso_b (schema roles; iso_b owns role b_role,
-- privilege b_priv mapped to /b-extra/*, module b_mod with template 'things/:id' POST),
-- iso_admin (member of ords_administrator_role); pg_temp.try(sql).
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
CREATE TEMP TABLE twin_calls (n serial, call text);
GRANT SELECT ON twin_calls TO PUBLIC;
INSERT INTO twin_calls (call) VALUES
    ($$SELECT ords_admin.create_privilege(p_schema => '%s', p_name => 't_priv2', p_roles => ARRAY['t_role'])$$),
    ($$SELECT ords_admin.define_privilege(p_schema => '%s', p_privilege_name => 't_priv3', p_roles => ARRAY['t_role'], p_patterns => ARRAY['/t3/*'])$$),
    ($$SELECT ords_admin.create_privilege_mapping(p_schema => '%s', p_privilege_name => 't_priv2', p_patterns => ARRAY['/t2/*', '/t2b/*'])$$),
    ($$SELECT ords_admin.delete_privilege_mapping(p_schema => '%s', p_privilege_name => 't_priv2', p_pattern => '/t2b/*')$$),
    ($$SELECT ords_admin.rename_privilege(p_schema => '%s', p_name => 't_priv3', p_new_name => 't_priv3r')$$),
    ($$SELECT ords_admin.delete_privilege(p_schema => '%s', p_name => 't_priv3r')$$),
    ($$SELECT ords_admin.rename_role(p_schema => '%s', p_role_name => 't_role', p_new_name => 't_role_r')$$),
    ($$SELECT ords_admin.define_module(p_schema => '%s', p_module_name => 't_mod', p_base_path => 't/')$$),
    ($$SELECT ords_admin.define_template(p_schema => '%s', p_module_name => 't_mod', p_pattern => '.')$$),
    ($$SELECT ords_admin.define_handler(p_schema => '%s', p_module_name => 't_mod', p_pattern => '.', p_source => 'SELECT 1')$$),
    ($$SELECT ords_admin.define_parameter(p_schema => '%s', p_module_name => 't_mod', p_pattern => '.', p_method => 'GET', p_name => 'X-T')$$),
    ($$SELECT ords_admin.define_service(p_schema => '%s', p_module_name => 't_svc', p_base_path => 'svc/', p_pattern => 'x', p_source => 'SELECT 1')$$),
    ($$SELECT ords_admin.create_service(p_schema => '%s', p_module_name => 't_old', p_base_path => 'old/', p_pattern => 'x', p_source => 'SELECT 1')$$),
    ($$SELECT ords_admin.publish_module(p_schema => '%s', p_module_name => 't_svc', p_status => 'NOT_PUBLISHED')$$),
    ($$SELECT ords_admin.rename_module(p_schema => '%s', p_module_name => 't_old', p_new_name => 't_old_r', p_new_base_path => 'old-r/')$$),
    ($$SELECT ords_admin.set_module_origins_allowed(p_schema => '%s', p_module_name => 't_mod', p_origins_allowed => 'https://t.example')$$),
    ($$SELECT ords_admin.enable_object(p_schema => '%s', p_object => 'T_TABLE', p_object_alias => 't-table')$$),
    ($$SELECT ords_admin.delete_module(p_schema => '%s', p_module_name => 't_old_r')$$),
    ($$SELECT ords_admin.set_url_mapping(p_schema => '%s', p_url_mapping_type => 'BASE_PATH', p_url_mapping_pattern => '%s-renamed')$$);
-- Setup for the sweep: a role t_role in each schema.
SET ROLE iso_admin;
SELECT ords_admin.create_role(p_schema => 'iso_a', p_role_name => 't_role'),
       ords_admin.create_role(p_schema => 'iso_b', p_role_name => 't_role');
RESET ROLE;
-- =============================================================================================
-- A schema role: 42501 for every twin, aimed at another schema and at its own.
-- =============================================================================================
SET ROLE iso_a;
SELECT n, pg_temp.try(format(call, 'iso_b', 'iso_b')) AS at_iso_b, pg_temp.try(format(call, 'iso_a', 'iso_a')) AS at_own
  FROM twin_calls ORDER BY n;
RESET ROLE;
-- Nothing changed in either schema.
SELECT parsing_schema, count(*) FROM dba_ords_modules GROUP BY 1 ORDER BY 1;
SELECT parsing_schema, pattern FROM dba_ords_schemas ORDER BY 1;
-- =============================================================================================
-- An administrator: every twin works on the schema it names, in order.
-- =============================================================================================
SET ROLE iso_admin;
SELECT n, pg_temp.try(format(call, 'iso_b', 'iso_b')) AS at_iso_b FROM twin_calls ORDER BY n;
RESET ROLE;
SELECT name, uri_prefix, status, origins_allowed FROM dba_ords_modules WHERE parsing_schema = 'iso_b' ORDER BY name;
SELECT t.uri_template = '' AS dot_is_base_path, h.method, p.name AS parameter
  FROM dba_ords_templates t JOIN dba_ords_modules m ON m.id = t.module_id
  JOIN dba_ords_handlers h ON h.template_id = t.id LEFT JOIN dba_ords_parameters p ON p.handler_id = h.id
 WHERE m.name = 't_mod';
SELECT name FROM dba_ords_privileges WHERE parsing_schema = 'iso_b' ORDER BY 1;
SELECT name, pattern FROM dba_ords_privilege_mappings WHERE parsing_schema = 'iso_b' ORDER BY 2;
SELECT name FROM dba_ords_roles WHERE parsing_schema = 'iso_b' ORDER BY 1;
SELECT parsing_object, object_alias FROM dba_ords_enabled_objects WHERE parsing_schema = 'iso_b';
SELECT parsing_schema, pattern FROM dba_ords_schemas ORDER BY 1;
-- iso_a's objects are untouched.
SELECT count(*) AS iso_a_modules FROM dba_ords_modules WHERE parsing_schema = 'iso_a';
-- =============================================================================================
-- p_schema: unknown (55000), blank (22023), and SQL in it (data: an unknown schema).
-- =============================================================================================
SET ROLE iso_admin;
\set VERBOSITY terse
SELECT ords_admin.define_module(p_schema => 'no_such_schema', p_module_name => 'm', p_base_path => 'm/');
SELECT ords_admin.define_module(p_schema => NULL, p_module_name => 'm', p_base_path => 'm/');
SELECT ords_admin.define_module(p_schema => ''' OR 1=1; --', p_module_name => 'm', p_base_path => 'm/');
SELECT ords_admin.delete_module(p_schema => 'iso_b"; DROP SCHEMA ords_metadata CASCADE; --', p_module_name => 'b_mod');
SELECT ords_admin.enable_object(p_object => 'X');
SELECT ords_admin.set_url_mapping(p_schema => 'iso_a', p_url_mapping_pattern => 'iso_b-renamed');
-- Names are data in the twins too.
\set VERBOSITY default
SELECT ords_admin.define_module(p_schema => 'iso_b', p_module_name => 'm''); DELETE FROM ords_metadata.ords_modules; --',
                                p_base_path => 'inj/');
SELECT ords_admin.delete_module(p_schema => 'iso_b', p_module_name => 'm''); DELETE FROM ords_metadata.ords_modules; --');
RESET ROLE;
SELECT count(*) AS modules_left FROM dba_ords_modules;
-- ORDS_ADMIN's source-type constants are ORDS's.
SELECT ords_admin.source_type_collection_feed() = ords.source_type_collection_feed()
   AND ords_admin.source_type_collection_item() = ords.source_type_collection_item()
   AND ords_admin.source_type_query() = ords.source_type_query()
   AND ords_admin.source_type_query_one_row() = ords.source_type_query_one_row()
   AND ords_admin.source_type_csv_query() = ords.source_type_csv_query()
   AND ords_admin.source_type_plsql() = ords.source_type_plsql()
   AND ords_admin.source_type_media() = ords.source_type_media()
   AND ords_admin.source_type_feed() = ords.source_type_feed() AS same_constants;
