# Shared by scripts/*: install what is missing (Debian packages, cargo-pgrx 0.18.1, the pgrx
# registration of Debian's PostgreSQL 15). Safe to run again: it skips what is there.
set -euo pipefail

# PG_ORDS_PG_BIN points at another PostgreSQL 15 installation (see scripts/dev-pg: a private
# copy per working tree, so parallel builds do not install over each other).
PG_BIN=${PG_ORDS_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_CONFIG=$PG_BIN/pg_config
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

ensure_deps() {
  local missing=()
  for p in postgresql-15 postgresql-server-dev-15 postgresql-contrib libclang-dev clang sudo; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  fi
  if ! cargo pgrx --version 2>/dev/null | grep -q '0\.18\.1'; then
    log "installing cargo-pgrx 0.18.1 (about 4 minutes)"
    cargo install cargo-pgrx --version 0.18.1 --locked
  fi
  if ! grep -qs "pg15" "${PGRX_HOME:-$HOME/.pgrx}/config.toml"; then
    log "registering PostgreSQL 15 with pgrx"
    cargo pgrx init --pg15 "$PG_CONFIG"
  fi
}

# A throwaway cluster on loopback, run as the postgres OS user (Postgres refuses root).
# Usage: start_cluster DIR PORT [extra postgresql.conf lines...]
start_cluster() {
  local dir=$1 port=$2; shift 2
  stop_cluster "$dir"
  rm -rf "$dir"; mkdir -p "$dir"; chown postgres "$dir"
  sudo -u postgres "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
  {
    echo "port = $port"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$dir'"
    for line in "$@"; do echo "$line"; done
  } >>"$dir/data/postgresql.conf"
  sudo -u postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
}

stop_cluster() {
  local dir=$1
  if [ -f "$dir/data/postmaster.pid" ]; then
    sudo -u postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

install_extension() {
  log "building and installing pg_ords into PostgreSQL 15 ${1:-}"
  cargo pgrx install --pg-config "$PG_CONFIG" ${1:-}
}

# Build pg-ords-gateway (release) and print the binary's path. The workspace's release profile
# is tuned for the extension (fat LTO, one codegen unit); the gateway builds faster without.
# `build_gateway --example NAME` builds one of gateway/examples the same way and prints its path.
build_gateway() {
  local target=${GW_TARGET_DIR:-/tmp/gw-target}
  CARGO_TARGET_DIR=$target CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=2 cargo build -q -p pg-ords-gateway --release "$@" >&2 || return 1
  if [ "${1:-}" = --example ]; then echo "$target/release/examples/$2"; else echo "$target/release/pg-ords-gateway"; fi
}

# Wait until an HTTP URL answers, whatever the status (at most ~10 s).
wait_http() {
  for _ in $(seq 1 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "no answer from $1" >&2; return 1
}
