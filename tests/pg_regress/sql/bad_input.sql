-- bad_input: every public provisioning function refuses bad arguments with a clear message and
-- a testable SQLSTATE (CONTRACT §7), and a failed call leaves nothing behind (CONTRACT §2).
--
--   22023 invalid argument (NULL / empty / too long / malformed / unknown enumeration value)
--   42704 unknown object          42710 duplicate object (23505: duplicate client_id)
--   55000 schema not REST-enabled (admin functions naming such a schema)
--
-- After each failing call, pg_temp.unchanged() compares a checksum of every row of every table
-- in ords_metadata (clients, secrets, sessions, roles, privileges, mappings, modules, ...) with
-- the baseline taken before the block. Names full of quotes and semicolons are plain data.
--
-- Nothing here prints a client_id, secret, token, id or timestamp.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
DROP ROLE IF EXISTS err_a;
CREATE ROLE err_a;
-- A table for the would-be SQL injection below to aim at.
DROP TABLE IF EXISTS t;
CREATE TABLE t (x integer);
INSERT INTO t VALUES (1);

-- catalog_checksum(): md5 over every row of every table of ords_metadata (no table excluded;
-- the id sequence is not a table and is not transactional, so it is left out). SECURITY DEFINER
-- (owned by the superuser running this file) so it can be called while SET ROLE err_a.
CREATE FUNCTION pg_temp.catalog_checksum() RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_sql text; v_sum text;
BEGIN
    SELECT string_agg(format('SELECT %L || '' '' || t::text AS x FROM %I.%I t', c.relname, n.nspname, c.relname),
                      ' UNION ALL ' ORDER BY c.relname)
      INTO v_sql
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'ords_metadata' AND c.relkind IN ('r', 'p');
    EXECUTE format('SELECT md5(string_agg(x, E''\n'' ORDER BY x)) FROM (%s) s', v_sql) INTO v_sum;
    RETURN v_sum;
END
$$;
-- baseline(): remember the current checksum; unchanged(): is the catalog as remembered?
CREATE FUNCTION pg_temp.baseline() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT set_config('bad_input.before', pg_temp.catalog_checksum(), false) $$;
CREATE FUNCTION pg_temp.unchanged() RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_temp.catalog_checksum() = current_setting('bad_input.before') $$;
-- The checksum covers every catalog table (16 in 0.3.0).
SELECT count(*) AS catalog_tables FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'ords_metadata' AND c.relkind IN ('r', 'p');

-- =============================================================================================
-- Setup: err_a's schema with two roles, a privilege with a mapping, a module with a template
-- and a handler, a generated client (c1) and an imported one (c2, client_id chosen).
-- =============================================================================================
SET ROLE err_a;
SELECT ords.enable_schema();
SELECT ords.create_role(p_role_name => 'r1');
SELECT ords.create_role(p_role_name => 'r2');
SELECT ords.create_privilege(p_name => 'p1', p_role_name => 'r1');
SELECT ords.create_privilege(p_name => 'p2', p_role_name => 'r2');
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/p1/*');
SELECT ords.define_module(p_module_name => 'm1', p_base_path => 'm1/');
SELECT ords.define_template(p_module_name => 'm1', p_pattern => 'items/:id');
SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_source => 'SELECT 1');
SELECT client_id AS c1_client_id, client_secret AS c1_secret
  FROM oauth.create_client(p_name => 'c1', p_grant_type => 'client_credentials') \gset
SELECT name FROM oauth.import_client(p_name => 'c2', p_grant_type => 'client_credentials',
                                     p_client_id => 'err-a-imported-client-id');
SELECT oauth.grant_client_role(p_client_name => 'c1', p_role_name => 'r1');
SELECT pg_temp.baseline();

-- =============================================================================================
-- ords.enable_schema
-- =============================================================================================
-- Unknown mapping type.
SELECT ords.enable_schema(p_url_mapping_type => 'SUBDOMAIN');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- An alias that is not a URL segment, and an over-long one.
SELECT ords.enable_schema(p_url_mapping_pattern => 'has space/and slash');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.enable_schema(p_url_mapping_pattern => repeat('x', 129));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.enable_schema(p_url_mapping_pattern => '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();

-- =============================================================================================
-- ords.create_role / delete_role / rename_role
-- =============================================================================================
-- NULL, empty, blank, over-long (256 characters), control characters.
SELECT ords.create_role(p_role_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_role(p_role_name => '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_role(p_role_name => '   ');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_role(p_role_name => repeat('r', 256));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_role(p_role_name => E'line\nbreak');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Duplicate.
SELECT ords.create_role(p_role_name => 'r1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Unknown role.
SELECT ords.delete_role(p_role_name => 'no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.delete_role(p_role_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.rename_role(p_role_name => 'no_such_role', p_new_name => 'r9');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Renaming onto an existing name, to NULL, to an over-long name.
SELECT ords.rename_role(p_role_name => 'r1', p_new_name => 'r2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.rename_role(p_role_name => 'r1', p_new_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.rename_role(p_role_name => 'r1', p_new_name => repeat('r', 256));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- 255 characters is the limit, not an error (created, then deleted by name).
SELECT ords.create_role(p_role_name => repeat('r', 255));
SELECT length(name) FROM user_ords_roles WHERE length(name) > 100;
SELECT ords.delete_role(p_role_name => repeat('r', 255));
SELECT pg_temp.unchanged();

-- =============================================================================================
-- ords.create_privilege / define_privilege / delete_privilege / rename_privilege
-- =============================================================================================
SELECT ords.create_privilege(p_name => NULL, p_role_name => 'r1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege(p_name => '', p_role_name => 'r1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege(p_name => repeat('p', 256), p_role_name => 'r1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege(p_name => 'p9', p_role_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege(p_name => 'p9', p_role_name => '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Unknown role (single name and list form), a NULL entry in the list.
SELECT ords.create_privilege(p_name => 'p9', p_role_name => 'no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege(p_name => 'p9', p_roles => ARRAY['r1', 'no_such_role']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege(p_name => 'p9', p_roles => ARRAY['r1', NULL]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Duplicate.
SELECT ords.create_privilege(p_name => 'p1', p_role_name => 'r1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Over-long label and description (5000 characters).
SELECT ords.create_privilege(p_name => 'p9', p_role_name => 'r1', p_description => repeat('d', 5000));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege(p_name => 'p9', p_role_name => 'r1', p_label => repeat('l', 5000));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- define_privilege: NULL name, unknown role, unknown module, a bad pattern among good ones.
-- It replaces an existing privilege whole, so a failure must not leave p1 half-replaced.
SELECT ords.define_privilege(p_privilege_name => NULL, p_roles => ARRAY['r1'], p_patterns => ARRAY['/x/*']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_privilege(p_privilege_name => 'p1', p_roles => ARRAY['no_such_role'], p_patterns => ARRAY['/x/*']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_privilege(p_privilege_name => 'p1', p_roles => ARRAY['r1'], p_patterns => ARRAY['/x/*'],
                             p_modules => ARRAY['no_such_module']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_privilege(p_privilege_name => 'p1', p_roles => ARRAY['r2'], p_patterns => ARRAY['/x/*', 'x/*']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_privilege(p_privilege_name => 'p1', p_roles => ARRAY['r1'], p_patterns => ARRAY['/x/*', '/x/*']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_privilege(p_privilege_name => 'p1', p_roles => ARRAY['r1'], p_patterns => ARRAY['/x/*'],
                             p_comments => repeat('c', 5000));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- A pattern another privilege already maps.
SELECT ords.define_privilege(p_privilege_name => 'p2', p_roles => ARRAY['r2'], p_patterns => ARRAY['/p1/*']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- p1 is still as it was.
SELECT name, pattern FROM user_ords_privilege_mappings ORDER BY 1, 2;
SELECT privilege_name, role_name FROM user_ords_privilege_roles ORDER BY 1, 2;
-- delete / rename.
SELECT ords.delete_privilege(p_name => 'no_such_privilege');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.delete_privilege(p_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.rename_privilege(p_name => 'no_such_privilege', p_new_name => 'p9');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.rename_privilege(p_name => 'p1', p_new_name => 'p2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.rename_privilege(p_name => 'p1', p_new_name => '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();

-- =============================================================================================
-- ords.create_privilege_mapping / delete_privilege_mapping
-- =============================================================================================
SELECT ords.create_privilege_mapping(p_privilege_name => 'no_such_privilege', p_pattern => '/x/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege_mapping(p_privilege_name => NULL, p_pattern => '/x/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- No leading '/': the message says how to write it.
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => 'customer/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Not in normal form: the message names the normal form.
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/a//b/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/a/./b/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/a/x/../b/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Cannot be normalised at all, or has a query / fragment / control character.
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/../etc/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/a%2Fb/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/a?b=1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => E'/a\tb/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Over-long (2049 characters).
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/' || repeat('a', 2048));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Duplicate (same privilege, and another privilege).
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/p1/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege_mapping(p_privilege_name => 'p2', p_pattern => '/p1/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- The list form: NULL, empty, a NULL or bad entry after a good one (nothing is kept).
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_patterns => NULL::text[]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_patterns => '{}'::text[]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_patterns => ARRAY['/ok/*', NULL]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_patterns => ARRAY['/ok/*', 'bad/*']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- delete: a pattern that is not mapped, an unknown privilege, NULL.
SELECT ords.delete_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/not-mapped/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.delete_privilege_mapping(p_privilege_name => 'p2', p_pattern => '/p1/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.delete_privilege_mapping(p_privilege_name => 'no_such_privilege', p_pattern => '/p1/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.delete_privilege_mapping(p_privilege_name => 'p1', p_pattern => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();

-- =============================================================================================
-- ords.define_module / define_template / define_handler / define_service / delete_module /
-- set_module_privilege
-- =============================================================================================
SELECT ords.define_module(p_module_name => NULL, p_base_path => 'x/');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_module(p_module_name => repeat('m', 256), p_base_path => 'x/');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_module(p_module_name => 'm9', p_base_path => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_module(p_module_name => 'm9', p_base_path => '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_module(p_module_name => 'm9', p_base_path => '../up/');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_module(p_module_name => 'm9', p_base_path => 'x?y/');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_module(p_module_name => 'm9', p_base_path => 'x/', p_status => 'DRAFT');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_module(p_module_name => 'm9', p_base_path => 'x/', p_status => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_module(p_module_name => 'm9', p_base_path => 'x/', p_items_per_page => -1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_module(p_module_name => 'm9', p_base_path => 'x/', p_comments => repeat('c', 5000));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Another module's base path.
SELECT ords.define_module(p_module_name => 'm9', p_base_path => 'm1/');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Templates: unknown module, NULL, a leading '/', '..' or '.' segments, '?', bad priority / etag.
SELECT ords.define_template(p_module_name => 'no_such_module', p_pattern => 'x');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_template(p_module_name => 'm1', p_pattern => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_template(p_module_name => 'm1', p_pattern => '/items/:id');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_template(p_module_name => 'm1', p_pattern => '../m2/items');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_template(p_module_name => 'm1', p_pattern => 'items/../../etc');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_template(p_module_name => 'm1', p_pattern => '..');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_template(p_module_name => 'm1', p_pattern => './items');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_template(p_module_name => 'm1', p_pattern => 'items?id=1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_template(p_module_name => 'm1', p_pattern => 'items/:id', p_priority => 10);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_template(p_module_name => 'm1', p_pattern => 'items/:id', p_etag_type => 'WEAK');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Handlers: PATCH, unknown source type, NULL source, unknown template / module.
SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_method => 'PATCH', p_source => 'SELECT 1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_method => NULL, p_source => 'SELECT 1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_source_type => 'text/html', p_source => 'SELECT 1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_source_type => NULL, p_source => 'SELECT 1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_source => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'no/such/template', p_source => 'SELECT 1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_handler(p_module_name => 'no_such_module', p_pattern => 'items/:id', p_source => 'SELECT 1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_source => 'SELECT 1', p_items_per_page => -5);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- define_service: module and template are written before the handler fails; all of it goes.
SELECT ords.define_service(p_module_name => 'm9', p_base_path => 'm9/', p_pattern => 'x', p_method => 'PATCH', p_source => 'SELECT 1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_service(p_module_name => 'm9', p_base_path => 'm9/', p_pattern => 'x', p_status => 'DRAFT', p_source => 'SELECT 1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_service(p_module_name => 'm9', p_base_path => 'm9/', p_pattern => '/x', p_source => 'SELECT 1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.define_service(p_module_name => 'm9', p_base_path => 'm9/', p_pattern => 'x', p_source_type => 'sql', p_source => 'SELECT 1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- delete_module / set_module_privilege.
SELECT ords.delete_module(p_module_name => 'no_such_module');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.delete_module(p_module_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.set_module_privilege(p_module_name => 'no_such_module', p_privilege_name => 'p1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.set_module_privilege(p_module_name => 'm1', p_privilege_name => 'no_such_privilege');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords.set_module_privilege(p_module_name => 'm1', p_privilege_name => '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- m1 is still as it was.
SELECT name, uri_prefix, status, items_per_page FROM user_ords_modules ORDER BY name;
SELECT uri_template, priority, etag_type FROM user_ords_templates ORDER BY 1;
SELECT method, source_type, source FROM user_ords_handlers ORDER BY 1;

-- =============================================================================================
-- oauth.create_client / import_client / update_client / rename_client / delete_client /
-- grant_client_role / revoke_client_role / rotate_client_secret / update_client_secret
-- =============================================================================================
SELECT oauth.create_client(p_name => NULL, p_grant_type => 'client_credentials');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.create_client(p_name => '', p_grant_type => 'client_credentials');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.create_client(p_name => repeat('c', 256), p_grant_type => 'client_credentials');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Unknown and NULL grant types.
SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'password');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.create_client(p_name => 'c9', p_grant_type => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.create_client(p_name => 'c9', p_grant_type => '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- authorization_code / implicit clients need a description and a redirect URI.
SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'authorization_code', p_redirect_uri => 'https://example.com/cb');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'implicit', p_description => 'd');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Durations <= 0.
SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_token_duration => 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_refresh_duration => -1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_code_duration => -3600);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Over-long texts (5000 characters).
SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_description => repeat('d', 5000));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_owner => repeat('o', 5000));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_support_email => repeat('e', 5000));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Unknown privilege in p_privilege_names; duplicate name.
SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_privilege_names => 'p1, no_such_privilege');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.create_client(p_name => 'c1', p_grant_type => 'client_credentials');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- import_client: duplicate client_id (23505), client_id with ':' or blanks, empty, over-long.
SELECT oauth.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => 'err-a-imported-client-id');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => :'c1_client_id');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => 'user:password');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => 'has space');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => repeat('i', 256));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.import_client(p_name => 'c2', p_grant_type => 'client_credentials', p_client_id => 'another-client-id');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- update_client: unknown client, bad durations, unknown privilege, over-long text.
SELECT oauth.update_client(p_name => 'no_such_client', p_description => 'd');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.update_client(p_name => NULL, p_description => 'd');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.update_client(p_name => 'c1', p_token_duration => 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.update_client(p_name => 'c1', p_privilege_names => 'no_such_privilege');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.update_client(p_name => 'c1', p_redirect_uri => repeat('u', 5000));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- rename / delete.
SELECT oauth.rename_client(p_name => 'no_such_client', p_new_name => 'c9');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.rename_client(p_name => 'c1', p_new_name => 'c2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.rename_client(p_name => 'c1', p_new_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.rename_client(p_name => 'c1', p_new_name => repeat('c', 256));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.delete_client(p_name => 'no_such_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.delete_client(p_name => '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Role grants: unknown client, unknown role, NULLs, revoking a role that is not granted.
SELECT oauth.grant_client_role(p_client_name => 'no_such_client', p_role_name => 'r1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.grant_client_role(p_client_name => 'c1', p_role_name => 'no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.grant_client_role(p_client_name => NULL, p_role_name => 'r1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.grant_client_role(p_client_name => 'c1', p_role_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.revoke_client_role(p_client_name => 'c1', p_role_name => 'r2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.revoke_client_role(p_client_name => 'no_such_client', p_role_name => 'r1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Secrets: unknown client; chosen secrets that are NULL, too short (the message never
-- repeats the secret), too long or contain control characters.
SELECT oauth.rotate_client_secret(p_name => 'no_such_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.update_client_secret(p_name => 'no_such_client', p_client_secret => 'a-chosen-secret-of-20+chars');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.update_client_secret(p_name => 'c1', p_client_secret => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.update_client_secret(p_name => 'c1', p_client_secret => 'tooShort-4711');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.update_client_secret(p_name => 'c1', p_client_secret => repeat('s', 1025));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth.update_client_secret(p_name => 'c1', p_client_secret => E'secret-with-a-newline\n-in-it');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();

-- =============================================================================================
-- ords_security.*
-- =============================================================================================
SELECT ords_security.register_client(p_name => NULL, p_grant_type => 'client_credentials');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.register_client(p_name => 'c9', p_grant_type => 'refresh_token');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.register_client(p_name => 'c1', p_grant_type => 'client_credentials');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Both a chosen and a generated secret; a chosen secret that is too short.
SELECT ords_security.register_client(p_name => 'c9', p_grant_type => 'client_credentials',
                                     p_client_secret => 'a-chosen-secret-of-20+chars', p_generate_secret => true);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.register_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_secret => 'tooShort-4711');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.register_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_secret => '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.register_client(p_name => 'c9', p_grant_type => 'client_credentials', p_token_duration => -1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.register_client(p_name => 'c9', p_grant_type => 'client_credentials', p_privilege_names => 'no_such_privilege');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => 'err-a-imported-client-id');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.import_client(p_name => 'c9', p_grant_type => 'bogus', p_client_id => 'fresh-client-id');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.register_client_secret(p_name => 'no_such_client', p_client_secret => 'a-chosen-secret-of-20+chars');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.register_client_secret(p_name => 'c1', p_client_secret => 'tooShort-4711');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.register_client_secret(p_name => 'c1', p_client_secret => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.rotate_client_secret(p_name => 'no_such_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.rotate_client_secret(p_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- revoke_client_secret with a value that matches no slot; revoke_client_secrets with a bad slot.
SELECT ords_security.revoke_client_secret(p_name => 'c1', p_client_secret => 'not-the-secret-of-c1-at-all');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.revoke_client_secret(p_name => 'no_such_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.revoke_client_secrets(p_name => 'c1', p_slot => 4);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.revoke_client_secrets(p_name => 'c1', p_slot => 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.revoke_client_secrets(p_name => 'no_such_client', p_slot => 3);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- update_client: unknown, rename onto an existing name, bad duration, over-long text.
SELECT ords_security.update_client(p_name => 'no_such_client', p_description => 'd');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.update_client(p_name => 'c1', p_new_name => 'c2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.update_client(p_name => 'c1', p_new_name => 'c9', p_code_duration => 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.update_client(p_name => 'c1', p_new_name => 'c9', p_support_uri => repeat('u', 5000));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.update_client(p_name => 'c1', p_new_name => 'c9', p_privilege_names => 'no_such_privilege');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.update_client_privileges(p_name => 'c1', p_privilege_names => 'p1,no_such_privilege');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.update_client_privileges(p_name => 'no_such_client', p_privilege_names => 'p1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.update_client_token_duration(p_name => 'c1', p_token_duration => 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.update_client_token_duration(p_name => 'c1', p_token_duration => 60, p_refresh_duration => -60);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.update_client_token_duration(p_name => 'no_such_client', p_token_duration => 60);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.rename_client(p_name => 'no_such_client', p_new_name => 'c9');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.rename_client(p_name => 'c1', p_new_name => 'c2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.grant_client_role(p_client_name => 'c1', p_role_name => 'no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.grant_client_role(p_client_name => 'no_such_client', p_role_name => 'r1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.revoke_client_role(p_client_name => 'c1', p_role_name => 'r2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.revoke_client_role(p_client_name => 'c1', p_role_name => 'no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.delete_client(p_name => 'no_such_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security.delete_client(p_name => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- The clients are still as they were.
SELECT name, grant_type, description, token_duration, client_secret,
       client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients ORDER BY name;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;

-- =============================================================================================
-- Tokens and the access decision: oauth.issue_token, token_endpoint, validate_token,
-- revoke_token, basic_authorization; ords.authorize.
-- =============================================================================================
SELECT * FROM oauth.issue_token(p_client_id => NULL, p_client_secret => 'x');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT * FROM oauth.issue_token(p_client_id => :'c1_client_id', p_client_secret => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Unknown grant type.
SELECT * FROM oauth.issue_token(:'c1_client_id', :'c1_secret', p_grant_type => 'password');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Unknown client_id (one failed attempt, for a fresh random client_id nobody has: the
-- failed-attempt throttle lives in shared memory and outlives this database).
SELECT 'no-such-' || md5(random()::text) AS unknown_client_id \gset
SELECT * FROM oauth.issue_token(:'unknown_client_id', 'whatever-secret');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- A client without a secret (c2 was imported).
SELECT * FROM oauth.issue_token('err-a-imported-client-id', 'whatever-secret');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- Answers, not errors: the token endpoint, validation, revocation of garbage.
SELECT status, body->>'error' AS error FROM oauth.token_endpoint(NULL, NULL, NULL, NULL);
SELECT status, body->>'error' AS error
  FROM oauth.token_endpoint(NULL, 'application/x-www-form-urlencoded', 'grant_type=password', 'err_a');
SELECT status, body->>'error' AS error
  FROM oauth.token_endpoint('Basic !!!not-base64!!!', 'application/x-www-form-urlencoded', 'grant_type=client_credentials', 'err_a');
SELECT count(*) AS rows FROM oauth.validate_token(NULL);
SELECT count(*) AS rows FROM oauth.validate_token('');
SELECT count(*) AS rows FROM oauth.validate_token('not a token at all');
SELECT oauth.revoke_token(NULL) AS revoked, oauth.revoke_token('not-a-token') AS revoked_garbage;
SELECT oauth.basic_authorization(NULL, 'x') IS NULL AS null_in_null_out;
SELECT pg_temp.unchanged();
-- ords.authorize: NULL / empty alias, bad method, unnormalisable path, unknown alias.
SELECT * FROM ords.authorize(NULL, 'GET', '/p1/x', NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM ords.authorize(NULL, 'GET', '/p1/x', '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM ords.authorize(NULL, 'GE T', '/p1/x', 'err_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM ords.authorize(NULL, NULL, '/p1/x', 'err_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM ords.authorize(NULL, 'GET', '/../p1/x', 'err_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM ords.authorize(NULL, 'GET', '/p1%2Fx', 'err_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM ords.authorize(NULL, 'GET', '/p1/x', 'no_such_alias');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
-- A garbage token on a protected path is an answer (401), not an error.
SELECT outcome, http_status, www_authenticate FROM ords.authorize('Bearer garbage', 'GET', '/p1/x', 'err_a');
RESET ROLE;

-- =============================================================================================
-- Administrator functions (as the superuser): NULL / unknown schema, bad arguments.
-- =============================================================================================
SELECT pg_temp.baseline();
SELECT ords_admin.enable_schema(p_schema => NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_admin.enable_schema(p_schema => 'err_no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_admin.enable_schema(p_schema => repeat('s', 64));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_admin.create_role(p_schema => NULL, p_role_name => 'r9');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_admin.create_role(p_schema => 'err_no_such_role', p_role_name => 'r9');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_admin.create_role(p_schema => 'err_a', p_role_name => 'r1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_admin.delete_role(p_schema => 'err_a', p_role_name => 'no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_admin.create_privilege(p_schema => 'err_a', p_name => 'p9', p_role_name => 'no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_admin.define_privilege(p_schema => 'err_a', p_privilege_name => 'p1', p_roles => ARRAY['r1'],
                                   p_patterns => ARRAY['/a//b/*'], p_modules => '{}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_admin.create_privilege_mapping(p_schema => 'err_a', p_privilege_name => 'p1', p_pattern => 'no-slash/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_admin.set_module_privilege(p_schema => 'err_a', p_module_name => 'm1', p_privilege_name => 'no_such_privilege');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth_admin.create_client(p_schema => 'err_a', p_name => 'c1', p_grant_type => 'client_credentials');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth_admin.create_client(p_schema => 'err_a', p_name => 'c9', p_grant_type => 'bogus');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth_admin.create_client(p_schema => '', p_name => 'c9', p_grant_type => 'client_credentials');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth_admin.grant_client_role(p_schema => 'err_a', p_client_name => 'c1', p_role_name => 'no_such_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth_admin.revoke_client_role(p_schema => 'err_a', p_client_name => 'c1', p_role_name => 'r2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth_admin.delete_client(p_schema => 'err_a', p_name => 'no_such_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT oauth_admin.rotate_client_secret(p_schema => 'err_a', p_name => 'no_such_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security_admin.register_client(p_schema => 'err_a', p_name => NULL, p_grant_type => 'client_credentials');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security_admin.rotate_client_secret(p_schema => 'err_a', p_name => 'no_such_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();
SELECT ords_security_admin.delete_client(p_schema => 'err_a', p_name => 'no_such_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT pg_temp.unchanged();

-- =============================================================================================
-- Names full of quotes, semicolons, percent signs and backslashes are data: accepted, stored
-- verbatim, shown in the views, named in messages, and deleted by name. Table t survives.
-- =============================================================================================
SET ROLE err_a;
SELECT ords.create_role(p_role_name => 'x''; DROP TABLE t; --');
SELECT ords.create_role(p_role_name => '"quoted"');
SELECT ords.create_role(p_role_name => '50% off \ %s %I $1');
SELECT ords.create_privilege(p_name => 'p''); DELETE FROM t; --', p_role_name => 'x''; DROP TABLE t; --');
SELECT ords.create_privilege_mapping(p_privilege_name => 'p''); DELETE FROM t; --', p_pattern => '/it''s/*');
SELECT ords.define_module(p_module_name => 'm"; DROP TABLE t; --', p_base_path => 'quote''s/');
SELECT name FROM oauth.create_client(p_name => 'c''; DROP TABLE t; --', p_grant_type => 'client_credentials',
                                     p_description => 'Robert''); DROP TABLE t;--');
SELECT oauth.grant_client_role(p_client_name => 'c''; DROP TABLE t; --', p_role_name => '"quoted"');
SELECT name FROM user_ords_roles ORDER BY name;
SELECT name, pattern FROM user_ords_privilege_mappings ORDER BY 1, 2;
SELECT privilege_name, role_name FROM user_ords_privilege_roles ORDER BY 1, 2;
SELECT name, uri_prefix FROM user_ords_modules ORDER BY name;
SELECT name, description FROM user_ords_clients ORDER BY name;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;
-- Such names appear verbatim in messages.
SELECT ords.create_role(p_role_name => 'x''; DROP TABLE t; --');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT ords.delete_role(p_role_name => 'y''; DROP TABLE t; --');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Deleted by name.
SELECT oauth.delete_client(p_name => 'c''; DROP TABLE t; --');
SELECT ords.delete_module(p_module_name => 'm"; DROP TABLE t; --');
SELECT ords.delete_privilege(p_name => 'p''); DELETE FROM t; --');
SELECT ords.delete_role(p_role_name => 'x''; DROP TABLE t; --');
SELECT ords.delete_role(p_role_name => '"quoted"');
SELECT ords.delete_role(p_role_name => '50% off \ %s %I $1');
SELECT name FROM user_ords_roles ORDER BY name;
SELECT name FROM user_ords_clients ORDER BY name;
RESET ROLE;
SELECT x FROM t;

RESET ROLE;
DROP TABLE t;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE err_a;
