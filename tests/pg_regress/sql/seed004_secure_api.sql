-- Seed 004: "ORDS, APEX and secure REST APIs (Part 1 - secure the API)", OAuth2 part,
-- translated to SQL exactly as a DBA would type it in psql.
--
-- Building blocks of the article: Module (API) -> Role -> Privilege -> Client -> Token.
-- Here the privilege protects the URI pattern /customer/* (ords.create_privilege_mapping)
-- instead of a module. The schema role `hr004` owns everything; its URL alias is `hr`.
-- (The article's Basic authentication with database users is a later issue and not shown.)
-- Secrets, client_ids, tokens and ids are random: they are captured with \gset and only their
-- shape is printed.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
SET pg_ords.secret_read_back = on;  -- the default: the seed reads the new secret back (the harness turns it off)
DROP ROLE IF EXISTS hr004;
CREATE ROLE hr004;

-- Provisioning is done by the schema role itself.
SET ROLE hr004;
SELECT ords.enable_schema(p_url_mapping_pattern => 'hr');

-- ---------------------------------------------------------------------------------------------
-- 1. Role and privilege with the ORDS package
-- ---------------------------------------------------------------------------------------------

-- "The same could be done using the ORDS package": the role...
SELECT ords.create_role(p_role_name => 'customer_api_role');

-- ...the privilege...
SELECT ords.create_privilege(
    p_name          => 'customer_api_priv',
    p_role_name     => 'customer_api_role',
    p_label         => 'Test Privilege',
    p_description   => 'A test privilege created using PL/SQL.');

-- ...and the mapping of the privilege to a URI pattern.
SELECT ords.create_privilege_mapping(
    p_privilege_name => 'customer_api_priv',
    p_pattern        => '/customer/*');

SELECT name FROM user_ords_roles;
SELECT name, label, description FROM user_ords_privileges;
SELECT privilege_name, role_name FROM user_ords_privilege_roles;
SELECT name, pattern FROM user_ords_privilege_mappings;

-- Creating the same role again is a duplicate (SQLSTATE shows which kind of error).
SELECT ords.create_role(p_role_name => 'customer_api_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- A pattern must start with '/' (ORDS patterns are relative to the schema alias).
SELECT ords.create_privilege_mapping(p_privilege_name => 'customer_api_priv', p_pattern => 'customer/*');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- ---------------------------------------------------------------------------------------------
-- 2. The OAuth client ("a simple call to the OAUTH package")
-- ---------------------------------------------------------------------------------------------
SELECT id AS client_pk, client_id, client_secret FROM oauth.create_client(
    p_name            => 'big_partner_company',
    p_grant_type      => 'client_credentials',
    p_owner           => 'My company name',
    p_description     => 'A client for API integrations by the Big Partner Company',
    p_support_email   => 'myemail@mydomain.com',
    p_privilege_names => 'customer_api_priv'
) \gset

-- "That step includes also a mapping of our newly created Client credentials to the ORDS Role".
SELECT oauth.grant_client_role(
    p_client_name     => 'big_partner_company',
    p_role_name       => 'customer_api_role'
);

-- "To see them, use the following query" (id and client_id as booleans: they are random).
SELECT id = :client_pk AS id_matches, name, auth_flow, response_type,
       client_id = :'client_id' AS client_id_matches, client_secret = :'client_secret' AS client_secret_reads_back
  FROM user_ords_clients;
-- The secret itself was shown once, by create_client; the view only says one exists.
SELECT length(:'client_secret') > 0 AS secret_returned_once, :'client_secret' LIKE '%..' AS secret_ends_in_dots,
       :'client_id' LIKE '%..' AS client_id_ends_in_dots;
SELECT client_name, role_name FROM user_ords_client_roles;
SELECT client_name, name FROM user_ords_client_privileges;

-- ---------------------------------------------------------------------------------------------
-- 3. The token URL: /ords/hr/oauth/token ("It always follows this pattern")
-- ---------------------------------------------------------------------------------------------

-- The HTTP request, as curl --user client_id:client_secret --data grant_type=client_credentials sends it.
SELECT status, body->>'token_type' AS token_type, body->'expires_in' AS expires_in,
       length(body->>'access_token') >= 22 AS has_token
  FROM oauth.token_endpoint(oauth.basic_authorization(:'client_id', :'client_secret'),
                            'application/x-www-form-urlencoded', 'grant_type=client_credentials', 'hr');

-- The same exchange as a SQL function call.
SELECT access_token AS token, token_type, expires_in
  FROM oauth.issue_token(p_client_id => :'client_id', p_client_secret => :'client_secret', p_schema_alias => 'hr') \gset
SELECT :'token_type' AS token_type, :'expires_in' AS expires_in, length(:'token') >= 22 AS has_token;

-- ---------------------------------------------------------------------------------------------
-- 4. Calling the secured API
-- ---------------------------------------------------------------------------------------------

-- /customer/42 matches /customer/*: no token 401, with the token 200.
SELECT outcome, http_status, privilege_name, www_authenticate
  FROM ords.authorize(NULL, 'GET', '/customer/42', 'hr');
SELECT outcome, http_status, client_id = :'client_id' AS client_id_matches, client_name, privilege_name, www_authenticate
  FROM ords.authorize('Bearer ' || :'token', 'GET', '/customer/42', 'hr');
-- Any method: the mapping protects the path, not a handler.
SELECT outcome, http_status, client_name FROM ords.authorize(:'token', 'DELETE', '/customer/42', 'hr');
-- '*' matches any run of characters, '/' included.
SELECT outcome, http_status FROM ords.authorize(NULL, 'GET', '/customer/42/orders/7', 'hr');
SELECT outcome, http_status FROM ords.authorize(NULL, 'GET', '/customer/', 'hr');
-- The query string is not part of the path.
SELECT outcome, http_status FROM ords.authorize(NULL, 'GET', '/customer/42?expand=orders', 'hr');

-- /customer itself does not match /customer/* (no trailing slash): it is public.
SELECT outcome, http_status, privilege_name, www_authenticate
  FROM ords.authorize(NULL, 'GET', '/customer', 'hr');
-- Paths are compared case-sensitively: /Customer/42 is not /customer/42, so it is public too.
-- (Protect both spellings with a second mapping if the API answers both.)
SELECT outcome, http_status, privilege_name
  FROM ords.authorize(NULL, 'GET', '/Customer/42', 'hr');
-- Other paths of the schema are public.
SELECT outcome, http_status FROM ords.authorize(NULL, 'GET', '/customers/42', 'hr');

-- ---------------------------------------------------------------------------------------------
-- 5. The pitfall: p_privilege_names is not enough, the client needs the ROLE
-- ---------------------------------------------------------------------------------------------

-- A second client created with p_privilege_names but never given oauth.grant_client_role.
SELECT client_id AS lazy_id, client_secret AS lazy_secret FROM oauth.create_client(
    p_name            => 'small_partner_company',
    p_grant_type      => 'client_credentials',
    p_owner           => 'My company name',
    p_description     => 'Created with p_privilege_names only',
    p_support_email   => 'myemail@mydomain.com',
    p_privilege_names => 'customer_api_priv'
) \gset
SELECT client_name, name FROM user_ords_client_privileges ORDER BY 1, 2;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;

-- It still gets a token (authentication works)...
SELECT access_token AS lazy_token FROM oauth.issue_token(:'lazy_id', :'lazy_secret', p_schema_alias => 'hr') \gset
-- ...but access is decided by roles: 403 insufficient_scope.
SELECT outcome, http_status, client_name, privilege_name, www_authenticate
  FROM ords.authorize(:'lazy_token', 'GET', '/customer/42', 'hr');

-- The fix: grant the role. The same token now works.
SELECT oauth.grant_client_role(p_client_name => 'small_partner_company', p_role_name => 'customer_api_role');
SELECT outcome, http_status, client_name FROM ords.authorize(:'lazy_token', 'GET', '/customer/42', 'hr');

-- ---------------------------------------------------------------------------------------------
-- Clean up
-- ---------------------------------------------------------------------------------------------
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE hr004;
