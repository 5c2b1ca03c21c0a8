//! # ords-core
//!
//! Pure-Rust core of **pg_ords**, a PostgreSQL extension that reimplements
//! the OAuth2 security model of Oracle REST Data Services (ORDS): clients,
//! roles, privileges, client-credentials tokens and access decisions.
//!
//! This crate has no dependency on PostgreSQL or pgrx; it holds the parts
//! that can be specified and tested on their own:
//!
//! * [`paths`] — request path normalisation (the path-comparison contract);
//! * [`patterns`] — privilege-mapping URI patterns: validation, glob
//!   matching and specificity;
//! * [`decision`] — the access decision model: rules, precedence, the
//!   governing rule of a path, outcomes;
//! * [`http`] — `Authorization` header, form body and `Content-Type`
//!   parsing;
//! * [`jwt`] — JWT access tokens (HS256, ES256, EdDSA): keys, JWKs,
//!   signing and strict verification;
//! * [`route`] — the module handlers that can serve a path and their
//!   fingerprint (the gateway's one-round-trip check);
//! * [`secrets`] — client ids, client secrets, access tokens, Argon2id
//!   hashing and constant-time comparison;
//! * [`stored`] — stored client secrets: the key ring and AES-256-GCM sealing;
//! * [`throttle`] — a pure rule for throttling failed client
//!   authentications.
//!
//! Every public function is total: it returns a value or an error for any
//! input and never panics on input, and no error message echoes a secret.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod decision;
pub mod http;
pub mod jwt;
pub mod paths;
pub mod patterns;
pub mod route;
pub mod scram;
pub mod secrets;
pub mod stored;
pub mod throttle;

/// Cases per property test: the given default, or `ORDS_FUZZ_CASES` (scripts/soak runs the
/// parsers' properties with many more cases than scripts/test does).
#[cfg(test)]
pub(crate) fn fuzz_cases(default: u32) -> u32 {
    std::env::var("ORDS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
