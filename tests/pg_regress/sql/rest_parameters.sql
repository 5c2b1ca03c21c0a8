-- rest_parameters: ORDS.DEFINE_PARAMETER and user_ords_parameters (docs/rest-definitions.md#parameters).
-- Redefining a parameter replaces it; each value list is checked (22023 naming the parameter and
-- the accepted values); a schema role cannot define a parameter on another schema's handler;
-- names are data, never SQL; parameters go with their handler, template and module.
--
-- Fixture (fixtures/schema_isolation.sql): iso_a owns module a_mod (template 'items/:id', GET),
-- iso_b owns b_mod (template 'things/:id', POST); pg_temp.try(sql).
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/schema_isolation.sql'
\i :f
SET ROLE iso_a;
-- An ORDS export's call, verbatim apart from SELECT.
SELECT ords.define_parameter(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'GET',
                             p_name => 'X-APEX-STATUS-CODE', p_bind_variable_name => 'status',
                             p_source_type => 'HEADER', p_param_type => 'INT', p_access_method => 'OUT');
-- Defaults: HEADER, STRING, IN; no bind name.
SELECT ords.define_parameter(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'GET', p_name => 'If-None-Match');
SELECT p.name, p.bind_variable_name, p.source_type, p.param_type, p.access_method, p.comments,
       p.handler_id = h.id AS on_the_handler
  FROM user_ords_parameters p JOIN user_ords_handlers h ON h.id = p.handler_id ORDER BY p.name;
-- Redefining replaces (one row, new values); lower-case values are accepted as ORDS does.
SELECT ords.define_parameter(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'get',
                             p_name => 'X-APEX-STATUS-CODE', p_bind_variable_name => 'status_code',
                             p_source_type => 'response', p_param_type => 'string', p_access_method => 'inout',
                             p_comments => 'replaced');
SELECT name, bind_variable_name, source_type, param_type, access_method, comments
  FROM user_ords_parameters ORDER BY name;
-- Every value list, and unknown objects.
\set VERBOSITY terse
SELECT ords.define_parameter(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'GET', p_name => 'x', p_source_type => 'QUERY');
SELECT ords.define_parameter(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'GET', p_name => 'x', p_param_type => 'CLOB');
SELECT ords.define_parameter(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'GET', p_name => 'x', p_access_method => 'BOTH');
SELECT ords.define_parameter(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'GET', p_name => 'x', p_source_type => NULL);
SELECT ords.define_parameter(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'GET', p_name => NULL);
SELECT ords.define_parameter(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'PATCH', p_name => 'x');
SELECT ords.define_parameter(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'POST', p_name => 'x');
SELECT ords.define_parameter(p_module_name => 'a_mod', p_pattern => 'nothing', p_method => 'GET', p_name => 'x');
SELECT ords.define_parameter(p_module_name => 'no_mod', p_pattern => 'items/:id', p_method => 'GET', p_name => 'x');
-- Another schema's handler: iso_a names b_mod's handler; it is not iso_a's, so it does not exist.
SELECT ords.define_parameter(p_module_name => 'b_mod', p_pattern => 'things/:id', p_method => 'POST', p_name => 'planted');
SELECT ords_admin.define_parameter(p_schema => 'iso_b', p_module_name => 'b_mod', p_pattern => 'things/:id',
                                   p_method => 'POST', p_name => 'planted');
\set VERBOSITY default
-- Names are data: quotes and SQL are stored as given.
SELECT ords.define_parameter(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'GET',
                             p_name => 'x''); DROP TABLE ords_metadata.ords_parameters; --',
                             p_bind_variable_name => '"b"; SELECT 1');
SELECT count(*) AS parameters, bool_or(name LIKE 'x''); DROP%') AS stored_as_data FROM user_ords_parameters;
RESET ROLE;
-- iso_b sees none of iso_a's parameters; the administrator's view shows every schema's.
SET ROLE iso_b;
SELECT count(*) AS iso_b_sees FROM user_ords_parameters;
SELECT count(*) FROM dba_ords_parameters;  -- administrators only
RESET ROLE;
SET ROLE iso_admin;
SELECT parsing_schema, count(*) FROM dba_ords_parameters GROUP BY 1 ORDER BY 1;
SELECT ords_admin.define_parameter(p_schema => 'iso_b', p_module_name => 'b_mod', p_pattern => 'things/:id',
                                   p_method => 'POST', p_name => 'Location', p_source_type => 'RESPONSE',
                                   p_access_method => 'OUT');
SELECT parsing_schema, name FROM dba_ords_parameters WHERE parsing_schema = 'iso_b';
RESET ROLE;
-- Parameters go with their handler's template (redefined) and module (deleted).
SET ROLE iso_a;
SELECT ords.define_handler(p_module_name => 'a_mod', p_pattern => 'items/:id', p_method => 'GET',
                           p_source_type => 'json/collection', p_source => 'SELECT 2');
SELECT count(*) AS kept_when_the_handler_is_redefined FROM user_ords_parameters;
SELECT ords.define_template(p_module_name => 'a_mod', p_pattern => 'items/:id');
SELECT count(*) AS gone_with_the_template FROM user_ords_parameters;
RESET ROLE;
SET ROLE iso_b;
SELECT ords.delete_module(p_module_name => 'b_mod');
SELECT count(*) AS gone_with_the_module FROM user_ords_parameters;
RESET ROLE;
SELECT count(*) AS rows_left FROM ords_metadata.ords_parameters;
