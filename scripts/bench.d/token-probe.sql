-- The floor of token-authorize.sql: the same token derivation and its raw index probe, no
-- decision.
\set i random(1, :n)
SELECT 1 FROM ords_metadata.oauth_sessions
 WHERE token_hash = sha256(convert_to('bench-token-' || :i, 'UTF8'));
