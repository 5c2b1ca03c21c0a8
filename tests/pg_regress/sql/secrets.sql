-- secrets: client secrets as CONTRACT §4 promises.
--
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
-- Nothing here prints a client_id, secret, token, id or timestamp.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
DROP ROLE IF EXISTS iso_s;
CREATE ROLE iso_s;

-- catalog_text(): every row of every ords_metadata table as text, to search for plaintext.
-- SECURITY DEFINER (owned by the superuser running this file) so iso_s may call it.
CREATE FUNCTION pg_temp.catalog_text() RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE v_sql text; v_all text;
BEGIN
    SELECT string_agg(format('SELECT %L || '' '' || t::text AS x FROM %I.%I t', c.relname, n.nspname, c.relname), ' UNION ALL ')
      INTO v_sql
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'ords_metadata' AND c.relkind IN ('r', 'p');
    EXECUTE format('SELECT string_agg(x, E''\n'') FROM (%s) s', v_sql) INTO v_all;
    RETURN v_all;
END
$$;
-- error_of(sql, secret): run sql as the current role; its SQLSTATE, and whether the secret
-- appears in the error's message, detail or hint.
CREATE FUNCTION pg_temp.error_of(p_sql text, p_secret text, OUT error_sqlstate text, OUT message_mentions_secret boolean)
LANGUAGE plpgsql AS $$
DECLARE v_msg text; v_detail text; v_hint text;
BEGIN
    EXECUTE p_sql;
    error_sqlstate := '00000';
    message_mentions_secret := false;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS error_sqlstate = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT,
                            v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
    message_mentions_secret := strpos(concat_ws(' ', v_msg, v_detail, v_hint), p_secret) > 0;
END
$$;

SET ROLE iso_s;
SELECT ords.enable_schema();

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
-- Every secret this file saw, generated or chosen: no catalog table holds any of them, every
-- stored hash is an Argon2id PHC string, and the views only ever show '********' or NULL.
-- =============================================================================================
SELECT count(*) AS secrets_checked,
       count(*) FILTER (WHERE strpos(pg_temp.catalog_text(), v.secret) > 0) AS found_in_catalog
  FROM (VALUES (:'s1_secret1'), (:'s1_secret2'), (:'s1_secret3'), (:'s1_secret4'), (:'s1_secret5'),
               (:'s6_secret1'), (:'s6_secret2'), (:'s2_secret'), ('a-chosen-secret-of-20+chars'),
               ('the-replacement-secret-42'), ('second-chosen-secret-xyz'), ('another-chosen-secret-77')) AS v(secret);
SELECT count(*) AS stored_hashes,
       count(*) FILTER (WHERE secret_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%') AS argon2id_hashes
  FROM ords_metadata.oauth_client_secrets;
SELECT DISTINCT client_secret FROM dba_ords_clients ORDER BY 1;

RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE iso_s;
