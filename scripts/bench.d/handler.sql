-- The floor of a gateway GET of /ords/bench/p500/items/:id: the statement the gateway sends
-- for that handler (its source wrapped in the one-row JSON shape, gateway/src/app.rs), run on
-- the handler's login (bench), prepared, at the gateway's concurrency.
\set id 1
SELECT '{' || coalesce((SELECT string_agg(to_json(lower(e.k))::text || ':' || e.v::text, ',' ORDER BY e.n)
                          FROM json_each(row_to_json(q)) WITH ORDINALITY AS e(k, v, n)), '') || '}'
  FROM (
select :id::int as id, 'x' as name
) q LIMIT 1;
