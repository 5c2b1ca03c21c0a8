//! pg_ords: Oracle REST Data Services' OAuth2 security model inside PostgreSQL.
//!
//! The SQL-facing layer is thin. Provisioning (ORDS's OAUTH / ORDS / ORDS_SECURITY packages) is
//! PL/pgSQL in `sql/`, where a DBA can read it; the security-critical work (secrets, tokens,
//! path normalisation, pattern matching, the access decision) is Rust: pure logic in the
//! `ords-core` crate, and here only the glue that reads the catalog and talks to Postgres.
// pgrx spells a set-returning function's columns in its signature (`TableIterator<(name!(..),
// ..)>`); those signatures are the SQL interface, so they stay written out.
#![allow(clippy::type_complexity)]
use pgrx::prelude::*;

pgrx::pg_module_magic!();

mod bearer;
mod cache;
mod catalog;
mod direct;
mod errors;
mod gateway;
mod identity;
mod jwt_keys;
mod postgrest;
mod readback;
mod settings;
mod shared;
mod stored;
mod throttle;

pub mod authorize;
pub mod metadata;
pub mod tokens;

// Tables first, then the Rust functions, then the PL/pgSQL that calls them.
extension_sql_file!("../sql/catalog.sql", name = "catalog", bootstrap);
extension_sql_file!(
    "../sql/core.sql",
    name = "core",
    requires = [
        metadata::ords_metadata::invoker,
        metadata::ords_metadata::generate_client_id,
        metadata::ords_metadata::generate_secret,
        metadata::ords_metadata::hash_secret,
        metadata::ords_metadata::verify_secret,
        metadata::ords_metadata::validate_pattern,
        metadata::ords_metadata::normalize_base_path,
    ]
);
extension_sql_file!("../sql/types.sql", name = "types", requires = ["core"]);
extension_sql_file!("../sql/api.sql", name = "api", requires = ["core", "types"]);
// Stored secrets (docs/secrets.md#stored): before the views, whose client_secret reads them.
extension_sql_file!(
    "../sql/stored.sql",
    name = "stored",
    requires = [
        "api",
        stored::ords_metadata::stored_secrets_enabled,
        stored::ords_metadata::stored_seal,
        stored::ords_metadata::stored_open,
        stored::ords_metadata::stored_reseal,
        stored::ords_metadata::stored_key_id,
        stored::ords_metadata::stored_key_add,
        stored::ords_metadata::stored_keys_retain
    ]
);
extension_sql_file!(
    "../sql/views.sql",
    name = "views",
    requires = ["api", "stored", metadata::ords_metadata::secret_seen]
);
extension_sql_file!("../sql/jwt.sql", name = "jwt", requires = ["views"]);
extension_sql_file!(
    "../sql/postgrest.sql",
    name = "postgrest",
    requires = [
        "jwt",
        postgrest::ords::postgrest_token_binding,
        metadata::ords_metadata::ensure_signing_keys,
        // ensure_signing_keys inserts keys at install: the catalog triggers call this.
        metadata::ords_metadata::invalidate_caches
    ]
);
extension_sql_file!(
    "../sql/gateway.sql",
    name = "gateway",
    requires = ["postgrest"]
);
extension_sql_file!("../sql/privileges.sql", name = "privileges", finalize);

#[pg_guard]
pub extern "C-unwind" fn _PG_init() {
    settings::init();
    cache::init();
    shared::init();
    throttle::init();
    identity::init();
}

#[cfg(any(test, feature = "pg_test"))]
#[path = "../pgrx-tests/mod.rs"]
mod pgrx_tests;

/// Required by `cargo pgrx test`.
#[cfg(test)]
pub mod pg_test {
    pub fn setup(_options: Vec<&str>) {}

    pub fn postgresql_conf_options() -> Vec<&'static str> {
        // Preloading gives the failed-attempt throttle its shared memory.
        vec!["shared_preload_libraries = 'pg_ords'"]
    }
}
