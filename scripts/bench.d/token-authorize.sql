-- A random token out of the :n live ones scripts/bench inserted (sha256 of 'bench-token-' || i,
-- of client_(1 + i % 999)), on its own client's path, so the outcome is allowed.
\set i random(1, :n)
\set c 1 + :i % 999
SELECT outcome FROM ords.authorize('Bearer bench-token-' || :i, 'GET', '/p' || :c || '/items/1', 'bench');
