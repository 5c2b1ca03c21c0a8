-- Loads the ORDS signature list and the documented differences into temporary tables, for
-- tests/compat/match.sql. psql variables: api_file (tests/compat/ords_api.tsv) and diff_file
-- (tests/compat/differences.tsv), absolute paths. Used by scripts/compat and by the pg_regress
-- suite ords_compatibility (docs/ords-compatibility.md says how the two fit together).
CREATE TEMP TABLE compat_api_raw (package text, subprogram text, variant text, kind text, versions text,
                                  params text, source text, confirmed text, scope text, reason text);
CREATE TEMP TABLE compat_diff (key text PRIMARY KEY, kind text CHECK (kind IN ('signature', 'behaviour')), note text NOT NULL);
-- \copy does not expand psql variables: build the command in a variable first.
\set compat_cmd '\\copy compat_api_raw FROM ' :'api_file' ' WITH (FORMAT csv, HEADER true, DELIMITER E''\\t'', QUOTE E''\\x02'')'
:compat_cmd
\set compat_cmd '\\copy compat_diff FROM ' :'diff_file' ' WITH (FORMAT csv, HEADER true, DELIMITER E''\\t'', QUOTE E''\\x02'')'
:compat_cmd
CREATE TEMP TABLE compat_api AS
SELECT row_number() OVER () AS ord, package, subprogram, coalesce(variant, '') AS variant, kind, versions,
       coalesce(params, '') AS params, source, confirmed, scope, coalesce(reason, '') AS reason,
       package || '.' || subprogram || coalesce(' (' || nullif(variant, '') || ')', '') AS key
  FROM compat_api_raw;
