#!/usr/bin/env bash
# The failed-attempt throttle under real parallel backends (docs/authentication.md):
#  1. atomic: N backends released together guessing one client_id's secret (or one Basic
#     user's password) get at most pg_ords.failed_attempts_allowed verifications evaluated;
#     the rest are refused without verifying (53400 / unauthorized), the right guess included.
#     "Within a lock window": the first lock lasts 1 s (whole seconds, so possibly less), then
#     2 s, 4 s...; a burst lasting D seconds may see one more check per lock that ends in it.
#     The right guess is in the burst too: when it is evaluated it succeeds and the count
#     starts again (docs/authentication.md), so a burst with a success may evaluate one more
#     run of ALLOWED wrong guesses: the bound is ALLOWED wrong guesses per run.
#  2. flood-proof: a victim's counter (client_id and Basic user) survives floods of failures of
#     unknown client_ids and unknown Basic users: its escalation goes on.
#  3. Basic failures are logged at LOG like Postgres's own ("password authentication failed
#     for user ..."), never with the password.
# Runs against the installed pg_ords (scripts/regress or cargo pgrx install installs this tree's).
# THROTTLE_ROUNDS (3) bursts of each kind; THROTTLE_FLOOD (4000) unknown client_ids and
# THROTTLE_BASIC_FLOOD (500) unknown Basic users (each costs a dummy SCRAM verification,
# slow in a debug build). The 20,000+ floods straight into the counters are the #[pg_test]s
# in pgrx-tests/throttle.rs (cheap there: no verification).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib.bash
reliability_suite throttle
trap 'stop_cluster "$R_DIR"' EXIT
python3 -c 'import psycopg' 2>/dev/null || pip install -q 'psycopg[binary]' >/dev/null
ROUNDS=${THROTTLE_ROUNDS:-3}
FLOOD=${THROTTLE_FLOOD:-4000}
BFLOOD=${THROTTLE_BASIC_FLOOD:-500}
start_cluster "$R_DIR" "$R_PORT" "shared_preload_libraries = 'pg_ords'" "max_connections = 100" \
  "pg_ords.basic_auth = on"
LOG=$R_DIR/server.log
W="python3 tests/reliability/throttle_workload.py"

q postgres postgres -c "CREATE DATABASE app" >/dev/null
provision_seed003 app
DSN="host=$R_DIR port=$R_PORT dbname=app user=page"
ALLOWED=$(q postgres app -c "SHOW pg_ords.failed_attempts_allowed")
q postgres app -c "SET password_encryption = 'scram-sha-256'" \
  -c "CREATE ROLE license_role" -c "GRANT CONNECT ON DATABASE app TO PUBLIC" >/dev/null

# Locks that may end within a burst of S whole seconds (ending at most 0, 2, 6, 14 s after the
# burst's fifth check: 1 s, 2 s, 4 s, 8 s locks counted in whole seconds).
windows() { local s=$(($1 + 1)) n=0 end=0 len=2; while ((end < s)); do n=$((n + 1)); end=$((end + len)); len=$((len * 2)); done; echo $n; }
# Wrong guesses evaluated in the fullest run of failures (a success ends a run), beyond one per
# lock ending in the burst, counting every other run as full: per_run WRONG SUCCESSES SECONDS.
# Each run may hold ALLOWED, so this must not exceed ALLOWED.
per_run() { echo $(($1 - $(windows "$3") - ALLOWED * $2)); }

# 1a. Parallel guesses of one client's secret (default Argon2id cost, so verifications overlap).
worst=0
for r in $(seq 1 "$ROUNDS"); do
  read -r cid sec <<<"$(q page app -F ' ' -c "SELECT client_id, client_secret FROM oauth.create_client('burst_$r', 'client_credentials')")"
  out=$($W burst-issue "$DSN" "$cid" "$sec" 30)
  echo "info - issue_token burst $r: $out"
  ev=$(sed -E 's/.*evaluated=([0-9]+).*/\1/' <<<"$out")
  other=$(sed -E 's/.*other=([0-9]+).*/\1/' <<<"$out")
  secs=$(sed -E 's/.*seconds=([0-9]+).*/\1/' <<<"$out")
  granted=$(sed -E 's/.*granted=([0-9]+).*/\1/' <<<"$out")
  excess=$(per_run "$((ev - granted))" "$granted" "$secs")
  ((excess > worst)) && worst=$excess
  check "issue_token burst $r: no unexpected errors" 0 "$other"
done
echo "info - worst case: $worst wrong secrets evaluated for one client_id per run within one lock window, 30 parallel attackers (allowed: $ALLOWED)"
check "issue_token: at most $ALLOWED wrong secrets per run (plus one per lock ending in the burst) of one client_id under 30 parallel callers" yes "$( ((worst <= ALLOWED)) && echo yes || echo "no ($worst)")"

# 1b. Parallel Basic guesses of one user's password.
worst=0
for r in $(seq 1 "$ROUNDS"); do
  q postgres app -c "SET password_encryption = 'scram-sha-256'" \
    -c "CREATE USER basic_burst_$r PASSWORD 'right-password-$r' IN ROLE license_role" >/dev/null
  before=$(grep -c "password authentication failed for user \"basic_burst_$r\"" "$LOG" || true)
  out=$($W burst-basic "$DSN" "basic_burst_$r" "right-password-$r" 60 page /customers/validation/1)
  sleep 0.3
  after=$(grep -c "password authentication failed for user \"basic_burst_$r\"" "$LOG" || true)
  allowed=$(sed -E 's/.*allowed=([0-9]+).*/\1/' <<<"$out")
  ev=$((after - before + allowed))
  echo "info - Basic burst $r: $out, logged failures $((after - before)), evaluated $ev"
  secs=$(sed -E 's/.*seconds=([0-9]+).*/\1/' <<<"$out")
  excess=$(per_run "$((ev - allowed))" "$allowed" "$secs")
  ((excess > worst)) && worst=$excess
  check "Basic burst $r: failed verifications are logged" yes "$( ((after - before >= 1)) && echo yes || echo no)"
done
echo "info - worst case: $worst wrong passwords evaluated for one Basic user per run within one lock window, 60 parallel attackers (allowed: $ALLOWED)"
check "Basic: at most $ALLOWED wrong passwords per run (plus one per lock ending in the burst) of one user under 60 parallel callers" yes "$( ((worst <= ALLOWED)) && echo yes || echo "no ($worst)")"
check "no password in the server log" 0 "$(grep -c -e 'wrong-' -e 'right-password' "$LOG" || true)"

# 2. Floods. One free attempt, so every failure escalates; cheap generated-secret hashing for
#    the unknown client_ids' dummy verification (documented knob).
q postgres app -c "ALTER SYSTEM SET pg_ords.failed_attempts_allowed = 1" \
  -c "ALTER SYSTEM SET pg_ords.generated_secret_argon2_memory_kib = 64" \
  -c "ALTER SYSTEM SET pg_ords.generated_secret_argon2_iterations = 1" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.3
read -r VCID VSEC <<<"$(q page app -F ' ' -c "SELECT client_id, client_secret FROM oauth.create_client('victim', 'client_credentials')")"
q page app -c "SELECT oauth.grant_client_role('victim', 'license_role')" >/dev/null
q postgres app -c "SET password_encryption = 'scram-sha-256'" \
  -c "CREATE USER basic_victim PASSWORD 'victim-pass' IN ROLE license_role" >/dev/null
BV="Basic $(printf 'basic_victim:victim-pass' | base64 -w0)"
BW="Basic $(printf 'basic_victim:wrong-guess' | base64 -w0)"
issue() { # issue SECRET -> token / SQLSTATE
  local out
  out=$(q page app -v id="$VCID" -v s="$1" 2>&1 <<'SQL'
\set VERBOSITY terse
SELECT 'token' FROM oauth.issue_token(:'id', :'s');
SQL
) || true
  sed -E 's/.*too many failed.*/throttled/; s/.*invalid client credentials.*/28P01/' <<<"$out" | tail -1
}
basic() { q page app -v h="$1" <<<"SELECT outcome FROM ords.authorize(:'h', 'GET', '/customers/validation/1', 'page');"; }
# Three failures 1 s and 2 s apart: the counters stand at 3 (the lock after the next is 8 s).
issue wrong >/dev/null; basic "$BW" >/dev/null; sleep 1.2
issue wrong >/dev/null; basic "$BW" >/dev/null; sleep 2.2
issue wrong >/dev/null; basic "$BW" >/dev/null
t0=$(date +%s%N)
$W flood-client "$DSN" "$FLOOD" 2
t1=$(date +%s%N)
$W flood-basic "$DSN" "$BFLOOD" 2 page /customers/validation/1
t2=$(date +%s%N)
echo "info - flood of $FLOOD unknown client_ids: $(((t1 - t0) / 1000000)) ms; of $BFLOOD unknown Basic users: $(((t2 - t1) / 1000000)) ms"
sleep 4.2 # the 4 s lock of the third failure is over in any case
# The fourth failure must lock for 8 s (counter 4), not 1 s (a counter the flood reset).
check "client_id victim: fourth failure counted on top of the first three" 28P01 "$(issue wrong)"
check "Basic victim: fourth failure counted" unauthorized "$(basic "$BW")"
sleep 2.5
check "client_id victim: still locked 2.5 s later (the flood did not reset it)" throttled "$(issue "$VSEC")"
check "Basic victim: still locked 2.5 s later, right password refused" unauthorized "$(basic "$BV")"
sleep 6
check "client_id victim: the right secret passes once the lock is over" token "$(issue "$VSEC")"
check "Basic victim: the right password passes once the lock is over" allowed "$(basic "$BV")"
check "no password in the server log" 0 "$(grep -c -e 'wrong-guess' -e 'victim-pass' "$LOG" || true)"
finish
