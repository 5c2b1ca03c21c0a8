-- tokens_revocation: revoking a token (RFC 7009): refused at once; revoking again, unknown, empty or NULL is not
-- an error; the client's other tokens are untouched.
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

-- =============================================================================================
-- Revoking a token (RFC 7009)
-- =============================================================================================
SELECT access_token AS doomed_token FROM oauth.issue_token(:'main_id', :'main_secret') \gset
SELECT outcome FROM ords.authorize(:'doomed_token', 'GET', '/customer/1', 'tok_a');
SELECT oauth.revoke_token(:'doomed_token') AS revoked;
SELECT outcome, http_status, www_authenticate FROM ords.authorize(:'doomed_token', 'GET', '/customer/1', 'tok_a');
-- Revoking it again, an unknown token, an empty string or NULL is not an error.
SELECT oauth.revoke_token(:'doomed_token') AS revoked_again;
SELECT oauth.revoke_token('no-such-token') AS revoked_unknown;
SELECT oauth.revoke_token('') AS revoked_empty;
SELECT oauth.revoke_token(NULL) AS revoked_null;
-- Other tokens of the same client are untouched.
SELECT outcome FROM ords.authorize(:'main_token', 'GET', '/customer/1', 'tok_a');

-- =============================================================================================
-- Clean up
-- =============================================================================================
RESET ROLE;
DROP EXTENSION pg_ords CASCADE;
DROP ROLE tok_a;
DROP ROLE tok_b;
