-- pg_ords 0.7.0 -> 0.8.0: a JWT's session row records SHA-256 of the exact text issued
-- (oauth_sessions.token_digest), so ords.authorize need not check the signature of that exact
-- text again (docs/tokens.md, "Verifying a JWT"). Rows issued before keep NULL and are fully
-- verified as before. The upgrade test compares the result with a fresh install.

-- == catalog ==
ALTER TABLE ords_metadata.oauth_sessions
    ADD COLUMN token_digest bytea CHECK (token_digest IS NULL OR octet_length(token_digest) = 32);
-- == end of catalog ==

SELECT ords_metadata.invalidate_caches();
