-- tokens_issue_errors_and_endpoint: oauth.issue_token's errors, each with its own SQLSTATE (wrong secret and unknown client_id
-- alike), and oauth.token_endpoint's RFC 6749 answers (status, error, WWW-Authenticate).
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
-- tok_b's schema is REST-enabled too (alias tok_b): the right credentials at another schema's URL.
RESET ROLE;
SET ROLE tok_b;
SELECT ords.enable_schema(p_url_mapping_pattern => 'tok_b');
RESET ROLE;
SET ROLE tok_a;

-- =============================================================================================
-- oauth.issue_token errors, each with its own SQLSTATE
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
-- oauth.token_endpoint: the RFC 6749 answers (status, error, WWW-Authenticate)
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
-- Clean up
-- =============================================================================================
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
