-- Matches every row of the ORDS signature list (pg_temp.compat_api, loaded by tests/compat/load.sql)
-- against this database's catalog and leaves the result in pg_temp.compat_result(ord, key, status, note).
-- The rule (docs/ords-compatibility.md#rule):
--   procedure, function, constant: schema lower(package), name lower(subprogram); ✓ when ONE function
--     there takes every ORDS parameter by name (and of the ORDS type, where the list names one), has
--     a default for every parameter ORDS makes optional (or another function of the name takes the
--     call without that parameter), and needs no argument ORDS does not have;
--   view: a view of that name in the extension's schema or in ords_metadata with every column listed;
--   type: a composite type in schema lower(package) with every field listed;
--   package: the schema exists.
--   A "behaviour" entry of differences.tsv makes an existing object "differs"; a "signature" entry
--   makes an existing object that fails the rule "differs" (rather than "missing"). A row nothing
--   matches is "missing", or "out of scope" when the list says so.
SET search_path = pg_catalog, pg_temp;  -- format_type() then qualifies every non-catalog type

CREATE TEMP TABLE compat_param AS
SELECT a.ord, p.pos,
       lower(split_part(rtrim(p.spec, '?'), ':', 1)) AS name,
       nullif(split_part(rtrim(p.spec, '?'), ':', 2), '') AS type,
       p.spec LIKE '%?' AS optional
  FROM compat_api a, unnest(string_to_array(nullif(a.params, ''), ',')) WITH ORDINALITY AS p(spec, pos);

-- Input arguments of every function in a schema named after an ORDS package.
CREATE TEMP TABLE compat_fn_arg AS
WITH args AS (
    SELECT p.oid, n.nspname, p.proname, p.pronargs, p.pronargdefaults, x.i, x.name, x.mode, x.typ
      FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
     CROSS JOIN LATERAL unnest(coalesce(p.proargnames, array_fill(''::text, ARRAY[p.pronargs])),
                               coalesce(p.proargmodes, array_fill('i'::"char", ARRAY[p.pronargs])),
                               coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY AS x(name, mode, typ, i)
     WHERE n.nspname IN (SELECT DISTINCT lower(package) FROM compat_api)
)
SELECT oid, nspname, proname, lower(name) AS name, format_type(typ, NULL) AS type,
       row_number() OVER (PARTITION BY oid ORDER BY i) > pronargs - pronargdefaults AS has_default
  FROM args WHERE mode IN ('i', 'b', 'v');

CREATE TEMP TABLE compat_fn AS
SELECT p.oid, n.nspname, p.proname
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname IN (SELECT DISTINCT lower(package) FROM compat_api);

-- Each (row, candidate function): what keeps the candidate from taking the ORDS call.
CREATE TEMP TABLE compat_fn_check AS
SELECT a.ord, f.oid,
       array(SELECT q.name FROM compat_param q WHERE q.ord = a.ord
                AND NOT EXISTS (SELECT FROM compat_fn_arg g WHERE g.oid = f.oid AND g.name = q.name) ORDER BY q.pos) AS absent,
       array(SELECT q.name || ' is ' || g.type FROM compat_param q JOIN compat_fn_arg g ON g.oid = f.oid AND g.name = q.name
              WHERE q.ord = a.ord AND q.type IS NOT NULL AND g.type <> q.type ORDER BY q.pos) AS wrong_type,
       array(SELECT q.name FROM compat_param q JOIN compat_fn_arg g ON g.oid = f.oid AND g.name = q.name
              WHERE q.ord = a.ord AND q.optional AND NOT g.has_default ORDER BY q.pos) AS no_default,
       array(SELECT g.name FROM compat_fn_arg g WHERE g.oid = f.oid AND NOT g.has_default
                AND NOT EXISTS (SELECT FROM compat_param q WHERE q.ord = a.ord AND q.name = g.name)) AS extra_required
  FROM compat_api a
  JOIN compat_fn f ON f.nspname = lower(a.package) AND f.proname = lower(a.subprogram)
 WHERE a.kind IN ('procedure', 'function', 'constant');

-- Views and composite types: the relation and its column names.
CREATE TEMP TABLE compat_rel AS
SELECT a.ord, n.nspname, c.relname,
       array(SELECT q.name FROM compat_param q WHERE q.ord = a.ord
                AND NOT EXISTS (SELECT FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attnum > 0
                                   AND NOT t.attisdropped AND t.attname = q.name) ORDER BY q.pos) AS absent
  FROM compat_api a
  JOIN pg_class c ON c.relname = lower(a.subprogram)
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE (a.kind = 'view' AND c.relkind IN ('v', 'm')
        AND n.nspname IN ('ords_metadata', lower(a.package),
                          (SELECT e.extnamespace::regnamespace::text FROM pg_extension e WHERE e.extname = 'pg_ords')))
    OR (a.kind = 'type' AND c.relkind = 'c' AND n.nspname = lower(a.package));

CREATE TEMP TABLE compat_result AS
WITH per_row AS (
    SELECT a.*,
           CASE a.kind
             WHEN 'package' THEN EXISTS (SELECT FROM pg_namespace n WHERE n.nspname = lower(a.package))
             WHEN 'view' THEN EXISTS (SELECT FROM compat_rel r WHERE r.ord = a.ord)
             WHEN 'type' THEN EXISTS (SELECT FROM compat_rel r WHERE r.ord = a.ord)
             ELSE EXISTS (SELECT FROM compat_fn_check c WHERE c.ord = a.ord)
           END AS exists_by_name,
           CASE a.kind
             WHEN 'package' THEN EXISTS (SELECT FROM pg_namespace n WHERE n.nspname = lower(a.package))
             WHEN 'view' THEN EXISTS (SELECT FROM compat_rel r WHERE r.ord = a.ord AND r.absent = '{}')
             WHEN 'type' THEN EXISTS (SELECT FROM compat_rel r WHERE r.ord = a.ord AND r.absent = '{}')
             -- an optional ORDS parameter without a default is fine when another function of the
             -- name takes the call without it (e.g. a t_client_secret form without default next
             -- to a form without the parameter)
             ELSE EXISTS (SELECT FROM compat_fn_check c WHERE c.ord = a.ord AND c.absent = '{}' AND c.wrong_type = '{}'
                             AND c.extra_required = '{}'
                             AND NOT EXISTS (
                                 SELECT FROM unnest(c.no_default) AS nd(name)
                                  WHERE NOT EXISTS (
                                      SELECT FROM compat_fn_check d
                                       WHERE d.ord = a.ord AND d.oid <> c.oid AND d.absent <@ ARRAY[nd.name]
                                         AND d.no_default = '{}' AND d.extra_required = '{}'
                                         AND NOT EXISTS (SELECT FROM unnest(d.wrong_type) AS w(t)
                                                          WHERE w.t NOT LIKE nd.name || ' is %'))))
           END AS satisfied,
           -- why the closest candidate fails (fewest problems first)
           CASE WHEN a.kind IN ('view', 'type') THEN
                  (SELECT 'lacks column(s) ' || array_to_string(r.absent, ', ')
                     FROM compat_rel r WHERE r.ord = a.ord ORDER BY cardinality(r.absent) LIMIT 1)
                ELSE
                  (SELECT concat_ws('; ',
                            CASE WHEN c.absent <> '{}' THEN 'no parameter ' || array_to_string(c.absent, ', ') END,
                            CASE WHEN c.wrong_type <> '{}' THEN array_to_string(c.wrong_type, ', ') END,
                            CASE WHEN c.no_default <> '{}' THEN 'no default for ' || array_to_string(c.no_default, ', ') END,
                            CASE WHEN c.extra_required <> '{}' THEN 'also requires ' || array_to_string(c.extra_required, ', ') END)
                     FROM compat_fn_check c WHERE c.ord = a.ord
                    ORDER BY cardinality(c.absent) + cardinality(c.wrong_type) + cardinality(c.no_default)
                             + cardinality(c.extra_required) LIMIT 1)
           END AS gap,
           CASE WHEN a.kind = 'view' THEN
                  (SELECT string_agg(r.nspname || '.' || r.relname, ', ' ORDER BY r.nspname) FROM compat_rel r WHERE r.ord = a.ord)
           END AS found_as
      FROM compat_api a
)
SELECT r.ord, r.key,
       CASE WHEN d.kind = 'behaviour' AND r.exists_by_name THEN 'differs'
            WHEN r.satisfied THEN '✓'
            WHEN d.kind = 'signature' AND r.exists_by_name THEN 'differs'
            WHEN r.scope = 'out' THEN 'out of scope'
            ELSE 'missing' END AS status,
       CASE WHEN d.kind = 'behaviour' AND r.exists_by_name THEN d.note
            WHEN r.satisfied THEN ''
            WHEN d.kind = 'signature' AND r.exists_by_name THEN d.note
            WHEN r.scope = 'out' THEN r.reason
            WHEN NOT r.exists_by_name THEN CASE WHEN r.kind = 'view' THEN 'no such view' WHEN r.kind = 'type' THEN 'no such type'
                                                WHEN r.kind = 'package' THEN 'no such schema' ELSE 'no such function' END
            ELSE r.gap END AS note,
       coalesce(r.found_as, '') AS found_as,
       -- a signature entry the catalog no longer needs (scripts/compat warns)
       (d.kind = 'signature' AND r.satisfied) AS stale_override
  FROM per_row r LEFT JOIN compat_diff d ON d.key = r.key
 ORDER BY r.ord;

-- differences.tsv entries that name no row
CREATE TEMP TABLE compat_unknown_override AS
SELECT d.key FROM compat_diff d WHERE NOT EXISTS (SELECT FROM compat_api a WHERE a.key = d.key);

RESET search_path;
