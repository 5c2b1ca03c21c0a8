-- One token (:auth, "Bearer ..."), path '/p500/' || a number out of 1..:paths.
-- paths=1: the same path every call (hot). paths=1000000000: a new path (almost) every call.
\set p random(1, :paths)
SELECT outcome FROM ords.authorize(:auth, 'GET', '/p500/' || :p, 'bench');
