#!/usr/bin/env bash
# pg_dump / pg_restore (custom format) and pg_dump | psql (plain) of a database using pg_ords
# keep every client, secret hash, role, privilege, mapping, module and unexpired token, and
# the restored copies authorize the same requests.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib.bash
reliability_suite dump_restore
trap 'stop_cluster "$R_DIR"' EXIT
start_cluster "$R_DIR" "$R_PORT" "shared_preload_libraries = 'pg_ords'"

q postgres postgres -c "CREATE DATABASE src" -c "CREATE DATABASE restored" -c "CREATE DATABASE replayed" >/dev/null
provision_seed003 src
before=$(decisions src)
check "source decisions" "/admin/x=forbidden /customers/validation/1=allowed /public=public" "$before"
# Every catalog table but the signing keys: the restore's CREATE EXTENSION makes fresh keys, then
# the dump adds the source's and the older current key of each algorithm is retired (sql/jwt.sql,
# sec_keys_one_current). So sec_keys is checked on its own: every source key is there, unchanged
# but for retired_on.
sum=$(catalog_checksum src sec_keys)
KEY_COLUMNS="kid, alg, private_key, created_on"
row_hashes src sec_keys "$KEY_COLUMNS" >"$R_DIR/src.keys"
n_seq=$(q postgres src -c "SELECT last_value FROM ords_metadata.id_seq")

sudo -u postgres "$PG_BIN/pg_dump" -h "$R_DIR" -p "$R_PORT" -U postgres -Fc -f "$R_DIR/src.dump" src
sudo -u postgres "$PG_BIN/pg_restore" -h "$R_DIR" -p "$R_PORT" -U postgres -d restored "$R_DIR/src.dump"
sudo -u postgres "$PG_BIN/pg_dump" -h "$R_DIR" -p "$R_PORT" -U postgres src \
  | q postgres replayed -v ON_ERROR_STOP=1 >/dev/null

for db in restored replayed; do
  check "$db: catalog rows identical, signing keys aside (checksum)" "$sum" "$(catalog_checksum "$db" sec_keys)"
  check "$db: every signing key of the source is there (kid, alg, key, created_on)" "" \
    "$(row_hashes "$db" sec_keys "$KEY_COLUMNS" | comm -23 "$R_DIR/src.keys" -)"
  echo "info - $db: $(q postgres "$db" -c "SELECT count(*) FROM ords_metadata.sec_keys") signing keys (source: $(wc -l <"$R_DIR/src.keys"))"
  check "$db: same decisions for the same token" "$before" "$(decisions "$db")"
  check "$db: id sequence kept" "$n_seq" "$(q postgres "$db" -c "SELECT last_value FROM ords_metadata.id_seq")"
  check "$db: secret hash still verifies (new token issued)" "43" "$(q page "$db" -v id="$CLIENT_ID" -v s="$SECRET" <<'SQL'
SELECT length(access_token) FROM oauth.issue_token(:'id', :'s');
SQL
)"
  q page "$db" -c "SELECT ords.create_role('after_restore')" >/dev/null
  check "$db: new objects get fresh ids (no collision)" "t" "$(q page "$db" -c "SELECT count(*) = 1 FROM user_ords_roles WHERE name = 'after_restore'")"
done
finish
