-- secrets_chosen_and_imported: chosen secrets: update_client_secret replaces every secret, revoke_client_secret
-- revokes one by value (client s6); register_client with a generated, no or a chosen secret
-- (s2, s3, s5); import_client keeps the client_id and registers no secret (s4).
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
\getenv fixtures PG_ABS_SRCDIR
\set f :fixtures '/sql/fixtures/secrets.sql'
\i :f
-- =============================================================================================
-- oauth.update_client_secret replaces every secret with the chosen one; then
-- ords_security.revoke_client_secret(p_client_secret => value) revokes exactly that slot.
-- (Client s6; 3 wrong secrets in all.)
-- =============================================================================================
SET ROLE iso_s;
SELECT client_id AS s6_id, client_secret AS s6_secret1
  FROM oauth.create_client(p_name => 's6', p_grant_type => 'client_credentials') \gset
SELECT oauth.rotate_client_secret(p_name => 's6') AS s6_secret2 \gset
SELECT client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 's6';
SELECT oauth.update_client_secret(p_name => 's6', p_client_secret => 'the-replacement-secret-42');
SELECT client_secret, client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 's6';
RESET ROLE;
SELECT access_token IS NOT NULL AS replacement_works FROM oauth.issue_token(:'s6_id', 'the-replacement-secret-42');
-- (wrong secrets 1 and 2 of 3 for s6)
SELECT access_token IS NOT NULL AS secret1_works FROM oauth.issue_token(:'s6_id', :'s6_secret1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT access_token IS NOT NULL AS secret2_works FROM oauth.issue_token(:'s6_id', :'s6_secret2');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE iso_s;
SELECT ords_security.register_client_secret(p_name => 's6', p_client_secret => 'second-chosen-secret-xyz');
SELECT client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 's6';
-- Revoke the replacement (slot 1) by value: only slot 2 is left.
SELECT ords_security.revoke_client_secret(p_name => 's6', p_client_secret => 'the-replacement-secret-42');
SELECT client_secret, client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name = 's6';
-- The revoked value matches no slot any more.
SELECT ords_security.revoke_client_secret(p_name => 's6', p_client_secret => 'the-replacement-secret-42');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SELECT access_token IS NOT NULL AS second_works FROM oauth.issue_token(:'s6_id', 'second-chosen-secret-xyz');
-- (wrong secret 3 of 3 for s6)
SELECT access_token IS NOT NULL AS replacement_works FROM oauth.issue_token(:'s6_id', 'the-replacement-secret-42');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- p_slot => NULL revokes the older secret (here the only one, in slot 2).
SET ROLE iso_s;
SELECT ords_security.revoke_client_secrets(p_name => 's6') AS revoked_slot;
SELECT client_secret IS NULL AS no_secret FROM user_ords_clients WHERE name = 's6';
RESET ROLE;

-- =============================================================================================
-- ords_security.register_client: p_generate_secret => true returns the secret once; without
-- a secret, none is registered; with p_client_secret, that one is.
-- =============================================================================================
SET ROLE iso_s;
SELECT client_id AS s2_id, client_secret AS s2_secret
  FROM ords_security.register_client(p_name => 's2', p_grant_type => 'client_credentials', p_generate_secret => true) \gset
SELECT length(:'s2_secret') AS secret_length;
SELECT client_id AS s3_id, client_secret IS NULL AS no_secret_returned
  FROM ords_security.register_client(p_name => 's3', p_grant_type => 'client_credentials') \gset
SELECT :'no_secret_returned' AS no_secret_returned;
SELECT client_id AS s5_id, client_secret = 'another-chosen-secret-77' AS returns_chosen_secret
  FROM ords_security.register_client(p_name => 's5', p_grant_type => 'client_credentials',
                                     p_client_secret => 'another-chosen-secret-77') \gset
SELECT :'returns_chosen_secret' AS returns_chosen_secret;
SELECT name, client_secret, client_secret_issued_on IS NOT NULL AS slot1, client_secret_2_issued_on IS NOT NULL AS slot2
  FROM user_ords_clients WHERE name IN ('s2', 's3', 's5') ORDER BY name;
RESET ROLE;
SELECT access_token IS NOT NULL AS s2_secret_works FROM oauth.issue_token(:'s2_id', :'s2_secret');
SELECT access_token IS NOT NULL AS s5_secret_works FROM oauth.issue_token(:'s5_id', 'another-chosen-secret-77');
-- s3 has no secret: 55000, whatever is sent (not a failed attempt).
SELECT access_token IS NOT NULL AS s3_works FROM oauth.issue_token(:'s3_id', :'s2_secret');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- =============================================================================================
-- oauth.import_client keeps the given client_id and registers no secret; a secret registered
-- afterwards makes it usable (moving a client between environments).
-- =============================================================================================
SET ROLE iso_s;
SELECT name, client_id = 'iso-s-imported-client' AS kept_client_id
  FROM oauth.import_client(p_name => 's4', p_grant_type => 'client_credentials', p_client_id => 'iso-s-imported-client');
SELECT name, client_id = 'iso-s-imported-client' AS kept_client_id, client_secret IS NULL AS no_secret,
       client_secret_issued_on IS NULL AS slot1_empty FROM user_ords_clients WHERE name = 's4';
RESET ROLE;
SELECT access_token IS NOT NULL AS s4_works FROM oauth.issue_token('iso-s-imported-client', 'another-chosen-secret-77');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET ROLE iso_s;
SELECT ords_security.register_client_secret(p_name => 's4', p_client_secret => 'another-chosen-secret-77');
SELECT client_secret FROM user_ords_clients WHERE name = 's4';
RESET ROLE;
SELECT access_token IS NOT NULL AS s4_works FROM oauth.issue_token('iso-s-imported-client', 'another-chosen-secret-77');
-- The same secret for s4 and s5 gives different hashes (salted).
SELECT count(*) AS hashes, count(DISTINCT s.secret_hash) AS distinct_hashes
  FROM ords_metadata.oauth_client_secrets s JOIN ords_metadata.oauth_clients c ON c.id = s.client_id
 WHERE c.name IN ('s4', 's5');

-- =============================================================================================
-- Every secret this file saw (clients s6, s2, s5, s4): no catalog table holds any of them, every stored hash
-- is an Argon2id PHC string, and the views only ever show '********' or NULL.
-- =============================================================================================
RESET ROLE;
SELECT count(*) AS secrets_checked,
       count(*) FILTER (WHERE strpos(pg_temp.catalog_text(), v.secret) > 0) AS found_in_catalog
  FROM (VALUES (:'s6_secret1'), (:'s6_secret2'), (:'s2_secret'), ('the-replacement-secret-42'),
               ('second-chosen-secret-xyz'), ('another-chosen-secret-77')) AS v(secret);
SELECT count(*) AS stored_hashes,
       count(*) FILTER (WHERE secret_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%') AS argon2id_hashes
  FROM ords_metadata.oauth_client_secrets;
SELECT DISTINCT client_secret FROM dba_ords_clients ORDER BY 1;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_s;
