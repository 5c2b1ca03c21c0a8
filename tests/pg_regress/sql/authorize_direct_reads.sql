-- authorize_direct_reads: on a cache miss a decision reads the catalog with direct index scans
-- (src/direct.rs: the schema by alias, the path's rules by literal prefix, the token's client),
-- and falls back to its SQL queries when the catalog lacks an index it expects (a catalog not
-- yet updated by ALTER EXTENSION pg_ords UPDATE). Both ways decide alike, for mappings and
-- protected modules, privileges with several roles, HTTP Basic (rule role names) and
-- oauth.validate_token (the client's role names, sorted as ORDER BY sorts them)
-- (docs/decision.md, "Caching").
--
-- Fixture (fixtures/tokens.sql): a fresh pg_ords; schema role tok_a (alias tok_a) protects
-- /customer/* with customer_priv; the session is SET ROLE tok_a.
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/tokens.sql'
\i :f
SELECT ords.create_role(p_role_name => 'Zeta');
SELECT ords.create_role(p_role_name => 'alpha');
SELECT ords.create_role(p_role_name => 'Beta');
SELECT ords.create_privilege(p_name => 'p_two', p_roles => ARRAY['alpha', 'Beta']);
SELECT ords.create_privilege(p_name => 'p_none', p_role_name => 'Zeta');
SELECT ords.create_privilege(p_name => 'p_mod', p_role_name => 'Beta');
SELECT ords.create_privilege_mapping('p_two', '/d/two/*');
SELECT ords.create_privilege_mapping('p_two', '/d/exact');
SELECT ords.create_privilege_mapping('p_none', '/d/two/none/*');
SELECT ords.define_module(p_module_name => 'd_mod', p_base_path => '/d/mod/');
SELECT ords.set_module_privilege(p_module_name => 'd_mod', p_privilege_name => 'p_mod');
SELECT client_id AS d_id, client_secret AS d_secret
  FROM oauth.create_client(p_name => 'd_client', p_grant_type => 'client_credentials') \gset
SELECT oauth.grant_client_role('d_client', 'Zeta');
SELECT oauth.grant_client_role('d_client', 'alpha');
SELECT oauth.grant_client_role('d_client', 'Beta');
SELECT access_token AS d_token FROM oauth.issue_token(:'d_id', :'d_secret') \gset
RESET ROLE;
SET password_encryption = 'scram-sha-256';
DROP ROLE IF EXISTS d_basic;
DROP ROLE IF EXISTS alpha;
CREATE ROLE alpha;
CREATE ROLE d_basic LOGIN PASSWORD 'd_basic_pass' IN ROLE alpha;
CREATE TEMP TABLE paths AS
SELECT p FROM unnest(ARRAY['/d/two/1', '/d/two/', '/d/two', '/d/exact', '/d/exact/1', '/d/two/none/1',
                           '/d/mod/1', '/d/mod/', '/d/mod', '/d/', '/customer/1', '/other']) AS p;
CREATE TEMP TABLE tok AS SELECT :'d_token' AS t;
CREATE FUNCTION pg_temp.decide(p_tag text) RETURNS TABLE (tag text, p text, outcome text, privilege_name text, basic text)
LANGUAGE sql AS $$
  SELECT p_tag, p, d.outcome, d.privilege_name,
         (SELECT b.outcome FROM ords.authorize('Basic ' || encode(convert_to('d_basic:d_basic_pass', 'UTF8'), 'base64'),
                                               'GET', p, 'tok_a') b)
    FROM tok, paths, ords.authorize(tok.t, 'GET', p, 'tok_a') d
$$;
SET pg_ords.basic_auth = on;
-- Direct reads (a fresh backend: nothing cached yet).
CREATE TEMP TABLE direct AS SELECT * FROM pg_temp.decide('direct');
CREATE TEMP TABLE direct_roles AS SELECT roles FROM oauth.validate_token(:'d_token');
-- The same decisions with the indexes the direct reads use gone: the SQL queries decide.
-- (Any pg_ords catalog change empties the caches; all rolled back at the end.)
BEGIN;
DROP INDEX ords_metadata.sec_privilege_mappings_literal_prefix;
ALTER TABLE ords_metadata.ords_schemas DROP CONSTRAINT ords_schemas_pattern_key;
ALTER TABLE ords_metadata.oauth_client_roles DROP CONSTRAINT oauth_client_roles_pkey;
SET LOCAL ROLE tok_a;
SELECT ords.create_role(p_role_name => 'flush_caches');
RESET ROLE;
CREATE TEMP TABLE queried AS SELECT * FROM pg_temp.decide('queried');
CREATE TEMP TABLE queried_roles AS SELECT roles FROM oauth.validate_token(:'d_token');
SELECT d.p, d.outcome, d.privilege_name, d.basic,
       (d.outcome, d.privilege_name, d.basic) IS NOT DISTINCT FROM (q.outcome, q.privilege_name, q.basic) AS alike
  FROM direct d JOIN queried q USING (p) ORDER BY d.p COLLATE "C";
SELECT (SELECT roles FROM direct_roles) = (SELECT roles FROM queried_roles) AS roles_alike,
       (SELECT roles FROM direct_roles) = ARRAY(SELECT unnest(ARRAY['Zeta', 'alpha', 'Beta']) ORDER BY 1) AS roles_sorted;
ROLLBACK;
RESET pg_ords.basic_auth;
