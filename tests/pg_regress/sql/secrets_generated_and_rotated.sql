-- secrets_generated_and_rotated: a generated secret (client s1) is returned once and stored only as an
-- Argon2id PHC string; rotation fills slot 2 or overwrites the older slot; p_revoke_existing,
-- p_revoke_sessions and revoke_client_secrets; a chosen secret (register_client_secret) is
-- checked and never repeated in a message.
--
-- The rules for client secrets:
--   * stored only as an Argon2id PHC string; the plaintext is returned once (create_client,
--     rotate_client_secret, register_client with p_generate_secret => true) and never again:
--     user_ords_clients.client_secret shows '********', and no catalog table holds it;
--   * at most two secrets (slots 1 and 2), each with its issue time; rotation fills the free
--     slot or overwrites the older one; p_revoke_existing leaves only the new one,
--     p_revoke_sessions revokes the issued tokens;
--   * chosen secrets (register_client_secret, update_client_secret, register_client) are
--     checked and never repeated in a message; import_client and register_client without a
--     secret register none.
--
-- oauth.issue_token proves which secrets work. The failed-attempt throttle locks a client_id
-- after 5 failures, so no client_id here gets more than 3 wrong secrets (client_ids are random
-- per run, and the one fixed client_id never gets a wrong secret).
-- Fixture (fixtures/secrets.sql): schema role iso_s, REST-enabled; pg_temp.catalog_text() and
-- pg_temp.error_of(sql, secret). Nothing here prints a client_id, secret, token, id or timestamp.
\set fixture_verbose
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/secrets.sql'
\i :f
-- =============================================================================================
-- oauth.create_client returns the generated secret once: 256 random bits, base64url, "..".
-- =============================================================================================
SELECT client_id AS s1_id, client_secret AS s1_secret1
  FROM oauth.create_client(p_name => 's1', p_grant_type => 'client_credentials') \gset
SELECT length(:'s1_id') AS client_id_length, right(:'s1_id', 2) AS client_id_end,
       length(:'s1_secret1') AS secret_length, right(:'s1_secret1', 2) AS secret_end;
-- The view never shows it: '********', slot 1 only.
SELECT name, client_secret, client_secret_issued_on IS NOT NULL AS slot1,
       client_secret_2_issued_on IS NOT NULL AS slot2 FROM user_ords_clients WHERE name = 's1';
SELECT count(*) AS rows_showing_secret FROM user_ords_clients c WHERE strpos(c::text, :'s1_secret1') > 0;
RESET ROLE;

-- As the superuser: one Argon2id PHC string, and the plaintext is nowhere in the catalog.
SELECT s.slot, s.secret_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%' AS argon2id_phc
  FROM ords_metadata.oauth_client_secrets s JOIN ords_metadata.oauth_clients c ON c.id = s.client_id
 WHERE c.name = 's1' ORDER BY s.slot;
SELECT count(*) AS hashes_containing_secret FROM ords_metadata.oauth_client_secrets
 WHERE secret_hash LIKE '%' || :'s1_secret1' || '%';
SELECT strpos(pg_temp.catalog_text(), :'s1_secret1') = 0 AS secret_not_in_catalog;
-- The dba view masks it too.
SELECT name, client_secret FROM dba_ords_clients WHERE name = 's1';

-- The secret works.
SELECT access_token IS NOT NULL AS secret1_works, token_type, expires_in
  FROM oauth.issue_token(:'s1_id', :'s1_secret1');
-- Through the token endpoint with HTTP Basic as well.
SELECT status, body ? 'access_token' AS has_token
  FROM oauth.token_endpoint(oauth.basic_authorization(:'s1_id', :'s1_secret1'),
                            'application/x-www-form-urlencoded', 'grant_type=client_credentials', 'iso_s');
-- Keep a token to follow what rotations do to issued tokens.
SELECT access_token AS s1_token1 FROM oauth.issue_token(:'s1_id', :'s1_secret1') \gset

-- =============================================================================================
-- Rotation fills slot 2; both secrets work.
-- =============================================================================================
SET ROLE iso_s;
SELECT oauth.rotate_client_secret(p_name => 's1') AS s1_secret2 \gset
SELECT length(:'s1_secret2') AS secret_length, :'s1_secret2' <> :'s1_secret1' AS new_secret;
SELECT client_secret, client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2,
       client_secret_2_issued_on > client_secret_issued_on AS slot2_newer
  FROM user_ords_clients WHERE name = 's1';
RESET ROLE;
SELECT access_token IS NOT NULL AS secret1_works FROM oauth.issue_token(:'s1_id', :'s1_secret1');
SELECT access_token IS NOT NULL AS secret2_works FROM oauth.issue_token(:'s1_id', :'s1_secret2');
SELECT count(*) AS hashes, count(DISTINCT secret_hash) AS distinct_hashes,
       bool_and(secret_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%') AS all_argon2id
  FROM ords_metadata.oauth_client_secrets s JOIN ords_metadata.oauth_clients c ON c.id = s.client_id
 WHERE c.name = 's1';

-- =============================================================================================
-- A third rotation overwrites the older slot (slot 1): the first secret stops working, the
-- second and third work. Issued tokens stay valid (no p_revoke_sessions).
-- =============================================================================================
SET ROLE iso_s;
SELECT ords_security.rotate_client_secret(p_name => 's1') AS s1_secret3 \gset
SELECT client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2,
       client_secret_issued_on > client_secret_2_issued_on AS slot1_now_newer
  FROM user_ords_clients WHERE name = 's1';
RESET ROLE;
-- (wrong secret 1 of 3 for s1)
SELECT access_token IS NOT NULL AS secret1_works FROM oauth.issue_token(:'s1_id', :'s1_secret1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT access_token IS NOT NULL AS secret2_works FROM oauth.issue_token(:'s1_id', :'s1_secret2');
SELECT access_token IS NOT NULL AS secret3_works FROM oauth.issue_token(:'s1_id', :'s1_secret3');
SELECT count(*) AS token1_still_valid FROM oauth.validate_token(:'s1_token1');

-- =============================================================================================
-- p_revoke_existing => true leaves only the new secret (in slot 1).
-- =============================================================================================
SET ROLE iso_s;
SELECT oauth.rotate_client_secret(p_name => 's1', p_revoke_existing => true) AS s1_secret4 \gset
SELECT client_secret, client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 's1';
RESET ROLE;
-- (wrong secret 2 of 3 for s1)
SELECT access_token IS NOT NULL AS secret3_works FROM oauth.issue_token(:'s1_id', :'s1_secret3');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT access_token IS NOT NULL AS secret4_works FROM oauth.issue_token(:'s1_id', :'s1_secret4');
SELECT count(*) AS token1_still_valid FROM oauth.validate_token(:'s1_token1');
SELECT access_token AS s1_token4 FROM oauth.issue_token(:'s1_id', :'s1_secret4') \gset

-- =============================================================================================
-- p_revoke_sessions => true revokes the tokens issued so far; the new secret fills slot 2.
-- =============================================================================================
SET ROLE iso_s;
SELECT ords_security.rotate_client_secret(p_name => 's1', p_revoke_sessions => true) AS s1_secret5 \gset
SELECT client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 's1';
RESET ROLE;
SELECT count(*) AS token1_still_valid FROM oauth.validate_token(:'s1_token1');
SELECT count(*) AS token4_still_valid FROM oauth.validate_token(:'s1_token4');
SELECT access_token IS NOT NULL AS secret4_works FROM oauth.issue_token(:'s1_id', :'s1_secret4');
SELECT access_token IS NOT NULL AS secret5_works FROM oauth.issue_token(:'s1_id', :'s1_secret5');
SELECT access_token AS s1_token5 FROM oauth.issue_token(:'s1_id', :'s1_secret5') \gset

-- =============================================================================================
-- revoke_client_secrets(p_slot => 3) revokes both: no secret left, token requests get 55000
-- (not counted as a failed attempt). Tokens stay valid without p_revoke_sessions.
-- =============================================================================================
SET ROLE iso_s;
SELECT ords_security.revoke_client_secrets(p_name => 's1', p_slot => 3) AS revoked_slot;
SELECT client_secret IS NULL AS no_secret, client_secret_issued_on IS NULL AS slot1_empty,
       client_secret_2_issued_on IS NULL AS slot2_empty FROM user_ords_clients WHERE name = 's1';
-- Nothing left to revoke: NULL.
SELECT ords_security.revoke_client_secrets(p_name => 's1', p_slot => 3) AS revoked_slot;
RESET ROLE;
SELECT access_token IS NOT NULL AS secret5_works FROM oauth.issue_token(:'s1_id', :'s1_secret5');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT access_token IS NOT NULL AS secret4_works FROM oauth.issue_token(:'s1_id', :'s1_secret4');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS token5_still_valid FROM oauth.validate_token(:'s1_token5');
SELECT count(*) AS secrets_left FROM ords_metadata.oauth_client_secrets s
  JOIN ords_metadata.oauth_clients c ON c.id = s.client_id WHERE c.name = 's1';

-- =============================================================================================
-- A chosen secret: ords_security.register_client_secret. Too short or too long fails with
-- 22023 and the message never contains the value.
-- =============================================================================================
SET ROLE iso_s;
SELECT ords_security.register_client_secret(p_name => 's1', p_client_secret => 'a-chosen-secret-of-20+chars');
SELECT client_secret, client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 's1';
SELECT ords_security.register_client_secret(p_name => 's1', p_client_secret => 'short-secret-15');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM pg_temp.error_of($$SELECT ords_security.register_client_secret(p_name => 's1', p_client_secret => 'short-secret-15')$$,
                               'short-secret-15');
SELECT * FROM pg_temp.error_of(format('SELECT ords_security.register_client_secret(p_name => %L, p_client_secret => %L)',
                                      's1', repeat('long-secret-', 100)), repeat('long-secret-', 100));
SELECT * FROM pg_temp.error_of($$SELECT oauth.update_client_secret(p_name => 's1', p_client_secret => 'tiny-secret')$$,
                               'tiny-secret');
SELECT * FROM pg_temp.error_of($$SELECT ords_security.register_client(p_name => 'sx', p_grant_type => 'client_credentials', p_client_secret => 'tiny-secret')$$,
                               'tiny-secret');
-- A failed call leaves the secrets as they were.
SELECT client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 's1';
RESET ROLE;
SELECT access_token IS NOT NULL AS chosen_secret_works FROM oauth.issue_token(:'s1_id', 'a-chosen-secret-of-20+chars');
SELECT s.secret_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%' AS argon2id_phc,
       strpos(s.secret_hash, 'a-chosen-secret-of-20+chars') = 0 AS plaintext_absent
  FROM ords_metadata.oauth_client_secrets s JOIN ords_metadata.oauth_clients c ON c.id = s.client_id
 WHERE c.name = 's1';
SELECT strpos(pg_temp.catalog_text(), 'a-chosen-secret-of-20+chars') = 0 AS secret_not_in_catalog;

-- =============================================================================================
-- Every secret this file saw (client s1, generated or chosen): no catalog table holds any of them, every stored hash
-- is an Argon2id PHC string, and the views only ever show '********' or NULL.
-- =============================================================================================
RESET ROLE;
SELECT count(*) AS secrets_checked,
       count(*) FILTER (WHERE strpos(pg_temp.catalog_text(), v.secret) > 0) AS found_in_catalog
  FROM (VALUES (:'s1_secret1'), (:'s1_secret2'), (:'s1_secret3'), (:'s1_secret4'), (:'s1_secret5'),
               ('a-chosen-secret-of-20+chars')) AS v(secret);
SELECT count(*) AS stored_hashes,
       count(*) FILTER (WHERE secret_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%') AS argon2id_hashes
  FROM ords_metadata.oauth_client_secrets;
SELECT DISTINCT client_secret FROM dba_ords_clients ORDER BY 1;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_s;
