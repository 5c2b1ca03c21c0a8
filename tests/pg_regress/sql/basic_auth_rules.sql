-- HTTP Basic in ords.authorize follows ORDS's default and Postgres's login rules
-- (docs/authentication.md): off by default; when on, CONNECT on the database is required, the
-- credentials are decoded per RFC 7617 (UTF-8, '+' and '%' literal, no control characters),
-- a user name over 63 bytes is refused rather than truncated onto another role, failures are
-- throttled per user name and logged in the server log only. Also: a client without a secret
-- (55000) is throttled like any failure.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
DROP ROLE IF EXISTS rules_schema, rules_role, plus_user, "jürgen", no_connect_user, long_user_63,
    thr_user, conn_user;
SET password_encryption = 'scram-sha-256';
CREATE ROLE rules_role;
CREATE USER plus_user PASSWORD 'a+b%20c' IN ROLE rules_role;
CREATE USER "jürgen" PASSWORD 'pässwörd' IN ROLE rules_role;
CREATE USER no_connect_user PASSWORD 'nc_pass' IN ROLE rules_role;
CREATE USER conn_user PASSWORD 'conn_pass' IN ROLE rules_role;
CREATE USER thr_user PASSWORD 'thr_pass' IN ROLE rules_role;
-- A role whose name is exactly 63 bytes (Postgres's limit).
CREATE USER long_user_63_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa PASSWORD 'long_pass' IN ROLE rules_role;
SELECT length(rolname) FROM pg_roles WHERE rolname LIKE 'long_user_63%';

CREATE ROLE rules_schema;
SET ROLE rules_schema;
SELECT ords.enable_schema(p_url_mapping_pattern => 'rules');
SELECT ords.create_role('rules_role');
SELECT ords.create_privilege('rules_priv', 'rules_role');
SELECT ords.create_privilege_mapping('rules_priv', '/p/*');
RESET ROLE;

-- The header exactly as curl --user sends it: base64 of the UTF-8 bytes of user:password.
CREATE FUNCTION pg_temp.basic(u text, p text) RETURNS text LANGUAGE sql
    AS $$ SELECT 'Basic ' || translate(encode(convert_to(u || ':' || p, 'UTF8'), 'base64'), E'\n', '') $$;
CREATE FUNCTION pg_temp.try(u text, p text) RETURNS text LANGUAGE sql
    AS $$ SELECT outcome FROM ords.authorize(pg_temp.basic(u, p), 'GET', '/p/1', 'rules') $$;

-- 1. Off by default: right credentials are not accepted, and only Bearer is offered.
SHOW pg_ords.basic_auth;
SELECT outcome, http_status, www_authenticate
  FROM ords.authorize(pg_temp.basic('plus_user', 'a+b%20c'), 'GET', '/p/1', 'rules');
SET pg_ords.basic_auth = on;
SELECT outcome, http_status, www_authenticate
  FROM ords.authorize(pg_temp.basic('plus_user', 'a+b%20c'), 'GET', '/p/1', 'rules');

-- 2. RFC 7617: '+' and '%' are characters of the password, not form encoding.
SELECT pg_temp.try('plus_user', 'a+b%20c') AS literal, pg_temp.try('plus_user', 'a b c') AS form_decoded,
       pg_temp.try('plus_user', 'a+b c') AS half_decoded;
-- UTF-8 user name and password.
SELECT pg_temp.try('jürgen', 'pässwörd') AS utf8;
-- Latin-1 bytes are not UTF-8; control characters are refused (RFC 7617 section 2).
SELECT outcome FROM ords.authorize('Basic ' || encode(convert_to('jürgen:pässwörd', 'LATIN1'), 'base64'), 'GET', '/p/1', 'rules');
SELECT pg_temp.try('plus_user', E'a+b%20c\n') AS newline, pg_temp.try(E'plus_user\t', 'a+b%20c') AS tab;

-- 3. A user name longer than 63 bytes is refused, not truncated onto the 63-byte role.
SELECT pg_temp.try('long_user_63_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'long_pass') AS exactly_63,
       pg_temp.try('long_user_63_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaX', 'long_pass') AS bytes_64;
-- (In bytes: 'ü' is two, so 62 characters can be 64 bytes.)
SELECT pg_temp.try('long_user_63_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaü', 'long_pass') AS multibyte_64;

-- 4. CONNECT on the current database is required, as for a real login.
DO $$ BEGIN
  EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO conn_user, thr_user, plus_user, "jürgen"', current_database());
END $$;
SELECT pg_temp.try('no_connect_user', 'nc_pass') AS no_connect, pg_temp.try('conn_user', 'conn_pass') AS granted;
-- Through a role the user is a member of counts too.
DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO rules_role', current_database()); END $$;
SELECT pg_temp.try('no_connect_user', 'nc_pass') AS via_role;
DO $$ BEGIN
  EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM rules_role, conn_user, thr_user, plus_user, "jürgen"', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO PUBLIC', current_database());
END $$;

-- 5. Failures go to the server log only: nothing reaches the client, even at
--    client_min_messages = log (LOG_SERVER_ONLY).
SET client_min_messages = log;
SELECT pg_temp.try('plus_user', 'wrong') AS wrong, pg_temp.try('no_such_user', 'x') AS unknown;
SET client_min_messages = warning;

-- 6. Throttled per user name: with one free attempt, a second failure after the first lock
--    locks for 2 s, and the right password is refused during the lock.
SET pg_ords.failed_attempts_allowed = 1;
SELECT pg_temp.try('thr_user', 'wrong-1') AS first;
SELECT pg_sleep(1.05);
SELECT pg_temp.try('thr_user', 'wrong-2') AS second, pg_temp.try('thr_user', 'thr_pass') AS right_but_locked,
       pg_temp.try('conn_user', 'conn_pass') AS other_user;

-- 7. oauth.issue_token for a client without a secret (55000) counts as a failure.
SET ROLE rules_schema;
SELECT client_id AS nosecret_id
  FROM ords_security.register_client(p_name => 'no_secret_client', p_grant_type => 'client_credentials') \gset
RESET ROLE;
-- (Cheap dummy hashing, so that each try takes far less than the 2 s lock in a debug build.)
SET pg_ords.generated_secret_argon2_memory_kib = 8;
SET pg_ords.generated_secret_argon2_iterations = 1;
CREATE FUNCTION pg_temp.try_issue(p_id text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM oauth.issue_token(p_id, 'anything'); RETURN 'token';
EXCEPTION WHEN OTHERS THEN RETURN SQLSTATE; END $$;
SELECT pg_temp.try_issue(:'nosecret_id') AS first;
SELECT pg_sleep(1.05);
SELECT pg_temp.try_issue(:'nosecret_id') AS second, pg_temp.try_issue(:'nosecret_id') AS third_locked;
RESET pg_ords.generated_secret_argon2_memory_kib;
RESET pg_ords.generated_secret_argon2_iterations;
RESET pg_ords.failed_attempts_allowed;

RESET pg_ords.basic_auth;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE rules_schema, plus_user, "jürgen", no_connect_user, conn_user, thr_user,
    long_user_63_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, rules_role;
