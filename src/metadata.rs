//! The Rust functions of schema ords_metadata (which PUBLIC cannot use): the helpers the
//! PL/pgSQL provisioning code in sql/ calls (secrets, patterns, paths, keys, invalidation).
use pgrx::prelude::*;

#[pg_schema]
pub mod ords_metadata {
    use crate::errors::raise;
    use crate::settings;
    use ords_core::{paths, patterns, secrets};
    use pgrx::prelude::*;

    /// The role pg_ords acts for: current_user where the calling pg_ords function was called
    /// (inside another role's SECURITY DEFINER function, that role; after SET ROLE, the role
    /// set). This is the owner of everything a provisioning call creates (docs/ownership.md).
    ///
    /// Refused (42501) inside a security-restricted operation (ANALYZE and autovacuum,
    /// CREATE INDEX, REFRESH MATERIALIZED VIEW, ...) and inside foreign-key actions, where
    /// Postgres runs code as another role without a function call pg_ords could see; refused
    /// (55000) when the library was not in shared_preload_libraries.
    #[pg_extern(stable, parallel_safe)]
    pub fn invoker() -> String {
        crate::identity::acting_user_name()
    }

    /// A new client_id: 16 random bytes, base64url, ending in ".." as ORDS's do.
    #[pg_extern(volatile)]
    pub fn generate_client_id() -> String {
        secrets::random_client_id()
    }

    /// A new client secret: 256 random bits, base64url, ending in "..".
    #[pg_extern(volatile)]
    pub fn generate_secret() -> String {
        secrets::random_secret()
    }

    /// Argon2id PHC string of a secret, with the parameters of pg_ords.argon2_* (chosen secrets)
    /// or pg_ords.generated_secret_argon2_* (generated ones).
    #[pg_extern(volatile)]
    pub fn hash_secret(secret: &str, generated: bool) -> String {
        match secrets::hash_secret(secret, settings::argon2_params(generated)) {
            Ok(h) => {
                crate::readback::remember(&h, secret);
                h
            }
            Err(e) => raise(
                PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
                format!("could not hash the client secret: {e}"),
                Some("Check the pg_ords.argon2_* settings."),
            ),
        }
    }

    /// For the user_ords_* views: the plaintext of the first of `p_hashes` (a client's stored
    /// secret hashes, newest first) that this session hashed for the role it acts for now;
    /// NULL otherwise (src/readback.rs).
    #[pg_extern(stable)]
    pub fn secret_seen(p_hashes: Vec<String>) -> Option<String> {
        crate::readback::recall(&p_hashes)
    }

    #[pg_extern(immutable, parallel_safe)]
    pub fn verify_secret(secret: &str, phc: &str) -> bool {
        secrets::verify_secret(secret, phc)
    }

    /// Refuse a privilege-mapping pattern that does not follow the rules (docs/decision.md#patterns).
    #[pg_extern(immutable, parallel_safe)]
    pub fn validate_pattern(pattern: &str) {
        if let Err(e) = patterns::validate(pattern) {
            raise(
                PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
                format!("privilege mapping pattern \"{pattern}\" is not valid: {e}"),
                Some(
                    "Patterns are paths relative to the schema alias that start with '/', e.g. '/customer/*'.",
                ),
            )
        }
    }

    /// A module base path in normal form: '/customers/'.
    #[pg_extern(immutable, parallel_safe)]
    pub fn normalize_base_path(base_path: &str) -> String {
        match paths::normalize_base_path(base_path) {
            Ok(p) => p,
            Err(e) => raise(
                PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
                format!("module base path \"{base_path}\" is not valid: {e}"),
                Some("A base path is a path relative to the schema alias, e.g. 'customers/'."),
            ),
        }
    }

    /// Make the current signing key of every JWT algorithm that has none.
    #[pg_extern(volatile)]
    pub fn ensure_signing_keys() {
        crate::jwt_keys::ensure_signing_keys();
    }

    /// The published HS256 keys as a JWK Set of `oct` keys (secret; see jwt_keys::hs256_jwks).
    #[pg_extern(stable)]
    pub fn hs256_jwks() -> pgrx::JsonB {
        pgrx::JsonB(crate::jwt_keys::hs256_jwks())
    }

    /// Queue an invalidation of every backend's pg_ords caches, delivered at commit (called by
    /// the catalog triggers).
    #[pg_extern(volatile)]
    pub fn invalidate_caches() {
        crate::cache::invalidate_everywhere();
    }
}

// A failing call logs neither the secret nor its statement (see tokens.rs, tokens_hardening).
extension_sql!(
    r#"
ALTER FUNCTION ords_metadata.hash_secret(text, boolean) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.verify_secret(text, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
"#,
    name = "secrets_hardening",
    requires = [ords_metadata::hash_secret, ords_metadata::verify_secret]
);
