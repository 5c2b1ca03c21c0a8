//! Signing keys of JWT access tokens (table ords_metadata.sec_keys), their public JWK Set, and
//! the signing / verification of pg_ords's JWTs.
use std::cell::RefCell;
use std::rc::Rc;

use ords_core::jwt::{self, Alg, SigningKey, VerifyKey};
use pgrx::prelude::*;
use pgrx::spi::SpiResult;
use serde_json::Value;

use crate::errors::{raise, spi_failed};
use crate::identity::as_owner;

const ALGS: [Alg; 3] = [Alg::HS256, Alg::ES256, Alg::EdDSA];

struct KeyRow {
    kid: String,
    alg: String,
    private: Vec<u8>,
    current: bool,
    published: bool,
    /// A retired key's end of publication (Unix microseconds): retired_on + the longest token
    /// lifetime. None for a current key.
    published_until_us: Option<i64>,
}

/// The longest lifetime any token may have (pg_ords.max_token_duration, a superuser setting):
/// every token's lifetime is capped to it at issuance, so a key retired longer ago than this
/// has no live token left and is neither published nor accepted (docs/postgrest.md, "Keys").
/// No client's p_token_duration can extend it.
fn longest_token_lifetime() -> i32 {
    crate::settings::MAX_TOKEN_DURATION.get().max(1)
}

fn load_rows() -> Vec<KeyRow> {
    let longest = longest_token_lifetime();
    let r: SpiResult<Vec<KeyRow>> = as_owner(|| {
        Spi::connect(|c| {
            let t = c.select(
                "SELECT k.kid, k.alg, k.private_key, k.retired_on IS NULL,
                        k.retired_on IS NULL OR k.retired_on + make_interval(secs => $1) > clock_timestamp(),
                        (extract(epoch FROM k.retired_on + make_interval(secs => $1)) * 1000000)::int8
                   FROM ords_metadata.sec_keys k ORDER BY k.created_on DESC, k.kid",
                None,
                &[f64::from(longest).into()],
            )?;
            let mut out = Vec::new();
            for row in t {
                out.push(KeyRow {
                    kid: row.get(1)?.unwrap_or_default(),
                    alg: row.get(2)?.unwrap_or_default(),
                    private: row.get::<Vec<u8>>(3)?.unwrap_or_default(),
                    current: row.get(4)?.unwrap_or(false),
                    published: row.get(5)?.unwrap_or(false),
                    published_until_us: row.get(6)?,
                });
            }
            Ok(out)
        })
    });
    r.unwrap_or_else(|e| spi_failed("read the signing keys", e))
}

fn to_signing(row: &KeyRow) -> Option<SigningKey> {
    let alg = Alg::parse(&row.alg)?;
    SigningKey::from_private_bytes(alg, row.kid.clone(), &row.private).ok()
}

/// Make the current key of every algorithm that has none (at install, at
/// ords.set_token_format('jwt'), after a rotation). When it made one, PostgREST is told to
/// re-read its configuration (`NOTIFY pgrst, 'reload config'`, delivered at commit), so its
/// jwt-secret (ords.postgrest_pre_config) publishes the new key before a token uses it.
pub fn ensure_signing_keys() {
    let rows = load_rows();
    let mut made = false;
    for alg in ALGS {
        if rows.iter().any(|r| r.current && r.alg == alg.as_str()) {
            continue;
        }
        let kid = format!(
            "{}-{}",
            alg.as_str().to_lowercase(),
            &ords_core::secrets::random_token()[..12]
        );
        let key = SigningKey::generate(alg, kid.clone()).unwrap_or_else(|e| {
            raise(
                PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
                format!("could not generate a {} key: {e}", alg.as_str()),
                None,
            )
        });
        let r: SpiResult<bool> =
            as_owner(|| {
                Spi::connect_mut(|c| {
                    let t = c.update(
                    "INSERT INTO ords_metadata.sec_keys (kid, alg, private_key) VALUES ($1, $2, $3)
                     ON CONFLICT DO NOTHING RETURNING kid",
                    None,
                    &[kid.as_str().into(), alg.as_str().into(), key.private_bytes().into()],
                )?;
                    Ok(!t.is_empty())
                })
            });
        made |= r.unwrap_or_else(|e| spi_failed("store a signing key", e));
    }
    if made {
        let r: SpiResult<()> = Spi::connect_mut(|c| {
            c.update(
                "SELECT pg_catalog.pg_notify('pgrst', 'reload config')",
                None,
                &[],
            )?;
            Ok(())
        });
        r.unwrap_or_else(|e| spi_failed("notify PostgREST of new signing keys", e));
    }
}

/// The public JWK Set: the current and still-published asymmetric keys.
pub fn jwks() -> Value {
    let keys: Vec<SigningKey> = load_rows()
        .iter()
        .filter(|r| r.published)
        .filter_map(to_signing)
        .collect();
    jwt::public_jwks(&keys)
}

/// The HS256 keys still published, as a JWK Set of `oct` keys with their kids: what PostgREST's
/// jwt-secret must be in HS256 mode (a plain secret string has no kid, and PostgREST v13+
/// refuses tokens whose kid matches no key). Secret: for ords.postgrest_pre_config only.
pub fn hs256_jwks() -> Value {
    let keys: Vec<Value> = load_rows()
        .iter()
        .filter(|r| r.published && r.alg == Alg::HS256.as_str())
        .filter_map(to_signing)
        .filter_map(|k| k.hs256_jwk())
        .collect();
    serde_json::json!({ "keys": keys })
}

fn configured_alg() -> Alg {
    crate::settings::string_setting(&crate::settings::JWT_ALGORITHM)
        .and_then(|a| Alg::parse(&a))
        .unwrap_or(Alg::ES256)
}

/// Sign claims with the current key of the configured algorithm (made at first use).
pub fn sign(claims: &Value) -> String {
    let alg = configured_alg();
    let pick = |rows: &[KeyRow]| {
        rows.iter()
            .filter(|r| r.current && r.alg == alg.as_str())
            .find_map(to_signing)
    };
    let key = match pick(&load_rows()) {
        Some(k) => k,
        None => {
            ensure_signing_keys();
            pick(&load_rows()).unwrap_or_else(|| {
                raise(
                    PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
                    "no signing key is available",
                    None,
                )
            })
        }
    };
    jwt::sign(&key, claims).unwrap_or_else(|e| {
        raise(
            PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
            format!("could not sign the token: {e}"),
            None,
        )
    })
}

thread_local! {
    /// Verification keys, parsed once, with what they were read under: the cache generation,
    /// the longest token lifetime, and until when (Unix microseconds) they stay what the
    /// catalog says without any change to it: the earliest end of publication of a retired key
    /// among them (docs/postgrest.md, "Keys": a retired key stops being accepted
    /// max_token_duration after its retirement, by the clock, with no write to announce it).
    static VERIFY: RefCell<Option<(u64, i32, i64, Rc<Keys>)>> = const { RefCell::new(None) };
}

/// The keys that verify tokens now: the current ones, and the retired ones still accepted with
/// the end of their window (Unix microseconds).
struct Keys {
    current: Vec<VerifyKey>,
    retired: Vec<(VerifyKey, i64)>,
}

fn verify_keys() -> Rc<Keys> {
    let generation = crate::cache::generation_now();
    let longest = longest_token_lifetime();
    let now = crate::authorize::now_us();
    if let Some(keys) = VERIFY.with(|v| {
        v.borrow()
            .as_ref()
            .filter(|(g, l, until, _)| *g == generation && *l == longest && now < *until)
            .map(|(_, _, _, k)| k.clone())
    }) {
        return keys;
    }
    // The latest snapshot, not the caller's: a REPEATABLE READ transaction that began before a
    // key was removed must not read it back, nor leave it here for later transactions.
    let rows = crate::catalog::with_fresh_snapshot(load_rows);
    let published: Vec<&KeyRow> = rows.iter().filter(|r| r.published).collect();
    let until = published
        .iter()
        .filter_map(|r| r.published_until_us)
        .min()
        .unwrap_or(i64::MAX);
    let verify_key = |r: &KeyRow| VerifyKey::from_signing(&to_signing(r)?).ok();
    let keys = Rc::new(Keys {
        current: published
            .iter()
            .filter(|r| r.published_until_us.is_none())
            .filter_map(|r| verify_key(r))
            .collect(),
        retired: published
            .iter()
            .filter_map(|r| Some((verify_key(r)?, r.published_until_us?)))
            .collect(),
    });
    if crate::cache::generation_now() == generation {
        VERIFY.with(|v| *v.borrow_mut() = Some((generation, longest, until, keys.clone())));
    }
    keys
}

/// Verify one of our JWTs (signature, kid, alg, exp; ords_core::jwt::verify_access) and return
/// its (sub, jti), and until when (Unix microseconds) the key that verified it is accepted when
/// that is a retired key: a session resolved through it must not be used beyond that (the
/// backend's token cache keeps sessions, not signatures; docs/postgrest.md, "Keys"). A token
/// whose lifetime (exp - iat) exceeds pg_ords.max_token_duration is refused too: no token
/// outlives the cap, even one issued before the cap was lowered.
pub fn verify(token: &str) -> Option<(String, String, Option<i64>)> {
    access(token, jwt::verify_access)
}

/// Every check of `verify` but the ES256/EdDSA/HS256 signature itself (the kid must still be
/// a published key with the token's alg, the retired key's window still open, the time claims
/// and the lifetime cap still hold): ords_core::jwt::verify_access_without_signature. Its
/// (sub, jti) may be anyone's; only src/bearer.rs trusts them, and only for a text whose
/// SHA-256 is the token_digest its session row recorded at issuance (docs/tokens.md,
/// "Verifying a JWT").
pub fn verify_without_signature(token: &str) -> Option<(String, String, Option<i64>)> {
    access(token, jwt::verify_access_without_signature)
}

type Check = fn(&str, &[VerifyKey], i64, i64) -> Result<jwt::AccessClaims, jwt::JwtError>;

fn access(token: &str, check: Check) -> Option<(String, String, Option<i64>)> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let keys = verify_keys();
    // The current keys, else each retired key on its own (a key is picked by the token's kid
    // before any signature is checked, so only the matching one costs a verification).
    let (claims, until) = match check(token, &keys.current, now, 0) {
        Ok(claims) => (claims, None),
        Err(_) => keys.retired.iter().find_map(|(k, until)| {
            check(token, std::slice::from_ref(k), now, 0)
                .ok()
                .map(|claims| (claims, Some(*until)))
        })?,
    };
    let (iat, exp) = (claims.iat?, claims.exp?);
    if exp.saturating_sub(iat) > i64::from(longest_token_lifetime()) {
        return None;
    }
    Some((claims.sub?, claims.jti?, until))
}

/// The key under which a JWT's session is stored: SHA-256 of "jti:" + jti (a leaked jti is
/// therefore not usable as an opaque token).
pub fn session_key(jti: &str) -> [u8; 32] {
    ords_core::secrets::token_hash(&format!("jti:{jti}"))
}
