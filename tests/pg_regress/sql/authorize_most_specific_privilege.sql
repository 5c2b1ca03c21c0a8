-- authorize_most_specific_privilege: the most specific privilege wins (ORDS documentation example), and only its roles are checked;
-- exact patterns beat wildcards; a protected module counts as '<base path>*'.
--
-- Fixture (fixtures/tokens.sql): a fresh pg_ords; schema roles tok_a (alias tok_a) and tok_b (not
-- REST-enabled); tok_a protects /customer/* with customer_priv (role customer_role); main_client
-- holds customer_role (psql variables main_id, main_secret, main_token), probe_client holds no
-- role (probe_id, probe_secret, probe_token). The session is SET ROLE tok_a.
-- Secrets, client_ids and tokens are random: captured with \gset, only their shape or a
-- comparison is printed.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/tokens.sql'
\i :f
-- /admin/* needs admin_priv (role admin_role), as authorize_catalog_changes_apply_at_once leaves it.
SELECT ords.create_role(p_role_name => 'admin_role');
SELECT ords.create_privilege(p_name => 'admin_priv', p_role_name => 'admin_role');
SELECT ords.create_privilege_mapping(p_privilege_name => 'admin_priv', p_pattern => '/admin/*');

-- =============================================================================================
-- The most specific privilege wins (ORDS documentation example: /soda/* and
--    /soda/latest/employee/*), and only its roles are checked
-- =============================================================================================
SELECT ords.create_role(p_role_name => 'soda_role');
SELECT ords.create_role(p_role_name => 'employee_role');
SELECT ords.create_privilege(p_name => 'soda_priv', p_role_name => 'soda_role');
SELECT ords.create_privilege(p_name => 'employee_priv', p_role_name => 'employee_role');
SELECT ords.create_privilege_mapping(p_privilege_name => 'soda_priv', p_pattern => '/soda/*');
SELECT ords.create_privilege_mapping(p_privilege_name => 'employee_priv', p_pattern => '/soda/latest/employee/*');

SELECT client_id AS emp_id, client_secret AS emp_secret
  FROM oauth.create_client(p_name => 'employee_client', p_grant_type => 'client_credentials') \gset
SELECT oauth.grant_client_role(p_client_name => 'employee_client', p_role_name => 'employee_role');
SELECT access_token AS emp_token FROM oauth.issue_token(:'emp_id', :'emp_secret') \gset
SELECT client_id AS soda_id, client_secret AS soda_secret
  FROM oauth.create_client(p_name => 'soda_client', p_grant_type => 'client_credentials') \gset
SELECT oauth.grant_client_role(p_client_name => 'soda_client', p_role_name => 'soda_role');
SELECT access_token AS soda_token FROM oauth.issue_token(:'soda_id', :'soda_secret') \gset

-- employee_client (employee_role only) passes on the employee path, is forbidden elsewhere in /soda.
SELECT p AS path, d.outcome, d.http_status, d.privilege_name
  FROM unnest(ARRAY['/soda/latest/employee/id1', '/soda/other', '/soda/latest/dept/1']) WITH ORDINALITY AS t(p, n),
       LATERAL ords.authorize(:'emp_token', 'GET', p, 'tok_a') AS d
 ORDER BY n;
-- soda_client (soda_role only) is the other way round: /soda/* does not cover the more
-- specific /soda/latest/employee/*.
SELECT p AS path, d.outcome, d.http_status, d.privilege_name
  FROM unnest(ARRAY['/soda/latest/employee/id1', '/soda/other', '/soda/latest/dept/1']) WITH ORDINALITY AS t(p, n),
       LATERAL ords.authorize(:'soda_token', 'GET', p, 'tok_a') AS d
 ORDER BY n;

-- An exact pattern beats a wildcard with the same literal text before its '*'.
SELECT ords.create_role(p_role_name => 'report_role');
SELECT ords.create_privilege(p_name => 'report_exact_priv', p_role_name => 'report_role');
SELECT ords.create_privilege(p_name => 'report_any_priv', p_role_name => 'report_role');
SELECT ords.create_privilege_mapping(p_privilege_name => 'report_any_priv', p_pattern => '/report/summary*');
SELECT ords.create_privilege_mapping(p_privilege_name => 'report_exact_priv', p_pattern => '/report/summary');
SELECT p AS path, d.outcome, d.privilege_name
  FROM unnest(ARRAY['/report/summary', '/report/summary2', '/report/summary/x', '/report/other']) WITH ORDINALITY AS t(p, n),
       LATERAL ords.authorize(:'probe_token', 'GET', p, 'tok_a') AS d
 ORDER BY n;

-- A protected module counts as the pattern '<base path>*': a longer pattern inside it wins.
SELECT ords.define_module(p_module_name => 'hr', p_base_path => 'hr/');
SELECT ords.create_role(p_role_name => 'hr_role');
SELECT ords.create_privilege(p_name => 'hr_module_priv', p_role_name => 'hr_role');
SELECT ords.set_module_privilege(p_module_name => 'hr', p_privilege_name => 'hr_module_priv');
SELECT ords.create_privilege(p_name => 'hr_salary_priv', p_role_name => 'admin_role');
SELECT ords.create_privilege_mapping(p_privilege_name => 'hr_salary_priv', p_pattern => '/hr/salaries/*');
SELECT p AS path, d.outcome, d.privilege_name
  FROM unnest(ARRAY['/hr/', '/hr/employees/7', '/hr/salaries/7', '/hr', '/hrx/1']) WITH ORDINALITY AS t(p, n),
       LATERAL ords.authorize(:'probe_token', 'GET', p, 'tok_a') AS d
 ORDER BY n;
-- main_client holds customer_role only: forbidden in the module, as everywhere it has no role.
SELECT outcome, http_status, privilege_name FROM ords.authorize(:'main_token', 'GET', '/hr/employees/7', 'tok_a');
-- Granting hr_role opens the module but not the salaries inside it (their privilege wants admin_role).
SELECT oauth.grant_client_role(p_client_name => 'main_client', p_role_name => 'hr_role');
SELECT p AS path, d.outcome, d.privilege_name
  FROM unnest(ARRAY['/hr/employees/7', '/hr/salaries/7']) WITH ORDINALITY AS t(p, n),
       LATERAL ords.authorize(:'main_token', 'GET', p, 'tok_a') AS d
 ORDER BY n;
-- Unprotecting the module (NULL privilege) leaves only the pattern.
SELECT ords.set_module_privilege(p_module_name => 'hr', p_privilege_name => NULL);
SELECT p AS path, d.outcome, d.privilege_name
  FROM unnest(ARRAY['/hr/employees/7', '/hr/salaries/7']) WITH ORDINALITY AS t(p, n),
       LATERAL ords.authorize(:'probe_token', 'GET', p, 'tok_a') AS d
 ORDER BY n;

-- =============================================================================================
-- Clean up
-- =============================================================================================
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
