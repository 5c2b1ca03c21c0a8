-- Seed 003: "Client Credentials in Oracle APEX" (Dênio Flávio Garcia da Silva), translated to
-- SQL exactly as a DBA would type it in psql.
--
-- Security chain of the article: OAuth Client > Role > Privilege > Endpoint.
-- No role? No privilege? No mapping? Then the endpoint is public.
--
-- The schema role `page` owns everything (its URL alias is `page`, so the endpoint is
-- /ords/page/customers/validation/{id}); `page_other` is not used for provisioning and only
-- shows that another role sees none of page's objects.
-- Secrets, client_ids, tokens and ids are random: they are captured with \gset and only their
-- shape (length, suffix, equality) is printed.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
SET pg_ords.secret_read_back = on;  -- the default: the seed reads the new secret back (the harness turns it off)
DROP ROLE IF EXISTS page;
DROP ROLE IF EXISTS page_other;
CREATE ROLE page;
CREATE ROLE page_other;

-- ---------------------------------------------------------------------------------------------
-- 1. The REST-enabled schema and the existing (public) endpoint
-- ---------------------------------------------------------------------------------------------

-- Provisioning is done by the schema role itself, not by a superuser.
SET ROLE page;

-- Before ords.enable_schema, provisioning fails with a message naming ords.enable_schema.
SELECT ords.create_role('license_role');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- REST-enable the schema with the alias used in the article's URLs: /ords/page/...
SELECT ords.enable_schema(p_url_mapping_pattern => 'page');
SELECT parsing_schema, type, pattern, status, auto_rest_auth FROM user_ords_schemas;

-- The article's endpoint GET /ords/page/customers/validation/{id}, created here with the ORDS
-- package instead of the APEX RESTful Services pages: module `customers`, template
-- `validation/:id`, a GET handler returning one row.
SELECT ords.define_module(p_module_name => 'customers', p_base_path => 'customers/');
SELECT ords.define_template(p_module_name => 'customers', p_pattern => 'validation/:id');
SELECT ords.define_handler(p_module_name => 'customers', p_pattern => 'validation/:id', p_method => 'GET',
                           p_source_type => ords.source_type_query_one_row(),
                           p_source => 'SELECT id, license_expires_on, license_expires_on >= current_date AS valid FROM customers WHERE id = :id');

-- "By default, ORDS exposes your endpoints publicly": nothing protects it yet.
SELECT outcome, http_status, client_name, privilege_name, www_authenticate
  FROM ords.authorize(NULL, 'GET', '/customers/validation/1', 'page');

-- ---------------------------------------------------------------------------------------------
-- 2. Role and privilege (the article's APEX "Roles" and "Privileges" pages)
-- ---------------------------------------------------------------------------------------------

-- Role license_role.
SELECT ords.create_role('license_role');

-- Privilege license_priv, associated role license_role, protected module customers.
SELECT ords.create_privilege(p_name => 'license_priv', p_role_name => 'license_role');
SELECT ords.set_module_privilege(p_module_name => 'customers', p_privilege_name => 'license_priv');

-- "At this point, the endpoint is protected": without a token the answer is 401 with the
-- bare Bearer challenge (no error attribute, as no token was sent).
SELECT outcome, http_status, client_id IS NULL AS no_client, privilege_name, www_authenticate
  FROM ords.authorize(NULL, 'GET', '/customers/validation/1', 'page');

-- The module protects every path under its base path, with any method...
SELECT outcome, http_status, privilege_name, www_authenticate
  FROM ords.authorize(NULL, 'POST', '/customers/validation/1', 'page');
SELECT outcome, http_status, privilege_name FROM ords.authorize(NULL, 'GET', '/customers/', 'page');
-- ...and nothing outside it: a path outside the module stays public.
SELECT outcome, http_status, privilege_name, www_authenticate
  FROM ords.authorize(NULL, 'GET', '/products/1', 'page');
SELECT outcome, http_status FROM ords.authorize(NULL, 'GET', '/customersX/1', 'page');

-- ---------------------------------------------------------------------------------------------
-- 3. The OAuth client (the article's only SQL step), as typed in SQL Workshop
-- ---------------------------------------------------------------------------------------------

-- oauth.create_client returns the generated client_id and secret: the only time the secret
-- is ever shown. Keep them in psql variables.
SELECT id AS client_pk, client_id, client_secret FROM oauth.create_client(
    p_name            => 'license_backend_client',
    p_grant_type      => 'client_credentials',
    p_owner           => 'My Company',
    p_description     => 'Backend service for license validation',
    p_support_email   => 'support@mycompany.com',
    p_privilege_names => 'license_priv'
) \gset
SELECT oauth.grant_client_role(
    p_client_name => 'license_backend_client',
    p_role_name   => 'license_role'
);

-- Shape of the generated credentials: both end in '..' like ORDS's.
SELECT length(:'client_id') > 0 AS has_client_id, :'client_id' LIKE '%..' AS client_id_ends_in_dots,
       length(:'client_secret') > 0 AS has_secret, :'client_secret' LIKE '%..' AS secret_ends_in_dots,
       :'client_id' <> :'client_secret' AS id_differs_from_secret;

-- "Retrieving Client Credentials": the article's query. The client_id is the one
-- create_client returned; the secret is not stored, so the view shows '********' (ORDS 24.3+).
select client_id = :'client_id' AS client_id_matches, client_secret = :'client_secret' AS client_secret_reads_back
from user_ords_clients
where name = 'license_backend_client';

-- The seed-004 style listing of clients (id and client_id shown as booleans).
SELECT id = :client_pk AS id_matches, name, auth_flow, response_type, client_id = :'client_id' AS client_id_matches,
       client_secret = :'client_secret' AS client_secret_reads_back
  FROM user_ords_clients;
SELECT name, description, grant_type, owner, support_email, token_duration,
       client_secret_issued_on IS NOT NULL AS secret_issued, client_secret_2_issued_on IS NULL AS no_second_secret
  FROM user_ords_clients;

-- ---------------------------------------------------------------------------------------------
-- 4. What the DBA can see: the user_ords_* views
-- ---------------------------------------------------------------------------------------------
SELECT name FROM user_ords_roles ORDER BY name;
SELECT name, label, description FROM user_ords_privileges ORDER BY name;
SELECT privilege_name, role_name FROM user_ords_privilege_roles ORDER BY 1, 2;
SELECT privilege_name, module_name FROM user_ords_privilege_modules ORDER BY 1, 2;
SELECT name, pattern FROM user_ords_privilege_mappings ORDER BY 1, 2;
SELECT client_name, role_name FROM user_ords_client_roles ORDER BY 1, 2;
SELECT client_name, name FROM user_ords_client_privileges ORDER BY 1, 2;
SELECT name, uri_prefix, items_per_page, status FROM user_ords_modules ORDER BY name;
SELECT uri_template, priority, etag_type FROM user_ords_templates ORDER BY uri_template;
SELECT method, source_type, source FROM user_ords_handlers ORDER BY method;

-- Another role sees none of it, and cannot read the catalog tables directly.
RESET ROLE;
SET ROLE page_other;
SELECT count(*) AS clients_seen_by_page_other FROM user_ords_clients;
SELECT count(*) AS roles_seen_by_page_other FROM user_ords_roles;
SELECT count(*) FROM ords_metadata.oauth_clients;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SET ROLE page;

-- ---------------------------------------------------------------------------------------------
-- 5. Step 1 of the article: request an access token (what Postman does)
-- ---------------------------------------------------------------------------------------------

-- POST /ords/page/oauth/token with HTTP Basic client authentication (curl --user id:secret)
-- and the form body grant_type=client_credentials. oauth.token_endpoint answers like ORDS.
SELECT status, headers, body ? 'access_token' AS has_access_token, body->>'token_type' AS token_type,
       body->'expires_in' AS expires_in, length(body->>'access_token') >= 22 AS token_long_enough
  FROM oauth.token_endpoint(oauth.basic_authorization(:'client_id', :'client_secret'),
                            'application/x-www-form-urlencoded', 'grant_type=client_credentials', 'page');

-- Keep a token for the next steps (the same request, token only).
SELECT body->>'access_token' AS token
  FROM oauth.token_endpoint(oauth.basic_authorization(:'client_id', :'client_secret'),
                            'application/x-www-form-urlencoded', 'grant_type=client_credentials', 'page') \gset
SELECT length(:'token') >= 22 AS token_captured, :'token' ~ '^[A-Za-z0-9_-]+$' AS token_is_url_safe;

-- The token is opaque and validates to the client that requested it.
SELECT client_id = :'client_id' AS client_id_matches, client_name, schema, schema_alias, roles,
       expires_at > now() AS not_expired
  FROM oauth.validate_token(:'token');

-- ---------------------------------------------------------------------------------------------
-- 6. Step 2 of the article: call the protected endpoint with Authorization: Bearer <token>
-- ---------------------------------------------------------------------------------------------

-- Without the header: 401.
SELECT outcome, http_status, www_authenticate
  FROM ords.authorize(NULL, 'GET', '/customers/validation/1', 'page');

-- With the token (a raw token, or the whole header value as Postman sends it): allowed.
SELECT outcome, http_status, client_id = :'client_id' AS client_id_matches, client_name, privilege_name, www_authenticate
  FROM ords.authorize(:'token', 'GET', '/customers/validation/1', 'page');
SELECT outcome, http_status, client_name
  FROM ords.authorize('Bearer ' || :'token', 'GET', '/customers/validation/1', 'page');

-- A wrong token: 401 with error="invalid_token".
SELECT outcome, http_status, client_name, www_authenticate
  FROM ords.authorize('Bearer not-a-real-token', 'GET', '/customers/validation/1', 'page');

-- The handler can tell which client called, for the rest of the transaction
-- (ords.current_client_name() / current_client_id(), e.g. in row-level security policies).
BEGIN;
SELECT ords.current_client_name() IS NULL AS no_client_yet;
SELECT outcome FROM ords.authorize(:'token', 'GET', '/customers/validation/1', 'page');
SELECT ords.current_client_name() AS current_client_name, ords.current_client_id() = :'client_id' AS current_client_id_matches;
COMMIT;
-- ...and not after it.
SELECT ords.current_client_name() IS NULL AS cleared_after_commit;

-- ---------------------------------------------------------------------------------------------
-- 7. A second client that lacks the role: valid token, but 403 insufficient_scope
-- ---------------------------------------------------------------------------------------------
SELECT client_id AS other_id, client_secret AS other_secret FROM oauth.create_client(
    p_name            => 'reporting_client',
    p_grant_type      => 'client_credentials',
    p_description     => 'Reporting service without the license role',
    p_privilege_names => 'license_priv'
) \gset
SELECT access_token AS other_token, token_type, expires_in
  FROM oauth.issue_token(:'other_id', :'other_secret', p_schema_alias => 'page') \gset
SELECT :'token_type' AS token_type, :'expires_in' AS expires_in;

SELECT outcome, http_status, client_name, privilege_name, www_authenticate
  FROM ords.authorize(:'other_token', 'GET', '/customers/validation/1', 'page');
-- A forbidden decision does not set the current client.
BEGIN;
SELECT outcome FROM ords.authorize(:'other_token', 'GET', '/customers/validation/1', 'page');
SELECT ords.current_client_name() IS NULL AS no_current_client;
COMMIT;
-- Paths outside the module stay public, whatever the token.
SELECT outcome, http_status, client_name FROM ords.authorize(:'other_token', 'GET', '/products/1', 'page');

-- Granting the role makes the same token work on the next call (roles are resolved at
-- validation time, not frozen in the token).
SELECT oauth.grant_client_role(p_client_name => 'reporting_client', p_role_name => 'license_role');
SELECT outcome, http_status, client_name FROM ords.authorize(:'other_token', 'GET', '/customers/validation/1', 'page');

-- ---------------------------------------------------------------------------------------------
-- Clean up
-- ---------------------------------------------------------------------------------------------
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE page;
DROP ROLE page_other;
