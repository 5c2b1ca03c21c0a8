-- ords_compatibility: docs/ords-compatibility.md never claims more than the catalog holds.
--
-- Loads ORDS's signature list (tests/compat/ords_api.tsv) and the documented differences
-- (tests/compat/differences.tsv), matches them against this fresh install by the rule scripts/compat
-- uses (tests/compat/match.sql, docs/ords-compatibility.md#rule), reads the status column of the
-- committed page, and prints every row the page calls ✓ or "differs" that the catalog does not back:
-- expected, none. Then the rows the page and the list do not share (none), the totals as the page
-- states them and as the catalog gives them, and a planted overclaim, to show the check can fail.
-- After adding or changing an ORDS call: scripts/compat --write, then scripts/regress --update ords_compatibility.
\getenv fixtures PG_ABS_SRCDIR
\set api_file :fixtures '/../compat/ords_api.tsv'
\set diff_file :fixtures '/../compat/differences.tsv'
\set doc_file :fixtures '/../../docs/ords-compatibility.md'
\set load_sql :fixtures '/../compat/load.sql'
\set match_sql :fixtures '/../compat/match.sql'
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_ords CASCADE;
CREATE EXTENSION pg_ords;

\set ECHO none
\i :load_sql
\i :match_sql
\set ECHO all

-- The committed page, line by line (no column separator or quote character occurs in it).
CREATE TEMP TABLE compat_doc (n serial, line text);
\set compat_cmd '\\copy compat_doc(line) FROM ' :'doc_file' ' WITH (FORMAT csv, DELIMITER E''\\x01'', QUOTE E''\\x02'')'
:compat_cmd
-- Its claims: the first two cells of every table row that names a call or view.
CREATE TEMP VIEW compat_claim AS
SELECT m[1] || coalesce(' (' || m[2] || ')', '') AS key, m[3] AS claimed
  FROM compat_doc CROSS JOIN LATERAL regexp_match(line, '^\| `([^`]+)`(?: \(([^)]*)\))? \| (✓|differs|missing|out of scope) \|') AS m
 WHERE m IS NOT NULL;
CREATE TEMP VIEW compat_overclaim AS
SELECT c.key, c.claimed AS page_says, r.status AS catalog_gives, r.note
  FROM compat_claim c JOIN compat_result r USING (key)
 WHERE (c.claimed = '✓' AND r.status <> '✓')
    OR (c.claimed = 'differs' AND r.status NOT IN ('✓', 'differs'));

-- 1. Rows the page calls ✓ or "differs" that the catalog does not back (expected: none).
SELECT * FROM compat_overclaim;

-- 2. Rows of the list missing from the page, and rows of the page not in the list (expected: none).
SELECT key, 'in ords_api.tsv, not on the page' AS problem FROM compat_api WHERE key NOT IN (SELECT key FROM compat_claim)
UNION ALL
SELECT key, 'on the page, not in ords_api.tsv' FROM compat_claim WHERE key NOT IN (SELECT key FROM compat_api)
UNION ALL
SELECT key, 'on the page twice' FROM compat_claim GROUP BY key HAVING count(*) > 1;

-- 3. The totals: per status, the page's rows and what the catalog gives (they differ only when the
--    page is stale, which scripts/compat --check reports), and the page's totals sentence adds up.
SELECT s.status, (SELECT count(*) FROM compat_claim c WHERE c.claimed = s.status) AS page_rows,
       (SELECT count(*) FROM compat_result r WHERE r.status = s.status) AS catalog_rows
  FROM unnest(ARRAY['✓', 'differs', 'missing', 'out of scope']) WITH ORDINALITY AS s(status, i) ORDER BY s.i;
SELECT (SELECT line FROM compat_doc WHERE line LIKE '**%ORDS calls%' ORDER BY n LIMIT 1)
     = format('**%s ORDS calls (each overload and version on its own row; types and constants included) and %s views listed: '
              '%s ✓, %s differs, %s missing, %s out of scope.**',
              count(*) FILTER (WHERE a.kind <> 'view'), count(*) FILTER (WHERE a.kind = 'view'),
              count(*) FILTER (WHERE c.claimed = '✓'), count(*) FILTER (WHERE c.claimed = 'differs'),
              count(*) FILTER (WHERE c.claimed = 'missing'), count(*) FILTER (WHERE c.claimed = 'out of scope')) AS totals_add_up
  FROM compat_claim c JOIN compat_api a USING (key);

-- 4. The check can fail: make the page call an out-of-scope procedure ✓ and an out-of-scope view
--    "differs" (in this session's copy of it), and both are reported.
UPDATE compat_doc SET line = replace(line, '| out of scope |', '| ✓ |') WHERE line LIKE '| `ORDS.SET_SESSION_DEFAULTS` |%';
UPDATE compat_doc SET line = replace(line, '| out of scope |', '| differs |') WHERE line LIKE '| `ORDS_METADATA.USER_ORDS_APPROVALS` |%';
SELECT * FROM compat_overclaim;

DROP EXTENSION pg_ords CASCADE;
