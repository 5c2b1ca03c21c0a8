-- jwt_role_recheck: a JWT's role claim is checked when it is used, not only when it is set
-- (docs/security.md). After set_client_jwt_role('c', 'jr_reporting'), revoking the schema
-- role's membership in jr_reporting, or making jr_reporting a superuser, stops new tokens from
-- carrying that role and makes live tokens that carry it unauthorized. Pointing the client at
-- another role changes new tokens only (switching roles or formats strands no live token the
-- schema may still hand out). Tokens are captured with \gset and never printed.
\set VERBOSITY terse
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
DROP ROLE IF EXISTS jr_schema, jr_reporting;
CREATE ROLE jr_schema;
CREATE ROLE jr_reporting;
GRANT jr_reporting TO jr_schema;

SET ROLE jr_schema;
SELECT ords.enable_schema(p_url_mapping_pattern => 'jr');
SELECT ords.create_role('r');
SELECT ords.create_privilege('p', 'r');
SELECT ords.create_privilege_mapping('p', '/items/*');
SELECT ords.set_token_format('jwt');
SELECT client_id AS cid, client_secret AS csecret FROM oauth.create_client('c', 'client_credentials') \gset
SELECT oauth.grant_client_role('c', 'r');
SELECT oauth.set_client_jwt_role('c', 'jr_reporting');
SELECT access_token AS tok FROM oauth.issue_token(:'cid', :'csecret') \gset
RESET ROLE;

CREATE FUNCTION pg_temp.decide() RETURNS text LANGUAGE sql
AS $$ SELECT outcome FROM ords.authorize(current_setting('jr.tok'), 'GET', '/items/1', 'jr') $$;
SELECT set_config('jr.tok', :'tok', false) IS NOT NULL AS token_kept;
-- The role claim is the client's role.
SELECT convert_from(decode(translate(split_part(:'tok', '.', 2), '-_', '+/') || repeat('=', (4 - length(split_part(:'tok', '.', 2)) % 4) % 4), 'base64'), 'UTF8')::jsonb->>'role' AS role_claim;
SELECT pg_temp.decide() AS with_membership;

-- 1. The schema role loses its membership in jr_reporting.
REVOKE jr_reporting FROM jr_schema;
SELECT pg_temp.decide() AS after_revoke;
SELECT count(*) AS still_valid FROM oauth.validate_token(current_setting('jr.tok'));
SET ROLE jr_schema;
SELECT * FROM oauth.issue_token(:'cid', :'csecret');
SELECT status, body->>'error' AS error FROM oauth.token_endpoint(oauth.basic_authorization(:'cid', :'csecret'),
       'application/x-www-form-urlencoded', 'grant_type=client_credentials', 'jr');
RESET ROLE;

-- 2. Granted again: the live token works again (nothing else changed).
GRANT jr_reporting TO jr_schema;
SELECT pg_temp.decide() AS after_grant;

-- 3. jr_reporting made a superuser: refused at once, and no new token carries it.
ALTER ROLE jr_reporting SUPERUSER;
SELECT pg_temp.decide() AS role_is_superuser;
SET ROLE jr_schema;
SELECT * FROM oauth.issue_token(:'cid', :'csecret');
RESET ROLE;
ALTER ROLE jr_reporting NOSUPERUSER;
SELECT pg_temp.decide() AS superuser_taken_back;

-- 3b. The same with no token cache (every decision verifies the token and looks its session
--     up): the answer about the role claim, kept per backend, is dropped at every role or
--     membership change, so revoking and making a superuser still act at once.
SET pg_ords.token_cache_size = 0;
SELECT pg_temp.decide() AS uncached_with_membership;
REVOKE jr_reporting FROM jr_schema;
SELECT pg_temp.decide() AS uncached_after_revoke;
GRANT jr_reporting TO jr_schema;
SELECT pg_temp.decide() AS uncached_after_grant;
ALTER ROLE jr_reporting SUPERUSER;
SELECT pg_temp.decide() AS uncached_role_is_superuser;
ALTER ROLE jr_reporting NOSUPERUSER;
SELECT pg_temp.decide() AS uncached_superuser_taken_back;
BEGIN;
REVOKE jr_reporting FROM jr_schema;
SELECT pg_temp.decide() AS uncached_revoked_in_this_transaction;
ROLLBACK;
SELECT pg_temp.decide() AS uncached_after_rollback;
RESET pg_ords.token_cache_size;

-- 4. The client is pointed at the schema's role: new tokens carry it; the live one keeps
--    jr_reporting, which the schema may still name.
SET ROLE jr_schema;
SELECT oauth.set_client_jwt_role('c', NULL);
RESET ROLE;
SELECT pg_temp.decide() AS live_token_after_role_change;
SET ROLE jr_schema;
SELECT access_token AS tok2 FROM oauth.issue_token(:'cid', :'csecret') \gset
RESET ROLE;
SELECT outcome AS new_token_with_schema_role FROM ords.authorize(:'tok2', 'GET', '/items/1', 'jr');
SELECT convert_from(decode(translate(split_part(:'tok2', '.', 2), '-_', '+/') || repeat('=', (4 - length(split_part(:'tok2', '.', 2)) % 4) % 4), 'base64'), 'UTF8')::jsonb->>'role' AS new_role_claim;

-- 5. Opaque tokens carry no role and are not affected.
SET ROLE jr_schema;
SELECT ords.set_token_format('opaque');
SELECT access_token AS tok3 FROM oauth.issue_token(:'cid', :'csecret') \gset
RESET ROLE;
REVOKE jr_reporting FROM jr_schema;
SELECT outcome AS opaque_token FROM ords.authorize(:'tok3', 'GET', '/items/1', 'jr');

SELECT ords_admin.drop_rest_for_schema('jr_schema');
DROP ROLE jr_schema, jr_reporting;
