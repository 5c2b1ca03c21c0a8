#!/usr/bin/env bash
# Stored client secrets and the key file (docs/secrets.md#stored): the key is not in the
# database, so pg_dump output holds neither the secret nor the key; a restore into the same
# cluster reads the secret back, a restore into a cluster without the key file shows '********'
# (a WARNING in the log, no error, no secret or ciphertext in the log), and copying the key file
# there makes it readable again. A base backup carries the key file.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib.bash
reliability_suite stored_secrets
B_DIR=${B_DIR:-$R_DIR-b}
B_PORT=${B_PORT:-$((R_PORT + 1))}
trap 'stop_cluster "$R_DIR"; stop_cluster "$B_DIR"' EXIT
start_cluster "$R_DIR" "$R_PORT" "shared_preload_libraries = 'pg_ords'"

q postgres postgres -c "CREATE DATABASE src" -c "CREATE DATABASE restored" >/dev/null
provision_seed003 src
KEY="$R_DIR/data/pg_ords_secrets.key"
check "no key file before a secret is stored" "absent" "$([ -e "$KEY" ] && echo present || echo absent)"
q postgres src -v s="$SECRET" >/dev/null <<'SQL'
SET pg_ords.stored_secrets = on;
SELECT ords_metadata.client_store_secret(id, :'s') FROM ords_metadata.oauth_clients WHERE name = 'license_backend_client';
SQL
check "the key file is made on first need: mode 600, owned by postgres" "600 postgres" "$(stat -c '%a %U' "$KEY")"
read_back() { q page "$1" -c "SELECT client_secret FROM user_ords_clients WHERE name = 'license_backend_client'" 2>>"$R_DIR/warnings"; }
check "the owner reads the stored secret in a new session" "$SECRET" "$(read_back src)"
# Failing calls (setting off; a secret that does not match) log neither the statement nor the secret.
q postgres src -c "SET log_min_messages = debug1" -c "SELECT ords_metadata.client_store_secret(id, '${SECRET}') FROM ords_metadata.oauth_clients" >/dev/null 2>&1 || true
q postgres src -c "SET pg_ords.stored_secrets = on" -c "SELECT ords_metadata.client_store_secret(id, '${SECRET}x') FROM ords_metadata.oauth_clients" >/dev/null 2>&1 || true
check "failing calls are logged without their statement" "2 0" \
  "$(grep -c -E 'stored client secrets are turned off|no secret of client .* matches' "$R_DIR/server.log" || true) $(grep -c 'STATEMENT:.*client_store_secret' "$R_DIR/server.log" || true)"
CT=$(q postgres src -c "SELECT encode(stored_secret, 'hex') FROM ords_metadata.oauth_client_secrets WHERE stored_secret IS NOT NULL")

sudo -u postgres "$PG_BIN/pg_dump" -h "$R_DIR" -p "$R_PORT" -U postgres src >"$R_DIR/src.sql"
check "the dump holds the sealed copy (the row is dumped)" "t" "$(grep -q "$(echo "$CT" | cut -c1-40)" "$R_DIR/src.sql" && echo t || echo f)"
check "the dump does not hold the secret" "0" "$(grep -c -F -- "$SECRET" "$R_DIR/src.sql" || true)"
leaked=0
while read -r id hex; do
  [[ "$id" =~ ^[0-9]+$ ]] || continue
  grep -q -i -F -- "$hex" "$R_DIR/src.sql" && leaked=$((leaked + 1))
  grep -q -i -F -- "$(echo "$hex" | cut -c1-16)" "$R_DIR/src.sql" && leaked=$((leaked + 1))
done <"$KEY"
check "the dump does not hold the key" "0" "$leaked"

q postgres restored -v ON_ERROR_STOP=1 -f "$R_DIR/src.sql" >/dev/null
check "restored in the same cluster: the owner reads the secret" "$SECRET" "$(read_back restored)"

# Another cluster, without the key file.
mkdir -p "$B_DIR"
start_cluster "$B_DIR" "$B_PORT" "shared_preload_libraries = 'pg_ords'"
CLUSTER_DIR=$B_DIR CLUSTER_PORT=$B_PORT
q postgres postgres -c "CREATE ROLE page LOGIN" -c "CREATE DATABASE moved" >/dev/null
q postgres moved -v ON_ERROR_STOP=1 -f "$R_DIR/src.sql" >/dev/null
check "another cluster without the key file: '********', no error" "********" "$(read_back moved)"
check "... with a WARNING naming the missing key file" "1" "$(grep -c "cannot be read: the key file pg_ords_secrets.key is missing" "$R_DIR/warnings" || true)"
check "... and the secret still authenticates (its hash came with the dump)" "43" "$(q page moved -v id="$CLIENT_ID" -v s="$SECRET" <<'SQL'
SELECT length(access_token) FROM oauth.issue_token(:'id', :'s');
SQL
)"
cp "$KEY" "$B_DIR/data/" && chown postgres "$B_DIR/data/pg_ords_secrets.key" && chmod 600 "$B_DIR/data/pg_ords_secrets.key"
check "the key file copied over: the owner reads the secret" "$SECRET" "$(read_back moved)"
for log in "$R_DIR/server.log" "$B_DIR/server.log" "$R_DIR/warnings"; do
  check "$(basename "$(dirname "$log")")/$(basename "$log"): no secret, no ciphertext" "0 0" \
    "$(grep -c -F -- "$SECRET" "$log" || true) $(grep -c -i -F -- "$(echo "$CT" | cut -c1-40)" "$log" || true)"
done
stop_cluster "$B_DIR"

# Concurrent rotations (each adds a key under the key file's lock): no key is lost, and the
# secret stays readable.
CLUSTER_DIR=$R_DIR CLUSTER_PORT=$R_PORT
keys() { grep -c -E '^[0-9]+ [0-9a-f]{64}$' "$KEY"; }
n=$(keys)
for i in 1 2 3 4 5 6 7 8; do
  q postgres src -c "SELECT ords_admin.rotate_stored_secret_key()" >/dev/null &
done
wait
check "8 concurrent rotations add 8 keys" "$((n + 8))" "$(keys)"
check "... and the owner still reads the secret" "$SECRET" "$(read_back src)"
# The other database of the cluster still uses the first key: reseal it with the current key
# before retiring anything (docs/secrets.md#stored, several databases).
check "the other database: reseal with the current key" "1" "$(q postgres restored -c "SELECT ords_admin.reseal_stored_secrets()")"
check "retiring drops every key but the current one" "$((n + 8 - 1))" \
  "$(q postgres src -c "SELECT ords_admin.retire_stored_secret_keys()")"
check "... and the owner reads the secret in both databases" "$SECRET $SECRET" "$(read_back src) $(read_back restored)"

# A base backup carries the key file (so standbys and restored backups read stored secrets).
rm -rf "$R_DIR/base"; mkdir -p "$R_DIR/base"; chown postgres "$R_DIR/base"
sudo -u postgres "$PG_BIN/pg_basebackup" -h "$R_DIR" -p "$R_PORT" -U postgres -D "$R_DIR/base/data" -X fetch
check "pg_basebackup copies the key file, mode 600" "600 same" \
  "$(stat -c %a "$R_DIR/base/data/pg_ords_secrets.key") $(cmp -s "$KEY" "$R_DIR/base/data/pg_ords_secrets.key" && echo same || echo differs)"
finish
