# The shell suites' helper library: tests/reliability/*.sh and tests/gateway/*.sh source it
# (from the repository root) instead of each keeping its own copy. It brings in
#   scripts/lib.sh     build and install pg_ords, start_cluster / stop_cluster (a throwaway
#                      cluster on loopback, run as the postgres OS user), wait_http;
#                      shared with scripts/demo and scripts/bench, which are not tests
#   tests/ports.bash   every suite's default port and scratch directory (one table)
# and adds what only tests need: q (psql as a role), check / finish (ok/FAIL lines and the
# summary), seed-003 provisioning, the decisions a token gets, the catalog checksum.
# Why here and not in scripts/lib.sh: scripts/lib.sh is the build library every script needs;
# test assertions and fixtures belong next to the tests.
source scripts/lib.sh
source tests/ports.bash

# The cluster q talks to: a socket directory and a port (reliability_suite or the suite sets them).
CLUSTER_DIR=${CLUSTER_DIR:-}
CLUSTER_PORT=${CLUSTER_PORT:-}

# reliability_suite NAME: R_DIR / R_PORT from tests/ports.bash (env overrides), and q points there.
reliability_suite() {
  reliability_cluster "$1"
  CLUSTER_DIR=$R_DIR CLUSTER_PORT=$R_PORT
}

q() { # q ROLE DB [psql args...] (stdin allowed): unaligned, tuples only, stop on error
  local role=$1 db=$2; shift 2
  psql -X -q -At -h "$CLUSTER_DIR" -p "$CLUSTER_PORT" -U "$role" -d "$db" -v ON_ERROR_STOP=1 "$@"
}

passed=0
fails=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then echo "ok   - $1"; passed=$((passed + 1))
  else echo "FAIL - $1: expected [$2], got [$3]"; fails=$((fails + 1)); fi
}
finish() { # the summary line; fails the script when a check failed
  echo "$passed passed, $fails failed"
  ((fails == 0))
}

# provision_seed003 DB: seed 003 as role `page` in database DB; sets CLIENT_ID, SECRET, TOKEN.
provision_seed003() {
  local db=$1
  q postgres "$db" -c "CREATE EXTENSION IF NOT EXISTS pg_ords" >/dev/null
  q postgres postgres -c "DROP ROLE IF EXISTS page" -c "CREATE ROLE page LOGIN" >/dev/null 2>&1 || true
  q page "$db" >/dev/null <<'SQL'
SELECT ords.enable_schema(p_url_mapping_pattern => 'page');
SELECT ords.define_service(p_module_name => 'customers', p_base_path => 'customers/', p_pattern => 'validation/:id',
                           p_source_type => ords.source_type_query_one_row(), p_source => 'select 1');
SELECT ords.create_role('license_role');
SELECT ords.create_privilege('license_priv', 'license_role');
SELECT ords.set_module_privilege('customers', 'license_priv');
SELECT ords.create_role('admin_role');
SELECT ords.create_privilege('admin_priv', 'admin_role');
SELECT ords.create_privilege_mapping('admin_priv', '/admin/*');
SQL
  read -r CLIENT_ID SECRET <<<"$(q page "$db" -F ' ' -c "SELECT client_id, client_secret FROM oauth.create_client('license_backend_client', 'client_credentials')")"
  q page "$db" -c "SELECT oauth.grant_client_role('license_backend_client', 'license_role')" >/dev/null
  TOKEN=$(q page "$db" -v id="$CLIENT_ID" -v s="$SECRET" <<'SQL'
SELECT access_token FROM oauth.issue_token(:'id', :'s');
SQL
)
}

# decisions DB: the outcome of seed 003's $TOKEN on three paths (what must survive a dump,
# an upgrade, a crash...).
decisions() {
  q page "$1" -v t="$TOKEN" <<'SQL'
SELECT string_agg(p || '=' || a.outcome, ' ' ORDER BY p)
  FROM unnest(ARRAY['/customers/validation/1', '/admin/x', '/public']) p,
       LATERAL ords.authorize(:'t', 'GET', p, 'page') a;
SQL
}

# The catalog checksum has one definition, the pg_regress fixture (every row of every
# ords_metadata table). CATALOG_CHECKSUM_SQL defines pg_temp.catalog_checksum() in a session.
CATALOG_CHECKSUM_SQL=tests/pg_regress/sql/fixtures/catalog_checksum.sql
catalog_checksum() { # catalog_checksum DB [TABLE-LEFT-OUT...]
  local db=$1; shift
  q postgres "$db" -f "$CATALOG_CHECKSUM_SQL" -c "SELECT pg_temp.catalog_checksum('{$(IFS=,; echo "$*")}')"
}
row_hashes() { # row_hashes DB TABLE [COLUMN,...]: md5 of each row (or of these columns) of ords_metadata.TABLE, sorted
  q postgres "$1" -c "SELECT md5(ROW(${3:-x.*})::text) FROM ords_metadata.$2 x ORDER BY 1"
}

# run_pg_regress KIND [--update] [NAME...]: Postgres's own regression drivers against a throwaway
# cluster (pg_ords preloaded), for scripts/regress (KIND regress: tests/pg_regress/sql/NAME.sql
# against expected/NAME.out, pg_regress) and scripts/isolation (KIND isolation:
# tests/isolation/specs/NAME.spec, pg_isolation_regress). No NAME: every file. Prints the diffs
# of failures; --update copies the results over the expected files (review the git diff!).
run_pg_regress() {
  local kind=$1; shift
  local update=false tests=() extra=() as=() a f dir port inputdir ext driver db status=0
  for a in "$@"; do
    case "$a" in
      --update) update=true ;;
      *) tests+=("$a") ;;
    esac
  done
  case $kind in
    regress) dir=$REGRESS_DIR port=$REGRESS_PORT inputdir=tests/pg_regress ext=sql db=pg_ords_regress
             driver="$(dirname "$("$PG_CONFIG" --pgxs)")/../test/regress/pg_regress" extra=(--bindir="$PG_BIN") ;;
    isolation) dir=$ISOLATION_DIR port=$ISOLATION_PORT inputdir=tests/isolation ext=spec db=pg_ords_isolation
               driver="$(dirname "$("$PG_CONFIG" --pgxs)")/../test/isolation/pg_isolation_regress"
               as=(sudo -u postgres) ;;
    *) echo "run_pg_regress: unknown kind $kind" >&2; return 2 ;;
  esac
  if ((${#tests[@]} == 0)); then
    for f in "$inputdir"/"${ext/spec/specs}"/*."$ext"; do tests+=("$(basename "$f" ."$ext")"); done
  fi

  # A new suite has no expected output yet: pg_regress needs the file to exist to compare.
  if $update; then
    for f in "${tests[@]}"; do [ -f "$inputdir/expected/$f.out" ] || : >"$inputdir/expected/$f.out"; done
  fi

  ensure_deps
  # This tree's pg_ords (debug build), not whatever is installed.
  [ "${PG_ORDS_SKIP_INSTALL:-0}" = 1 ] || install_extension >/dev/null

  OUT=$(mktemp -d "/tmp/pg_ords-$kind-out.XXXXXX")
  chown postgres "$OUT"
  echo "$kind output: $OUT"
  trap "stop_cluster '$dir'" EXIT
  start_cluster "$dir" "$port" "shared_preload_libraries = 'pg_ords'"
  "$PG_BIN/createdb" -h "$dir" -p "$port" -U postgres "$db"
  # pg_ords.secret_read_back is off for the suites (their outputs show '********', not random
  # secrets); secrets_read_back and the seeds turn it back on (its default).
  # isolationtester (found next to pg_isolation_regress) must not run as root: that driver runs as
  # the postgres OS user. --bindir: this installation's psql.
  "${as[@]}" env PGOPTIONS="-c client_min_messages=warning -c pg_ords.secret_read_back=off" "$driver" --use-existing \
    "${extra[@]}" --host="$dir" --port="$port" --user=postgres --dbname="$db" \
    --inputdir="$inputdir" --outputdir="$OUT" "${tests[@]}" || status=$?

  if $update; then
    for f in "${tests[@]}"; do cp "$OUT/results/$f.out" "$inputdir/expected/$f.out"; done
    echo "expected output updated for: ${tests[*]}"
    return 0
  fi
  if ((status != 0)) && [ -f "$OUT/regression.diffs" ]; then
    cat "$OUT/regression.diffs"
  fi
  return "$status"
}
