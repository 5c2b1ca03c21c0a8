-- issue.sql's floor with the one write a token request cannot skip: the same bare Argon2id
-- verification as argon2.sql, then a session row for the same client (a fresh random token
-- hash) inserted into ords_metadata.oauth_sessions and committed, durably, in one transaction.
BEGIN;
SELECT ords_metadata.verify_secret(:secret, :hash);
INSERT INTO ords_metadata.oauth_sessions (token_hash, client_id, expires_on)
VALUES (sha256(convert_to(random()::text || clock_timestamp()::text || pg_backend_pid(), 'UTF8')),
        :client, clock_timestamp() + interval '1 hour');
COMMIT;
