-- jwt_digest: an issued JWT's session row records SHA-256 of the exact text pg_ords returned
-- (token_digest), and ords.authorize skips the ES256 signature check only when the text
-- presented has that digest (docs/tokens.md, "Verifying a JWT"). Every attack here presents a
-- text that is NOT the one issued, reusing the real jti and kid: an altered signature, an
-- altered payload with the original signature. Each must be refused, with the token cache on
-- and off, whatever the row's digest says (NULL as in rows from before 0.8.0, or another
-- value). A key no longer published refuses its tokens even though their digest matches.
-- Tokens are captured with \gset and never printed.
\set VERBOSITY terse
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;
DROP ROLE IF EXISTS jd_schema;
CREATE ROLE jd_schema;

SET ROLE jd_schema;
SELECT ords.enable_schema(p_url_mapping_pattern => 'jd');
SELECT ords.create_role('r');
SELECT ords.create_privilege('p', 'r');
SELECT ords.create_privilege_mapping('p', '/items/*');
SELECT ords.set_token_format('jwt');
SELECT client_id AS cid, client_secret AS csecret FROM oauth.create_client('c', 'client_credentials') \gset
SELECT oauth.grant_client_role('c', 'r');
SELECT access_token AS tok FROM oauth.issue_token(:'cid', :'csecret') \gset
RESET ROLE;

-- base64url without padding, both ways.
CREATE FUNCTION pg_temp.b64url(b bytea) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT rtrim(translate(replace(encode(b, 'base64'), E'\n', ''), '+/', '-_'), '=') $$;
CREATE FUNCTION pg_temp.unb64url(t text) RETURNS bytea LANGUAGE sql IMMUTABLE
AS $$ SELECT decode(translate(t, '-_', '+/') || repeat('=', (4 - length(t) % 4) % 4), 'base64') $$;
CREATE FUNCTION pg_temp.claims(t text) RETURNS jsonb LANGUAGE sql IMMUTABLE
AS $$ SELECT convert_from(pg_temp.unb64url(split_part(t, '.', 2)), 'UTF8')::jsonb $$;
-- The same header and payload, one base64url character of the signature changed (not the
-- last, whose low bits are padding): other signature bytes.
CREATE FUNCTION pg_temp.alter_signature(t text) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT split_part(t, '.', 1) || '.' || split_part(t, '.', 2) || '.' ||
             overlay(split_part(t, '.', 3) PLACING
                     CASE WHEN substr(split_part(t, '.', 3), 10, 1) = 'A' THEN 'B' ELSE 'A' END
                     FROM 10 FOR 1) $$;
-- The same header and signature, another payload (claims merged into the original ones).
CREATE FUNCTION pg_temp.alter_payload(t text, change jsonb) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT split_part(t, '.', 1) || '.' ||
             pg_temp.b64url(convert_to((pg_temp.claims(t) || change)::text, 'UTF8')) || '.' ||
             split_part(t, '.', 3) $$;
CREATE FUNCTION pg_temp.decide(t text) RETURNS text LANGUAGE sql
AS $$ SELECT outcome FROM ords.authorize(t, 'GET', '/items/1', 'jd') $$;

SELECT convert_from(pg_temp.unb64url(split_part(:'tok', '.', 1)), 'UTF8')::jsonb->>'alg' AS alg;
SELECT pg_temp.alter_signature(:'tok') AS sig_altered,
       pg_temp.alter_payload(:'tok', jsonb_build_object('exp', (pg_temp.claims(:'tok')->>'exp')::bigint + 60)) AS exp_altered,
       pg_temp.alter_payload(:'tok', jsonb_build_object('scope', 'more')) AS scope_altered
\gset
SELECT :'sig_altered' <> :'tok' AS sig_differs,
       split_part(:'sig_altered', '.', 1) = split_part(:'tok', '.', 1)
         AND split_part(:'sig_altered', '.', 2) = split_part(:'tok', '.', 2) AS same_header_and_payload,
       pg_temp.claims(:'exp_altered')->>'jti' = pg_temp.claims(:'tok')->>'jti' AS same_jti,
       split_part(:'exp_altered', '.', 3) = split_part(:'tok', '.', 3) AS same_signature;

-- 6. The digest stored is SHA-256 of the exact text returned; the row is found by the jti.
SELECT s.token_digest = sha256(convert_to(:'tok', 'UTF8')) AS digest_is_sha256_of_text,
       octet_length(s.token_digest) AS digest_len
  FROM ords_metadata.oauth_sessions s
 WHERE s.token_hash = sha256(convert_to('jti:' || (pg_temp.claims(:'tok')->>'jti'), 'UTF8'));
-- Opaque tokens store none (their key is already their text's SHA-256).
SET ROLE jd_schema;
SELECT ords.set_token_format('opaque');
SELECT access_token AS opaque FROM oauth.issue_token(:'cid', :'csecret') \gset
SELECT ords.set_token_format('jwt');
RESET ROLE;
SELECT token_digest IS NULL AS opaque_digest_null FROM ords_metadata.oauth_sessions
 WHERE token_hash = sha256(convert_to(:'opaque', 'UTF8'));

-- 1, 2. Altered texts reusing the real jti and kid are refused; the original is allowed.
--       Cache on, then off (every decision resolves the token and probes its row).
SELECT pg_temp.decide(:'tok') AS original,
       pg_temp.decide(:'sig_altered') AS signature_altered,
       pg_temp.decide(:'exp_altered') AS exp_altered,
       pg_temp.decide(:'scope_altered') AS scope_altered;
SET pg_ords.token_cache = off;
SELECT pg_temp.decide(:'tok') AS uncached_original,
       pg_temp.decide(:'sig_altered') AS uncached_signature_altered,
       pg_temp.decide(:'exp_altered') AS uncached_exp_altered,
       pg_temp.decide(:'scope_altered') AS uncached_scope_altered;
RESET pg_ords.token_cache;
-- The other readers of a token never take an unverified text either.
SELECT count(*) AS validate_signature_altered FROM oauth.validate_token(:'sig_altered');
SELECT count(*) AS validate_exp_altered FROM oauth.validate_token(:'exp_altered');
SELECT count(*) AS binding_signature_altered FROM ords.postgrest_token_binding(:'sig_altered');
SELECT oauth.revoke_token(:'sig_altered') AS revoke_signature_altered,
       oauth.revoke_token(:'exp_altered') AS revoke_exp_altered;
SELECT pg_temp.decide(:'tok') AS original_not_revoked;

-- 3. A row from before 0.8.0 (no digest): the original is fully verified and allowed; altered
--    texts are refused.
UPDATE ords_metadata.oauth_sessions SET token_digest = NULL
 WHERE token_hash = sha256(convert_to('jti:' || (pg_temp.claims(:'tok')->>'jti'), 'UTF8'));
SELECT pg_temp.decide(:'tok') AS null_digest_original,
       pg_temp.decide(:'sig_altered') AS null_digest_signature_altered,
       pg_temp.decide(:'exp_altered') AS null_digest_exp_altered;
SET pg_ords.token_cache = off;
SELECT pg_temp.decide(:'tok') AS uncached_null_digest_original,
       pg_temp.decide(:'sig_altered') AS uncached_null_digest_signature_altered,
       pg_temp.decide(:'exp_altered') AS uncached_null_digest_exp_altered;
RESET pg_ords.token_cache;

-- 4. The digest of another text: the original falls back to full verification and is
--    allowed; altered texts are refused.
UPDATE ords_metadata.oauth_sessions SET token_digest = sha256('another text')
 WHERE token_hash = sha256(convert_to('jti:' || (pg_temp.claims(:'tok')->>'jti'), 'UTF8'));
SELECT pg_temp.decide(:'tok') AS other_digest_original,
       pg_temp.decide(:'sig_altered') AS other_digest_signature_altered,
       pg_temp.decide(:'exp_altered') AS other_digest_exp_altered;
SET pg_ords.token_cache = off;
SELECT pg_temp.decide(:'tok') AS uncached_other_digest_original,
       pg_temp.decide(:'sig_altered') AS uncached_other_digest_signature_altered,
       pg_temp.decide(:'exp_altered') AS uncached_other_digest_exp_altered;
RESET pg_ords.token_cache;
-- The digest is what decides: recorded as the digest of the signature-altered text, that
-- text is accepted (its signature is not checked), which shows the check is skipped on a
-- match. Only pg_ords writes the table: whoever can write it could as well insert a session
-- for an opaque token of their choosing, so this gives nobody more than they have.
UPDATE ords_metadata.oauth_sessions SET token_digest = sha256(convert_to(:'sig_altered', 'UTF8'))
 WHERE token_hash = sha256(convert_to('jti:' || (pg_temp.claims(:'tok')->>'jti'), 'UTF8'));
SET pg_ords.token_cache = off;
SELECT pg_temp.decide(:'sig_altered') AS recorded_altered_text,
       pg_temp.decide(:'tok') AS original_fully_verified,
       pg_temp.decide(:'exp_altered') AS exp_altered_still_refused;
RESET pg_ords.token_cache;
-- The digest must have 32 bytes.
UPDATE ords_metadata.oauth_sessions SET token_digest = '\x00'
 WHERE token_hash = sha256(convert_to('jti:' || (pg_temp.claims(:'tok')->>'jti'), 'UTF8'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The table is not the schema's to write.
SET ROLE jd_schema;
UPDATE ords_metadata.oauth_sessions SET token_digest = NULL;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
UPDATE ords_metadata.oauth_sessions SET token_digest = sha256(convert_to(:'tok', 'UTF8'))
 WHERE token_hash = sha256(convert_to('jti:' || (pg_temp.claims(:'tok')->>'jti'), 'UTF8'));

-- The token lifetime cap still applies with a matching digest.
SET pg_ords.token_cache = off;
SET pg_ords.max_token_duration = 60;
SELECT pg_temp.decide(:'tok') AS over_lifetime_cap;
RESET pg_ords.max_token_duration;
SELECT pg_temp.decide(:'tok') AS cap_restored;
RESET pg_ords.token_cache;

-- 5. Its key rotated and retired longer ago than any token lives: no longer published, and
--    the token is refused although its digest matches.
SELECT convert_from(pg_temp.unb64url(split_part(:'tok', '.', 1)), 'UTF8')::jsonb->>'kid' AS kid \gset
SELECT ords_admin.rotate_signing_keys();
SELECT pg_temp.decide(:'tok') AS rotated_still_published;
UPDATE ords_metadata.sec_keys SET retired_on = now() - interval '86410 s' WHERE kid = :'kid';
SELECT (SELECT count(*) FROM jsonb_array_elements(ords.jwks()->'keys') k WHERE k->>'kid' = :'kid') AS published,
       (SELECT token_digest = sha256(convert_to(:'tok', 'UTF8')) FROM ords_metadata.oauth_sessions
         WHERE token_hash = sha256(convert_to('jti:' || (pg_temp.claims(:'tok')->>'jti'), 'UTF8'))) AS digest_matches;
SELECT pg_temp.decide(:'tok') AS retired_key;
SET pg_ords.token_cache = off;
SELECT pg_temp.decide(:'tok') AS uncached_retired_key;
RESET pg_ords.token_cache;
-- A token of the new key is allowed, with its own digest.
SET ROLE jd_schema;
SELECT access_token AS tok2 FROM oauth.issue_token(:'cid', :'csecret') \gset
RESET ROLE;
SELECT pg_temp.decide(:'tok2') AS new_key_token,
       pg_temp.decide(pg_temp.alter_signature(:'tok2')) AS new_key_signature_altered;

SELECT ords_admin.drop_rest_for_schema('jd_schema');
DROP EXTENSION pg_ords CASCADE;
DROP ROLE jd_schema;
