-- authorize_rules_load_by_path: a backend's first decisions for a schema read only the rules
-- whose literal prefix is a prefix of the path; after 32 distinct paths it loads every rule into
-- a trie. Both ways decide alike, for exact and wildcard patterns, a '*' inside a pattern, a
-- pattern whose literal prefix is not a whole segment, and a protected module
-- (docs/decision.md#precedence, "Caching").
--
-- Fixture (fixtures/tokens.sql): a fresh pg_ords; schema role tok_a (alias tok_a) protects
-- /customer/* with customer_priv; the session is SET ROLE tok_a.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/tokens.sql'
\i :f
SELECT ords.create_role(p_role_name => 'lazy_role');
SELECT ords.create_privilege(p_name => 'p_root', p_role_name => 'lazy_role');
SELECT ords.create_privilege(p_name => 'p_a', p_role_name => 'lazy_role');
SELECT ords.create_privilege(p_name => 'p_ab', p_role_name => 'lazy_role');
SELECT ords.create_privilege(p_name => 'p_abc', p_role_name => 'lazy_role');
SELECT ords.create_privilege(p_name => 'p_inner', p_role_name => 'lazy_role');
SELECT ords.create_privilege(p_name => 'p_partial', p_role_name => 'lazy_role');
SELECT ords.create_privilege(p_name => 'p_module', p_role_name => 'lazy_role');
SELECT ords.create_privilege_mapping('p_root', '/lazy/*');
SELECT ords.create_privilege_mapping('p_a', '/lazy/a/*');
SELECT ords.create_privilege_mapping('p_ab', '/lazy/a/b/*');
SELECT ords.create_privilege_mapping('p_abc', '/lazy/a/b/c');
SELECT ords.create_privilege_mapping('p_inner', '/lazy/a/*/z');
SELECT ords.create_privilege_mapping('p_partial', '/lazy/pre*');
SELECT ords.define_module(p_module_name => 'lazy_mod', p_base_path => '/lazy/m/');
SELECT ords.set_module_privilege(p_module_name => 'lazy_mod', p_privilege_name => 'p_module');
SELECT client_id AS lazy_id, client_secret AS lazy_secret
  FROM oauth.create_client(p_name => 'lazy_client', p_grant_type => 'client_credentials') \gset
SELECT oauth.grant_client_role('lazy_client', 'lazy_role');
SELECT access_token AS lazy_token FROM oauth.issue_token(:'lazy_id', :'lazy_secret') \gset
CREATE TEMP TABLE paths AS
SELECT p FROM unnest(ARRAY['/lazy/a/b/c', '/lazy/a/b/cd', '/lazy/a/b/', '/lazy/a/b', '/lazy/a/x/z', '/lazy/a/x/y',
                           '/lazy/a/', '/lazy/a', '/lazy/prefix', '/lazy/pre', '/lazy/pr', '/lazy/m/1', '/lazy/m/',
                           '/lazy/m', '/lazy/', '/lazy', '/customer/1', '/other']) AS p
UNION ALL SELECT '/lazy/a/b/' || g FROM generate_series(1, 40) g;  -- more than 32 paths
-- One backend: the first 32 paths read their own rules, the rest come from every rule.
CREATE TEMP TABLE first_pass AS
SELECT p, d.outcome, d.privilege_name FROM paths, ords.authorize(:'lazy_token', 'GET', p, 'tok_a') d;
-- The same paths again, now all from the full rule set.
CREATE TEMP TABLE second_pass AS
SELECT p, d.outcome, d.privilege_name FROM paths, ords.authorize(:'lazy_token', 'GET', p, 'tok_a') d;
SELECT count(*) AS decisions, count(*) FILTER (WHERE f.outcome = s.outcome AND f.privilege_name IS NOT DISTINCT FROM s.privilege_name) AS alike
  FROM first_pass f JOIN second_pass s USING (p);
SELECT p, outcome, privilege_name FROM second_pass WHERE p NOT LIKE '/lazy/a/b/_%' OR p = '/lazy/a/b/c' OR p = '/lazy/a/b/cd' ORDER BY p COLLATE "C";
SELECT count(*) AS numbered_paths, count(*) FILTER (WHERE privilege_name = 'p_ab') AS by_p_ab
  FROM second_pass WHERE p ~ '^/lazy/a/b/[0-9]+$';
