-- A random token out of :n tokens issued by oauth.issue_token (kind 'jwt' or 'opaque'), kept
-- in public.bench_issued. The lookup costs the same for both kinds.
\set i random(1, :n)
SELECT outcome FROM ords.authorize((SELECT 'Bearer ' || t FROM public.bench_issued WHERE kind = :kind AND i = :i),
                                   'GET', '/p500/items/1', 'bench');
