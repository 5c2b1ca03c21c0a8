-- rest_module_calls: ORDS.CREATE_SERVICE, PUBLISH_MODULE, RENAME_MODULE, SET_MODULE_ORIGINS_ALLOWED,
-- ENABLE_OBJECT, SET_URL_MAPPING, source_type_feed, the template pattern '.', and deleting what
-- does not exist (docs/rest-definitions.md). Each call acts on the caller's own schema only.
--
-- Fixture (fixtures/schema_isolation.sql): iso_a owns module a_mod (base path /a/, template
-- 'items/:id', GET) protected by privilege a_priv; iso_b owns b_mod (/b/); pg_temp.try(sql).
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
SET client_min_messages = notice;
SET ROLE iso_a;
-- =============================================================================================
-- CREATE_SERVICE (deprecated in ORDS, still in old exports): module + template + handler.
-- =============================================================================================
SELECT ords.create_service(p_module_name => 'old.export', p_base_path => '/old/', p_pattern => 'emp/:id',
                           p_method => 'GET', p_source_type => ords.source_type_collection_item(),
                           p_source => 'SELECT 1 AS n', p_items_per_page => 10, p_module_comments => 'm',
                           p_template_comments => 't', p_handler_comments => 'h');
SELECT m.name, m.uri_prefix, m.items_per_page, m.status, m.comments, t.uri_template, t.comments,
       h.method, h.source_type, h.source, h.comments
  FROM user_ords_modules m JOIN user_ords_templates t ON t.module_id = m.id
  JOIN user_ords_handlers h ON h.template_id = t.id WHERE m.name = 'old.export';
-- =============================================================================================
-- source_type_feed and the template pattern '.' (the module's base path itself).
-- =============================================================================================
SELECT ords.source_type_feed();
SELECT ords.define_module(p_module_name => 'dot', p_base_path => 'dot/');
SELECT ords.define_template(p_module_name => 'dot', p_pattern => '.');
SELECT ords.define_handler(p_module_name => 'dot', p_pattern => '.', p_method => 'GET',
                           p_source_type => ords.source_type_feed(), p_source => 'SELECT 1');
-- '.' and '' are the same template: stored once, as ''.
SELECT ords.define_handler(p_module_name => 'dot', p_pattern => '', p_method => 'POST',
                           p_source_type => ords.source_type_plsql(), p_source => 'SELECT 2');
SELECT ords.define_parameter(p_module_name => 'dot', p_pattern => '.', p_method => 'GET', p_name => 'X-Feed');
SELECT t.uri_template = '' AS stored_as_empty, count(h.*) AS handlers
  FROM user_ords_templates t JOIN user_ords_modules m ON m.id = t.module_id
  LEFT JOIN user_ords_handlers h ON h.template_id = t.id WHERE m.name = 'dot' GROUP BY 1;
RESET ROLE;
-- What the gateway reads for the base path /dot/ itself: the '' template.
SELECT uri_prefix, uri_template, method, source_type FROM ords.gateway_handlers('iso_a', '/dot/') ORDER BY method;
SET ROLE iso_a;
\set VERBOSITY terse
-- Other dot segments stay refused.
SELECT ords.define_template(p_module_name => 'dot', p_pattern => './x');
SELECT ords.define_template(p_module_name => 'dot', p_pattern => '..');
SELECT ords.define_template(p_module_name => 'dot', p_pattern => 'x/.');
-- =============================================================================================
-- PUBLISH_MODULE: NOT_PUBLISHED modules are not served; PUBLISHED by default.
-- =============================================================================================
SELECT ords.publish_module(p_module_name => 'dot', p_status => 'NOT_PUBLISHED');
SELECT status FROM user_ords_modules WHERE name = 'dot';
RESET ROLE;
SELECT count(*) AS served_when_not_published FROM ords.gateway_handlers('iso_a', '/dot/');
SET ROLE iso_a;
SELECT ords.publish_module(p_module_name => 'dot');
SELECT status FROM user_ords_modules WHERE name = 'dot';
SELECT ords.publish_module(p_module_name => 'dot', p_status => 'DRAFT');
SELECT ords.publish_module(p_module_name => 'b_mod');
-- =============================================================================================
-- RENAME_MODULE: name and/or base path; templates and the module's privilege stay with it.
-- =============================================================================================
SELECT outcome FROM ords.authorize(NULL, 'GET', '/a/items/1', 'iso_a');
SELECT ords.rename_module(p_module_name => 'a_mod', p_new_name => 'a_mod_v2', p_new_base_path => 'a2');
SELECT m.name, m.uri_prefix, count(t.*) AS templates,
       (SELECT privilege_name FROM user_ords_privilege_modules pm WHERE pm.module_id = m.id) AS privilege
  FROM user_ords_modules m LEFT JOIN user_ords_templates t ON t.module_id = m.id
 WHERE m.name LIKE 'a_mod%' GROUP BY m.id, m.name, m.uri_prefix;
-- The protection moved with the base path, at once.
SELECT outcome FROM ords.authorize(NULL, 'GET', '/a2/items/1', 'iso_a');
SELECT outcome FROM ords.authorize(NULL, 'GET', '/a/items/1', 'iso_a');
SELECT ords.rename_module(p_module_name => 'a_mod_v2', p_new_name => 'a_mod');
SELECT ords.rename_module(p_module_name => 'a_mod', p_new_name => 'dot');
SELECT ords.rename_module(p_module_name => 'a_mod', p_new_base_path => '/dot/');
SELECT ords.rename_module(p_module_name => 'a_mod');
SELECT ords.rename_module(p_module_name => 'a_mod', p_new_base_path => '../up');
SELECT ords.rename_module(p_module_name => 'b_mod', p_new_name => 'stolen');
SELECT name, uri_prefix FROM user_ords_modules ORDER BY name;
-- =============================================================================================
-- SET_MODULE_ORIGINS_ALLOWED: shown in user_ords_modules.origins_allowed; NULL or '' clears it.
-- =============================================================================================
SELECT ords.set_module_origins_allowed(p_module_name => 'a_mod', p_origins_allowed => 'https://app.example.com,http://localhost:8080');
SELECT origins_allowed FROM user_ords_modules WHERE name = 'a_mod';
SELECT ords.set_module_origins_allowed(p_module_name => 'a_mod', p_origins_allowed => '');
SELECT origins_allowed IS NULL AS cleared FROM user_ords_modules WHERE name = 'a_mod';
SELECT ords.set_module_origins_allowed(p_module_name => 'a_mod', p_origins_allowed => E'https://x\r\nSet-Cookie: a=b');
SELECT ords.set_module_origins_allowed(p_module_name => 'b_mod', p_origins_allowed => 'https://evil.example');
-- =============================================================================================
-- ENABLE_OBJECT: stored and listed; nothing serves it.
-- =============================================================================================
SELECT ords.enable_object(p_enabled => true, p_object => 'EMP', p_object_alias => 'employees', p_auto_rest_auth => true);
SELECT ords.enable_object(p_object => 'DEPT_V', p_object_type => 'view');
SELECT parsing_schema, parsing_object, object_alias, type, status, auto_rest_auth FROM user_ords_enabled_objects ORDER BY 2;
-- Disabling keeps the row (status DISABLED) and its authorization setting.
SELECT ords.enable_object(p_enabled => false, p_object => 'EMP', p_object_alias => 'employees');
SELECT parsing_object, status, auto_rest_auth FROM user_ords_enabled_objects WHERE parsing_object = 'EMP';
SELECT ords.enable_object(p_object => NULL);
SELECT ords.enable_object(p_object => 'X', p_object_type => 'SEQUENCE');
SELECT ords.enable_object(p_object => 'X', p_object_alias => 'a/b');
SELECT ords.enable_object(p_object => 'OTHER', p_object_alias => 'employees');
-- Another schema's objects: administrators only.
SELECT ords.enable_object(p_schema => 'iso_b', p_object => 'PLANTED');
SELECT ords.enable_object(p_schema => 'iso_a', p_object => 'MINE');
SELECT count(*) AS mine FROM user_ords_enabled_objects;
-- =============================================================================================
-- SET_URL_MAPPING: the schema's alias; the alias rules of enable_schema apply.
-- =============================================================================================
SELECT ords.set_url_mapping(p_url_mapping_type => 'BASE_PATH', p_url_mapping_pattern => 'iso-a-v2');
SELECT parsing_schema, type, pattern, status FROM user_ords_schemas;
SELECT outcome FROM ords.authorize(NULL, 'GET', '/a/items/1', 'iso-a-v2');
SELECT ords.set_url_mapping(p_url_mapping_pattern => 'iso_b');
SELECT ords.set_url_mapping(p_url_mapping_pattern => 'bad alias');
SELECT ords.set_url_mapping(p_url_mapping_type => 'HOST', p_url_mapping_pattern => 'x');
SELECT ords.set_url_mapping(p_schema => 'iso_b', p_url_mapping_pattern => 'hijack');
RESET ROLE;
SET ROLE iso_b;
SELECT pattern FROM user_ords_schemas;
-- =============================================================================================
-- Deleting what does not exist is a NOTICE, so "delete, then create" scripts run twice.
-- =============================================================================================
\set VERBOSITY default
SELECT ords.delete_module(p_module_name => 'never.defined');
SELECT ords.delete_privilege_mapping(p_privilege_name => 'oracle.soda.privilege.developer', p_pattern => '/soda/*');
SELECT ords.delete_privilege_mapping(p_privilege_name => 'b_priv', p_pattern => '/not-mapped/*');
SELECT ords.delete_privilege(p_name => 'never.defined');
SELECT ords.delete_role(p_role_name => 'never.defined');
-- iso_b naming iso_a's objects deletes nothing of iso_a's (the names are looked up in iso_b).
SELECT ords.delete_module(p_module_name => 'a_mod');
SELECT ords.delete_privilege_mapping(p_privilege_name => 'a_priv', p_pattern => '/a-extra/*');
SELECT ords.delete_privilege(p_name => 'a_priv');
SELECT ords.delete_role(p_role_name => 'a_role');
RESET ROLE;
SELECT (SELECT count(*) FROM dba_ords_modules WHERE name = 'a_mod') AS a_mod,
       (SELECT count(*) FROM dba_ords_privilege_mappings WHERE pattern = '/a-extra/*') AS a_mapping,
       (SELECT count(*) FROM dba_ords_privileges WHERE name = 'a_priv') AS a_priv,
       (SELECT count(*) FROM dba_ords_roles WHERE name = 'a_role') AS a_role;
-- A "delete, then create" script, twice.
SET ROLE iso_b;
SET client_min_messages = warning;
\o /dev/null
SELECT ords.delete_module(p_module_name => 'rerun');
SELECT ords.delete_role(p_role_name => 'rerun_role');
SELECT ords.delete_privilege(p_name => 'rerun_priv');
SELECT ords.create_role(p_role_name => 'rerun_role');
SELECT ords.create_privilege(p_name => 'rerun_priv', p_role_name => 'rerun_role');
SELECT ords.define_module(p_module_name => 'rerun', p_base_path => 'rerun/');
SELECT ords.delete_privilege_mapping(p_privilege_name => 'rerun_priv', p_pattern => '/rerun/*');
SELECT ords.create_privilege_mapping(p_privilege_name => 'rerun_priv', p_pattern => '/rerun/*');
\o
\o /dev/null
SELECT ords.delete_module(p_module_name => 'rerun');
SELECT ords.delete_role(p_role_name => 'rerun_role');
SELECT ords.delete_privilege(p_name => 'rerun_priv');
SELECT ords.create_role(p_role_name => 'rerun_role');
SELECT ords.create_privilege(p_name => 'rerun_priv', p_role_name => 'rerun_role');
SELECT ords.define_module(p_module_name => 'rerun', p_base_path => 'rerun/');
SELECT ords.delete_privilege_mapping(p_privilege_name => 'rerun_priv', p_pattern => '/rerun/*');
SELECT ords.create_privilege_mapping(p_privilege_name => 'rerun_priv', p_pattern => '/rerun/*');
\o
SELECT (SELECT count(*) FROM user_ords_modules WHERE name = 'rerun') AS modules,
       (SELECT count(*) FROM user_ords_roles WHERE name = 'rerun_role') AS roles,
       (SELECT count(*) FROM user_ords_privilege_mappings WHERE pattern = '/rerun/*') AS mappings;
-- Blank names are still refused.
\set VERBOSITY terse
SELECT ords.delete_module(p_module_name => NULL);
SELECT ords.delete_privilege_mapping(p_privilege_name => 'b_priv', p_pattern => '');
RESET ROLE;
-- =============================================================================================
-- ORDS exports carry multi-line handler sources: lines and tabs are source text; other control
-- characters are still refused (22023).
-- =============================================================================================
SET ROLE iso_b;
SELECT ords.define_module(p_module_name => 'multi', p_base_path => 'multi/');
SELECT ords.define_template(p_module_name => 'multi', p_pattern => 'x');
SELECT ords.define_handler(p_module_name => 'multi', p_pattern => 'x', p_source =>
'select 1 as n
	from dual_like
 where 1 = 1');
SELECT replace(replace(source, E'\n', '\n'), E'\t', '\t') AS source FROM user_ords_handlers h
  JOIN user_ords_templates t ON t.id = h.template_id WHERE t.uri_template = 'x';
SELECT ords.define_handler(p_module_name => 'multi', p_pattern => 'x', p_source => E'select 1\x07');
SELECT ords.define_handler(p_module_name => 'multi', p_pattern => 'x', p_source => E' \n\t ');
-- =============================================================================================
-- ORDS.CREATE_PRIVILEGE's array form with patterns and modules: creates, maps and protects in
-- one call; a second call is 42710 (use define_privilege to replace).
-- =============================================================================================
SELECT ords.create_role(p_role_name => 'arr_role');
SELECT ords.create_privilege(p_name => 'arr_priv', p_roles => ARRAY['arr_role'], p_patterns => ARRAY['/arr/*', '/arr2/*'],
                             p_modules => ARRAY['multi'], p_label => 'L', p_description => 'D', p_comments => 'C');
SELECT name, label, description, comments FROM user_ords_privileges WHERE name = 'arr_priv';
SELECT pattern FROM user_ords_privilege_mappings WHERE name = 'arr_priv' ORDER BY 1;
SELECT privilege_name, module_name FROM user_ords_privilege_modules WHERE privilege_name = 'arr_priv';
SELECT ords.create_privilege(p_name => 'arr_priv', p_roles => ARRAY['arr_role'], p_patterns => ARRAY['/arr3/*']);
-- The older forms still resolve positionally: (name, role), (name, roles, label).
SELECT ords.create_privilege('arr_priv2', ARRAY['arr_role'], 'label only');
SELECT name, label FROM user_ords_privileges WHERE name = 'arr_priv2';
RESET ROLE;
