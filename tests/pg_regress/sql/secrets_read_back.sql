-- secrets_read_back: a new secret reads back from user_ords_clients (seeds 003 and 004) only in
-- the session that created or rotated it, and only for the role it acted for; everyone else,
-- and every other session, sees '********'. Only the Argon2id hash is stored
-- (docs/secrets.md#read-back).
\set VERBOSITY default
\set SHOW_CONTEXT never
CREATE EXTENSION pg_ords;
SET pg_ords.secret_read_back = on;  -- the default (the test harness turns it off for other suites)
SET pg_ords.generated_secret_argon2_memory_kib = 64;
SET pg_ords.generated_secret_argon2_iterations = 1;
CREATE ROLE rb_owner;
CREATE ROLE rb_other;
SET ROLE rb_owner;
SELECT ords.enable_schema();
SELECT client_secret AS created FROM oauth.create_client('rb_client', 'client_credentials') \gset
-- 1. The seeds' line, in the creating session: the plaintext create_client returned.
SELECT client_secret = :'created' AS reads_back, length(client_secret) AS length
  FROM user_ords_clients WHERE name = 'rb_client';
-- 2. After a rotation: the new secret (the newest one this session made).
SELECT oauth.rotate_client_secret('rb_client') AS rotated \gset
SELECT client_secret = :'rotated' AS reads_back_rotated FROM user_ords_clients WHERE name = 'rb_client';
-- 3. A chosen secret reads back too (its owner typed it).
SELECT oauth.update_client_secret('rb_client', 'a chosen secret of enough length 123');
SELECT client_secret FROM user_ords_clients WHERE name = 'rb_client';
-- 4. Another role in the same session: not its row; an administrator's view shows '********'
--    (the secret was made for rb_owner, not for the reader).
RESET ROLE;
SET ROLE rb_other;
SELECT count(*) AS rows_seen FROM user_ords_clients WHERE name = 'rb_client';
RESET ROLE;
SELECT client_secret FROM dba_ords_clients WHERE name = 'rb_client';
-- 5. A creation rolled back leaves nothing to read (its hash was never stored).
SET ROLE rb_owner;
BEGIN;
SELECT client_secret AS gone FROM oauth.create_client('rb_gone', 'client_credentials') \gset
ROLLBACK;
SELECT count(*) AS rolled_back_rows FROM user_ords_clients WHERE name = 'rb_gone';
-- 6. No table holds the plaintext: only Argon2id hashes.
RESET ROLE;
SELECT count(*) FILTER (WHERE secret_hash LIKE '$argon2id$%') AS hashes,
       count(*) FILTER (WHERE position(:'created' IN secret_hash) > 0 OR position(:'rotated' IN secret_hash) > 0) AS plaintexts
  FROM ords_metadata.oauth_client_secrets;
-- 7. Another session, same role: '********'.
\c
SET pg_ords.secret_read_back = on;
SET ROLE rb_owner;
SELECT client_secret FROM user_ords_clients WHERE name = 'rb_client';
-- 8. Turned off (pooled connections shared by many users of one role): nothing is remembered,
--    not even in the session that made the secret.
RESET ROLE;
SET pg_ords.secret_read_back = off;
SET ROLE rb_owner;
SELECT oauth.rotate_client_secret('rb_client') IS NOT NULL AS rotated;
SELECT client_secret FROM user_ords_clients WHERE name = 'rb_client';
RESET ROLE;
SET pg_ords.secret_read_back = on;
SET ROLE rb_owner;
SELECT client_secret FROM user_ords_clients WHERE name = 'rb_client';
-- 9. Only a superuser changes the setting.
SET pg_ords.secret_read_back = off;
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE rb_other, rb_owner;
