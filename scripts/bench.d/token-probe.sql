-- The floor of token-authorize.sql: the same token derivation and its raw index probe, no
-- decision. It reads the token's row (expires_on), as validating a token must: `SELECT 1` would
-- be an index-only scan once VACUUM has set the table's visibility map, reading no row at all.
\set i random(1, :n)
SELECT expires_on FROM ords_metadata.oauth_sessions
 WHERE token_hash = sha256(convert_to('bench-token-' || :i, 'UTF8'));
