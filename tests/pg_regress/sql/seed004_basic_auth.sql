-- Seed 004, "Basic Authentication" and "OAuth2 Authentication" side by side: a database user
-- whose Postgres role has exactly the ORDS role's name passes every privilege that requires the
-- role; an OAuth client holding the ORDS role passes too. Each refusal shows its status.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
DROP ROLE IF EXISTS api_user, other_api_user, nologin_user, expired_user, su_user, customer_api_role, hr_basic;
SET password_encryption = 'scram-sha-256';
-- HTTP Basic with database users is off by default (as ORDS ships jdbc.auth.enabled=false);
-- the seed turns it on (a superuser-only setting: SET here as the superuser running the suite,
-- ALTER SYSTEM or postgresql.conf in a deployment).
SHOW pg_ords.basic_auth;
SET pg_ords.basic_auth = on;

-- The seed's database user and role (Oracle: CREATE USER ... IDENTIFIED BY ...).
CREATE USER api_user PASSWORD 'api_user_pass';
CREATE ROLE customer_api_role;
GRANT customer_api_role TO api_user;
-- Users that must not pass.
CREATE USER other_api_user PASSWORD 'other_pass';
CREATE ROLE nologin_user NOLOGIN PASSWORD 'nologin_pass';
GRANT customer_api_role TO nologin_user;
CREATE USER expired_user PASSWORD 'expired_pass' VALID UNTIL '2000-01-01';
GRANT customer_api_role TO expired_user;
CREATE USER su_user SUPERUSER PASSWORD 'su_pass';

-- The REST-enabled schema and the seed's ORDS role, privilege and mapping.
CREATE ROLE hr_basic;
SET ROLE hr_basic;
SELECT ords.enable_schema(p_url_mapping_pattern => 'hr');
SELECT ords.create_role(p_role_name => 'customer_api_role');
SELECT ords.create_privilege(p_name => 'customer_api_priv', p_role_name => 'customer_api_role',
                             p_label => 'Test Privilege', p_description => 'A test privilege created using PL/SQL.');
SELECT ords.create_privilege_mapping(p_privilege_name => 'customer_api_priv', p_pattern => '/customer/*');

-- Method 1: Basic authentication (curl --user api_user:api_user_pass).
SELECT outcome, http_status, client_id, client_name, privilege_name, www_authenticate
  FROM ords.authorize(oauth.basic_authorization('api_user', 'api_user_pass'), 'GET', '/customer/1', 'hr');
-- The user is the current client for the rest of the transaction (client_id stays NULL).
BEGIN;
SELECT outcome FROM ords.authorize(oauth.basic_authorization('api_user', 'api_user_pass'), 'GET', '/customer/1', 'hr');
SELECT ords.current_client_name(), ords.current_client_id();
COMMIT;
-- Membership through another role counts too.
RESET ROLE;
CREATE ROLE customer_api_group;
GRANT customer_api_role TO customer_api_group;
CREATE USER indirect_user PASSWORD 'indirect_pass' IN ROLE customer_api_group;
SET ROLE hr_basic;
SELECT outcome, http_status FROM ords.authorize(oauth.basic_authorization('indirect_user', 'indirect_pass'), 'GET', '/customer/1', 'hr');

-- Refusals: wrong password, unknown user, user without the role, NOLOGIN, expired, superuser.
SELECT u AS "user", a.outcome, a.http_status, a.client_name, a.www_authenticate
  FROM (VALUES ('api_user', 'wrong'), ('no_such_user', 'x'), ('other_api_user', 'other_pass'),
               ('nologin_user', 'nologin_pass'), ('expired_user', 'expired_pass'), ('su_user', 'su_pass')) v(u, p),
       LATERAL ords.authorize(oauth.basic_authorization(u, p), 'GET', '/customer/1', 'hr') a
 ORDER BY 1;
-- Public paths need nothing; no credentials offer both schemes.
SELECT outcome, http_status FROM ords.authorize(oauth.basic_authorization('api_user', 'wrong'), 'GET', '/public', 'hr');
SELECT outcome, http_status, www_authenticate FROM ords.authorize(NULL, 'GET', '/customer/1', 'hr');
-- Revoking the Postgres role takes effect at once.
RESET ROLE;
REVOKE customer_api_role FROM api_user;
SET ROLE hr_basic;
SELECT outcome, http_status FROM ords.authorize(oauth.basic_authorization('api_user', 'api_user_pass'), 'GET', '/customer/1', 'hr');
RESET ROLE;
GRANT customer_api_role TO api_user;

-- Method 2: OAuth2 client credentials, as in the seed.
SET ROLE hr_basic;
SELECT client_id AS cid, client_secret AS secret FROM oauth.create_client(
    p_name => 'big_partner_company', p_grant_type => 'client_credentials', p_owner => 'My company name',
    p_description => 'A client for API integrations by the Big Partner Company',
    p_support_email => 'myemail@mydomain.com', p_privilege_names => 'customer_api_priv') \gset
SELECT oauth.grant_client_role(p_client_name => 'big_partner_company', p_role_name => 'customer_api_role');
SELECT body->>'access_token' AS token FROM oauth.token_endpoint(oauth.basic_authorization(:'cid', :'secret'),
       'application/x-www-form-urlencoded', 'grant_type=client_credentials', 'hr') \gset
SELECT outcome, http_status, client_name FROM ords.authorize('Bearer ' || :'token', 'GET', '/customer/1', 'hr');

-- With pg_ords.basic_auth off, Basic credentials are not accepted and only Bearer is offered.
RESET ROLE;
SET pg_ords.basic_auth = off;
SELECT outcome, http_status, www_authenticate FROM ords.authorize(oauth.basic_authorization('api_user', 'api_user_pass'), 'GET', '/customer/1', 'hr');
SET pg_ords.basic_auth = on;
-- A schema role cannot switch it (superuser-only setting).
SET ROLE hr_basic;
SET pg_ords.basic_auth = off;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE api_user, other_api_user, nologin_user, expired_user, su_user, indirect_user, customer_api_group, customer_api_role, hr_basic;
