-- identities_and_aliases: what one tenant can claim of another's (docs/security.md).
-- * Aliases: an alias a schema gave up (moved to another alias, or dropped its REST objects)
--   stays reserved for it; another role, even one with no privileges at all, cannot take it over
--   and serve its URLs. An administrator can reassign it.
-- * Identities for row-level security: client names are unique only per schema, so policies
--   use ords.current_identity() (alias + client_id, or alias + Basic user), which no other
--   schema can produce.
-- * An unauthenticated caller is not told which privilege protects a path.
\set VERBOSITY terse
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
DROP ROLE IF EXISTS al_alice, al_bob, al_mallory;
CREATE ROLE al_alice;
CREATE ROLE al_bob;
CREATE ROLE al_mallory;

-- ============================================================================================
-- Aliases
-- ============================================================================================
SET ROLE al_alice;
SELECT ords.enable_schema(p_url_mapping_pattern => 'alice');
-- alice moves to another alias: 'alice' is given up, but stays hers.
SELECT ords.enable_schema(p_url_mapping_pattern => 'alice-v2');
SET ROLE al_mallory;
SELECT ords.enable_schema(p_url_mapping_pattern => 'alice');          -- 42501
SELECT count(*) AS mallory_enabled FROM user_ords_schemas;
-- alice herself can take it back.
SET ROLE al_alice;
SELECT ords.enable_schema(p_url_mapping_pattern => 'alice');
SELECT pattern FROM user_ords_schemas;
-- alice drops her REST objects: the alias is still reserved for her.
SELECT ords.drop_rest_for_schema();
SET ROLE al_mallory;
SELECT ords.enable_schema(p_url_mapping_pattern => 'alice');          -- 42501
SELECT ords.enable_schema(p_url_mapping_pattern => 'mallory');        -- a fresh alias is fine
RESET ROLE;
-- An administrator may reassign it.
SELECT ords_admin.enable_schema(p_schema => 'al_mallory', p_url_mapping_pattern => 'alice');
SELECT parsing_schema, pattern FROM dba_ords_schemas WHERE parsing_schema LIKE 'al\_%' ORDER BY 1;
-- ... after which mallory's old alias is reserved for mallory.
SET ROLE al_alice;
SELECT ords.enable_schema(p_url_mapping_pattern => 'mallory');        -- 42501
SELECT ords.enable_schema(p_url_mapping_pattern => 'alice-v3');
RESET ROLE;
SELECT ords_admin.drop_rest_for_schema('al_mallory');

-- ============================================================================================
-- Identities for row-level security
-- ============================================================================================
-- alice protects /orders/* and has a client 'alice_client'; bob creates a client with the
-- same name in his own schema and authorizes it on his own path.
SET ROLE al_alice;
SELECT ords.create_role('r');
SELECT ords.create_privilege('orders_priv', 'r');
SELECT ords.create_privilege_mapping('orders_priv', '/orders/*');
SELECT client_id AS a_id, client_secret AS a_secret FROM oauth.create_client('alice_client', 'client_credentials') \gset
SELECT oauth.grant_client_role('alice_client', 'r');
SELECT access_token AS a_tok FROM oauth.issue_token(:'a_id', :'a_secret') \gset
SET ROLE al_bob;
SELECT ords.enable_schema(p_url_mapping_pattern => 'bob');
SELECT ords.create_role('r');
SELECT ords.create_privilege('bob_priv', 'r');
SELECT ords.create_privilege_mapping('bob_priv', '/b/*');
SELECT client_id AS b_id, client_secret AS b_secret FROM oauth.create_client('alice_client', 'client_credentials') \gset
SELECT oauth.grant_client_role('alice_client', 'r');
SELECT access_token AS b_tok FROM oauth.issue_token(:'b_id', :'b_secret') \gset
RESET ROLE;

-- alice's table, with a policy on the unambiguous identity (the README's example).
CREATE TABLE al_orders (id int, owner text);
INSERT INTO al_orders VALUES (1, 'alice-v3/client/' || :'a_id'), (2, 'someone-else');
ALTER TABLE al_orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE al_orders FORCE ROW LEVEL SECURITY;
CREATE POLICY by_identity ON al_orders USING (owner = ords.current_identity());
GRANT SELECT ON al_orders TO al_alice, al_bob;

-- bob's decision: the client *name* is the same as alice's, the identity is not.
BEGIN;
SELECT outcome FROM ords.authorize(:'b_tok', 'GET', '/b/1', 'bob');
SELECT ords.current_client_name() AS name_is_ambiguous,
       ords.current_schema_alias() AS alias, ords.current_principal_type() AS kind,
       ords.current_identity() = 'bob/client/' || :'b_id' AS identity_is_bobs;
SET LOCAL ROLE al_bob;
SELECT count(*) AS rows_bob_sees FROM al_orders;
COMMIT;

-- alice's decision sees her row.
BEGIN;
SELECT outcome FROM ords.authorize(:'a_tok', 'GET', '/orders/1', 'alice-v3');
SELECT ords.current_identity() = 'alice-v3/client/' || :'a_id' AS identity_is_alices, ords.current_principal_type() AS kind;
SET LOCAL ROLE al_alice;
SELECT id FROM al_orders;
COMMIT;

-- A refused or public decision leaves no identity behind.
BEGIN;
SELECT outcome FROM ords.authorize(:'a_tok', 'GET', '/orders/1', 'alice-v3');
SELECT outcome FROM ords.authorize(NULL, 'GET', '/orders/1', 'alice-v3');
SELECT ords.current_identity() IS NULL AS cleared, ords.current_schema_alias() IS NULL AS alias_cleared;
COMMIT;

-- ============================================================================================
-- The privilege is named to authenticated callers only
-- ============================================================================================
SELECT outcome, privilege_name, www_authenticate FROM ords.authorize(NULL, 'GET', '/orders/1', 'alice-v3');
SELECT outcome, privilege_name FROM ords.authorize('Bearer not-a-token', 'GET', '/orders/1', 'alice-v3');
SELECT outcome, privilege_name FROM ords.authorize(:'b_tok', 'GET', '/orders/1', 'alice-v3');   -- bob's token here: 401
SELECT outcome, privilege_name FROM ords.authorize(:'a_tok', 'GET', '/orders/1', 'alice-v3');

DROP TABLE al_orders;
SELECT ords_admin.drop_rest_for_schema('al_alice');
SELECT ords_admin.drop_rest_for_schema('al_bob');
DROP ROLE al_alice, al_bob, al_mallory;
