//! Client ids, client secrets, access tokens and Argon2id secret hashing.
//!
//! Randomness always comes from the operating system RNG. Secrets are stored
//! as Argon2id PHC strings; access tokens, which are already 256-bit random
//! values, are stored as their SHA-256 digest. No error message ever
//! contains a secret.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};
use subtle::ConstantTimeEq;

/// Length in bytes of the Argon2id output stored in PHC strings.
pub const HASH_LEN: usize = 32;
/// Length in bytes of the random salt.
pub const SALT_LEN: usize = 16;

/// Why hashing a secret failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretError {
    /// `m_kib` is outside `8*p ..= 4194304`.
    BadMemory,
    /// `t` is outside `1 ..= 100`.
    BadIterations,
    /// `p` is outside `1 ..= 16`.
    BadParallelism,
    /// The operating system RNG failed.
    Rng,
    /// The Argon2 implementation reported an error.
    Hash,
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let msg = match self {
            SecretError::BadMemory => "Argon2 memory cost must be between 8*p and 4194304 KiB",
            SecretError::BadIterations => "Argon2 time cost must be between 1 and 100",
            SecretError::BadParallelism => "Argon2 parallelism must be between 1 and 16",
            SecretError::Rng => "the operating system random number generator failed",
            SecretError::Hash => "Argon2 hashing failed",
        };
        f.write_str(msg)
    }
}

impl std::error::Error for SecretError {}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    OsRng.fill_bytes(&mut buf);
    buf
}

/// Returns a new client id: 16 random bytes, base64url without padding,
/// followed by `..` (24 characters, ORDS style).
///
/// # Panics
///
/// Only if the operating system RNG is unavailable (never because of input).
pub fn random_client_id() -> String {
    let mut s = URL_SAFE_NO_PAD.encode(random_bytes::<16>());
    s.push_str("..");
    s
}

/// Returns a new client secret: 32 random bytes (256 bits), base64url without
/// padding, followed by `..` (45 characters).
///
/// # Panics
///
/// Only if the operating system RNG is unavailable (never because of input).
pub fn random_secret() -> String {
    let mut s = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
    s.push_str("..");
    s
}

/// Returns a new access token: 32 random bytes, base64url without padding
/// (43 characters, all RFC 6750 b64token characters).
///
/// # Panics
///
/// Only if the operating system RNG is unavailable (never because of input).
pub fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// SHA-256 of the token bytes; what is stored instead of the token itself.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Argon2id cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Argon2Params {
    /// Memory cost in KiB.
    pub m_kib: u32,
    /// Time cost (iterations).
    pub t: u32,
    /// Parallelism (lanes).
    pub p: u32,
}

impl Argon2Params {
    /// OWASP's recommended minimum for Argon2id: 19 MiB, 2 iterations,
    /// 1 lane.
    pub const OWASP: Argon2Params = Argon2Params {
        m_kib: 19456,
        t: 2,
        p: 1,
    };

    /// Checks the bounds: `p` in `1..=16`, `t` in `1..=100`, `m_kib` in
    /// `8*p ..= 4194304` (4 GiB).
    pub fn validate(&self) -> Result<(), SecretError> {
        if !(1..=16).contains(&self.p) {
            return Err(SecretError::BadParallelism);
        }
        if !(1..=100).contains(&self.t) {
            return Err(SecretError::BadIterations);
        }
        // p <= 16 here, so 8*p cannot overflow.
        if !(8 * self.p..=4_194_304).contains(&self.m_kib) {
            return Err(SecretError::BadMemory);
        }
        Ok(())
    }

    fn argon2(&self) -> Result<Argon2<'static>, SecretError> {
        self.validate()?;
        let params = Params::new(self.m_kib, self.t, self.p, Some(HASH_LEN))
            .map_err(|_| SecretError::Hash)?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

fn hash_with_salt(secret: &str, params: Argon2Params, salt: &[u8]) -> Result<String, SecretError> {
    let argon2 = params.argon2()?;
    let salt = SaltString::encode_b64(salt).map_err(|_| SecretError::Hash)?;
    argon2
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| SecretError::Hash)
}

/// Hashes a secret with Argon2id (version 19, i.e. 0x13), a 16-byte random
/// salt from the OS RNG and a 32-byte output; returns the PHC string
/// (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`).
///
/// Fails if `params` are out of bounds (see [`Argon2Params::validate`]) or
/// the OS RNG fails.
pub fn hash_secret(secret: &str, params: Argon2Params) -> Result<String, SecretError> {
    let mut salt = [0u8; SALT_LEN];
    OsRng
        .try_fill_bytes(&mut salt)
        .map_err(|_| SecretError::Rng)?;
    hash_with_salt(secret, params, &salt)
}

/// Parses a PHC string and returns it only if it is an Argon2id, version 19
/// hash whose parameters are within [`Argon2Params::validate`] bounds.
fn parse_argon2id(phc: &str) -> Option<(PasswordHash<'_>, Argon2Params)> {
    let hash = PasswordHash::new(phc).ok()?;
    if hash.algorithm != argon2::ARGON2ID_IDENT {
        return None;
    }
    if hash.version != Some(Version::V0x13 as u32) {
        return None;
    }
    let params = Params::try_from(&hash).ok()?;
    let p = Argon2Params {
        m_kib: params.m_cost(),
        t: params.t_cost(),
        p: params.p_cost(),
    };
    p.validate().ok()?;
    Some((hash, p))
}

/// Verifies `secret` against a PHC string produced by [`hash_secret`], using
/// the parameters recorded in the PHC string (the output comparison is
/// constant-time).
///
/// Returns `false` on a mismatch, on a malformed PHC string, on an algorithm
/// other than Argon2id, on a version other than 19, and on recorded
/// parameters outside [`Argon2Params::validate`] bounds (which also stops a
/// tampered hash from demanding absurd memory).
pub fn verify_secret(secret: &str, phc: &str) -> bool {
    match parse_argon2id(phc) {
        Some((hash, _)) => Argon2::default()
            .verify_password(secret.as_bytes(), &hash)
            .is_ok(),
        None => false,
    }
}

/// Returns the Argon2id parameters recorded in a PHC string, or `None` if it
/// is not an Argon2id v19 hash with in-bounds parameters (the same
/// acceptance rule as [`verify_secret`]). Useful to decide whether a stored
/// hash needs rehashing with current parameters.
pub fn phc_params(phc: &str) -> Option<Argon2Params> {
    parse_argon2id(phc).map(|(_, p)| p)
}

/// Fixed PHC strings used by [`dummy_verify`], keyed by `(m_kib, t, p)`.
type DummyCache = Mutex<HashMap<(u32, u32, u32), String>>;

/// The process-wide [`DummyCache`].
fn dummy_cache() -> &'static DummyCache {
    static CACHE: OnceLock<DummyCache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Bound on distinct parameter sets kept in the [`dummy_verify`] cache.
const DUMMY_CACHE_MAX: usize = 16;

/// Performs one Argon2id verification of the given cost against a fixed
/// hash, discarding the result, so that authenticating an unknown client
/// takes as long as authenticating a known one.
///
/// The fixed hash (of a constant dummy secret, with a constant salt) is
/// computed on first use for each parameter set and cached (at most 16
/// parameter sets), so the first call for a given `params` costs about two
/// hashes and later calls one. Out-of-bounds `params` fall back to
/// [`Argon2Params::OWASP`] so that time is always spent.
pub fn dummy_verify(params: Argon2Params) {
    let params = if params.validate().is_ok() {
        params
    } else {
        Argon2Params::OWASP
    };
    let key = (params.m_kib, params.t, params.p);
    let cached = dummy_cache().lock().ok().and_then(|m| m.get(&key).cloned());
    let phc = match cached {
        Some(phc) => phc,
        None => {
            let phc = match hash_with_salt("pg_ords dummy secret", params, b"pg_ords-dummy-sa") {
                Ok(phc) => phc,
                Err(_) => return,
            };
            if let Ok(mut m) = dummy_cache().lock()
                && m.len() < DUMMY_CACHE_MAX
            {
                m.insert(key, phc.clone());
            }
            phc
        }
    };
    std::hint::black_box(verify_secret("not the dummy secret", &phc));
}

/// Constant-time equality of two byte strings (the length is not treated as
/// secret: different lengths return `false` immediately).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const FAST: Argon2Params = Argon2Params {
        m_kib: 64,
        t: 1,
        p: 1,
    };

    fn is_b64url(s: &str) -> bool {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }

    #[test]
    fn random_formats() {
        let id = random_client_id();
        assert_eq!(id.len(), 24);
        assert!(id.ends_with(".."));
        assert!(is_b64url(&id[..22]));
        let s = random_secret();
        assert_eq!(s.len(), 45);
        assert!(s.ends_with(".."));
        assert!(is_b64url(&s[..43]));
        let t = random_token();
        assert_eq!(t.len(), 43);
        assert!(is_b64url(&t));
        assert_ne!(random_client_id(), random_client_id());
        assert_ne!(random_secret(), random_secret());
        assert_ne!(random_token(), random_token());
    }

    #[test]
    fn tokens_are_bearer_tokens() {
        let t = random_token();
        assert_eq!(
            crate::http::parse_authorization(Some(&format!("Bearer {t}"))),
            Ok(crate::http::Credentials::Bearer(t))
        );
    }

    #[test]
    fn token_hash_is_sha256() {
        // SHA-256("abc")
        let want: [u8; 32] = [
            0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae,
            0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61,
            0xf2, 0x00, 0x15, 0xad,
        ];
        assert_eq!(token_hash("abc"), want);
        assert_ne!(token_hash("abc"), token_hash("abd"));
    }

    #[test]
    fn params_validation() {
        assert_eq!(Argon2Params::OWASP.validate(), Ok(()));
        assert_eq!(FAST.validate(), Ok(()));
        let p = |m_kib, t, p| Argon2Params { m_kib, t, p };
        assert_eq!(p(8, 1, 1).validate(), Ok(()));
        assert_eq!(p(7, 1, 1).validate(), Err(SecretError::BadMemory));
        assert_eq!(p(15, 1, 2).validate(), Err(SecretError::BadMemory));
        assert_eq!(p(16, 1, 2).validate(), Ok(()));
        assert_eq!(p(4_194_304, 1, 1).validate(), Ok(()));
        assert_eq!(p(4_194_305, 1, 1).validate(), Err(SecretError::BadMemory));
        assert_eq!(p(64, 0, 1).validate(), Err(SecretError::BadIterations));
        assert_eq!(p(64, 100, 1).validate(), Ok(()));
        assert_eq!(p(64, 101, 1).validate(), Err(SecretError::BadIterations));
        assert_eq!(p(64, 1, 0).validate(), Err(SecretError::BadParallelism));
        assert_eq!(p(256, 1, 16).validate(), Ok(()));
        assert_eq!(p(256, 1, 17).validate(), Err(SecretError::BadParallelism));
        assert_eq!(
            p(u32::MAX, u32::MAX, u32::MAX).validate(),
            Err(SecretError::BadParallelism)
        );
        assert_eq!(hash_secret("x", p(7, 1, 1)), Err(SecretError::BadMemory));
    }

    #[test]
    fn hash_and_verify() {
        let phc = hash_secret("s3cret..", FAST).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        assert!(verify_secret("s3cret..", &phc));
        assert!(!verify_secret("s3cret.", &phc));
        assert!(!verify_secret("", &phc));
        assert_eq!(phc_params(&phc), Some(FAST));
        // Salted: same secret, different hash.
        let phc2 = hash_secret("s3cret..", FAST).unwrap();
        assert_ne!(phc, phc2);
        assert!(verify_secret("s3cret..", &phc2));
        // Output is 32 bytes = 43 base64 chars; salt 16 bytes = 22 chars.
        let parts: Vec<&str> = phc.split('$').collect();
        assert_eq!(parts.len(), 6);
        assert_eq!(parts[4].len(), 22);
        assert_eq!(parts[5].len(), 43);
        // Parameters come from the PHC string, not from any default.
        let other = Argon2Params {
            m_kib: 128,
            t: 2,
            p: 2,
        };
        let phc3 = hash_secret("x", other).unwrap();
        assert_eq!(phc_params(&phc3), Some(other));
        assert!(verify_secret("x", &phc3));
    }

    #[test]
    fn verify_refuses_bad_phc() {
        assert!(!verify_secret("x", ""));
        assert!(!verify_secret("x", "not a phc"));
        assert!(!verify_secret("x", "$argon2id$"));
        assert_eq!(phc_params("garbage"), None);
        let phc = hash_secret("x", FAST).unwrap();
        // Other algorithms are refused even if otherwise well-formed.
        let argon2i = phc.replacen("$argon2id$", "$argon2i$", 1);
        assert!(!verify_secret("x", &argon2i));
        assert_eq!(phc_params(&argon2i), None);
        let argon2d = phc.replacen("$argon2id$", "$argon2d$", 1);
        assert!(!verify_secret("x", &argon2d));
        // Version 16 refused.
        let v16 = phc.replacen("$v=19$", "$v=16$", 1);
        assert!(!verify_secret("x", &v16));
        // Tampered parameters: the hash no longer verifies.
        let t2 = phc.replacen("t=1", "t=2", 1);
        assert!(!verify_secret("x", &t2));
        // Out-of-bounds parameters are refused without hashing.
        let huge = phc.replacen("t=1", "t=1000", 1);
        assert!(!verify_secret("x", &huge));
        assert_eq!(phc_params(&huge), None);
        // Truncated hash.
        assert!(!verify_secret("x", &phc[..phc.len() - 5]));
        // Foreign bcrypt-ish string.
        assert!(!verify_secret("x", "$2b$12$abcdefghijklmnopqrstuu"));
    }

    #[test]
    fn dummy_verify_runs() {
        dummy_verify(FAST);
        dummy_verify(FAST);
        dummy_verify(Argon2Params {
            m_kib: 8,
            t: 1,
            p: 1,
        });
        let cache = dummy_cache().lock().unwrap();
        assert!(cache.contains_key(&(64, 1, 1)));
        assert!(cache.contains_key(&(8, 1, 1)));
        // The cached PHC string verifies its own dummy secret.
        assert!(verify_secret("pg_ords dummy secret", &cache[&(64, 1, 1)]));
    }

    #[test]
    fn dummy_verify_invalid_params_fall_back_to_owasp() {
        let start = std::time::Instant::now();
        dummy_verify(Argon2Params {
            m_kib: 0,
            t: 0,
            p: 0,
        });
        eprintln!("OWASP dummy_verify (first call) took {:?}", start.elapsed());
        assert!(dummy_cache().lock().unwrap().contains_key(&(19456, 2, 1)));
    }

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    #[test]
    fn error_messages_do_not_leak() {
        for e in [
            SecretError::BadMemory,
            SecretError::BadIterations,
            SecretError::BadParallelism,
            SecretError::Rng,
            SecretError::Hash,
        ] {
            assert!(!e.to_string().is_empty());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::fuzz_cases(256)))]

        #[test]
        fn verify_never_panics(secret in any::<String>(), phc in any::<String>()) {
            prop_assert!(!verify_secret(&secret, &phc));
            prop_assert_eq!(phc_params(&phc), None);
        }

        #[test]
        fn verify_never_panics_phc_like(
            alg in prop_oneof![Just("argon2id"), Just("argon2i"), Just("x")],
            v in prop_oneof![Just("v=19"), Just("v=16"), Just("v=99999999999")],
            m in 0u64..5_000_000, t in 0u64..4, p in 0u64..40,
            salt in "[A-Za-z0-9+/]{0,30}", hash in "[A-Za-z0-9+/]{0,50}",
        ) {
            // Keep memory small so that a well-formed hash stays cheap.
            let m = m % 256;
            let phc = format!("${alg}${v}$m={m},t={t},p={p}${salt}${hash}");
            let _ = verify_secret("x", &phc);
            let _ = phc_params(&phc);
        }

        #[test]
        fn constant_time_eq_agrees(a in proptest::collection::vec(any::<u8>(), 0..8), b in proptest::collection::vec(any::<u8>(), 0..8)) {
            prop_assert_eq!(constant_time_eq(&a, &b), a == b);
        }

        #[test]
        fn token_hash_is_deterministic(s in any::<String>()) {
            prop_assert_eq!(token_hash(&s), token_hash(&s));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::fuzz_cases(256)))]

        #[test]
        fn hash_verify_round_trip(secret in any::<String>(), other in any::<String>()) {
            let phc = hash_secret(&secret, FAST).unwrap();
            prop_assert!(verify_secret(&secret, &phc));
            prop_assert_eq!(verify_secret(&other, &phc), secret == other);
        }
    }
}
