//! Settings (GUCs). All of them can be set in postgresql.conf, with ALTER SYSTEM, or per
//! database/role; the security-relevant ones only by superusers.
use std::ffi::{CStr, CString};

use ords_core::secrets::Argon2Params;
use ords_core::throttle::ThrottleRule;
use pgrx::{GucContext, GucFlags, GucRegistry, GucSetting};

pub static TOKEN_DURATION: GucSetting<i32> = GucSetting::<i32>::new(3600);
pub static MAX_TOKEN_DURATION: GucSetting<i32> = GucSetting::<i32>::new(86_400);
pub static ARGON2_MEMORY_KIB: GucSetting<i32> = GucSetting::<i32>::new(19456);
pub static ARGON2_ITERATIONS: GucSetting<i32> = GucSetting::<i32>::new(2);
pub static ARGON2_PARALLELISM: GucSetting<i32> = GucSetting::<i32>::new(1);
pub static GENERATED_ARGON2_MEMORY_KIB: GucSetting<i32> = GucSetting::<i32>::new(19456);
pub static GENERATED_ARGON2_ITERATIONS: GucSetting<i32> = GucSetting::<i32>::new(2);
pub static FAILED_ATTEMPTS_ALLOWED: GucSetting<i32> = GucSetting::<i32>::new(5);
pub static FAILED_ATTEMPTS_MAX_DELAY: GucSetting<i32> = GucSetting::<i32>::new(300);
pub static TOKEN_CACHE: GucSetting<bool> = GucSetting::<bool>::new(true);
pub static BASIC_AUTH: GucSetting<bool> = GucSetting::<bool>::new(false);
pub static SECRET_READ_BACK: GucSetting<bool> = GucSetting::<bool>::new(true);
pub static STORED_SECRETS: GucSetting<bool> = GucSetting::<bool>::new(false);
pub static LEGACY_STORED_SECRETS: GucSetting<bool> = GucSetting::<bool>::new(false);
pub static BASIC_AUTH_ALLOW_SUPERUSER: GucSetting<bool> = GucSetting::<bool>::new(false);
pub static TOKEN_FORMAT: GucSetting<Option<CString>> =
    GucSetting::<Option<CString>>::new(Some(c"opaque"));
pub static JWT_ALGORITHM: GucSetting<Option<CString>> =
    GucSetting::<Option<CString>>::new(Some(c"ES256"));
pub static JWT_ISSUER: GucSetting<Option<CString>> =
    GucSetting::<Option<CString>>::new(Some(c"pg_ords"));
pub static JWT_AUDIENCE: GucSetting<Option<CString>> = GucSetting::<Option<CString>>::new(None);
pub static TOKEN_CACHE_SIZE: GucSetting<i32> = GucSetting::<i32>::new(100_000);

fn int(
    name: &'static CStr,
    short: &'static CStr,
    long: &'static CStr,
    s: &'static GucSetting<i32>,
    min: i32,
    max: i32,
) {
    GucRegistry::define_int_guc(
        name,
        short,
        long,
        s,
        min,
        max,
        GucContext::Suset,
        GucFlags::default(),
    );
}

pub fn init() {
    int(
        c"pg_ords.token_duration",
        c"Access-token lifetime in seconds for clients without p_token_duration.",
        c"Default 3600, as in ORDS.",
        &TOKEN_DURATION,
        1,
        365 * 24 * 3600,
    );
    int(c"pg_ords.max_token_duration", c"Longest access-token lifetime in seconds, whatever a client's p_token_duration says.",
        c"Default 86400 (24 h). Every token's lifetime is capped to it, and a retired signing key stops being published and accepted this long after its retirement.",
        &MAX_TOKEN_DURATION, 1, 365 * 24 * 3600);
    int(
        c"pg_ords.argon2_memory_kib",
        c"Argon2id memory cost (KiB) for caller-chosen client secrets.",
        c"Default 19456 (19 MiB, OWASP).",
        &ARGON2_MEMORY_KIB,
        8,
        4_194_304,
    );
    int(
        c"pg_ords.argon2_iterations",
        c"Argon2id time cost for caller-chosen client secrets.",
        c"Default 2 (OWASP).",
        &ARGON2_ITERATIONS,
        1,
        100,
    );
    int(
        c"pg_ords.argon2_parallelism",
        c"Argon2id parallelism for all client secrets.",
        c"Default 1.",
        &ARGON2_PARALLELISM,
        1,
        16,
    );
    int(c"pg_ords.generated_secret_argon2_memory_kib", c"Argon2id memory cost (KiB) for secrets pg_ords generates (256 random bits).",
        c"Default 19456. Generated secrets cannot be guessed, so this may be lowered to speed up token issuance.",
        &GENERATED_ARGON2_MEMORY_KIB, 8, 4_194_304);
    int(
        c"pg_ords.generated_secret_argon2_iterations",
        c"Argon2id time cost for secrets pg_ords generates.",
        c"Default 2.",
        &GENERATED_ARGON2_ITERATIONS,
        1,
        100,
    );
    int(c"pg_ords.failed_attempts_allowed", c"Failed authentications per client_id or HTTP Basic user before throttling starts.",
        c"Also the most checks of one name ever in flight at once (an attempt counts as a failure until it succeeds). After that, each further failure doubles the wait (1 s, 2 s, 4 s, ...) up to pg_ords.failed_attempts_max_delay; 15 minutes without a failure forgets them.",
        &FAILED_ATTEMPTS_ALLOWED, 1, 1_000_000);
    int(
        c"pg_ords.failed_attempts_max_delay",
        c"Longest wait (seconds) imposed after repeated failed client authentications.",
        c"Default 300.",
        &FAILED_ATTEMPTS_MAX_DELAY,
        1,
        86_400,
    );
    GucRegistry::define_bool_guc(c"pg_ords.token_cache", c"Cache validated tokens and privilege patterns per backend.",
        c"Every catalog change empties the caches of all backends at commit, so decisions never use stale data.",
        &TOKEN_CACHE, GucContext::Suset, GucFlags::default());
    GucRegistry::define_bool_guc(c"pg_ords.basic_auth", c"Let ords.authorize accept HTTP Basic credentials of Postgres login roles.",
        c"Off by default, as ORDS ships database authentication off (jdbc.auth.enabled=false). When on: LOGIN roles with CONNECT on the database, checked against their SCRAM verifier, throttled and logged like failed logins; pg_hba.conf is not consulted (docs/authentication.md). The user's ORDS roles are the roles of the path's schema named like a Postgres role the user is a member of (seed 004).",
        &BASIC_AUTH, GucContext::Suset, GucFlags::default());
    GucRegistry::define_bool_guc(
        c"pg_ords.basic_auth_allow_superuser",
        c"Let superusers authenticate with HTTP Basic in ords.authorize.",
        c"Off by default: a superuser's password should not be usable over HTTP.",
        &BASIC_AUTH_ALLOW_SUPERUSER,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"pg_ords.secret_read_back",
        c"Show a new client secret in user_ords_clients in the session that created or rotated it.",
        c"On by default (the ORDS seeds read the secret back right after oauth.create_client): the plaintext is held in that backend's memory only, for the role it was made for, and '********' is shown everywhere else. Turn it off where many users share one database role on pooled connections (docs/secrets.md#read-back).",
        &SECRET_READ_BACK,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"pg_ords.stored_secrets",
        c"Allow stored (retrievable) client secrets, encrypted with the key file pg_ords_secrets.key of the data directory.",
        c"Off by default: only an Argon2id hash of a secret is kept. When on, ORDS_SECURITY's p_stored => true (and pg_ords.legacy_stored_secrets) keep an AES-256-GCM copy that the client's owner reads back in user_ords_clients (docs/secrets.md#stored). Turning it off stops storing; copies already stored stay readable until the secret is rotated or revoked.",
        &STORED_SECRETS,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"pg_ords.legacy_stored_secrets",
        c"Make legacy oauth.create_client store its secrets, as ORDS before 24.3 did.",
        c"Off by default. Needs pg_ords.stored_secrets = on too (docs/secrets.md#stored).",
        &LEGACY_STORED_SECRETS,
        GucContext::Suset,
        GucFlags::default(),
    );
    let string = |name, short, long, s| {
        GucRegistry::define_string_guc(name, short, long, s, GucContext::Suset, GucFlags::default())
    };
    string(
        c"pg_ords.token_format",
        c"Access-token format for schemas that do not choose one: opaque or jwt.",
        c"Schemas choose with ords.set_token_format. Both kinds are accepted at all times.",
        &TOKEN_FORMAT,
    );
    string(c"pg_ords.jwt_algorithm", c"Algorithm of the JWT access tokens: ES256 (default), EdDSA or HS256.",
        c"ES256 and EdDSA are verified by PostgREST with the public keys of ords.jwks(); HS256 with the oct keys that ords.postgrest_pre_config publishes to PostgREST (docs/postgrest.md).",
        &JWT_ALGORITHM);
    string(
        c"pg_ords.jwt_issuer",
        c"The iss claim of JWT access tokens.",
        c"Default pg_ords.",
        &JWT_ISSUER,
    );
    string(
        c"pg_ords.jwt_audience",
        c"The aud claim of JWT access tokens (empty: the schema alias).",
        c"Set PostgREST's jwt-aud to the same value to have PostgREST check it.",
        &JWT_AUDIENCE,
    );
    int(
        c"pg_ords.token_cache_size",
        c"Most tokens one backend keeps in its cache.",
        c"Default 100000.",
        &TOKEN_CACHE_SIZE,
        0,
        10_000_000,
    );
}

fn nonneg_u32(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(1)
}

/// Argon2id parameters for a new hash: generated secrets may be cheaper than chosen ones.
pub fn argon2_params(generated: bool) -> Argon2Params {
    let (m, t) = if generated {
        (
            GENERATED_ARGON2_MEMORY_KIB.get(),
            GENERATED_ARGON2_ITERATIONS.get(),
        )
    } else {
        (ARGON2_MEMORY_KIB.get(), ARGON2_ITERATIONS.get())
    };
    Argon2Params {
        m_kib: nonneg_u32(m),
        t: nonneg_u32(t),
        p: nonneg_u32(ARGON2_PARALLELISM.get()),
    }
}

pub fn throttle_rule() -> ThrottleRule {
    ThrottleRule {
        free_attempts: nonneg_u32(FAILED_ATTEMPTS_ALLOWED.get()),
        max_delay_s: i64::from(FAILED_ATTEMPTS_MAX_DELAY.get()),
        ..ThrottleRule::default()
    }
}

pub fn string_setting(s: &GucSetting<Option<CString>>) -> Option<String> {
    s.get()
        .map(|c| c.to_string_lossy().into_owned())
        .filter(|v| !v.is_empty())
}

/// The lifetime of a new token: the client's duration, else pg_ords.token_duration, capped to
/// pg_ords.max_token_duration (docs/security.md: one tenant cannot keep retired keys alive).
pub fn token_lifetime(client_duration: Option<i32>) -> i32 {
    client_duration
        .unwrap_or_else(|| TOKEN_DURATION.get())
        .clamp(1, MAX_TOKEN_DURATION.get().max(1))
}
