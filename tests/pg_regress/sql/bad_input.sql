-- bad_input: every public provisioning function refuses bad arguments with a clear message and
-- a testable SQLSTATE, and a failed call leaves nothing behind.
--
--   22023 invalid argument (NULL / empty / too long / malformed / unknown enumeration value)
--   42704 unknown object          42710 duplicate object (23505: duplicate client_id)
--   55000 schema not REST-enabled (admin functions naming such a schema)
--   00000 no error: deleting a missing client or revoking a role not granted is a NOTICE and
--         changes nothing (docs/clients.md#missing)
--
-- Table-driven: each section lists its calls with the SQLSTATE each must raise (INSERT INTO
-- pg_temp.bad_calls), then run_bad_calls() EXECUTEs them one by one (fixtures/expect_sqlstate.sql)
-- and returns the MISMATCHES: a call that raised another SQLSTATE or none, or that left any row
-- of any ords_metadata table changed (fixtures/catalog_checksum.sql). A passing section shows
-- "(0 rows)" there, then what each call said (pg_temp.said: SQLSTATE, message, DETAIL, HINT),
-- so a changed message shows in the diff too. To add a case: add a row to the right section's
-- VALUES list, run scripts/regress --update bad_input, review the diff.
-- Names full of quotes and semicolons are plain data (last section, plain calls).
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

-- The catalog checksum (pg_temp.baseline / unchanged) and the table-driven runner
-- (pg_temp.bad_calls, run_bad_calls, said): see the two fixture files. pg_regress sets
-- PG_ABS_SRCDIR to tests/pg_regress.
\getenv fixtures PG_ABS_SRCDIR
\set fixtures :fixtures '/sql/fixtures/'
\set f :fixtures 'catalog_checksum.sql'
\i :f
\set f :fixtures 'expect_sqlstate.sql'
\i :f
-- Unaligned output: the lists of what each call said are one line per call, without padding.
\pset format unaligned
-- The checksum covers every catalog table (16 in 0.3.0; 0.5.0 adds ords_parameters and ords_objects).
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
SET bad_input.c1_client_id = :'c1_client_id';
SET bad_input.c1_secret = :'c1_secret';
SELECT name FROM oauth.import_client(p_name => 'c2', p_grant_type => 'client_credentials',
                                     p_client_id => 'err-a-imported-client-id');
SELECT oauth.grant_client_role(p_client_name => 'c1', p_role_name => 'r1');
SELECT pg_temp.baseline();

-- =============================================================================================
-- ords.enable_schema
-- =============================================================================================
INSERT INTO pg_temp.bad_calls (call, sqlstate) VALUES
  -- Unknown mapping type.
  ($$SELECT ords.enable_schema(p_url_mapping_type => 'SUBDOMAIN')$$, '22023'),
  -- An alias that is not a URL segment, and an over-long one.
  ($$SELECT ords.enable_schema(p_url_mapping_pattern => 'has space/and slash')$$, '22023'),
  ($$SELECT ords.enable_schema(p_url_mapping_pattern => repeat('x', 129))$$, '22023'),
  ($$SELECT ords.enable_schema(p_url_mapping_pattern => '')$$, '22023');
SELECT * FROM pg_temp.run_bad_calls();
SELECT * FROM pg_temp.said;

-- =============================================================================================
-- ords.create_role / delete_role / rename_role
-- =============================================================================================
INSERT INTO pg_temp.bad_calls (call, sqlstate) VALUES
  -- NULL, empty, blank, over-long (256 characters), control characters.
  ($$SELECT ords.create_role(p_role_name => NULL)$$, '22023'),
  ($$SELECT ords.create_role(p_role_name => '')$$, '22023'),
  ($$SELECT ords.create_role(p_role_name => '   ')$$, '22023'),
  ($$SELECT ords.create_role(p_role_name => repeat('r', 256))$$, '22023'),
  ($$SELECT ords.create_role(p_role_name => E'line\nbreak')$$, '22023'),
  -- Duplicate.
  ($$SELECT ords.create_role(p_role_name => 'r1')$$, '42710'),
  -- Unknown role.
  ($$SELECT ords.delete_role(p_role_name => 'no_such_role')$$, '00000'),  -- a NOTICE, no error (docs/rest-definitions.md#delete-missing)
  ($$SELECT ords.delete_role(p_role_name => NULL)$$, '22023'),
  ($$SELECT ords.rename_role(p_role_name => 'no_such_role', p_new_name => 'r9')$$, '42704'),
  -- Renaming onto an existing name, to NULL, to an over-long name.
  ($$SELECT ords.rename_role(p_role_name => 'r1', p_new_name => 'r2')$$, '42710'),
  ($$SELECT ords.rename_role(p_role_name => 'r1', p_new_name => NULL)$$, '22023'),
  ($$SELECT ords.rename_role(p_role_name => 'r1', p_new_name => repeat('r', 256))$$, '22023');
SELECT * FROM pg_temp.run_bad_calls();
SELECT * FROM pg_temp.said;
-- 255 characters is the limit, not an error (created, then deleted by name).
SELECT ords.create_role(p_role_name => repeat('r', 255));
SELECT length(name) FROM user_ords_roles WHERE length(name) > 100;
SELECT ords.delete_role(p_role_name => repeat('r', 255));
SELECT pg_temp.unchanged();

-- =============================================================================================
-- ords.create_privilege / define_privilege / delete_privilege / rename_privilege
-- =============================================================================================
INSERT INTO pg_temp.bad_calls (call, sqlstate) VALUES
  ($$SELECT ords.create_privilege(p_name => NULL, p_role_name => 'r1')$$, '22023'),
  ($$SELECT ords.create_privilege(p_name => '', p_role_name => 'r1')$$, '22023'),
  ($$SELECT ords.create_privilege(p_name => repeat('p', 256), p_role_name => 'r1')$$, '22023'),
  ($$SELECT ords.create_privilege(p_name => 'p9', p_role_name => NULL)$$, '22023'),
  ($$SELECT ords.create_privilege(p_name => 'p9', p_role_name => '')$$, '22023'),
  -- Unknown role (single name and list form), a NULL entry in the list.
  ($$SELECT ords.create_privilege(p_name => 'p9', p_role_name => 'no_such_role')$$, '42704'),
  ($$SELECT ords.create_privilege(p_name => 'p9', p_roles => ARRAY['r1', 'no_such_role'])$$, '42704'),
  ($$SELECT ords.create_privilege(p_name => 'p9', p_roles => ARRAY['r1', NULL])$$, '22023'),
  -- Duplicate.
  ($$SELECT ords.create_privilege(p_name => 'p1', p_role_name => 'r1')$$, '42710'),
  -- Over-long label and description (5000 characters).
  ($$SELECT ords.create_privilege(p_name => 'p9', p_role_name => 'r1', p_description => repeat('d', 5000))$$, '22023'),
  ($$SELECT ords.create_privilege(p_name => 'p9', p_role_name => 'r1', p_label => repeat('l', 5000))$$, '22023'),
  -- define_privilege: NULL name, unknown role, unknown module, a bad pattern among good ones.
  -- It replaces an existing privilege whole, so a failure must not leave p1 half-replaced.
  ($$SELECT ords.define_privilege(p_privilege_name => NULL, p_roles => ARRAY['r1'], p_patterns => ARRAY['/x/*'])$$, '22023'),
  ($$SELECT ords.define_privilege(p_privilege_name => 'p1', p_roles => ARRAY['no_such_role'], p_patterns => ARRAY['/x/*'])$$, '42704'),
  ($$SELECT ords.define_privilege(p_privilege_name => 'p1', p_roles => ARRAY['r1'], p_patterns => ARRAY['/x/*'],
                                 p_modules => ARRAY['no_such_module'])$$, '42704'),
  ($$SELECT ords.define_privilege(p_privilege_name => 'p1', p_roles => ARRAY['r2'], p_patterns => ARRAY['/x/*', 'x/*'])$$, '22023'),
  ($$SELECT ords.define_privilege(p_privilege_name => 'p1', p_roles => ARRAY['r1'], p_patterns => ARRAY['/x/*', '/x/*'])$$, '42710'),
  ($$SELECT ords.define_privilege(p_privilege_name => 'p1', p_roles => ARRAY['r1'], p_patterns => ARRAY['/x/*'],
                                 p_comments => repeat('c', 5000))$$, '22023'),
  -- A pattern another privilege already maps.
  ($$SELECT ords.define_privilege(p_privilege_name => 'p2', p_roles => ARRAY['r2'], p_patterns => ARRAY['/p1/*'])$$, '42710'),
  -- delete / rename.
  ($$SELECT ords.delete_privilege(p_name => 'no_such_privilege')$$, '00000'),  -- a NOTICE
  ($$SELECT ords.delete_privilege(p_name => NULL)$$, '22023'),
  ($$SELECT ords.rename_privilege(p_name => 'no_such_privilege', p_new_name => 'p9')$$, '42704'),
  ($$SELECT ords.rename_privilege(p_name => 'p1', p_new_name => 'p2')$$, '42710'),
  ($$SELECT ords.rename_privilege(p_name => 'p1', p_new_name => '')$$, '22023');
SELECT * FROM pg_temp.run_bad_calls();
SELECT * FROM pg_temp.said;
-- p1 is still as it was.
SELECT name, pattern FROM user_ords_privilege_mappings ORDER BY 1, 2;
SELECT privilege_name, role_name FROM user_ords_privilege_roles ORDER BY 1, 2;

-- =============================================================================================
-- ords.create_privilege_mapping / delete_privilege_mapping
-- =============================================================================================
INSERT INTO pg_temp.bad_calls (call, sqlstate) VALUES
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'no_such_privilege', p_pattern => '/x/*')$$, '42704'),
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => NULL, p_pattern => '/x/*')$$, '22023'),
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => NULL)$$, '22023'),
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '')$$, '22023'),
  -- No leading '/': the message says how to write it.
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => 'customer/*')$$, '22023'),
  -- Not in normal form: the message names the normal form.
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/a//b/*')$$, '22023'),
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/a/./b/*')$$, '22023'),
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/a/x/../b/*')$$, '22023'),
  -- Cannot be normalised at all, or has a query / fragment / control character.
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/../etc/*')$$, '22023'),
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/a%2Fb/*')$$, '22023'),
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/a?b=1')$$, '22023'),
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => E'/a\tb/*')$$, '22023'),
  -- Over-long (2049 characters).
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/' || repeat('a', 2048))$$, '22023'),
  -- Duplicate (same privilege, and another privilege).
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/p1/*')$$, '42710'),
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p2', p_pattern => '/p1/*')$$, '42710'),
  -- The list form: NULL, empty, a NULL or bad entry after a good one (nothing is kept).
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_patterns => NULL::text[])$$, '22023'),
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_patterns => '{}'::text[])$$, '22023'),
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_patterns => ARRAY['/ok/*', NULL])$$, '22023'),
  ($$SELECT ords.create_privilege_mapping(p_privilege_name => 'p1', p_patterns => ARRAY['/ok/*', 'bad/*'])$$, '22023'),
  -- delete: a pattern that is not mapped, an unknown privilege, NULL.
  ($$SELECT ords.delete_privilege_mapping(p_privilege_name => 'p1', p_pattern => '/not-mapped/*')$$, '00000'),  -- a NOTICE
  ($$SELECT ords.delete_privilege_mapping(p_privilege_name => 'p2', p_pattern => '/p1/*')$$, '00000'),  -- a NOTICE; p1's mapping stays
  ($$SELECT ords.delete_privilege_mapping(p_privilege_name => 'no_such_privilege', p_pattern => '/p1/*')$$, '00000'),  -- a NOTICE
  ($$SELECT ords.delete_privilege_mapping(p_privilege_name => 'p1', p_pattern => NULL)$$, '22023');
SELECT * FROM pg_temp.run_bad_calls();
SELECT * FROM pg_temp.said;

-- =============================================================================================
-- ords.define_module / define_template / define_handler / define_service / delete_module /
-- set_module_privilege
-- =============================================================================================
INSERT INTO pg_temp.bad_calls (call, sqlstate) VALUES
  ($$SELECT ords.define_module(p_module_name => NULL, p_base_path => 'x/')$$, '22023'),
  ($$SELECT ords.define_module(p_module_name => repeat('m', 256), p_base_path => 'x/')$$, '22023'),
  ($$SELECT ords.define_module(p_module_name => 'm9', p_base_path => NULL)$$, '22023'),
  ($$SELECT ords.define_module(p_module_name => 'm9', p_base_path => '')$$, '22023'),
  ($$SELECT ords.define_module(p_module_name => 'm9', p_base_path => '../up/')$$, '22023'),
  ($$SELECT ords.define_module(p_module_name => 'm9', p_base_path => 'x?y/')$$, '22023'),
  ($$SELECT ords.define_module(p_module_name => 'm9', p_base_path => 'x/', p_status => 'DRAFT')$$, '22023'),
  ($$SELECT ords.define_module(p_module_name => 'm9', p_base_path => 'x/', p_status => NULL)$$, '22023'),
  ($$SELECT ords.define_module(p_module_name => 'm9', p_base_path => 'x/', p_items_per_page => -1)$$, '22023'),
  ($$SELECT ords.define_module(p_module_name => 'm9', p_base_path => 'x/', p_comments => repeat('c', 5000))$$, '22023'),
  -- Another module's base path.
  ($$SELECT ords.define_module(p_module_name => 'm9', p_base_path => 'm1/')$$, '42710'),
  -- Templates: unknown module, NULL, a leading '/', '..' or '.' segments, '?', bad priority / etag.
  ($$SELECT ords.define_template(p_module_name => 'no_such_module', p_pattern => 'x')$$, '42704'),
  ($$SELECT ords.define_template(p_module_name => 'm1', p_pattern => NULL)$$, '22023'),
  ($$SELECT ords.define_template(p_module_name => 'm1', p_pattern => '/items/:id')$$, '22023'),
  ($$SELECT ords.define_template(p_module_name => 'm1', p_pattern => '../m2/items')$$, '22023'),
  ($$SELECT ords.define_template(p_module_name => 'm1', p_pattern => 'items/../../etc')$$, '22023'),
  ($$SELECT ords.define_template(p_module_name => 'm1', p_pattern => '..')$$, '22023'),
  ($$SELECT ords.define_template(p_module_name => 'm1', p_pattern => './items')$$, '22023'),
  ($$SELECT ords.define_template(p_module_name => 'm1', p_pattern => 'items?id=1')$$, '22023'),
  ($$SELECT ords.define_template(p_module_name => 'm1', p_pattern => 'items/:id', p_priority => 10)$$, '22023'),
  ($$SELECT ords.define_template(p_module_name => 'm1', p_pattern => 'items/:id', p_etag_type => 'WEAK')$$, '22023'),
  -- Handlers: PATCH, unknown source type, NULL source, unknown template / module.
  ($$SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_method => 'PATCH', p_source => 'SELECT 1')$$, '22023'),
  ($$SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_method => NULL, p_source => 'SELECT 1')$$, '22023'),
  ($$SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_source_type => 'text/html', p_source => 'SELECT 1')$$, '22023'),
  ($$SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_source_type => NULL, p_source => 'SELECT 1')$$, '22023'),
  ($$SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_source => NULL)$$, '22023'),
  ($$SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'no/such/template', p_source => 'SELECT 1')$$, '42704'),
  ($$SELECT ords.define_handler(p_module_name => 'no_such_module', p_pattern => 'items/:id', p_source => 'SELECT 1')$$, '42704'),
  ($$SELECT ords.define_handler(p_module_name => 'm1', p_pattern => 'items/:id', p_source => 'SELECT 1', p_items_per_page => -5)$$, '22023'),
  -- define_service: module and template are written before the handler fails; all of it goes.
  ($$SELECT ords.define_service(p_module_name => 'm9', p_base_path => 'm9/', p_pattern => 'x', p_method => 'PATCH', p_source => 'SELECT 1')$$, '22023'),
  ($$SELECT ords.define_service(p_module_name => 'm9', p_base_path => 'm9/', p_pattern => 'x', p_status => 'DRAFT', p_source => 'SELECT 1')$$, '22023'),
  ($$SELECT ords.define_service(p_module_name => 'm9', p_base_path => 'm9/', p_pattern => '/x', p_source => 'SELECT 1')$$, '22023'),
  ($$SELECT ords.define_service(p_module_name => 'm9', p_base_path => 'm9/', p_pattern => 'x', p_source_type => 'sql', p_source => 'SELECT 1')$$, '22023'),
  -- delete_module / set_module_privilege.
  ($$SELECT ords.delete_module(p_module_name => 'no_such_module')$$, '00000'),  -- a NOTICE
  ($$SELECT ords.delete_module(p_module_name => NULL)$$, '22023'),
  ($$SELECT ords.set_module_privilege(p_module_name => 'no_such_module', p_privilege_name => 'p1')$$, '42704'),
  ($$SELECT ords.set_module_privilege(p_module_name => 'm1', p_privilege_name => 'no_such_privilege')$$, '42704'),
  ($$SELECT ords.set_module_privilege(p_module_name => 'm1', p_privilege_name => '')$$, '22023');
SELECT * FROM pg_temp.run_bad_calls();
SELECT * FROM pg_temp.said;
-- m1 is still as it was.
SELECT name, uri_prefix, status, items_per_page FROM user_ords_modules ORDER BY name;
SELECT uri_template, priority, etag_type FROM user_ords_templates ORDER BY 1;
SELECT method, source_type, source FROM user_ords_handlers ORDER BY 1;

-- =============================================================================================
-- oauth.create_client / import_client / update_client / rename_client / delete_client /
-- grant_client_role / revoke_client_role / rotate_client_secret / update_client_secret
-- =============================================================================================
INSERT INTO pg_temp.bad_calls (call, sqlstate) VALUES
  ($$SELECT oauth.create_client(p_name => NULL, p_grant_type => 'client_credentials')$$, '22023'),
  ($$SELECT oauth.create_client(p_name => '', p_grant_type => 'client_credentials')$$, '22023'),
  ($$SELECT oauth.create_client(p_name => repeat('c', 256), p_grant_type => 'client_credentials')$$, '22023'),
  -- Unknown and NULL grant types.
  ($$SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'password')$$, '22023'),
  ($$SELECT oauth.create_client(p_name => 'c9', p_grant_type => NULL)$$, '22023'),
  ($$SELECT oauth.create_client(p_name => 'c9', p_grant_type => '')$$, '22023'),
  -- authorization_code / implicit clients need a description and a redirect URI.
  ($$SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'authorization_code', p_redirect_uri => 'https://example.com/cb')$$, '22023'),
  ($$SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'implicit', p_description => 'd')$$, '22023'),
  -- Durations <= 0.
  ($$SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_token_duration => 0)$$, '22023'),
  ($$SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_refresh_duration => -1)$$, '22023'),
  ($$SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_code_duration => -3600)$$, '22023'),
  -- Over-long texts (5000 characters).
  ($$SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_description => repeat('d', 5000))$$, '22023'),
  ($$SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_owner => repeat('o', 5000))$$, '22023'),
  ($$SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_support_email => repeat('e', 5000))$$, '22023'),
  -- Unknown privilege in p_privilege_names; duplicate name.
  ($$SELECT oauth.create_client(p_name => 'c9', p_grant_type => 'client_credentials', p_privilege_names => 'p1, no_such_privilege')$$, '42704'),
  ($$SELECT oauth.create_client(p_name => 'c1', p_grant_type => 'client_credentials')$$, '42710'),
  -- import_client: duplicate client_id (23505), client_id with ':' or blanks, empty, over-long.
  ($$SELECT oauth.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => 'err-a-imported-client-id')$$, '23505'),
  ($$SELECT oauth.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => current_setting('bad_input.c1_client_id'))$$, '23505'),
  ($$SELECT oauth.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => 'user:password')$$, '22023'),
  ($$SELECT oauth.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => 'has space')$$, '22023'),
  ($$SELECT oauth.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => '')$$, '22023'),
  ($$SELECT oauth.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => repeat('i', 256))$$, '22023'),
  ($$SELECT oauth.import_client(p_name => 'c2', p_grant_type => 'client_credentials', p_client_id => 'another-client-id')$$, '42710'),
  -- update_client: unknown client, bad durations, unknown privilege, over-long text.
  ($$SELECT oauth.update_client(p_name => 'no_such_client', p_description => 'd')$$, '42704'),
  ($$SELECT oauth.update_client(p_name => NULL, p_description => 'd')$$, '22023'),
  ($$SELECT oauth.update_client(p_name => 'c1', p_token_duration => 0)$$, '22023'),
  ($$SELECT oauth.update_client(p_name => 'c1', p_privilege_names => 'no_such_privilege')$$, '42704'),
  ($$SELECT oauth.update_client(p_name => 'c1', p_redirect_uri => repeat('u', 5000))$$, '22023'),
  -- rename / delete.
  ($$SELECT oauth.rename_client(p_name => 'no_such_client', p_new_name => 'c9')$$, '42704'),
  ($$SELECT oauth.rename_client(p_name => 'c1', p_new_name => 'c2')$$, '42710'),
  ($$SELECT oauth.rename_client(p_name => 'c1', p_new_name => NULL)$$, '22023'),
  ($$SELECT oauth.rename_client(p_name => 'c1', p_new_name => repeat('c', 256))$$, '22023'),
  ($$SELECT oauth.delete_client(p_name => 'no_such_client')$$, '00000'),
  ($$SELECT oauth.delete_client(p_name => '')$$, '22023'),
  -- Role grants: unknown client, unknown role, NULLs, revoking a role that is not granted.
  ($$SELECT oauth.grant_client_role(p_client_name => 'no_such_client', p_role_name => 'r1')$$, '42704'),
  ($$SELECT oauth.grant_client_role(p_client_name => 'c1', p_role_name => 'no_such_role')$$, '42704'),
  ($$SELECT oauth.grant_client_role(p_client_name => NULL, p_role_name => 'r1')$$, '22023'),
  ($$SELECT oauth.grant_client_role(p_client_name => 'c1', p_role_name => NULL)$$, '22023'),
  ($$SELECT oauth.revoke_client_role(p_client_name => 'c1', p_role_name => 'r2')$$, '00000'),
  ($$SELECT oauth.revoke_client_role(p_client_name => 'no_such_client', p_role_name => 'r1')$$, '00000'),
  -- Secrets: unknown client; chosen secrets that are NULL, too short (the message never
  -- repeats the secret), too long or contain control characters.
  ($$SELECT oauth.rotate_client_secret(p_name => 'no_such_client')$$, '42704'),
  ($$SELECT oauth.update_client_secret(p_name => 'no_such_client', p_client_secret => 'a-chosen-secret-of-20+chars')$$, '42704'),
  ($$SELECT oauth.update_client_secret(p_name => 'c1', p_client_secret => NULL)$$, '22023'),
  ($$SELECT oauth.update_client_secret(p_name => 'c1', p_client_secret => 'tooShort-4711')$$, '22023'),
  ($$SELECT oauth.update_client_secret(p_name => 'c1', p_client_secret => repeat('s', 1025))$$, '22023'),
  ($$SELECT oauth.update_client_secret(p_name => 'c1', p_client_secret => E'secret-with-a-newline\n-in-it')$$, '22023');
SELECT * FROM pg_temp.run_bad_calls();
SELECT * FROM pg_temp.said;

-- =============================================================================================
-- ords_security.*
-- =============================================================================================
INSERT INTO pg_temp.bad_calls (call, sqlstate) VALUES
  ($$SELECT ords_security.register_client(p_name => NULL, p_grant_type => 'client_credentials')$$, '22023'),
  ($$SELECT ords_security.register_client(p_name => 'c9', p_grant_type => 'refresh_token')$$, '22023'),
  ($$SELECT ords_security.register_client(p_name => 'c1', p_grant_type => 'client_credentials')$$, '42710'),
  -- Both a chosen and a generated secret; a chosen secret that is too short.
  ($$SELECT ords_security.register_client(p_name => 'c9', p_grant_type => 'client_credentials',
                                         p_client_secret => 'a-chosen-secret-of-20+chars', p_generate_secret => true)$$, '22023'),
  ($$SELECT ords_security.register_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_secret => 'tooShort-4711')$$, '22023'),
  ($$SELECT ords_security.register_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_secret => '')$$, '22023'),
  ($$SELECT ords_security.register_client(p_name => 'c9', p_grant_type => 'client_credentials', p_token_duration => -1)$$, '22023'),
  ($$SELECT ords_security.register_client(p_name => 'c9', p_grant_type => 'client_credentials', p_privilege_names => 'no_such_privilege')$$, '42704'),
  ($$SELECT ords_security.import_client(p_name => 'c9', p_grant_type => 'client_credentials', p_client_id => 'err-a-imported-client-id')$$, '23505'),
  ($$SELECT ords_security.import_client(p_name => 'c9', p_grant_type => 'bogus', p_client_id => 'fresh-client-id')$$, '22023'),
  ($$SELECT ords_security.register_client_secret(p_name => 'no_such_client', p_client_secret => 'a-chosen-secret-of-20+chars')$$, '42704'),
  ($$SELECT ords_security.register_client_secret(p_name => 'c1', p_client_secret => 'tooShort-4711')$$, '22023'),
  ($$SELECT ords_security.register_client_secret(p_name => 'c1', p_client_secret => NULL)$$, '22023'),
  ($$SELECT ords_security.rotate_client_secret(p_name => 'no_such_client')$$, '42704'),
  ($$SELECT ords_security.rotate_client_secret(p_name => NULL)$$, '22023'),
  -- revoke_client_secret with a value that matches no slot; revoke_client_secrets with a bad slot.
  ($$SELECT ords_security.revoke_client_secret(p_name => 'c1', p_client_secret => 'not-the-secret-of-c1-at-all')$$, '42704'),
  ($$SELECT ords_security.revoke_client_secret(p_name => 'no_such_client')$$, '42704'),
  ($$SELECT ords_security.revoke_client_secrets(p_name => 'c1', p_slot => 4)$$, '22023'),
  ($$SELECT ords_security.revoke_client_secrets(p_name => 'c1', p_slot => 0)$$, '22023'),
  ($$SELECT ords_security.revoke_client_secrets(p_name => 'no_such_client', p_slot => 3)$$, '42704'),
  -- update_client: unknown, rename onto an existing name, bad duration, over-long text.
  ($$SELECT ords_security.update_client(p_name => 'no_such_client', p_description => 'd')$$, '42704'),
  ($$SELECT ords_security.update_client(p_name => 'c1', p_new_name => 'c2')$$, '42710'),
  ($$SELECT ords_security.update_client(p_name => 'c1', p_new_name => 'c9', p_code_duration => 0)$$, '22023'),
  ($$SELECT ords_security.update_client(p_name => 'c1', p_new_name => 'c9', p_support_uri => repeat('u', 5000))$$, '22023'),
  ($$SELECT ords_security.update_client(p_name => 'c1', p_new_name => 'c9', p_privilege_names => 'no_such_privilege')$$, '42704'),
  ($$SELECT ords_security.update_client_privileges(p_name => 'c1', p_privilege_names => 'p1,no_such_privilege')$$, '42704'),
  ($$SELECT ords_security.update_client_privileges(p_name => 'no_such_client', p_privilege_names => 'p1')$$, '42704'),
  ($$SELECT ords_security.update_client_token_duration(p_name => 'c1', p_token_duration => 0)$$, '22023'),
  ($$SELECT ords_security.update_client_token_duration(p_name => 'c1', p_token_duration => 60, p_refresh_duration => -60)$$, '22023'),
  ($$SELECT ords_security.update_client_token_duration(p_name => 'no_such_client', p_token_duration => 60)$$, '42704'),
  ($$SELECT ords_security.rename_client(p_name => 'no_such_client', p_new_name => 'c9')$$, '42704'),
  ($$SELECT ords_security.rename_client(p_name => 'c1', p_new_name => 'c2')$$, '42710'),
  ($$SELECT ords_security.grant_client_role(p_client_name => 'c1', p_role_name => 'no_such_role')$$, '42704'),
  ($$SELECT ords_security.grant_client_role(p_client_name => 'no_such_client', p_role_name => 'r1')$$, '42704'),
  ($$SELECT ords_security.revoke_client_role(p_client_name => 'c1', p_role_name => 'r2')$$, '00000'),
  ($$SELECT ords_security.revoke_client_role(p_client_name => 'c1', p_role_name => 'no_such_role')$$, '00000'),
  ($$SELECT ords_security.delete_client(p_name => 'no_such_client')$$, '00000'),
  ($$SELECT ords_security.delete_client(p_name => NULL)$$, '22023');
SELECT * FROM pg_temp.run_bad_calls();
SELECT * FROM pg_temp.said;
-- The clients are still as they were.
SELECT name, grant_type, description, token_duration, client_secret,
       client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients ORDER BY name;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;

-- =============================================================================================
-- Tokens and the access decision: oauth.issue_token, token_endpoint, validate_token,
-- revoke_token, basic_authorization; ords.authorize.
-- =============================================================================================
INSERT INTO pg_temp.bad_calls (call, sqlstate) VALUES
  ($$SELECT * FROM oauth.issue_token(p_client_id => NULL, p_client_secret => 'x')$$, '22023'),
  ($$SELECT * FROM oauth.issue_token(p_client_id => current_setting('bad_input.c1_client_id'), p_client_secret => NULL)$$, '22023'),
  -- Unknown grant type.
  ($$SELECT * FROM oauth.issue_token(current_setting('bad_input.c1_client_id'), current_setting('bad_input.c1_secret'), p_grant_type => 'password')$$, '0A000'),
  -- Unknown client_id (one failed attempt, for a fresh random client_id nobody has: the
  -- failed-attempt throttle lives in shared memory and outlives this database).
  ($$SELECT * FROM oauth.issue_token('no-such-' || md5(random()::text), 'whatever-secret')$$, '28P01'),
  -- A client without a secret (c2 was imported).
  ($$SELECT * FROM oauth.issue_token('err-a-imported-client-id', 'whatever-secret')$$, '55000'),
  -- ords.authorize: NULL / empty alias, bad method, unnormalisable path, unknown alias.
  ($$SELECT * FROM ords.authorize(NULL, 'GET', '/p1/x', NULL)$$, '22023'),
  ($$SELECT * FROM ords.authorize(NULL, 'GET', '/p1/x', '')$$, '22023'),
  ($$SELECT * FROM ords.authorize(NULL, 'GE T', '/p1/x', 'err_a')$$, '22023'),
  ($$SELECT * FROM ords.authorize(NULL, NULL, '/p1/x', 'err_a')$$, '22023'),
  ($$SELECT * FROM ords.authorize(NULL, 'GET', '/../p1/x', 'err_a')$$, '22023'),
  ($$SELECT * FROM ords.authorize(NULL, 'GET', '/p1%2Fx', 'err_a')$$, '22023'),
  ($$SELECT * FROM ords.authorize(NULL, 'GET', '/p1/x', 'no_such_alias')$$, '42704');
SELECT * FROM pg_temp.run_bad_calls();
SELECT * FROM pg_temp.said;
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
-- A garbage token on a protected path is an answer (401), not an error.
SELECT outcome, http_status, www_authenticate FROM ords.authorize('Bearer garbage', 'GET', '/p1/x', 'err_a');
RESET ROLE;

-- =============================================================================================
-- Administrator functions (as the superuser): NULL / unknown schema, bad arguments.
-- =============================================================================================
INSERT INTO pg_temp.bad_calls (call, sqlstate) VALUES
  ($$SELECT ords_admin.enable_schema(p_schema => NULL)$$, '22023'),
  ($$SELECT ords_admin.enable_schema(p_schema => 'err_no_such_role')$$, '42704'),
  ($$SELECT ords_admin.enable_schema(p_schema => repeat('s', 64))$$, '22023'),
  ($$SELECT ords_admin.create_role(p_schema => NULL, p_role_name => 'r9')$$, '22023'),
  ($$SELECT ords_admin.create_role(p_schema => 'err_no_such_role', p_role_name => 'r9')$$, '55000'),
  ($$SELECT ords_admin.create_role(p_schema => 'err_a', p_role_name => 'r1')$$, '42710'),
  ($$SELECT ords_admin.delete_role(p_schema => 'err_a', p_role_name => 'no_such_role')$$, '00000'),  -- a NOTICE
  ($$SELECT ords_admin.create_privilege(p_schema => 'err_a', p_name => 'p9', p_role_name => 'no_such_role')$$, '42704'),
  ($$SELECT ords_admin.define_privilege(p_schema => 'err_a', p_privilege_name => 'p1', p_roles => ARRAY['r1'],
                                       p_patterns => ARRAY['/a//b/*'], p_modules => '{}')$$, '22023'),
  ($$SELECT ords_admin.create_privilege_mapping(p_schema => 'err_a', p_privilege_name => 'p1', p_pattern => 'no-slash/*')$$, '22023'),
  ($$SELECT ords_admin.set_module_privilege(p_schema => 'err_a', p_module_name => 'm1', p_privilege_name => 'no_such_privilege')$$, '42704'),
  ($$SELECT oauth_admin.create_client(p_schema => 'err_a', p_name => 'c1', p_grant_type => 'client_credentials')$$, '42710'),
  ($$SELECT oauth_admin.create_client(p_schema => 'err_a', p_name => 'c9', p_grant_type => 'bogus')$$, '22023'),
  ($$SELECT oauth_admin.create_client(p_schema => '', p_name => 'c9', p_grant_type => 'client_credentials')$$, '22023'),
  ($$SELECT oauth_admin.grant_client_role(p_schema => 'err_a', p_client_name => 'c1', p_role_name => 'no_such_role')$$, '42704'),
  ($$SELECT oauth_admin.revoke_client_role(p_schema => 'err_a', p_client_name => 'c1', p_role_name => 'r2')$$, '00000'),
  ($$SELECT oauth_admin.delete_client(p_schema => 'err_a', p_name => 'no_such_client')$$, '00000'),
  ($$SELECT oauth_admin.rotate_client_secret(p_schema => 'err_a', p_name => 'no_such_client')$$, '42704'),
  ($$SELECT ords_security_admin.register_client(p_schema => 'err_a', p_name => NULL, p_grant_type => 'client_credentials')$$, '22023'),
  ($$SELECT ords_security_admin.rotate_client_secret(p_schema => 'err_a', p_name => 'no_such_client')$$, '42704'),
  ($$SELECT ords_security_admin.delete_client(p_schema => 'err_a', p_name => 'no_such_client')$$, '00000');
SELECT * FROM pg_temp.run_bad_calls();
SELECT * FROM pg_temp.said;
SELECT pg_temp.baseline();

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
SELECT ords.rename_role(p_role_name => 'y''; DROP TABLE t; --', p_new_name => 'z');
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

