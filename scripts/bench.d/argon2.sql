-- The floor of issue.sql: one bare Argon2id verification of the same secret and hash.
SELECT ords_metadata.verify_secret(:secret, :hash);
