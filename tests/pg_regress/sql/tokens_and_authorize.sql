-- Tokens and access decisions: the rules of client-credentials tokens (oauth.issue_token,
-- oauth.token_endpoint, oauth.validate_token, oauth.revoke_token, oauth.purge_expired_tokens)
-- and of ords.authorize, each shown on its own.
--
-- Two REST-enabled schema roles: tok_a (URL alias tok_a) and tok_b (alias tok_b).
-- Secrets, client_ids and tokens are random: they are captured with \gset and only their
-- shape or a comparison is printed.
-- Failed client authentications are throttled per client_id after 5 failures; this file stays
-- below that (at most 2 failures per client_id). The throttle has its own test.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
DROP ROLE IF EXISTS tok_a;
DROP ROLE IF EXISTS tok_b;
CREATE ROLE tok_a;
CREATE ROLE tok_b;

-- =============================================================================================
-- Setup: tok_a protects /customer/* with customer_priv (role customer_role)
-- =============================================================================================
SET ROLE tok_a;
SELECT ords.enable_schema(p_url_mapping_pattern => 'tok_a');
SELECT ords.create_role(p_role_name => 'customer_role');
SELECT ords.create_privilege(p_name => 'customer_priv', p_role_name => 'customer_role');
SELECT ords.create_privilege_mapping(p_privilege_name => 'customer_priv', p_pattern => '/customer/*');

-- main_client: no p_token_duration (instance default); short_client: p_token_duration => 60.
SELECT client_id AS main_id, client_secret AS main_secret
  FROM oauth.create_client(p_name => 'main_client', p_grant_type => 'client_credentials',
                           p_privilege_names => 'customer_priv') \gset
SELECT oauth.grant_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
SELECT client_id AS short_id, client_secret AS short_secret
  FROM oauth.create_client(p_name => 'short_client', p_grant_type => 'client_credentials',
                           p_privilege_names => 'customer_priv', p_token_duration => 60) \gset
SELECT oauth.grant_client_role(p_client_name => 'short_client', p_role_name => 'customer_role');
-- probe_client holds no role: its token is refused (403) on every protected path, and a 403
-- names the governing privilege (a 401 does not), so it shows which rule governs a path.
SELECT client_id AS probe_id, client_secret AS probe_secret
  FROM oauth.create_client(p_name => 'probe_client', p_grant_type => 'client_credentials') \gset
SELECT access_token AS probe_token FROM oauth.issue_token(:'probe_id', :'probe_secret') \gset
SELECT name, token_duration FROM user_ords_clients ORDER BY name;

-- =============================================================================================
-- 1. Token lifetime: the client's p_token_duration, else pg_ords.token_duration (default 3600)
-- =============================================================================================

-- Default: 3600 seconds, as in ORDS. token_type is always bearer.
SELECT access_token AS main_token, token_type, expires_in
  FROM oauth.issue_token(:'main_id', :'main_secret') \gset
SELECT :'token_type' AS token_type, :'expires_in' AS expires_in,
       length(:'main_token') AS token_length, :'main_token' ~ '^[A-Za-z0-9_-]+$' AS url_safe;
-- The client's own duration wins.
SELECT token_type, expires_in FROM oauth.issue_token(:'short_id', :'short_secret');
-- validate_token reports the expiry time that matches expires_in.
SELECT client_name, roles,
       expires_at > now() + interval '3590 seconds' AND expires_at <= now() + interval '3601 seconds' AS expires_in_an_hour
  FROM oauth.validate_token(:'main_token');

-- Only a superuser may change the instance default...
SET pg_ords.token_duration = 120;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SET pg_ords.token_duration = 120;
SET ROLE tok_a;
-- ...which then applies to clients without a duration of their own...
SELECT token_type, expires_in FROM oauth.issue_token(:'main_id', :'main_secret');
-- ...but not to a client with p_token_duration: per-client duration wins.
SELECT token_type, expires_in FROM oauth.issue_token(:'short_id', :'short_secret');
-- The same through the token endpoint.
SELECT status, body->'expires_in' AS expires_in
  FROM oauth.token_endpoint(oauth.basic_authorization(:'main_id', :'main_secret'),
                            'application/x-www-form-urlencoded', 'grant_type=client_credentials', 'tok_a');
RESET ROLE;
RESET pg_ords.token_duration;
SET ROLE tok_a;
SELECT expires_in FROM oauth.issue_token(:'main_id', :'main_secret');

-- A duration must be positive.
SELECT oauth.create_client(p_name => 'bad_duration', p_grant_type => 'client_credentials', p_token_duration => 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- =============================================================================================
-- 2. Expired tokens are refused: 401 with error="invalid_token"
-- =============================================================================================

-- A client whose tokens live 2 seconds. The token works, then it expires by itself
-- (even though this backend has already validated and cached it).
SELECT client_id AS brief_id, client_secret AS brief_secret
  FROM oauth.create_client(p_name => 'brief_client', p_grant_type => 'client_credentials',
                           p_token_duration => 2) \gset
SELECT oauth.grant_client_role(p_client_name => 'brief_client', p_role_name => 'customer_role');
SELECT access_token AS brief_token FROM oauth.issue_token(:'brief_id', :'brief_secret') \gset
SELECT outcome, http_status FROM ords.authorize(:'brief_token', 'GET', '/customer/1', 'tok_a');
SELECT pg_sleep(2.2);
SELECT outcome, http_status, client_name, www_authenticate FROM ords.authorize(:'brief_token', 'GET', '/customer/1', 'tok_a');
SELECT count(*) AS rows_from_validate_token FROM oauth.validate_token(:'brief_token');

-- Expiry simulated by a superuser: the sessions of expiring_client end one second ago.
SELECT client_id AS exp_id, client_secret AS exp_secret
  FROM oauth.create_client(p_name => 'expiring_client', p_grant_type => 'client_credentials') \gset
SELECT oauth.grant_client_role(p_client_name => 'expiring_client', p_role_name => 'customer_role');
SELECT access_token AS exp_token FROM oauth.issue_token(:'exp_id', :'exp_secret') \gset
SELECT outcome, http_status, client_name FROM ords.authorize(:'exp_token', 'GET', '/customer/1', 'tok_a');
RESET ROLE;
UPDATE ords_metadata.oauth_sessions s SET expires_on = now() - interval '1 second'
  FROM ords_metadata.oauth_clients c WHERE c.id = s.client_id AND c.name = 'expiring_client';
SET ROLE tok_a;
SELECT outcome, http_status, client_name, www_authenticate FROM ords.authorize(:'exp_token', 'GET', '/customer/1', 'tok_a');
SELECT count(*) AS rows_from_validate_token FROM oauth.validate_token(:'exp_token');
-- An expired token on a public path is irrelevant: public stays public.
SELECT outcome, http_status FROM ords.authorize(:'exp_token', 'GET', '/public/1', 'tok_a');

-- =============================================================================================
-- 3. Immediate effect: roles are resolved when the token is used, not when it was issued
-- =============================================================================================

SELECT outcome, http_status, client_name FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');
-- Revoking the role: the same token is forbidden on the next call.
SELECT oauth.revoke_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
SELECT outcome, http_status, client_name, privilege_name, www_authenticate
  FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');
SELECT client_name, roles FROM oauth.validate_token(:'main_token');
-- Revoking a role that is not granted is an error.
SELECT oauth.revoke_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Granting it back: allowed again, same token.
SELECT oauth.grant_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
SELECT outcome, http_status, client_name FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');

-- A change that is rolled back changes nothing.
BEGIN;
SELECT oauth.revoke_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
SELECT outcome FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');
ROLLBACK;
SELECT outcome FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');

-- =============================================================================================
-- 4. Secret rotation (two secret slots)
-- =============================================================================================
SELECT client_id AS rot_id, client_secret AS rot_secret1
  FROM oauth.create_client(p_name => 'rotating_client', p_grant_type => 'client_credentials') \gset
SELECT oauth.grant_client_role(p_client_name => 'rotating_client', p_role_name => 'customer_role');
SELECT access_token AS rot_token FROM oauth.issue_token(:'rot_id', :'rot_secret1') \gset
SELECT outcome FROM ords.authorize(:'rot_token', 'GET', '/customer/1', 'tok_a');

-- Rotate with p_revoke_sessions => true: the new secret is returned (once); issued tokens go.
SELECT oauth.rotate_client_secret(p_name => 'rotating_client', p_revoke_sessions => true) AS rot_secret2 \gset
SELECT length(:'rot_secret2') = length(:'rot_secret1') AS same_shape, :'rot_secret2' <> :'rot_secret1' AS new_secret;
SELECT outcome, http_status, www_authenticate FROM ords.authorize(:'rot_token', 'GET', '/customer/1', 'tok_a');
-- Both secrets are now registered (slots 1 and 2)...
SELECT client_secret, client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 'rotating_client';
-- ...so the old secret still gets new tokens (for a zero-downtime switch-over)...
SELECT token_type, expires_in FROM oauth.issue_token(:'rot_id', :'rot_secret1');
-- ...and so does the new one.
SELECT access_token AS rot_token2 FROM oauth.issue_token(:'rot_id', :'rot_secret2') \gset
SELECT outcome FROM ords.authorize(:'rot_token2', 'GET', '/customer/1', 'tok_a');

-- A client holds at most two secrets: rotating again (no flags) overwrites the older one.
-- The first secret stops working, the second keeps working, tokens stay.
SELECT oauth.rotate_client_secret(p_name => 'rotating_client') AS rot_secret3 \gset
SELECT client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 'rotating_client';
SELECT token_type FROM oauth.issue_token(:'rot_id', :'rot_secret1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT token_type FROM oauth.issue_token(:'rot_id', :'rot_secret2');
SELECT token_type FROM oauth.issue_token(:'rot_id', :'rot_secret3');
SELECT outcome FROM ords.authorize(:'rot_token2', 'GET', '/customer/1', 'tok_a');

-- Rotate with p_revoke_existing => true (and without p_revoke_sessions): every older secret
-- goes, issued tokens stay.
SELECT oauth.rotate_client_secret(p_name => 'rotating_client', p_revoke_existing => true) AS rot_secret4 \gset
SELECT client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 'rotating_client';
SELECT token_type FROM oauth.issue_token(:'rot_id', :'rot_secret3');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT token_type FROM oauth.issue_token(:'rot_id', :'rot_secret4');
SELECT outcome FROM ords.authorize(:'rot_token2', 'GET', '/customer/1', 'tok_a');

-- =============================================================================================
-- 5. Deleting the client: its tokens are refused at once
-- =============================================================================================
SELECT oauth.delete_client(p_name => 'rotating_client');
SELECT outcome, http_status, client_name, www_authenticate FROM ords.authorize(:'rot_token2', 'GET', '/customer/1', 'tok_a');
SELECT count(*) AS rows_from_validate_token FROM oauth.validate_token(:'rot_token2');
-- Its credentials no longer work either.
SELECT token_type FROM oauth.issue_token(:'rot_id', :'rot_secret4');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- =============================================================================================
-- 6. A privilege mapping added after the token was issued is enforced on the next call
-- =============================================================================================
SELECT outcome, http_status FROM ords.authorize(:'main_token', 'GET', '/admin/users', 'tok_a');
SELECT ords.create_role(p_role_name => 'admin_role');
SELECT ords.create_privilege(p_name => 'admin_priv', p_role_name => 'admin_role');
SELECT ords.create_privilege_mapping(p_privilege_name => 'admin_priv', p_pattern => '/admin/*');
SELECT outcome, http_status, privilege_name, www_authenticate FROM ords.authorize(:'main_token', 'GET', '/admin/users', 'tok_a');
SELECT outcome, http_status, privilege_name, www_authenticate FROM ords.authorize(NULL, 'GET', '/admin/users', 'tok_a');
-- Removing the mapping makes the path public again.
SELECT ords.delete_privilege_mapping(p_privilege_name => 'admin_priv', p_pattern => '/admin/*');
SELECT outcome, http_status FROM ords.authorize(NULL, 'GET', '/admin/users', 'tok_a');
SELECT ords.create_privilege_mapping(p_privilege_name => 'admin_priv', p_pattern => '/admin/*');

-- =============================================================================================
-- 7. Revoking a token (RFC 7009)
-- =============================================================================================
SELECT access_token AS doomed_token FROM oauth.issue_token(:'main_id', :'main_secret') \gset
SELECT outcome FROM ords.authorize(:'doomed_token', 'GET', '/customer/1', 'tok_a');
SELECT oauth.revoke_token(:'doomed_token') AS revoked;
SELECT outcome, http_status, www_authenticate FROM ords.authorize(:'doomed_token', 'GET', '/customer/1', 'tok_a');
-- Revoking it again, an unknown token, an empty string or NULL is not an error.
SELECT oauth.revoke_token(:'doomed_token') AS revoked_again;
SELECT oauth.revoke_token('no-such-token') AS revoked_unknown;
SELECT oauth.revoke_token('') AS revoked_empty;
SELECT oauth.revoke_token(NULL) AS revoked_null;
-- Other tokens of the same client are untouched.
SELECT outcome FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');

-- =============================================================================================
-- 8. Path normalisation: no spelling of a path reaches /customer/* as public
-- =============================================================================================

-- Equivalent spellings of /customer/1 are all protected by customer_priv (403 for the probe).
SELECT p AS path, d.outcome, d.http_status, d.privilege_name
  FROM unnest(ARRAY['/customer/1', '//customer/1', '/customer//1', '/customer/./1', '/./customer/1',
                    '/customer/../customer/1', '/x/../customer/1', '/customer/1/.', '/customer/1/',
                    '/%63ustomer/1', '/customer/%31', '/customer/1?debug=../../public',
                    '/customer/1#frag', '/customer/%252e%252e/admin']) WITH ORDINALITY AS t(p, n),
       LATERAL ords.authorize(:'probe_token', 'GET', p, 'tok_a') AS d
 ORDER BY n;

-- An encoded '..' is a real '..': /customer/%2e%2e/admin/users is /admin/users, and gets the
-- rule of /admin/users (admin_priv), not /customer's. /customer/%2e%2e/admin is /admin, which
-- /admin/* does not cover (public, like /admin itself).
SELECT p AS path, d.outcome, d.http_status, d.privilege_name
  FROM unnest(ARRAY['/customer/%2e%2e/admin/users', '/admin/users', '/customer/%2E%2E/admin', '/admin',
                    '/customer/..', '/customer/%2e']) WITH ORDINALITY AS t(p, n),
       LATERAL ords.authorize(:'probe_token', 'GET', p, 'tok_a') AS d
 ORDER BY n;

-- Paths are case-sensitive, and /customer (no slash) is not /customer/*: both are public.
SELECT p AS path, d.outcome, d.http_status
  FROM unnest(ARRAY['/CUSTOMER/1', '/Customer/1', '/customer', '/customers/1']) WITH ORDINALITY AS t(p, n),
       LATERAL ords.authorize(NULL, 'GET', p, 'tok_a') AS d
 ORDER BY n;

-- Paths that cannot be normalised safely are refused with SQLSTATE 22023 (answer 400),
-- never matched leniently.
-- An encoded slash:
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer%2F1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer%2f1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A segment ending in a dot (Windows-style aliasing of /customer/1):
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/1.', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer./1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/...', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A control character, raw or encoded (PostgreSQL text cannot hold NUL; %00 is its encoding):
SELECT outcome FROM ords.authorize(NULL, 'GET', E'/customer/\x01', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/%00', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', E'/customer/1\n', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A backslash, raw or encoded:
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer\1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer%5C1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A broken percent escape:
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/%zz', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- '..' above the root:
SELECT outcome FROM ords.authorize(NULL, 'GET', '/../customer/1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- No leading slash, empty, NULL:
SELECT outcome FROM ords.authorize(NULL, 'GET', 'customer/1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', NULL, 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Too long (more than 4096 bytes):
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/' || repeat('a', 5000), 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Bad method or schema alias:
SELECT outcome FROM ords.authorize(NULL, 'GE T', '/customer/1', 'tok_a');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/1', NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT outcome FROM ords.authorize(NULL, 'GET', '/customer/1', 'no_such_alias');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- =============================================================================================
-- 9. The most specific privilege wins (ORDS documentation example: /soda/* and
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
-- 10. Schemas are separate: a token of tok_a never authorizes a path of tok_b
-- =============================================================================================
RESET ROLE;
SET ROLE tok_b;
SELECT ords.enable_schema(p_url_mapping_pattern => 'tok_b');
SELECT ords.create_role(p_role_name => 'customer_role');
SELECT ords.create_privilege(p_name => 'customer_priv', p_role_name => 'customer_role');
SELECT ords.create_privilege_mapping(p_privilege_name => 'customer_priv', p_pattern => '/customer/*');
SELECT client_id AS b_id, client_secret AS b_secret
  FROM oauth.create_client(p_name => 'main_client', p_grant_type => 'client_credentials') \gset
SELECT oauth.grant_client_role(p_client_name => 'main_client', p_role_name => 'customer_role');
SELECT access_token AS b_token FROM oauth.issue_token(:'b_id', :'b_secret', p_schema_alias => 'tok_b') \gset
-- tok_b sees only its own client, although both schemas have a client named main_client.
SELECT name, client_id = :'b_id' AS is_b_client FROM user_ords_clients;
-- tok_b's token works in tok_b...
SELECT outcome, http_status, client_name FROM ords.authorize(:'b_token', 'GET', '/customer/1', 'tok_b');
-- ...and tok_a's token (same role and privilege names) does not: 401 invalid_token.
SELECT outcome, http_status, client_name, www_authenticate FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_b');
-- Nor the other way round.
SELECT outcome, http_status, client_name, www_authenticate FROM ords.authorize(:'b_token', 'GET', '/customer/1', 'tok_a');
-- tok_b cannot act on tok_a's clients by name: the name resolves in tok_b's own schema.
SELECT oauth.delete_client(p_name => 'short_client');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SET ROLE tok_a;

-- =============================================================================================
-- 11. oauth.issue_token errors, each with its own SQLSTATE
-- =============================================================================================

-- Wrong secret and unknown client_id: the same message and SQLSTATE 28P01, so client_ids
-- cannot be probed.
SELECT token_type FROM oauth.issue_token(:'main_id', 'wrong-secret..');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set wrong_secret_message :LAST_ERROR_MESSAGE
SELECT gen_random_uuid()::text || '..' AS unknown_id \gset
SELECT token_type FROM oauth.issue_token(:'unknown_id', 'wrong-secret..');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT :'wrong_secret_message' = :'LAST_ERROR_MESSAGE' AS same_message;
-- NULL credentials: 22023.
SELECT token_type FROM oauth.issue_token(NULL, :'main_secret');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A grant type other than client_credentials: 0A000.
SELECT token_type FROM oauth.issue_token(:'main_id', :'main_secret', p_grant_type => 'password');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A client registered for the authorization_code grant, with its right secret: 42501.
SELECT client_id AS code_id, client_secret AS code_secret
  FROM oauth.create_client(p_name => 'web_app', p_grant_type => 'authorization_code',
                           p_description => 'A web application', p_redirect_uri => 'https://app.example.com/cb') \gset
SELECT name, auth_flow, response_type, client_secret FROM user_ords_clients WHERE name = 'web_app';
SELECT token_type FROM oauth.issue_token(:'code_id', :'code_secret');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A client registered without a secret (ords_security.register_client's default): 55000.
SELECT client_id AS nosecret_id, client_secret IS NULL AS no_secret_returned
  FROM ords_security.register_client(p_name => 'no_secret_client', p_grant_type => 'client_credentials') \gset
SELECT :'no_secret_returned' AS no_secret_returned;
SELECT name, client_secret IS NULL AS no_secret_shown FROM user_ords_clients WHERE name = 'no_secret_client';
SELECT token_type FROM oauth.issue_token(:'nosecret_id', 'anything-at-all..');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The right credentials at another schema's token URL (/ords/tok_b/oauth/token): 28000.
SELECT token_type FROM oauth.issue_token(:'main_id', :'main_secret', p_schema_alias => 'tok_b');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- At its own schema's URL it works.
SELECT token_type, expires_in FROM oauth.issue_token(:'main_id', :'main_secret', p_schema_alias => 'tok_a');

-- =============================================================================================
-- 12. oauth.token_endpoint: the RFC 6749 answers (status, error, WWW-Authenticate)
-- =============================================================================================
SELECT client_id AS ep_id, client_secret AS ep_secret
  FROM oauth.create_client(p_name => 'endpoint_client', p_grant_type => 'client_credentials') \gset
SELECT oauth.basic_authorization(:'ep_id', :'ep_secret') AS ep_basic \gset
\set form '''application/x-www-form-urlencoded'''

-- Success with HTTP Basic (client_secret_basic)...
SELECT status, body->>'token_type' AS token_type, body->'expires_in' AS expires_in, body ? 'access_token' AS has_token
  FROM oauth.token_endpoint(:'ep_basic', :form, 'grant_type=client_credentials', 'tok_a');
-- ...with a charset parameter on the content type...
SELECT status FROM oauth.token_endpoint(:'ep_basic', 'application/x-www-form-urlencoded; charset=UTF-8',
                                        'grant_type=client_credentials', 'tok_a');
-- ...and with the credentials in the form body (client_secret_post).
SELECT status, body->>'token_type' AS token_type, body ? 'access_token' AS has_token
  FROM oauth.token_endpoint(NULL, :form,
                            'grant_type=client_credentials&client_id=' || :'ep_id' || '&client_secret=' || :'ep_secret', 'tok_a');
-- The token from the endpoint is a working token.
SELECT body->>'access_token' AS ep_token FROM oauth.token_endpoint(:'ep_basic', :form, 'grant_type=client_credentials', 'tok_a') \gset
SELECT client_name FROM oauth.validate_token(:'ep_token');

-- The failures, one per row: status, error code, description and WWW-Authenticate.
SELECT t.case_name, r.status, r.body->>'error' AS error, r.body->>'error_description' AS error_description,
       r.headers->>'WWW-Authenticate' AS www_authenticate, r.body ? 'access_token' AS has_token
  FROM (VALUES
        (1, 'wrong content type',        :'ep_basic', 'application/json', 'grant_type=client_credentials', 'tok_a'),
        (2, 'no content type',           :'ep_basic', NULL, 'grant_type=client_credentials', 'tok_a'),
        (3, 'bad base64 in Basic',       'Basic !!!not-base64!!!', :form, 'grant_type=client_credentials', 'tok_a'),
        (4, 'Basic and form credentials', :'ep_basic', :form, 'grant_type=client_credentials&client_id=' || :'ep_id', 'tok_a'),
        (5, 'form id without secret',    NULL, :form, 'grant_type=client_credentials&client_id=' || :'ep_id', 'tok_a'),
        (6, 'no client authentication',  NULL, :form, 'grant_type=client_credentials', 'tok_a'),
        (7, 'Bearer instead of Basic',   'Bearer abc', :form, 'grant_type=client_credentials', 'tok_a'),
        (8, 'missing grant_type',        :'ep_basic', :form, 'scope=x', 'tok_a'),
        (9, 'empty body',                :'ep_basic', :form, '', 'tok_a'),
        (10, 'unsupported grant type',   :'ep_basic', :form, 'grant_type=password&username=a&password=b', 'tok_a'),
        (11, 'bad percent-encoding',     :'ep_basic', :form, 'grant_type=client%ZZcredentials', 'tok_a'),
        (12, 'duplicate parameter',      :'ep_basic', :form, 'grant_type=client_credentials&grant_type=client_credentials', 'tok_a'),
        (13, '70000-character body',     :'ep_basic', :form, 'grant_type=client_credentials&x=' || repeat('a', 70000), 'tok_a'),
        (14, 'another schema''s URL',    :'ep_basic', :form, 'grant_type=client_credentials', 'tok_b'),
        (15, 'authorization_code client', oauth.basic_authorization(:'code_id', :'code_secret'), :form, 'grant_type=client_credentials', 'tok_a'),
        (16, 'client without secret',    oauth.basic_authorization(:'nosecret_id', 'anything-at-all..'), :form, 'grant_type=client_credentials', 'tok_a')
       ) AS t(n, case_name, authz, ctype, body, alias),
       LATERAL oauth.token_endpoint(t.authz, t.ctype, t.body, t.alias) AS r
 ORDER BY t.n;

-- Wrong secrets (one per client authentication method): 401 invalid_client; the Basic
-- challenge only when the client tried HTTP Basic.
SELECT status, body->>'error' AS error, headers->>'WWW-Authenticate' AS www_authenticate
  FROM oauth.token_endpoint(oauth.basic_authorization(:'ep_id', 'wrong-secret..'), :form, 'grant_type=client_credentials', 'tok_a');
SELECT status, body->>'error' AS error, headers->>'WWW-Authenticate' AS www_authenticate
  FROM oauth.token_endpoint(NULL, :form, 'grant_type=client_credentials&client_id=' || :'ep_id' || '&client_secret=wrong-secret..', 'tok_a');
-- An unknown client_id gets the same answer.
SELECT status, body->>'error' AS error, headers->>'WWW-Authenticate' AS www_authenticate
  FROM oauth.token_endpoint(oauth.basic_authorization(:'unknown_id', 'wrong-secret..'), :form, 'grant_type=client_credentials', 'tok_a');
-- Error answers carry the same no-store headers as successes.
SELECT headers->>'Cache-Control' AS cache_control, headers->>'Pragma' AS pragma, headers->>'Content-Type' AS content_type
  FROM oauth.token_endpoint(NULL, 'application/json', '', 'tok_a');

-- =============================================================================================
-- 13. Read-only transactions (and hot standbys): validation works, issuance does not
-- =============================================================================================
BEGIN READ ONLY;
SELECT outcome, http_status, client_name FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');
SELECT ords.current_client_name() AS current_client_name;
SELECT client_name, roles FROM oauth.validate_token(:'main_token');
SELECT status, body->>'error' AS error
  FROM oauth.token_endpoint(:'ep_basic', :form, 'grant_type=client_credentials', 'tok_a');
SELECT token_type FROM oauth.issue_token(:'main_id', :'main_secret');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;

-- =============================================================================================
-- 14. oauth.purge_expired_tokens: deletes expired tokens, returns how many
-- =============================================================================================
-- Start from no expired tokens (token issuance also purges a few on the way).
SELECT oauth.purge_expired_tokens() >= 0 AS purged_leftovers;
SELECT oauth.purge_expired_tokens() AS nothing_to_purge;
-- Three tokens of one client, expired by a superuser.
SELECT client_id AS pur_id, client_secret AS pur_secret
  FROM oauth.create_client(p_name => 'purge_client', p_grant_type => 'client_credentials') \gset
SELECT expires_in FROM oauth.issue_token(:'pur_id', :'pur_secret');
SELECT expires_in FROM oauth.issue_token(:'pur_id', :'pur_secret');
SELECT expires_in FROM oauth.issue_token(:'pur_id', :'pur_secret');
RESET ROLE;
UPDATE ords_metadata.oauth_sessions s SET expires_on = now() - interval '1 second'
  FROM ords_metadata.oauth_clients c WHERE c.id = s.client_id AND c.name = 'purge_client';
SELECT count(*) AS live_tokens_before FROM ords_metadata.oauth_sessions WHERE expires_on > now() \gset
SET ROLE tok_a;
SELECT oauth.purge_expired_tokens() AS purged;
SELECT oauth.purge_expired_tokens() AS purged_again;
-- Valid tokens are kept.
RESET ROLE;
SELECT count(*) = :live_tokens_before AS live_tokens_kept FROM ords_metadata.oauth_sessions WHERE expires_on > now();
SET ROLE tok_a;
SELECT outcome FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');

-- =============================================================================================
-- Clean up
-- =============================================================================================
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
