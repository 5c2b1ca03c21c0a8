-- secrets_stored: ORDS's opt-in stored (retrievable) client secrets (docs/secrets.md#stored).
-- Off by default; when on, an AES-256-GCM copy sealed to (client, slot) under a key of the key
-- file $PGDATA/pg_ords_secrets.key, which is not in the database: only the client's owner reads
-- it back, in any session; everything else, and anything that cannot be decrypted, shows
-- '********' (with a WARNING that holds neither secret nor ciphertext).
\set VERBOSITY default
\set SHOW_CONTEXT never
CREATE EXTENSION pg_ords;
SET pg_ords.generated_secret_argon2_memory_kib = 64;
SET pg_ords.generated_secret_argon2_iterations = 1;
CREATE ROLE st_owner;
CREATE ROLE st_other;
CREATE ROLE st_admin IN ROLE ords_administrator_role;
SET ROLE st_owner;
SELECT ords.enable_schema();
SELECT client_secret AS created FROM oauth.create_client('st_client', 'client_credentials') \gset
SELECT client_secret AS created2 FROM oauth.create_client('st_client2', 'client_credentials') \gset
RESET ROLE;
SELECT id AS cid FROM ords_metadata.oauth_clients WHERE name = 'st_client' \gset
SELECT id AS cid2 FROM ords_metadata.oauth_clients WHERE name = 'st_client2' \gset

-- 1. Off by default: storing is refused (55000, naming the setting), nothing is stored.
SHOW pg_ords.stored_secrets;
SHOW pg_ords.legacy_stored_secrets;
SELECT ords_metadata.client_store_secret(:cid, :'created');
SELECT count(stored_secret) AS stored FROM ords_metadata.oauth_client_secrets;
-- Only a superuser turns it on.
SET ROLE st_owner;
SET pg_ords.stored_secrets = on;
SET pg_ords.legacy_stored_secrets = on;
RESET ROLE;

-- 2. On: the secret must match one of the client's hashes (22023; no secret in the message).
SET pg_ords.stored_secrets = on;
SELECT ords_metadata.client_store_secret(:cid, 'not the secret of this client, long enough');
SELECT ords_metadata.client_store_secret(:cid, :'created2');
SELECT ords_metadata.client_store_secret(-1, :'created');
SELECT ords_metadata.client_store_secret(:cid, NULL);
SELECT count(stored_secret) AS stored FROM ords_metadata.oauth_client_secrets;
-- Schema roles cannot call it (nor open a stored value) themselves.
SET ROLE st_owner;
SELECT ords_metadata.client_store_secret(:cid, 'a guess of the secret, long enough');
SELECT ords_metadata.stored_open(:cid, 1::smallint, '\x00'::bytea);
RESET ROLE;

-- 3. The right secret is stored: ciphertext only (version 1, no plaintext inside), and the key
--    file is made, mode 0600.
SELECT ords_metadata.client_store_secret(:cid, :'created');
SELECT ords_metadata.client_store_secret(:cid2, :'created2');
SELECT c.name, s.slot, get_byte(s.stored_secret, 0) AS version,
       octet_length(s.stored_secret) - octet_length(convert_to(:'created', 'UTF8')) AS overhead,
       position(convert_to(:'created', 'UTF8') IN s.stored_secret) AS plaintext_at,
       position(convert_to(:'created2', 'UTF8') IN s.stored_secret) AS plaintext2_at
  FROM ords_metadata.oauth_client_secrets s JOIN ords_metadata.oauth_clients c ON c.id = s.client_id
 ORDER BY c.name;
CREATE TEMP TABLE file_mode (mode text);
COPY file_mode FROM PROGRAM 'stat -c %a pg_ords_secrets.key';
SELECT mode FROM file_mode;
-- Stored values never appear in a table as text: no column of the catalog holds the secret.
SELECT count(*) AS tables_with_plaintext
  FROM (SELECT to_jsonb(t)::text AS r FROM ords_metadata.oauth_client_secrets t
        UNION ALL SELECT to_jsonb(t)::text FROM ords_metadata.oauth_clients t) x
 WHERE position(:'created' IN r) > 0 OR position(:'created2' IN r) > 0;

-- 4. A new session (no read-back from memory): the owner reads the stored secret; another role
--    does not see the row; administrators see '********' in dba_ords_clients.
\c
SET ROLE st_owner;
SELECT name, client_secret = CASE name WHEN 'st_client' THEN :'created' ELSE :'created2' END AS reads_stored
  FROM user_ords_clients ORDER BY name;
RESET ROLE;
SET ROLE st_other;
SELECT count(*) AS rows_seen FROM user_ords_clients;
RESET ROLE;
SET ROLE st_admin;
SELECT name, client_secret FROM dba_ords_clients ORDER BY name;
RESET ROLE;
SELECT name, client_secret FROM dba_ords_clients ORDER BY name;

-- 5. Key rotation: a new key, every stored secret sealed again with it, still readable; the old
--    key is retired once nothing here uses it. Administrators only.
SET ROLE st_owner;
SELECT ords_admin.rotate_stored_secret_key();
SELECT ords_admin.retire_stored_secret_keys();
SELECT ords_admin.reseal_stored_secrets();
RESET ROLE;
SELECT stored_secret AS before_rotation FROM ords_metadata.oauth_client_secrets WHERE client_id = :cid \gset
SELECT ords_admin.retire_stored_secret_keys() AS retired_while_in_use;
SET ROLE st_admin;
SELECT ords_admin.rotate_stored_secret_key() AS resealed;
RESET ROLE;
SELECT ords_metadata.stored_key_id(stored_secret) = ords_metadata.stored_key_id(:'before_rotation') + 1 AS new_key,
       stored_secret <> :'before_rotation' AS changed
  FROM ords_metadata.oauth_client_secrets WHERE client_id = :cid;
SET ROLE st_admin;
SELECT ords_admin.reseal_stored_secrets() AS already_current;
SELECT ords_admin.retire_stored_secret_keys() AS retired;
SELECT ords_admin.retire_stored_secret_keys() AS retired_again;
RESET ROLE;
\c
SET ROLE st_owner;
SELECT name, client_secret = CASE name WHEN 'st_client' THEN :'created' ELSE :'created2' END AS reads_after_rotation
  FROM user_ords_clients ORDER BY name;
RESET ROLE;
-- A value sealed with the retired key no longer opens (the key is gone from the file).
UPDATE ords_metadata.oauth_client_secrets SET stored_secret = :'before_rotation' WHERE client_id = :cid;
SET ROLE st_owner;
SELECT name, client_secret FROM user_ords_clients WHERE name = 'st_client';
RESET ROLE;

-- 6. Attacks on the ciphertext: a flipped byte, and st_client2's value copied onto st_client's
--    row (sealed to client and slot), show '********' with a WARNING, never an error.
SET pg_ords.stored_secrets = on;
SELECT ords_metadata.client_store_secret(:cid, :'created');
UPDATE ords_metadata.oauth_client_secrets SET stored_secret = set_byte(stored_secret, 30, get_byte(stored_secret, 30) # 1)
 WHERE client_id = :cid;
SET ROLE st_owner;
SELECT name, client_secret FROM user_ords_clients WHERE name = 'st_client';
RESET ROLE;
UPDATE ords_metadata.oauth_client_secrets SET stored_secret = (SELECT stored_secret FROM ords_metadata.oauth_client_secrets WHERE client_id = :cid2)
 WHERE client_id = :cid;
SET ROLE st_owner;
SELECT name, client_secret FROM user_ords_clients WHERE name = 'st_client';
RESET ROLE;
-- Not a sealed value at all: refused by the table.
\set VERBOSITY terse
UPDATE ords_metadata.oauth_client_secrets SET stored_secret = convert_to(:'created', 'UTF8') WHERE client_id = :cid;
\set VERBOSITY default

-- 7. Without the key file (a restore into another cluster, a lost file) or with a mode others
--    can read: '********' and a WARNING; back in place, readable again.
COPY (SELECT) TO PROGRAM 'mv pg_ords_secrets.key pg_ords_secrets.key.away';
SET ROLE st_owner;
SELECT name, client_secret FROM user_ords_clients WHERE name = 'st_client2';
RESET ROLE;
COPY (SELECT) TO PROGRAM 'mv pg_ords_secrets.key.away pg_ords_secrets.key && chmod 644 pg_ords_secrets.key';
SET ROLE st_owner;
SELECT name, client_secret FROM user_ords_clients WHERE name = 'st_client2';
RESET ROLE;
COPY (SELECT) TO PROGRAM 'chmod 600 pg_ords_secrets.key';
SET ROLE st_owner;
SELECT name, client_secret = :'created2' AS readable_again FROM user_ords_clients WHERE name = 'st_client2';
RESET ROLE;

-- 8. A secret rotated out takes its stored copy with it; the new one is not stored until asked.
SET ROLE st_owner;
SELECT oauth.rotate_client_secret('st_client2') AS rotated \gset
SELECT oauth.rotate_client_secret('st_client2') AS rotated \gset
RESET ROLE;
SELECT count(stored_secret) AS stored_of_client2 FROM ords_metadata.oauth_client_secrets WHERE client_id = :cid2;
SET ROLE st_owner;
SELECT name, client_secret FROM user_ords_clients WHERE name = 'st_client2';
RESET ROLE;
-- An UPDATE of a slot's hash drops its stored copy too.
SELECT ords_metadata.client_store_secret(:cid2, :'rotated');
UPDATE ords_metadata.oauth_client_secrets SET secret_hash = secret_hash || 'x'
 WHERE client_id = :cid2 AND stored_secret IS NOT NULL;
SELECT count(stored_secret) AS stored_after_hash_change FROM ords_metadata.oauth_client_secrets WHERE client_id = :cid2;

-- 9. Turned off again: nothing new is stored.
RESET pg_ords.stored_secrets;
SELECT ords_metadata.client_store_secret(:cid2, :'rotated');

-- 10. Legacy OAUTH (create_client, rotate_client_secret) stores its secrets when
--     pg_ords.legacy_stored_secrets is on as well (as ORDS before 24.3); not when it is off.
SET pg_ords.stored_secrets = on;
SET pg_ords.legacy_stored_secrets = on;
SET ROLE st_owner;
SELECT client_secret AS legacy FROM oauth.create_client('st_legacy', 'client_credentials') \gset
SELECT oauth.rotate_client_secret('st_legacy') AS legacy_rotated \gset
RESET ROLE;
RESET pg_ords.legacy_stored_secrets;
SET ROLE st_owner;
SELECT client_secret AS unkept FROM oauth.create_client('st_unkept', 'client_credentials') \gset
RESET ROLE;
RESET pg_ords.stored_secrets;
SELECT c.name, count(s.stored_secret) AS stored, count(*) AS secrets
  FROM ords_metadata.oauth_client_secrets s JOIN ords_metadata.oauth_clients c ON c.id = s.client_id
 WHERE c.name IN ('st_legacy', 'st_unkept') GROUP BY 1 ORDER BY 1;
-- A new session of the owner reads the newest stored secret back; the unstored one is masked.
\c
SET ROLE st_owner;
SELECT name, client_secret = :'legacy_rotated' AS newest_read_back, client_secret = '********' AS masked
  FROM user_ords_clients WHERE name IN ('st_legacy', 'st_unkept') ORDER BY 1;
-- ORDS_SECURITY.REVOKE_CLIENT_SECRETS with a filter of stored => true revokes the stored ones.
SELECT (ords_security.revoke_client_secrets(p_client_key => ords_types.oauth_client_key(p_name => 'st_unkept'),
        p_filter => ROW(NULL, NULL, true, NULL)::ords_types.t_client_secret)).client_secret.slot AS unkept_revoked_slot;
SELECT (ords_security.revoke_client_secrets(p_client_key => ords_types.oauth_client_key(p_name => 'st_legacy'),
        p_filter => ROW(NULL, NULL, true, NULL)::ords_types.t_client_secret)).client_secret.slot AS legacy_revoked_slot;
RESET ROLE;
SELECT c.name, count(s.stored_secret) AS stored, count(*) AS secrets
  FROM ords_metadata.oauth_client_secrets s JOIN ords_metadata.oauth_clients c ON c.id = s.client_id
 WHERE c.name IN ('st_legacy', 'st_unkept') GROUP BY 1 ORDER BY 1;

DROP EXTENSION pg_ords CASCADE;
DROP ROLE st_admin, st_other, st_owner;
