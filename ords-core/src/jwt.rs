//! JSON Web Tokens (RFC 7519) for pg_ords access tokens.
//!
//! pg_ords can issue its access tokens as JWTs that PostgREST verifies
//! natively, and verifies them itself (signature, `kid`, `exp`, `nbf`,
//! `iat`) before it checks revocation by `jti`. Three algorithms are
//! supported:
//!
//! * `HS256` — HMAC-SHA-256 with a shared secret. PostgREST's `jwt-secret`
//!   is a *string* whose UTF-8 bytes are the HMAC key, so the key of an
//!   HS256 [`SigningKey`] is defined as the bytes of its text form
//!   ([`SigningKey::hs256_secret_text`]): 48 random bytes in base64url, 64
//!   characters.
//! * `ES256` — ECDSA on P-256 with SHA-256, signatures in the JOSE form
//!   `r || s` (64 bytes). Signatures are issued with a low `s` and only
//!   low-`s` signatures are accepted, so a token has one valid encoding.
//! * `EdDSA` — Ed25519, checked with the strict verification rules.
//!
//! Verification is strict and refuses algorithm confusion: the `alg` of a
//! token must equal the `alg` of the key its `kid` names, so an HS256 token
//! is only ever checked against an HS256 key, never with a public key's
//! bytes as an HMAC secret. `alg: none` is always refused.
//!
//! No function panics on input and no error message contains a token or
//! key material.
//!
//! # What is a crate's and what is ours
//!
//! The cryptography is RustCrypto's: `hmac`/`sha2` (HMAC, the tag compared
//! in constant time by `Mac::verify_slice`), `p256` (ECDSA keys, signing,
//! and the range and low-`s` checks of a signature) and `ed25519-dalek`
//! (`verify_strict`), except the ES256 verification itself, which is
//! `ring`'s `ECDSA_P256_SHA256_FIXED` (measured about four times faster
//! than `p256`'s, and no slower than `aws-lc-rs` or OpenSSL: it is the
//! cost of an uncached JWT decision, docs/benchmarks.md); base64url is
//! the `base64` crate's strict no-padding engine and JSON is
//! `serde_json`. What stays here is
//! key handling (raw scalars and seeds, JWKs) and the JOSE policy, because
//! no JWT crate enforces that policy. `jsonwebtoken` 12 (`rust_crypto`
//! backend), measured: it issues high-`s` ES256 signatures half the time
//! and accepts their malleated twins; it verifies Ed25519 non-strictly (a
//! token "signed" under a small-order public key passes) and panics on a
//! short Ed25519 key; it accepts `exp == now` and a missing `kid`, ignores
//! a future `iat`, reads only the system clock (our callers pass `now`),
//! and wants PKCS#8 keys where we store raw scalars and seeds. Wrapping it
//! with these checks would take more lines than the signature calls it
//! replaces, and would bring RSA, P-384, PEM and ASN.1 code that nothing
//! here uses into the extension. `josekit` links OpenSSL into the backend.
//!
//! Independent checks: `jsonwebtoken` 9, whose `ring` backend shares no
//! code with RustCrypto, verifies in the tests the tokens of every
//! algorithm we issue (through our JWKs too) and issues HS256 tokens we
//! verify; our ES256 verifier (ring) is checked against `p256`'s on valid,
//! mutated, high-`s` and DER signatures; `tests/reliability/jwt_independent.py` verifies issued tokens
//! and has forged ones refused with Python's PyJWT and `cryptography`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::Signer as _;
use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use sha2::Sha256;
use std::borrow::Cow;
use std::fmt;

/// Largest token, in bytes, that [`verify`] will look at (8 KiB).
pub const MAX_TOKEN_LEN: usize = 8 * 1024;

/// Shortest HS256 key, in bytes, accepted anywhere (PostgREST requires a
/// `jwt-secret` of at least 32 characters).
pub const MIN_HS256_KEY_LEN: usize = 32;

/// Number of random bytes behind a generated HS256 secret.
const HS256_RANDOM_BYTES: usize = 48;

/// Length in bytes of an Ed25519 seed and of a P-256 private scalar.
const PRIVATE_KEY_LEN: usize = 32;

/// Length in bytes of an ES256 or EdDSA signature.
const SIGNATURE_LEN: usize = 64;

type HmacSha256 = Hmac<Sha256>;

/// A JWS signature algorithm supported by pg_ords.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alg {
    /// HMAC with SHA-256 and a shared secret.
    HS256,
    /// ECDSA with P-256 and SHA-256.
    ES256,
    /// EdDSA with Ed25519.
    EdDSA,
}

impl Alg {
    /// The algorithm's name as it appears in a JOSE header or a JWK.
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::HS256 => "HS256",
            Alg::ES256 => "ES256",
            Alg::EdDSA => "EdDSA",
        }
    }

    /// Parses an algorithm name; exact and case-sensitive, as JOSE requires.
    /// Returns `None` for `none` and every unsupported name.
    pub fn parse(s: &str) -> Option<Alg> {
        match s {
            "HS256" => Some(Alg::HS256),
            "ES256" => Some(Alg::ES256),
            "EdDSA" => Some(Alg::EdDSA),
            _ => None,
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a key could not be made or used, or why a token was refused.
///
/// No variant carries, and no message contains, a token or key material.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JwtError {
    /// The operating system RNG failed.
    Rng,
    /// Key bytes or a JWK are not a valid key for the algorithm.
    BadKey,
    /// The claims to sign are not a JSON object.
    BadClaims,
    /// Signing failed inside the cryptographic library.
    Sign,
    /// The token is longer than [`MAX_TOKEN_LEN`].
    TooLarge,
    /// The token is not three non-empty base64url parts separated by dots.
    Malformed,
    /// The header is not a JSON object with string `alg` and `kid`, or
    /// carries a `crit` parameter.
    BadHeader,
    /// The header says `alg: none`.
    AlgNone,
    /// The header names an algorithm that is not supported.
    UnsupportedAlg,
    /// No key has the header's `kid`.
    UnknownKid,
    /// The key named by `kid` is for a different algorithm than the header's.
    AlgMismatch,
    /// The signature does not verify.
    BadSignature,
    /// The payload is not a JSON object.
    BadPayload,
    /// The payload has no `exp` claim.
    MissingExp,
    /// A time claim (`exp`, `nbf` or `iat`) is not a finite number.
    BadTimeClaim,
    /// The token has expired (`exp + leeway <= now`).
    Expired,
    /// The token is not valid yet (`nbf - leeway > now`).
    NotYetValid,
    /// The token claims to have been issued in the future
    /// (`iat - leeway > now`).
    IssuedInFuture,
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let msg = match self {
            JwtError::Rng => "the operating system random number generator failed",
            JwtError::BadKey => "invalid key for the algorithm",
            JwtError::BadClaims => "JWT claims must be a JSON object",
            JwtError::Sign => "signing the JWT failed",
            JwtError::TooLarge => "JWT is too large",
            JwtError::Malformed => "JWT is malformed",
            JwtError::BadHeader => "JWT header is invalid",
            JwtError::AlgNone => "unsigned JWTs (alg none) are not accepted",
            JwtError::UnsupportedAlg => "JWT algorithm is not supported",
            JwtError::UnknownKid => "JWT key id is unknown",
            JwtError::AlgMismatch => "JWT algorithm does not match its key",
            JwtError::BadSignature => "JWT signature is invalid",
            JwtError::BadPayload => "JWT payload is not a JSON object",
            JwtError::MissingExp => "JWT has no exp claim",
            JwtError::BadTimeClaim => "JWT time claim is not a number",
            JwtError::Expired => "JWT has expired",
            JwtError::NotYetValid => "JWT is not valid yet",
            JwtError::IssuedInFuture => "JWT was issued in the future",
        };
        f.write_str(msg)
    }
}

impl std::error::Error for JwtError {}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn random_bytes(n: usize) -> Result<Vec<u8>, JwtError> {
    let mut buf = vec![0u8; n];
    OsRng.try_fill_bytes(&mut buf).map_err(|_| JwtError::Rng)?;
    Ok(buf)
}

fn seed32(bytes: &[u8]) -> Result<[u8; PRIVATE_KEY_LEN], JwtError> {
    <[u8; PRIVATE_KEY_LEN]>::try_from(bytes).map_err(|_| JwtError::BadKey)
}

fn es256_signing_key(bytes: &[u8]) -> Result<p256::ecdsa::SigningKey, JwtError> {
    if bytes.len() != PRIVATE_KEY_LEN {
        return Err(JwtError::BadKey);
    }
    p256::ecdsa::SigningKey::from_slice(bytes).map_err(|_| JwtError::BadKey)
}

/// A private signing key: an HMAC secret, a P-256 scalar or an Ed25519 seed.
///
/// `Debug` never prints the key material.
#[derive(Clone)]
pub struct SigningKey {
    /// Key id, written to the `kid` header of every token signed.
    pub kid: String,
    /// Algorithm of the key.
    pub alg: Alg,
    /// HS256: the HMAC key (the UTF-8 bytes of the secret text);
    /// ES256: the 32-byte big-endian P-256 scalar; EdDSA: the 32-byte seed.
    secret: Vec<u8>,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl SigningKey {
    /// Generates a new key from the operating system RNG.
    ///
    /// For HS256 the key is 48 random bytes written in base64url (64
    /// characters), and the HMAC key is the UTF-8 bytes of that text, as
    /// PostgREST uses its `jwt-secret` string.
    pub fn generate(alg: Alg, kid: String) -> Result<SigningKey, JwtError> {
        let secret = match alg {
            Alg::HS256 => b64(&random_bytes(HS256_RANDOM_BYTES)?).into_bytes(),
            Alg::EdDSA => random_bytes(PRIVATE_KEY_LEN)?,
            Alg::ES256 => {
                // A uniformly random 256-bit string is a valid scalar except
                // with probability about 2^-32; draw again in that case.
                let mut found = None;
                for _ in 0..64 {
                    let candidate = random_bytes(PRIVATE_KEY_LEN)?;
                    if es256_signing_key(&candidate).is_ok() {
                        found = Some(candidate);
                        break;
                    }
                }
                found.ok_or(JwtError::Rng)?
            }
        };
        Ok(SigningKey { kid, alg, secret })
    }

    /// Rebuilds a key from the bytes returned by [`SigningKey::private_bytes`].
    ///
    /// HS256 needs at least [`MIN_HS256_KEY_LEN`] bytes; ES256 needs a valid
    /// 32-byte P-256 scalar; EdDSA needs a 32-byte seed.
    pub fn from_private_bytes(alg: Alg, kid: String, bytes: &[u8]) -> Result<SigningKey, JwtError> {
        match alg {
            Alg::HS256 => {
                if bytes.len() < MIN_HS256_KEY_LEN {
                    return Err(JwtError::BadKey);
                }
            }
            Alg::ES256 => {
                es256_signing_key(bytes)?;
            }
            Alg::EdDSA => {
                seed32(bytes)?;
            }
        }
        Ok(SigningKey {
            kid,
            alg,
            secret: bytes.to_vec(),
        })
    }

    /// The private key bytes, for storage: the HMAC key for HS256, the P-256
    /// scalar for ES256, the Ed25519 seed for EdDSA.
    pub fn private_bytes(&self) -> &[u8] {
        &self.secret
    }

    /// For HS256, the secret as text, suitable for PostgREST's `jwt-secret`
    /// (its UTF-8 bytes are the HMAC key). `None` for other algorithms or if
    /// the key bytes are not UTF-8.
    pub fn hs256_secret_text(&self) -> Option<&str> {
        match self.alg {
            Alg::HS256 => std::str::from_utf8(&self.secret).ok(),
            _ => None,
        }
    }

    /// The public JWK of an ES256 or EdDSA key, with `kid`, `alg` and
    /// `use: "sig"`; `None` for HS256, which has no public part.
    pub fn public_jwk(&self) -> Option<Value> {
        VerifyKey::from_signing(self).ok()?.public_jwk()
    }

    /// For HS256, the symmetric JWK `{"kty":"oct","k",...,"kid","alg":"HS256"}`
    /// whose `k` is the base64url of the HMAC key bytes; `None` otherwise.
    ///
    /// This contains the secret: it is for administrators configuring
    /// PostgREST, never for publication.
    pub fn hs256_jwk(&self) -> Option<Value> {
        if self.alg != Alg::HS256 {
            return None;
        }
        let mut m = Map::new();
        m.insert("kty".into(), Value::from("oct"));
        m.insert("k".into(), Value::from(b64(&self.secret)));
        m.insert("kid".into(), Value::from(self.kid.clone()));
        m.insert("alg".into(), Value::from(Alg::HS256.as_str()));
        Some(Value::Object(m))
    }
}

/// Public verification material, by algorithm.
#[derive(Clone)]
enum Material {
    Hmac(Vec<u8>),
    /// The uncompressed SEC1 encoding (`04 || x || y`) of a P-256 point,
    /// checked to be on the curve by `p256` when the key was made; ring
    /// verifies against it (see [`es256_material`]).
    Es256([u8; ES256_SEC1_LEN]),
    EdDSA(ed25519_dalek::VerifyingKey),
}

/// Length of an uncompressed SEC1 P-256 point.
const ES256_SEC1_LEN: usize = 65;

/// The ES256 material of a P-256 public key.
fn es256_material(vk: &p256::ecdsa::VerifyingKey) -> Result<Material, JwtError> {
    let point = vk.to_encoded_point(false);
    let sec1 = <[u8; ES256_SEC1_LEN]>::try_from(point.as_bytes()).map_err(|_| JwtError::BadKey)?;
    Ok(Material::Es256(sec1))
}

/// A key that tokens are verified against: a key id, an algorithm and the
/// public key (or, for HS256, the shared HMAC key).
///
/// `Debug` never prints an HMAC key.
#[derive(Clone)]
pub struct VerifyKey {
    /// Key id matched against the token's `kid` header.
    pub kid: String,
    /// The only algorithm this key verifies.
    pub alg: Alg,
    material: Material,
}

impl fmt::Debug for VerifyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

fn jwk_str<'a>(m: &'a Map<String, Value>, name: &str) -> Result<&'a str, JwtError> {
    m.get(name).and_then(Value::as_str).ok_or(JwtError::BadKey)
}

impl VerifyKey {
    /// The verification key matching a signing key.
    pub fn from_signing(key: &SigningKey) -> Result<VerifyKey, JwtError> {
        let material = match key.alg {
            Alg::HS256 => {
                if key.secret.len() < MIN_HS256_KEY_LEN {
                    return Err(JwtError::BadKey);
                }
                Material::Hmac(key.secret.clone())
            }
            Alg::ES256 => es256_material(es256_signing_key(&key.secret)?.verifying_key())?,
            Alg::EdDSA => Material::EdDSA(
                ed25519_dalek::SigningKey::from_bytes(&seed32(&key.secret)?).verifying_key(),
            ),
        };
        Ok(VerifyKey {
            kid: key.kid.clone(),
            alg: key.alg,
            material,
        })
    }

    /// An HS256 verification key from the shared HMAC key bytes (at least
    /// [`MIN_HS256_KEY_LEN`] of them).
    pub fn hs256(kid: String, key: &[u8]) -> Result<VerifyKey, JwtError> {
        if key.len() < MIN_HS256_KEY_LEN {
            return Err(JwtError::BadKey);
        }
        Ok(VerifyKey {
            kid,
            alg: Alg::HS256,
            material: Material::Hmac(key.to_vec()),
        })
    }

    /// A verification key from a JWK as produced by
    /// [`SigningKey::public_jwk`] or [`SigningKey::hs256_jwk`].
    ///
    /// The JWK must have a string `kid` and an `alg` consistent with its
    /// `kty`/`crv` (`oct` → HS256, `EC`/`P-256` → ES256, `OKP`/`Ed25519` →
    /// EdDSA); a `use` other than `sig` is refused.
    pub fn from_jwk(jwk: &Value) -> Result<VerifyKey, JwtError> {
        let m = jwk.as_object().ok_or(JwtError::BadKey)?;
        let kid = jwk_str(m, "kid")?.to_owned();
        let alg = Alg::parse(jwk_str(m, "alg")?).ok_or(JwtError::BadKey)?;
        if let Some(u) = m.get("use")
            && u.as_str() != Some("sig")
        {
            return Err(JwtError::BadKey);
        }
        let kty = jwk_str(m, "kty")?;
        let material = match (alg, kty) {
            (Alg::HS256, "oct") => {
                let k = URL_SAFE_NO_PAD
                    .decode(jwk_str(m, "k")?)
                    .map_err(|_| JwtError::BadKey)?;
                if k.len() < MIN_HS256_KEY_LEN {
                    return Err(JwtError::BadKey);
                }
                Material::Hmac(k)
            }
            (Alg::ES256, "EC") => {
                if jwk_str(m, "crv")? != "P-256" {
                    return Err(JwtError::BadKey);
                }
                if m.contains_key("d") {
                    // A private JWK is never accepted as verification input.
                    return Err(JwtError::BadKey);
                }
                let x = URL_SAFE_NO_PAD
                    .decode(jwk_str(m, "x")?)
                    .map_err(|_| JwtError::BadKey)?;
                let y = URL_SAFE_NO_PAD
                    .decode(jwk_str(m, "y")?)
                    .map_err(|_| JwtError::BadKey)?;
                if x.len() != 32 || y.len() != 32 {
                    return Err(JwtError::BadKey);
                }
                let mut sec1 = Vec::with_capacity(65);
                sec1.push(0x04);
                sec1.extend_from_slice(&x);
                sec1.extend_from_slice(&y);
                es256_material(
                    &p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                        .map_err(|_| JwtError::BadKey)?,
                )?
            }
            (Alg::EdDSA, "OKP") => {
                if jwk_str(m, "crv")? != "Ed25519" || m.contains_key("d") {
                    return Err(JwtError::BadKey);
                }
                let x = URL_SAFE_NO_PAD
                    .decode(jwk_str(m, "x")?)
                    .map_err(|_| JwtError::BadKey)?;
                let x = <[u8; 32]>::try_from(x.as_slice()).map_err(|_| JwtError::BadKey)?;
                let vk =
                    ed25519_dalek::VerifyingKey::from_bytes(&x).map_err(|_| JwtError::BadKey)?;
                if vk.is_weak() {
                    return Err(JwtError::BadKey);
                }
                Material::EdDSA(vk)
            }
            _ => return Err(JwtError::BadKey),
        };
        Ok(VerifyKey { kid, alg, material })
    }

    /// The public JWK of an ES256 or EdDSA key (with `kid`, `alg` and
    /// `use: "sig"`); `None` for HS256.
    pub fn public_jwk(&self) -> Option<Value> {
        let mut m = Map::new();
        match &self.material {
            Material::Hmac(_) => return None,
            Material::Es256(sec1) => {
                let (x, y) = sec1[1..].split_at(32);
                m.insert("kty".into(), Value::from("EC"));
                m.insert("crv".into(), Value::from("P-256"));
                m.insert("x".into(), Value::from(b64(x)));
                m.insert("y".into(), Value::from(b64(y)));
            }
            Material::EdDSA(vk) => {
                m.insert("kty".into(), Value::from("OKP"));
                m.insert("crv".into(), Value::from("Ed25519"));
                m.insert("x".into(), Value::from(b64(vk.as_bytes())));
            }
        }
        m.insert("kid".into(), Value::from(self.kid.clone()));
        m.insert("alg".into(), Value::from(self.alg.as_str()));
        m.insert("use".into(), Value::from("sig"));
        Some(Value::Object(m))
    }
}

/// A JWK Set `{"keys": [...]}` of the public JWKs of the given keys; HS256
/// keys are left out (they have no public part).
pub fn public_jwks(keys: &[SigningKey]) -> Value {
    let list: Vec<Value> = keys.iter().filter_map(SigningKey::public_jwk).collect();
    let mut m = Map::new();
    m.insert("keys".into(), Value::Array(list));
    Value::Object(m)
}

/// Signs `claims` (a JSON object) with `key` and returns the compact
/// serialisation `header.payload.signature`, each part base64url without
/// padding. The header is `{"alg","typ":"JWT","kid"}`.
pub fn sign(key: &SigningKey, claims: &Value) -> Result<String, JwtError> {
    if !claims.is_object() {
        return Err(JwtError::BadClaims);
    }
    let mut header = Map::new();
    header.insert("alg".into(), Value::from(key.alg.as_str()));
    header.insert("typ".into(), Value::from("JWT"));
    header.insert("kid".into(), Value::from(key.kid.clone()));
    let header = serde_json::to_vec(&Value::Object(header)).map_err(|_| JwtError::BadClaims)?;
    let payload = serde_json::to_vec(claims).map_err(|_| JwtError::BadClaims)?;
    let mut token = b64(&header);
    token.push('.');
    token.push_str(&b64(&payload));
    let signature = sign_bytes(key, token.as_bytes())?;
    token.push('.');
    token.push_str(&b64(&signature));
    Ok(token)
}

fn sign_bytes(key: &SigningKey, input: &[u8]) -> Result<Vec<u8>, JwtError> {
    match key.alg {
        Alg::HS256 => {
            if key.secret.len() < MIN_HS256_KEY_LEN {
                return Err(JwtError::BadKey);
            }
            let mut mac = HmacSha256::new_from_slice(&key.secret).map_err(|_| JwtError::BadKey)?;
            mac.update(input);
            Ok(mac.finalize().into_bytes().to_vec())
        }
        Alg::ES256 => {
            let sk = es256_signing_key(&key.secret)?;
            let sig: p256::ecdsa::Signature = sk.try_sign(input).map_err(|_| JwtError::Sign)?;
            let sig = sig.normalize_s().unwrap_or(sig);
            Ok(sig.to_bytes().to_vec())
        }
        Alg::EdDSA => {
            let sk = ed25519_dalek::SigningKey::from_bytes(&seed32(&key.secret)?);
            let sig = sk.try_sign(input).map_err(|_| JwtError::Sign)?;
            Ok(sig.to_bytes().to_vec())
        }
    }
}

/// The base64url alphabet (no padding), as a table: one load per byte.
const B64URL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
        b += 1;
    }
    t
};

/// Whether `token` has the shape of a compact JWS: exactly two dots and
/// three non-empty parts in the base64url alphabet (no padding). This only
/// routes tokens (opaque vs JWT); it proves nothing about validity. One pass
/// over the bytes (it runs on every bearer token presented).
pub fn looks_like_jwt(token: &str) -> bool {
    let mut dots = 0u8;
    let mut part_len = 0usize;
    for &b in token.as_bytes() {
        if b == b'.' {
            if part_len == 0 || dots == 2 {
                return false;
            }
            dots += 1;
            part_len = 0;
        } else if B64URL[usize::from(b)] {
            part_len += 1;
        } else {
            return false;
        }
    }
    dots == 2 && part_len > 0
}

#[cfg(test)]
fn decode_object(part: &str) -> Option<Map<String, Value>> {
    let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
    match serde_json::from_slice::<Value>(&bytes).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// One member of a JOSE header or claims set as [`verify`] reads it: a
/// string (borrowed from the decoded JSON when it has no escapes), a number,
/// or anything else. Every value is read as a parse into a
/// `serde_json::Value` reads it (the same deserializer calls, so the same
/// strings, escapes, numbers and nesting are refused), but only strings with
/// escapes are allocated.
enum Member<'a> {
    Str(Cow<'a, str>),
    Num(Number),
    Other,
}

impl<'de> Deserialize<'de> for Member<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Member<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Member::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Member::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Member::Str(Cow::Owned(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Member::Num(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Member::Num(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                // JSON has no NaN or infinity, so this is always a number.
                Ok(Number::from_f64(v).map_or(Member::Other, Member::Num))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Member::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Member::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<Member<'de>>()?.is_some() {}
                Ok(Member::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_entry::<Member<'de>, Member<'de>>()?.is_some() {}
                Ok(Member::Other)
            }
        }
        d.deserialize_any(V)
    }
}

impl Member<'_> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Member::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The members called `names` of the JSON object `json`, the last of a
/// repeated name winning as in a `serde_json::Map`; the others are read and
/// dropped. None unless `json` is UTF-8 text that is exactly one JSON object
/// (what `serde_json::from_slice::<Value>` accepts as an object). No map and
/// no key strings are built: an uncached JWT decision parses a header and a
/// claims set.
fn object_members<'a, const N: usize>(
    json: &'a [u8],
    names: [&str; N],
) -> Option<[Option<Member<'a>>; N]> {
    struct V<'n, const N: usize>([&'n str; N]);
    impl<'de, const N: usize> Visitor<'de> for V<'_, N> {
        type Value = [Option<Member<'de>>; N];
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            let mut out: Self::Value = std::array::from_fn(|_| None);
            while let Some(key) = a.next_key::<Member<'de>>()? {
                match key
                    .as_str()
                    .and_then(|k| self.0.iter().position(|n| *n == k))
                {
                    Some(i) => out[i] = Some(a.next_value()?),
                    None => {
                        a.next_value::<Member<'de>>()?;
                    }
                }
            }
            Ok(out)
        }
    }
    // Invalid UTF-8 anywhere is refused, skipped members included (as a parse
    // into a serde_json::Value does).
    let text = std::str::from_utf8(json).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    let out = de.deserialize_map(V(names)).ok()?;
    de.end().ok()?;
    Some(out)
}

/// A NumericDate claim, rounded towards the stricter side (`floor` for
/// `exp`, `ceil` for `nbf`/`iat`) and saturated to `i64`.
fn numeric_date(v: &Member<'_>, round_up: bool) -> Result<i64, JwtError> {
    let Member::Num(n) = v else {
        return Err(JwtError::BadTimeClaim);
    };
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    if n.as_u64().is_some() {
        return Ok(i64::MAX);
    }
    let f = n.as_f64().ok_or(JwtError::BadTimeClaim)?;
    if !f.is_finite() {
        return Err(JwtError::BadTimeClaim);
    }
    // `as` saturates for out-of-range floats.
    Ok(if round_up {
        f.ceil() as i64
    } else {
        f.floor() as i64
    })
}

fn check_signature(key: &VerifyKey, input: &[u8], sig: &[u8]) -> Result<(), JwtError> {
    match &key.material {
        Material::Hmac(secret) => {
            let mut mac = HmacSha256::new_from_slice(secret).map_err(|_| JwtError::BadKey)?;
            mac.update(input);
            // Constant time, and a tag of any other length is refused.
            mac.verify_slice(sig).map_err(|_| JwtError::BadSignature)
        }
        Material::Es256(sec1) => {
            // Only the fixed JOSE form r || s (64 bytes): no DER, nothing longer or shorter.
            if sig.len() != SIGNATURE_LEN {
                return Err(JwtError::BadSignature);
            }
            // r and s in [1, n-1] (p256's parse) and s low: the high-s twin of a valid
            // signature is refused, so a token has one valid encoding.
            let parsed =
                p256::ecdsa::Signature::from_slice(sig).map_err(|_| JwtError::BadSignature)?;
            if parsed.normalize_s().is_some() {
                return Err(JwtError::BadSignature);
            }
            // The verification itself is ring's (about four times faster than p256's here;
            // docs/benchmarks.md), over the same fixed-form bytes.
            ring::signature::UnparsedPublicKey::new(
                &ring::signature::ECDSA_P256_SHA256_FIXED,
                &sec1[..],
            )
            .verify(input, sig)
            .map_err(|_| JwtError::BadSignature)
        }
        Material::EdDSA(vk) => {
            let sig =
                ed25519_dalek::Signature::from_slice(sig).map_err(|_| JwtError::BadSignature)?;
            vk.verify_strict(input, &sig)
                .map_err(|_| JwtError::BadSignature)
        }
    }
}

/// Verifies a compact JWT against `keys` at time `now_unix` (seconds) with
/// `leeway_s` seconds of clock skew allowed (negative leeway counts as 0),
/// and returns its claims.
///
/// Refused, in this order: tokens over [`MAX_TOKEN_LEN`]; anything but three
/// non-empty base64url parts; a header that is not a JSON object with string
/// `alg` and `kid` or that has `crit`; `alg: none` or an unsupported `alg`;
/// an unknown `kid`; a `kid` whose key has a different `alg` (so an HS256
/// token is never checked with a public key as HMAC secret); a bad
/// signature (HMAC compared in constant time); a payload that is not a JSON
/// object; a missing or non-numeric `exp`; `exp + leeway <= now`;
/// non-numeric `nbf`/`iat`; `nbf - leeway > now`; `iat - leeway > now`.
pub fn verify(
    token: &str,
    keys: &[VerifyKey],
    now_unix: i64,
    leeway_s: i64,
) -> Result<Map<String, Value>, JwtError> {
    let payload = verify_signature(token, keys, Signature::Check)?;
    let [exp, nbf, iat] =
        object_members(&payload, ["exp", "nbf", "iat"]).ok_or(JwtError::BadPayload)?;
    check_times(exp, nbf, iat, now_unix, leeway_s)?;
    match serde_json::from_slice::<Value>(&payload) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(JwtError::BadPayload),
    }
}

/// The claims of a verified token that pg_ords's bearer resolution reads
/// ([`verify_access`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessClaims {
    /// `sub`, when it is a string.
    pub sub: Option<String>,
    /// `jti`, when it is a string.
    pub jti: Option<String>,
    /// `iat`, when it is an integer that fits an `i64` (as
    /// `serde_json::Value::as_i64` reads it).
    pub iat: Option<i64>,
    /// `exp`, likewise.
    pub exp: Option<i64>,
}

/// [`verify`], with the same checks in the same order, returning only
/// `sub`, `jti`, `iat` and `exp`: the claims set is read without building a
/// map of every claim (this runs on every uncached JWT decision).
pub fn verify_access(
    token: &str,
    keys: &[VerifyKey],
    now_unix: i64,
    leeway_s: i64,
) -> Result<AccessClaims, JwtError> {
    access_claims(token, keys, now_unix, leeway_s, Signature::Check)
}

/// [`verify_access`] without the signature check, and nothing else left out: the same size,
/// shape and header checks (`alg` not `none` and supported, a `kid` among `keys` with that
/// `alg`, no `crit`, `typ` a string), the signature part must still be base64url, the same
/// payload and time checks, in the same order, with the same answers.
///
/// A token whose signature bytes were altered passes this check, so it proves nothing about
/// who made the token. Use it only for a text already known to be one pg_ords signed: pg_ords
/// records SHA-256 of every JWT it issues in the token's session row and calls this only when
/// the text presented has that digest; any other text gets [`verify_access`]
/// (docs/tokens.md, "Verifying a JWT").
pub fn verify_access_without_signature(
    token: &str,
    keys: &[VerifyKey],
    now_unix: i64,
    leeway_s: i64,
) -> Result<AccessClaims, JwtError> {
    access_claims(token, keys, now_unix, leeway_s, Signature::Skip)
}

/// Whether [`verify_signature`] checks the signature itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Signature {
    Check,
    Skip,
}

fn access_claims(
    token: &str,
    keys: &[VerifyKey],
    now_unix: i64,
    leeway_s: i64,
    signature: Signature,
) -> Result<AccessClaims, JwtError> {
    let payload = verify_signature(token, keys, signature)?;
    let [exp, nbf, iat, sub, jti] = object_members(&payload, ["exp", "nbf", "iat", "sub", "jti"])
        .ok_or(JwtError::BadPayload)?;
    let int = |m: &Option<Member<'_>>| match m {
        Some(Member::Num(n)) => n.as_i64(),
        _ => None,
    };
    let string = |m: &Option<Member<'_>>| m.as_ref().and_then(Member::as_str).map(str::to_owned);
    let claims = AccessClaims {
        sub: string(&sub),
        jti: string(&jti),
        iat: int(&iat),
        exp: int(&exp),
    };
    check_times(exp, nbf, iat, now_unix, leeway_s)?;
    Ok(claims)
}

/// The time checks of [`verify`], in its order.
fn check_times(
    exp: Option<Member<'_>>,
    nbf: Option<Member<'_>>,
    iat: Option<Member<'_>>,
    now_unix: i64,
    leeway_s: i64,
) -> Result<(), JwtError> {
    let leeway = leeway_s.max(0);
    let exp = numeric_date(&exp.ok_or(JwtError::MissingExp)?, false)?;
    if exp.saturating_add(leeway) <= now_unix {
        return Err(JwtError::Expired);
    }
    if let Some(v) = nbf
        && numeric_date(&v, true)?.saturating_sub(leeway) > now_unix
    {
        return Err(JwtError::NotYetValid);
    }
    if let Some(v) = iat
        && numeric_date(&v, true)?.saturating_sub(leeway) > now_unix
    {
        return Err(JwtError::IssuedInFuture);
    }
    Ok(())
}

/// The checks of [`verify`] up to and including the signature; returns the
/// decoded payload (not yet parsed: nothing in it is trusted before this). With
/// `Signature::Skip` every check but `check_signature` itself (see
/// [`verify_access_without_signature`] for when that is sound).
fn verify_signature(
    token: &str,
    keys: &[VerifyKey],
    signature: Signature,
) -> Result<Vec<u8>, JwtError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(JwtError::TooLarge);
    }
    if !looks_like_jwt(token) {
        return Err(JwtError::Malformed);
    }
    // Cannot fail after looks_like_jwt, but stay total.
    let (signing_input, sig_b64) = token.rsplit_once('.').ok_or(JwtError::Malformed)?;
    let (header_b64, payload_b64) = signing_input.split_once('.').ok_or(JwtError::Malformed)?;

    let header_json = URL_SAFE_NO_PAD
        .decode(header_b64)
        .map_err(|_| JwtError::BadHeader)?;
    let [alg, kid, crit, typ] =
        object_members(&header_json, ["alg", "kid", "crit", "typ"]).ok_or(JwtError::BadHeader)?;
    let alg_name = alg
        .as_ref()
        .and_then(Member::as_str)
        .ok_or(JwtError::BadHeader)?;
    if alg_name.eq_ignore_ascii_case("none") {
        return Err(JwtError::AlgNone);
    }
    let alg = Alg::parse(alg_name).ok_or(JwtError::UnsupportedAlg)?;
    let kid = kid
        .as_ref()
        .and_then(Member::as_str)
        .ok_or(JwtError::BadHeader)?;
    if crit.is_some() {
        return Err(JwtError::BadHeader);
    }
    if let Some(typ) = typ
        && typ.as_str().is_none()
    {
        return Err(JwtError::BadHeader);
    }

    let mut kid_seen = false;
    let mut key = None;
    for k in keys.iter().filter(|k| k.kid == kid) {
        kid_seen = true;
        if k.alg == alg {
            key = Some(k);
            break;
        }
    }
    let key = match key {
        Some(k) => k,
        None if kid_seen => return Err(JwtError::AlgMismatch),
        None => return Err(JwtError::UnknownKid),
    };

    let sig = URL_SAFE_NO_PAD
        .decode(sig_b64)
        .map_err(|_| JwtError::Malformed)?;
    if signature == Signature::Check {
        check_signature(key, signing_input.as_bytes(), &sig)?;
    }

    URL_SAFE_NO_PAD
        .decode(payload_b64)
        .map_err(|_| JwtError::BadPayload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier as _;
    use proptest::prelude::*;
    use serde_json::json;

    const NOW: i64 = 1_700_000_000;

    fn key(alg: Alg) -> SigningKey {
        SigningKey::generate(alg, format!("kid-{}", alg.as_str())).expect("rng")
    }

    fn claims(exp: i64) -> Value {
        json!({"sub": "client", "role": "web_anon", "jti": "abc", "iat": NOW, "exp": exp})
    }

    /// Builds a token with an arbitrary header and payload, HS256-signed
    /// with `hmac_key` (or with the given raw signature bytes).
    fn forge(header: &Value, payload: &Value, hmac_key: &[u8]) -> String {
        let input = format!(
            "{}.{}",
            b64(&serde_json::to_vec(header).unwrap()),
            b64(&serde_json::to_vec(payload).unwrap())
        );
        let mut mac = HmacSha256::new_from_slice(hmac_key).unwrap();
        mac.update(input.as_bytes());
        format!("{input}.{}", b64(&mac.finalize().into_bytes()))
    }

    fn resign(key: &SigningKey, header: &Value, payload: &Value) -> String {
        let input = format!(
            "{}.{}",
            b64(&serde_json::to_vec(header).unwrap()),
            b64(&serde_json::to_vec(payload).unwrap())
        );
        let sig = sign_bytes(key, input.as_bytes()).unwrap();
        format!("{input}.{}", b64(&sig))
    }

    /// verify as it was before header and claims were read member by member (a parse into
    /// serde_json::Value maps): verify and verify_access must answer exactly as it does.
    fn reference_verify(
        token: &str,
        keys: &[VerifyKey],
        now_unix: i64,
        leeway_s: i64,
    ) -> Result<Map<String, Value>, JwtError> {
        fn date(v: &Value, round_up: bool) -> Result<i64, JwtError> {
            let Value::Number(n) = v else {
                return Err(JwtError::BadTimeClaim);
            };
            if let Some(i) = n.as_i64() {
                return Ok(i);
            }
            if n.as_u64().is_some() {
                return Ok(i64::MAX);
            }
            let f = n.as_f64().ok_or(JwtError::BadTimeClaim)?;
            if !f.is_finite() {
                return Err(JwtError::BadTimeClaim);
            }
            Ok(if round_up {
                f.ceil() as i64
            } else {
                f.floor() as i64
            })
        }
        if token.len() > MAX_TOKEN_LEN {
            return Err(JwtError::TooLarge);
        }
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(sg), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed);
        };
        let part_ok = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if !(part_ok(h) && part_ok(p) && part_ok(sg)) {
            return Err(JwtError::Malformed);
        }
        let header = decode_object(h).ok_or(JwtError::BadHeader)?;
        let alg_name = header
            .get("alg")
            .and_then(Value::as_str)
            .ok_or(JwtError::BadHeader)?;
        if alg_name.eq_ignore_ascii_case("none") {
            return Err(JwtError::AlgNone);
        }
        let alg = Alg::parse(alg_name).ok_or(JwtError::UnsupportedAlg)?;
        let kid = header
            .get("kid")
            .and_then(Value::as_str)
            .ok_or(JwtError::BadHeader)?;
        if header.contains_key("crit") {
            return Err(JwtError::BadHeader);
        }
        if let Some(typ) = header.get("typ")
            && !typ.is_string()
        {
            return Err(JwtError::BadHeader);
        }
        let mut kid_seen = false;
        let mut key = None;
        for k in keys.iter().filter(|k| k.kid == kid) {
            kid_seen = true;
            if k.alg == alg {
                key = Some(k);
                break;
            }
        }
        let key = match key {
            Some(k) => k,
            None if kid_seen => return Err(JwtError::AlgMismatch),
            None => return Err(JwtError::UnknownKid),
        };
        let sig = URL_SAFE_NO_PAD
            .decode(sg)
            .map_err(|_| JwtError::Malformed)?;
        check_signature(key, format!("{h}.{p}").as_bytes(), &sig)?;
        let claims = decode_object(p).ok_or(JwtError::BadPayload)?;
        let leeway = leeway_s.max(0);
        let exp = date(claims.get("exp").ok_or(JwtError::MissingExp)?, false)?;
        if exp.saturating_add(leeway) <= now_unix {
            return Err(JwtError::Expired);
        }
        if let Some(v) = claims.get("nbf")
            && date(v, true)?.saturating_sub(leeway) > now_unix
        {
            return Err(JwtError::NotYetValid);
        }
        if let Some(v) = claims.get("iat")
            && date(v, true)?.saturating_sub(leeway) > now_unix
        {
            return Err(JwtError::IssuedInFuture);
        }
        Ok(claims)
    }

    /// A signed token from raw header and payload bytes (any bytes: duplicates, escapes,
    /// invalid UTF-8, numbers out of range).
    fn sign_raw(key: &SigningKey, header: &[u8], payload: &[u8]) -> String {
        let input = format!("{}.{}", b64(header), b64(payload));
        let sig = sign_bytes(key, input.as_bytes()).unwrap();
        format!("{input}.{}", b64(&sig))
    }

    /// verify and verify_access answer as reference_verify (the Value-map reading) does, with
    /// the same error, for one token.
    fn assert_like_reference(token: &str, keys: &[VerifyKey], now: i64, leeway: i64) {
        let want = reference_verify(token, keys, now, leeway);
        let got = verify(token, keys, now, leeway);
        assert_eq!(got, want, "verify, token {token}");
        let access = verify_access(token, keys, now, leeway);
        let want_access = want.map(|m| AccessClaims {
            sub: m.get("sub").and_then(Value::as_str).map(str::to_owned),
            jti: m.get("jti").and_then(Value::as_str).map(str::to_owned),
            iat: m.get("iat").and_then(Value::as_i64),
            exp: m.get("exp").and_then(Value::as_i64),
        });
        assert_eq!(access, want_access, "verify_access, token {token}");
        // On a validly signed token the variant without the signature check answers the same.
        assert_eq!(
            verify_access_without_signature(token, keys, now, leeway),
            access,
            "verify_access_without_signature, token {token}"
        );
    }

    /// JSON members that read differently, or not at all, depending on how a parser treats
    /// them: repeated names, escaped names and values, lone surrogates, numbers out of range,
    /// nesting, raw invalid UTF-8.
    const MEMBER_NAMES: [&str; 12] = [
        "alg",
        "kid",
        "crit",
        "typ",
        "exp",
        "nbf",
        "iat",
        "sub",
        "jti",
        "x",
        r"a\u006cg",
        r"e\u0078p",
    ];
    const MEMBER_VALUES: [&[u8]; 20] = [
        br#""HS256""#,
        br#""k""#,
        br#""none""#,
        br#""ES256""#,
        b"1",
        b"-5",
        b"1.5",
        b"1e400",
        b"18446744073709551615",
        b"4102444800",
        b"4102444800.5",
        b"null",
        b"true",
        br#"[1,{"a":"\ud800"}]"#,
        br#"{"a":[[]]}"#,
        br#""\ud800""#,
        br#""s\u0075b""#,
        b"\"\xff\"",
        br#""JWT""#,
        b"{",
    ];

    fn raw_object(members: &[(usize, usize)]) -> Vec<u8> {
        let mut out = b"{".to_vec();
        for (i, (n, v)) in members.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(format!("\"{}\":", MEMBER_NAMES[*n]).as_bytes());
            out.extend_from_slice(MEMBER_VALUES[*v]);
        }
        out.push(b'}');
        out
    }

    #[test]
    fn member_reading_matches_value_maps() {
        let k = SigningKey::from_private_bytes(Alg::HS256, "k".into(), &[1u8; 32]).unwrap();
        let keys = [VerifyKey::from_signing(&k).unwrap()];
        let good_header = raw_object(&[(0, 0), (1, 1)]);
        let good_payload = raw_object(&[(4, 9), (6, 4), (7, 1), (8, 1)]);
        let cases: Vec<(Vec<u8>, Vec<u8>)> = vec![
            (good_header.clone(), good_payload.clone()),
            // Repeated names: the last one counts, in the header and in the claims.
            (raw_object(&[(0, 2), (0, 0), (1, 1)]), good_payload.clone()),
            (raw_object(&[(0, 0), (0, 2), (1, 1)]), good_payload.clone()),
            (good_header.clone(), raw_object(&[(4, 4), (4, 9), (7, 1)])),
            (good_header.clone(), raw_object(&[(4, 9), (4, 4), (7, 1)])),
            // An escaped name is the same name.
            (raw_object(&[(10, 2), (1, 1)]), good_payload.clone()),
            (good_header.clone(), raw_object(&[(11, 9), (7, 16)])),
            // Skipped members are still read: lone surrogates, out-of-range numbers,
            // invalid UTF-8, bad nesting refuse the whole object.
            (raw_object(&[(0, 0), (1, 1), (9, 15)]), good_payload.clone()),
            (raw_object(&[(0, 0), (1, 1), (9, 7)]), good_payload.clone()),
            (raw_object(&[(0, 0), (1, 1), (9, 13)]), good_payload.clone()),
            (raw_object(&[(0, 0), (1, 1), (9, 17)]), good_payload.clone()),
            (raw_object(&[(0, 0), (1, 1), (9, 19)]), good_payload.clone()),
            (good_header.clone(), raw_object(&[(4, 9), (9, 15)])),
            (good_header.clone(), raw_object(&[(4, 9), (9, 7)])),
            (good_header.clone(), raw_object(&[(4, 9), (9, 13)])),
            (good_header.clone(), raw_object(&[(4, 9), (9, 17)])),
            (good_header.clone(), raw_object(&[(4, 9), (9, 14)])),
            // crit of any value, typ not a string, alg or kid not strings.
            (raw_object(&[(0, 0), (1, 1), (2, 11)]), good_payload.clone()),
            (raw_object(&[(0, 0), (1, 1), (3, 4)]), good_payload.clone()),
            (raw_object(&[(0, 0), (1, 1), (3, 18)]), good_payload.clone()),
            (raw_object(&[(0, 4), (1, 1)]), good_payload.clone()),
            (raw_object(&[(0, 0), (1, 12)]), good_payload.clone()),
            // Not objects, trailing bytes.
            (b"[]".to_vec(), good_payload.clone()),
            (good_header.clone(), b"1".to_vec()),
            (
                good_header.clone(),
                [good_payload.as_slice(), b" {}"].concat(),
            ),
            (
                good_header.clone(),
                [good_payload.as_slice(), b" "].concat(),
            ),
            // Time claims of every kind.
            (good_header.clone(), raw_object(&[(4, 10), (5, 6), (6, 8)])),
            (good_header.clone(), raw_object(&[(4, 8), (6, 7)])),
            (good_header.clone(), raw_object(&[(4, 11), (6, 4)])),
            (good_header.clone(), raw_object(&[(5, 4)])),
            (good_header.clone(), raw_object(&[(4, 0)])),
        ];
        for (h, p) in &cases {
            let t = sign_raw(&k, h, p);
            assert_like_reference(&t, &keys, 1_700_000_000, 0);
        }
        // The first case is a valid token: the comparison is not only of refusals.
        let first = verify_access(
            &sign_raw(&k, &cases[0].0, &cases[0].1),
            &keys,
            1_700_000_000,
            0,
        );
        assert_eq!(
            first,
            Ok(AccessClaims {
                sub: Some("k".into()),
                jti: Some("k".into()),
                iat: Some(1),
                exp: Some(4_102_444_800)
            })
        );
    }

    /// verify_access_without_signature answers exactly as verify_access does on tokens signed
    /// with the key their kid names (valid or refused for any other reason), and accepts what
    /// verify_access refuses for the signature alone: why pg_ords calls it only for a text
    /// whose digest is on record (docs/tokens.md, "Verifying a JWT").
    #[test]
    fn without_signature_is_verify_access_minus_the_signature() {
        let k = SigningKey::generate(Alg::ES256, "es".into()).unwrap();
        let hs = SigningKey::generate(Alg::HS256, "hs".into()).unwrap();
        let keys = [
            VerifyKey::from_signing(&k).unwrap(),
            VerifyKey::from_signing(&hs).unwrap(),
        ];
        let es_header = json!({"alg": "ES256", "typ": "JWT", "kid": "es"});
        let with = |extra: Value| {
            let mut c = claims(NOW + 300);
            c.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            c
        };
        let big = json!({"pad": "x".repeat(MAX_TOKEN_LEN)});
        let cases: Vec<(&str, String, Result<(), JwtError>)> = vec![
            ("valid", resign(&k, &es_header, &claims(NOW + 300)), Ok(())),
            (
                "valid, no typ",
                resign(&k, &json!({"alg": "ES256", "kid": "es"}), &claims(NOW + 1)),
                Ok(()),
            ),
            (
                "expired",
                resign(&k, &es_header, &claims(NOW)),
                Err(JwtError::Expired),
            ),
            (
                "nbf in the future",
                resign(&k, &es_header, &with(json!({"nbf": NOW + 10}))),
                Err(JwtError::NotYetValid),
            ),
            (
                "iat in the future",
                resign(&k, &es_header, &with(json!({"iat": NOW + 10}))),
                Err(JwtError::IssuedInFuture),
            ),
            (
                "no exp",
                resign(&k, &es_header, &json!({"sub": "client", "jti": "abc"})),
                Err(JwtError::MissingExp),
            ),
            (
                "exp not a number",
                resign(&k, &es_header, &with(json!({"exp": "soon"}))),
                Err(JwtError::BadTimeClaim),
            ),
            (
                "payload not an object",
                resign(&k, &es_header, &json!([1])),
                Err(JwtError::BadPayload),
            ),
            (
                "alg none",
                resign(&k, &json!({"alg": "none", "kid": "es"}), &claims(NOW + 300)),
                Err(JwtError::AlgNone),
            ),
            (
                "unsupported alg",
                resign(
                    &k,
                    &json!({"alg": "ES384", "kid": "es"}),
                    &claims(NOW + 300),
                ),
                Err(JwtError::UnsupportedAlg),
            ),
            (
                "unknown kid",
                resign(
                    &k,
                    &json!({"alg": "ES256", "kid": "gone"}),
                    &claims(NOW + 300),
                ),
                Err(JwtError::UnknownKid),
            ),
            (
                "alg mismatch (ES256 kid, HS256 header)",
                resign(
                    &k,
                    &json!({"alg": "HS256", "kid": "es"}),
                    &claims(NOW + 300),
                ),
                Err(JwtError::AlgMismatch),
            ),
            (
                "alg mismatch (HS256 kid, ES256 header)",
                resign(
                    &k,
                    &json!({"alg": "ES256", "kid": "hs"}),
                    &claims(NOW + 300),
                ),
                Err(JwtError::AlgMismatch),
            ),
            (
                "crit",
                resign(
                    &k,
                    &json!({"alg": "ES256", "kid": "es", "crit": ["exp"]}),
                    &claims(NOW + 300),
                ),
                Err(JwtError::BadHeader),
            ),
            (
                "typ not a string",
                resign(
                    &k,
                    &json!({"alg": "ES256", "kid": "es", "typ": 1}),
                    &claims(NOW + 300),
                ),
                Err(JwtError::BadHeader),
            ),
            (
                "kid not a string",
                resign(&k, &json!({"alg": "ES256", "kid": 1}), &claims(NOW + 300)),
                Err(JwtError::BadHeader),
            ),
            (
                "header not an object",
                resign(&k, &json!("ES256"), &claims(NOW + 300)),
                Err(JwtError::BadHeader),
            ),
            (
                "oversize",
                resign(&k, &es_header, &with(big)),
                Err(JwtError::TooLarge),
            ),
            ("malformed", "a.b".into(), Err(JwtError::Malformed)),
            ("empty", String::new(), Err(JwtError::Malformed)),
        ];
        for (name, t, want) in &cases {
            let full = verify_access(t, &keys, NOW, 0);
            let fast = verify_access_without_signature(t, &keys, NOW, 0);
            assert_eq!(fast, full, "{name}");
            assert_eq!(
                full.as_ref().map(|_| ()),
                want.as_ref().map(|_| ()),
                "{name}"
            );
        }
        // The same texts with their signature altered: verify_access refuses every one; the
        // variant without the signature accepts the valid ones with the same claims (and
        // refuses the others for the same reason as before).
        for (name, t, want) in &cases {
            let Some((input, sig)) = t.rsplit_once('.') else {
                continue;
            };
            let Ok(mut bytes) = URL_SAFE_NO_PAD.decode(sig) else {
                continue;
            };
            if bytes.is_empty() {
                continue;
            }
            let at = 5 % bytes.len();
            bytes[at] ^= 1;
            let altered = format!("{input}.{}", b64(&bytes));
            let full = verify_access(&altered, &keys, NOW, 0);
            let fast = verify_access_without_signature(&altered, &keys, NOW, 0);
            if want.is_ok() {
                assert_eq!(full, Err(JwtError::BadSignature), "{name}, altered");
                assert_eq!(fast, verify_access(t, &keys, NOW, 0), "{name}, altered");
            } else {
                assert!(full.is_err(), "{name}, altered");
                assert_eq!(
                    fast,
                    verify_access_without_signature(t, &keys, NOW, 0),
                    "{name}, altered"
                );
            }
            // A signature that is not base64url is refused by both.
            let not_b64 = format!("{input}.{}*", &sig[..sig.len().saturating_sub(1)]);
            assert!(
                verify_access_without_signature(&not_b64, &keys, NOW, 0).is_err(),
                "{name}"
            );
        }
    }

    #[test]
    fn round_trip_all_algs() {
        for alg in [Alg::HS256, Alg::ES256, Alg::EdDSA] {
            let k = key(alg);
            let vk = VerifyKey::from_signing(&k).unwrap();
            let t = sign(&k, &claims(NOW + 300)).unwrap();
            assert!(looks_like_jwt(&t));
            let c = verify(&t, &[vk], NOW, 0).unwrap();
            assert_eq!(c.get("sub"), Some(&json!("client")));
            assert_eq!(c.get("exp"), Some(&json!(NOW + 300)));
            // Header content.
            let h = decode_object(t.split('.').next().unwrap()).unwrap();
            assert_eq!(h.get("alg"), Some(&json!(alg.as_str())));
            assert_eq!(h.get("typ"), Some(&json!("JWT")));
            assert_eq!(h.get("kid"), Some(&json!(k.kid)));
        }
    }

    #[test]
    fn key_sizes_and_storage_round_trip() {
        let h = key(Alg::HS256);
        let text = h.hs256_secret_text().unwrap();
        assert_eq!(text.len(), 64);
        assert!(text.len() >= 32);
        assert_eq!(h.private_bytes(), text.as_bytes());
        assert!(h.public_jwk().is_none());
        let jwk = h.hs256_jwk().unwrap();
        assert_eq!(jwk["kty"], "oct");
        assert_eq!(jwk["alg"], "HS256");
        assert_eq!(
            URL_SAFE_NO_PAD.decode(jwk["k"].as_str().unwrap()).unwrap(),
            text.as_bytes()
        );

        for alg in [Alg::HS256, Alg::ES256, Alg::EdDSA] {
            let k = key(alg);
            if alg != Alg::HS256 {
                assert_eq!(k.private_bytes().len(), 32);
                assert!(k.hs256_jwk().is_none());
                assert!(k.hs256_secret_text().is_none());
            }
            let k2 = SigningKey::from_private_bytes(alg, k.kid.clone(), k.private_bytes()).unwrap();
            let t = sign(&k2, &claims(NOW + 60)).unwrap();
            verify(&t, &[VerifyKey::from_signing(&k).unwrap()], NOW, 0).unwrap();
            assert_eq!(k.public_jwk(), k2.public_jwk());
            assert!(!format!("{k:?}").contains(&b64(k.private_bytes())));
        }
    }

    #[test]
    fn from_private_bytes_rejects_bad_keys() {
        let kid = || "k".to_string();
        assert_eq!(
            SigningKey::from_private_bytes(Alg::HS256, kid(), &[7u8; 31]).unwrap_err(),
            JwtError::BadKey
        );
        assert_eq!(
            SigningKey::from_private_bytes(Alg::ES256, kid(), &[0u8; 32]).unwrap_err(),
            JwtError::BadKey
        );
        assert_eq!(
            SigningKey::from_private_bytes(Alg::ES256, kid(), &[0xffu8; 32]).unwrap_err(),
            JwtError::BadKey
        );
        assert_eq!(
            SigningKey::from_private_bytes(Alg::ES256, kid(), &[1u8; 31]).unwrap_err(),
            JwtError::BadKey
        );
        assert_eq!(
            SigningKey::from_private_bytes(Alg::EdDSA, kid(), &[1u8; 33]).unwrap_err(),
            JwtError::BadKey
        );
        assert!(VerifyKey::hs256(kid(), b"short").is_err());
    }

    #[test]
    fn public_jwk_shapes_and_parse_back() {
        let es = key(Alg::ES256);
        let j = es.public_jwk().unwrap();
        let o = j.as_object().unwrap();
        let mut names: Vec<_> = o.keys().cloned().collect();
        names.sort();
        assert_eq!(names, ["alg", "crv", "kid", "kty", "use", "x", "y"]);
        assert_eq!(j["kty"], "EC");
        assert_eq!(j["crv"], "P-256");
        assert_eq!(j["alg"], "ES256");
        assert_eq!(j["use"], "sig");
        assert_eq!(
            URL_SAFE_NO_PAD
                .decode(j["x"].as_str().unwrap())
                .unwrap()
                .len(),
            32
        );
        // Agrees with p256's own JWK encoding.
        let p = p256::PublicKey::from(
            es256_signing_key(es.private_bytes())
                .unwrap()
                .verifying_key(),
        );
        let pj = p.to_jwk();
        assert_eq!(serde_json::to_value(&pj).unwrap()["x"], j["x"]);
        assert_eq!(serde_json::to_value(&pj).unwrap()["y"], j["y"]);

        let ed = key(Alg::EdDSA);
        let j = ed.public_jwk().unwrap();
        let o = j.as_object().unwrap();
        let mut names: Vec<_> = o.keys().cloned().collect();
        names.sort();
        assert_eq!(names, ["alg", "crv", "kid", "kty", "use", "x"]);
        assert_eq!(j["kty"], "OKP");
        assert_eq!(j["crv"], "Ed25519");
        assert_eq!(j["alg"], "EdDSA");

        let hs = key(Alg::HS256);
        for k in [&es, &ed] {
            let vk = VerifyKey::from_jwk(&k.public_jwk().unwrap()).unwrap();
            let t = sign(k, &claims(NOW + 60)).unwrap();
            verify(&t, &[vk], NOW, 0).unwrap();
        }
        let vk = VerifyKey::from_jwk(&hs.hs256_jwk().unwrap()).unwrap();
        verify(&sign(&hs, &claims(NOW + 60)).unwrap(), &[vk], NOW, 0).unwrap();

        let jwks = public_jwks(&[es.clone(), hs.clone(), ed.clone()]);
        assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);

        // Bad JWKs.
        let mut bad = es.public_jwk().unwrap();
        bad["alg"] = json!("HS256");
        assert!(VerifyKey::from_jwk(&bad).is_err());
        let mut bad = es.public_jwk().unwrap();
        bad["use"] = json!("enc");
        assert!(VerifyKey::from_jwk(&bad).is_err());
        let mut bad = ed.public_jwk().unwrap();
        bad["x"] = json!(b64(&[0u8; 32]));
        assert!(VerifyKey::from_jwk(&bad).is_err());
        assert!(VerifyKey::from_jwk(&json!("x")).is_err());
    }

    #[test]
    fn tampering_refused() {
        for alg in [Alg::HS256, Alg::ES256, Alg::EdDSA] {
            let k = key(alg);
            let vks = [VerifyKey::from_signing(&k).unwrap()];
            let t = sign(&k, &claims(NOW + 300)).unwrap();
            let parts: Vec<&str> = t.split('.').collect();
            // Payload swapped for another (signed by nobody).
            let evil = b64(&serde_json::to_vec(&json!({"sub":"admin","exp":NOW + 300})).unwrap());
            let t2 = format!("{}.{}.{}", parts[0], evil, parts[2]);
            assert_eq!(verify(&t2, &vks, NOW, 0), Err(JwtError::BadSignature));
            // Signature bit flipped.
            let mut sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
            sig[5] ^= 1;
            let t3 = format!("{}.{}.{}", parts[0], parts[1], b64(&sig));
            assert_eq!(verify(&t3, &vks, NOW, 0), Err(JwtError::BadSignature));
            // Truncated signature.
            let t4 = format!("{}.{}.{}", parts[0], parts[1], b64(&sig[..sig.len() - 1]));
            assert_eq!(verify(&t4, &vks, NOW, 0), Err(JwtError::BadSignature));
            // Non-canonical base64 of the signature (padding) is malformed.
            let t5 = format!("{t}=");
            assert!(verify(&t5, &vks, NOW, 0).is_err());
            // Signed by another key with the same kid.
            let other = SigningKey::generate(alg, k.kid.clone()).unwrap();
            let t6 = sign(&other, &claims(NOW + 300)).unwrap();
            assert_eq!(verify(&t6, &vks, NOW, 0), Err(JwtError::BadSignature));
        }
    }

    #[test]
    fn truncated_or_extended_valid_signature_refused() {
        // A prefix of a valid HMAC tag must not verify (else a 1-byte tag
        // is forged in 256 tries), nor may a valid tag with bytes appended.
        for alg in [Alg::HS256, Alg::ES256, Alg::EdDSA] {
            let k = key(alg);
            let vks = [VerifyKey::from_signing(&k).unwrap()];
            let t = sign(&k, &claims(NOW + 300)).unwrap();
            let (input, s) = t.rsplit_once('.').unwrap();
            let sig = URL_SAFE_NO_PAD.decode(s).unwrap();
            let mut longer = sig.clone();
            longer.push(0);
            for bad in [&sig[..1], &sig[..16], &sig[..sig.len() - 1], &longer[..]] {
                let t2 = format!("{input}.{}", b64(bad));
                assert_eq!(verify(&t2, &vks, NOW, 0), Err(JwtError::BadSignature));
            }
        }
    }

    #[test]
    fn es256_high_s_refused() {
        let k = key(Alg::ES256);
        let vks = [VerifyKey::from_signing(&k).unwrap()];
        let t = sign(&k, &claims(NOW + 300)).unwrap();
        let (input, s) = t.rsplit_once('.').unwrap();
        let sig = p256::ecdsa::Signature::from_slice(&URL_SAFE_NO_PAD.decode(s).unwrap()).unwrap();
        assert!(sig.normalize_s().is_none(), "issued signatures are low-s");
        let neg_s = -sig.s();
        let twin = p256::ecdsa::Signature::from_scalars(sig.r(), neg_s).unwrap();
        // The twin is mathematically valid ...
        let vk = es256_signing_key(k.private_bytes()).unwrap();
        assert!(vk.verifying_key().verify(input.as_bytes(), &twin).is_ok());
        // ... but refused by our strict check.
        let t2 = format!("{input}.{}", b64(&twin.to_bytes()));
        assert_eq!(verify(&t2, &vks, NOW, 0), Err(JwtError::BadSignature));
    }

    /// ES256 is verified by ring: every way a signature can be wrong is refused,
    /// and ring agrees with p256 (a separate implementation) on what is valid.
    #[test]
    fn es256_ring_refuses_every_wrong_signature() {
        let k = key(Alg::ES256);
        let vks = [VerifyKey::from_signing(&k).unwrap()];
        let pvk = *es256_signing_key(k.private_bytes())
            .unwrap()
            .verifying_key();
        let t = sign(&k, &claims(NOW + 300)).unwrap();
        assert!(verify(&t, &vks, NOW, 0).is_ok());
        let (input, s) = t.rsplit_once('.').unwrap();
        let sig = URL_SAFE_NO_PAD.decode(s).unwrap();
        let check = |bytes: &[u8]| check_signature(&vks[0], input.as_bytes(), bytes);
        assert_eq!(check(&sig), Ok(()));
        // Every single-bit flip of r or s.
        for i in 0..sig.len() * 8 {
            let mut bad = sig.clone();
            bad[i / 8] ^= 1 << (i % 8);
            assert_eq!(check(&bad), Err(JwtError::BadSignature), "bit {i}");
        }
        // r or s zero, equal to the group order n, or all ones; r and s swapped.
        let n = hex_decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
        let (r, s_) = sig.split_at(32);
        for (r2, s2) in [
            (&[0u8; 32][..], s_),
            (r, &[0u8; 32][..]),
            (&n[..], s_),
            (r, &n[..]),
            (&[0xff; 32][..], s_),
            (r, &[0xff; 32][..]),
            (s_, r),
        ] {
            assert_eq!(check(&[r2, s2].concat()), Err(JwtError::BadSignature));
        }
        // The DER form of the same valid signature, and the fixed form inside longer input.
        let psig = p256::ecdsa::Signature::from_slice(&sig).unwrap();
        assert!(pvk.verify(input.as_bytes(), &psig).is_ok());
        assert_eq!(check(psig.to_der().as_bytes()), Err(JwtError::BadSignature));
        assert_eq!(
            check(&[&sig[..], &[0u8][..]].concat()),
            Err(JwtError::BadSignature)
        );
        assert_eq!(
            check(&[&[0u8][..], &sig[..]].concat()),
            Err(JwtError::BadSignature)
        );
        assert_eq!(check(&sig[..63]), Err(JwtError::BadSignature));
        assert_eq!(check(&[]), Err(JwtError::BadSignature));
        // The high-s twin verifies under p256 but is refused.
        let twin = p256::ecdsa::Signature::from_scalars(psig.r(), -psig.s()).unwrap();
        assert!(pvk.verify(input.as_bytes(), &twin).is_ok());
        assert_eq!(check(&twin.to_bytes()), Err(JwtError::BadSignature));
        // Another message, and another key (same kid), through the JWK too.
        assert_eq!(
            check_signature(&vks[0], b"other input", &sig),
            Err(JwtError::BadSignature)
        );
        let other = SigningKey::generate(Alg::ES256, k.kid.clone()).unwrap();
        for vk in [
            VerifyKey::from_signing(&other).unwrap(),
            VerifyKey::from_jwk(&other.public_jwk().unwrap()).unwrap(),
        ] {
            assert_eq!(
                check_signature(&vk, input.as_bytes(), &sig),
                Err(JwtError::BadSignature)
            );
        }
        // Through our JWK the key still verifies (the SEC1 point round-trips).
        let from_jwk = VerifyKey::from_jwk(&k.public_jwk().unwrap()).unwrap();
        assert_eq!(check_signature(&from_jwk, input.as_bytes(), &sig), Ok(()));
        // Signatures made by p256 directly over many inputs: ring agrees with p256.
        let sk = es256_signing_key(k.private_bytes()).unwrap();
        for i in 0..64 {
            let msg = format!("message {i}");
            let ps: p256::ecdsa::Signature =
                p256::ecdsa::signature::Signer::sign(&sk, msg.as_bytes());
            let low = ps.normalize_s().unwrap_or(ps);
            assert_eq!(
                check_signature(&vks[0], msg.as_bytes(), &low.to_bytes()),
                Ok(())
            );
            assert_eq!(
                check_signature(&vks[0], format!("{msg}.").as_bytes(), &low.to_bytes()),
                Err(JwtError::BadSignature)
            );
        }
    }

    fn hex_decode(h: &str) -> Vec<u8> {
        (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn alg_none_refused() {
        let k = key(Alg::HS256);
        let vks = [VerifyKey::from_signing(&k).unwrap()];
        let payload = b64(&serde_json::to_vec(&claims(NOW + 300)).unwrap());
        for alg in ["none", "None", "NONE"] {
            let h = b64(&serde_json::to_vec(&json!({"alg": alg, "kid": k.kid})).unwrap());
            // Empty signature: not even JWT-shaped.
            assert_eq!(
                verify(&format!("{h}.{payload}."), &vks, NOW, 0),
                Err(JwtError::Malformed)
            );
            // With some signature bytes.
            assert_eq!(
                verify(&format!("{h}.{payload}.AAAA"), &vks, NOW, 0),
                Err(JwtError::AlgNone)
            );
        }
        let h = b64(&serde_json::to_vec(&json!({"alg": "HS512", "kid": k.kid})).unwrap());
        assert_eq!(
            verify(&format!("{h}.{payload}.AAAA"), &vks, NOW, 0),
            Err(JwtError::UnsupportedAlg)
        );
    }

    #[test]
    fn algorithm_confusion_refused() {
        for alg in [Alg::ES256, Alg::EdDSA] {
            let k = key(alg);
            let vk = VerifyKey::from_signing(&k).unwrap();
            let jwk = k.public_jwk().unwrap();
            let x = URL_SAFE_NO_PAD.decode(jwk["x"].as_str().unwrap()).unwrap();
            let mut candidates: Vec<Vec<u8>> = vec![
                serde_json::to_vec(&jwk).unwrap(),
                jwk.to_string().into_bytes(),
                x.clone(),
                jwk["x"].as_str().unwrap().as_bytes().to_vec(),
            ];
            if alg == Alg::ES256 {
                let sk = es256_signing_key(k.private_bytes()).unwrap();
                candidates.push(
                    sk.verifying_key()
                        .to_encoded_point(false)
                        .as_bytes()
                        .to_vec(),
                );
                candidates.push(
                    sk.verifying_key()
                        .to_encoded_point(true)
                        .as_bytes()
                        .to_vec(),
                );
            }
            let header = json!({"alg": "HS256", "typ": "JWT", "kid": k.kid});
            for hmac_key in candidates {
                let t = forge(&header, &claims(NOW + 300), &hmac_key);
                assert_eq!(
                    verify(&t, std::slice::from_ref(&vk), NOW, 0),
                    Err(JwtError::AlgMismatch)
                );
            }
            // A token whose header claims the other asymmetric alg.
            let other = if alg == Alg::ES256 {
                Alg::EdDSA
            } else {
                Alg::ES256
            };
            let h = json!({"alg": other.as_str(), "kid": k.kid});
            let t = resign(&k, &h, &claims(NOW + 300));
            assert_eq!(verify(&t, &[vk], NOW, 0), Err(JwtError::AlgMismatch));
        }
    }

    #[test]
    fn kid_handling() {
        let k = key(Alg::HS256);
        let vks = [VerifyKey::from_signing(&k).unwrap()];
        let other =
            SigningKey::from_private_bytes(Alg::HS256, "other".into(), k.private_bytes()).unwrap();
        let t = sign(&other, &claims(NOW + 300)).unwrap();
        assert_eq!(verify(&t, &vks, NOW, 0), Err(JwtError::UnknownKid));
        assert_eq!(verify(&t, &[], NOW, 0), Err(JwtError::UnknownKid));
        // Missing kid, non-string kid.
        for h in [json!({"alg":"HS256"}), json!({"alg":"HS256","kid":7})] {
            let t = forge(&h, &claims(NOW + 300), k.private_bytes());
            assert_eq!(verify(&t, &vks, NOW, 0), Err(JwtError::BadHeader));
        }
        // crit is refused.
        let h = json!({"alg":"HS256","kid":k.kid,"crit":["exp"]});
        let t = forge(&h, &claims(NOW + 300), k.private_bytes());
        assert_eq!(verify(&t, &vks, NOW, 0), Err(JwtError::BadHeader));
        // Several keys: the one with the right kid is used.
        let k2 = key(Alg::EdDSA);
        let k3 = SigningKey::generate(Alg::ES256, "three".into()).unwrap();
        let all: Vec<VerifyKey> = [&k, &k2, &k3]
            .iter()
            .map(|k| VerifyKey::from_signing(k).unwrap())
            .collect();
        for s in [&k, &k2, &k3] {
            verify(&sign(s, &claims(NOW + 1)).unwrap(), &all, NOW, 0).unwrap();
        }
    }

    #[test]
    fn time_claims() {
        let k = key(Alg::EdDSA);
        let vks = [VerifyKey::from_signing(&k).unwrap()];
        let v = |c: Value, leeway: i64| verify(&sign(&k, &c).unwrap(), &vks, NOW, leeway);

        assert!(v(json!({"exp": NOW + 1}), 0).is_ok());
        assert_eq!(v(json!({"exp": NOW}), 0), Err(JwtError::Expired));
        assert_eq!(v(json!({"exp": NOW - 100}), 0), Err(JwtError::Expired));
        // Leeway.
        assert!(v(json!({"exp": NOW - 30}), 60).is_ok());
        assert_eq!(v(json!({"exp": NOW - 60}), 60), Err(JwtError::Expired));
        assert_eq!(v(json!({"exp": NOW - 30}), -100), Err(JwtError::Expired));
        // Missing / wrongly typed exp.
        assert_eq!(v(json!({"sub": "x"}), 0), Err(JwtError::MissingExp));
        for bad in [
            json!(format!("{}", NOW + 100)),
            json!(null),
            json!(true),
            json!([NOW + 100]),
            json!({"t": NOW + 100}),
        ] {
            assert_eq!(v(json!({"exp": bad}), 0), Err(JwtError::BadTimeClaim));
        }
        // Fractional and huge values.
        assert!(v(json!({"exp": (NOW as f64) + 10.5}), 0).is_ok());
        assert_eq!(
            v(json!({"exp": (NOW as f64) + 0.5}), 0),
            Err(JwtError::Expired)
        );
        assert!(v(json!({"exp": u64::MAX}), 0).is_ok());
        assert!(v(json!({"exp": 1e300}), 0).is_ok());
        assert_eq!(v(json!({"exp": -1e300}), 0), Err(JwtError::Expired));
        assert_eq!(
            v(json!({"exp": i64::MIN}), i64::MAX),
            Err(JwtError::Expired)
        );
        // nbf / iat.
        assert!(v(json!({"exp": NOW + 100, "nbf": NOW}), 0).is_ok());
        assert_eq!(
            v(json!({"exp": NOW + 100, "nbf": NOW + 10}), 0),
            Err(JwtError::NotYetValid)
        );
        assert!(v(json!({"exp": NOW + 100, "nbf": NOW + 10}), 10).is_ok());
        assert_eq!(
            v(json!({"exp": NOW + 100, "nbf": "0"}), 0),
            Err(JwtError::BadTimeClaim)
        );
        assert!(v(json!({"exp": NOW + 100, "iat": NOW}), 0).is_ok());
        assert_eq!(
            v(json!({"exp": NOW + 100, "iat": NOW + 10}), 5),
            Err(JwtError::IssuedInFuture)
        );
        assert!(v(json!({"exp": NOW + 100, "iat": NOW + 10}), 10).is_ok());
        assert_eq!(
            v(json!({"exp": NOW + 100, "iat": null}), 0),
            Err(JwtError::BadTimeClaim)
        );
    }

    #[test]
    fn structure_and_size() {
        let k = key(Alg::HS256);
        let vks = [VerifyKey::from_signing(&k).unwrap()];
        for t in [
            "", ".", "..", "a.b", "a.b.c.d", "a..c", ".b.c", "a.b.", "a b.c.d", "a.b.c=",
        ] {
            assert!(!looks_like_jwt(t), "{t:?}");
            assert_eq!(verify(t, &vks, NOW, 0), Err(JwtError::Malformed), "{t:?}");
        }
        // Opaque pg_ords tokens are not JWT-shaped.
        assert!(!looks_like_jwt(&crate::secrets::random_token()));
        assert!(!looks_like_jwt(&crate::secrets::random_secret()));
        // Payload not an object.
        let h = json!({"alg":"HS256","kid":k.kid});
        let t = forge(&h, &json!([1, 2]), k.private_bytes());
        assert_eq!(verify(&t, &vks, NOW, 0), Err(JwtError::BadPayload));
        // Header not an object.
        let t = forge(&json!("HS256"), &claims(NOW + 10), k.private_bytes());
        assert_eq!(verify(&t, &vks, NOW, 0), Err(JwtError::BadHeader));
        // sign refuses non-object claims.
        assert_eq!(sign(&k, &json!(3)), Err(JwtError::BadClaims));
        // Size limit.
        let big = json!({"exp": NOW + 10, "pad": "x".repeat(MAX_TOKEN_LEN)});
        let t = sign(&k, &big).unwrap();
        assert_eq!(verify(&t, &vks, NOW, 0), Err(JwtError::TooLarge));
        let fits = json!({"exp": NOW + 10, "pad": "x".repeat(MAX_TOKEN_LEN / 2)});
        assert!(verify(&sign(&k, &fits).unwrap(), &vks, NOW, 0).is_ok());
    }

    #[test]
    fn errors_do_not_leak() {
        let k = key(Alg::HS256);
        let secret = k.hs256_secret_text().unwrap().to_owned();
        let vk = VerifyKey::from_signing(&k).unwrap();
        assert!(!format!("{vk:?}").contains(&secret));
        assert!(!format!("{k:?}").contains(&secret));
        let t = sign(&k, &claims(NOW - 10)).unwrap();
        let e = verify(&t, &[vk], NOW, 0).unwrap_err();
        assert!(!e.to_string().contains(&t[..10]));
    }

    // ---- Cross-checks with an independent implementation (jsonwebtoken). ----

    fn jwt_validation(alg: jsonwebtoken::Algorithm) -> jsonwebtoken::Validation {
        let mut v = jsonwebtoken::Validation::new(alg);
        v.leeway = 0;
        v.validate_exp = true;
        v
    }

    fn far_claims() -> Value {
        // jsonwebtoken checks exp against the real clock.
        json!({"sub": "client", "jti": "j1", "exp": 4_000_000_000i64})
    }

    #[test]
    fn jsonwebtoken_accepts_our_hs256() {
        let k = key(Alg::HS256);
        let t = sign(&k, &far_claims()).unwrap();
        let dk = jsonwebtoken::DecodingKey::from_secret(k.hs256_secret_text().unwrap().as_bytes());
        let d =
            jsonwebtoken::decode::<Value>(&t, &dk, &jwt_validation(jsonwebtoken::Algorithm::HS256))
                .unwrap();
        assert_eq!(d.claims["sub"], "client");
        assert_eq!(d.header.kid.as_deref(), Some(k.kid.as_str()));
        // Also through the oct JWK.
        let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(k.hs256_jwk().unwrap()).unwrap();
        let dk = jsonwebtoken::DecodingKey::from_jwk(&jwk).unwrap();
        jsonwebtoken::decode::<Value>(&t, &dk, &jwt_validation(jsonwebtoken::Algorithm::HS256))
            .unwrap();
    }

    #[test]
    fn jsonwebtoken_accepts_our_es256_and_eddsa() {
        for (alg, jalg) in [
            (Alg::ES256, jsonwebtoken::Algorithm::ES256),
            (Alg::EdDSA, jsonwebtoken::Algorithm::EdDSA),
        ] {
            let k = key(alg);
            let t = sign(&k, &far_claims()).unwrap();
            let pj = k.public_jwk().unwrap();
            // Through our published JWK.
            let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(pj.clone()).unwrap();
            let dk = jsonwebtoken::DecodingKey::from_jwk(&jwk).unwrap();
            let d = jsonwebtoken::decode::<Value>(&t, &dk, &jwt_validation(jalg)).unwrap();
            assert_eq!(d.claims["jti"], "j1");
            assert_eq!(d.header.kid.as_deref(), Some(k.kid.as_str()));
            // Through the raw components.
            let dk = match alg {
                Alg::ES256 => jsonwebtoken::DecodingKey::from_ec_components(
                    pj["x"].as_str().unwrap(),
                    pj["y"].as_str().unwrap(),
                )
                .unwrap(),
                _ => jsonwebtoken::DecodingKey::from_ed_components(pj["x"].as_str().unwrap())
                    .unwrap(),
            };
            jsonwebtoken::decode::<Value>(&t, &dk, &jwt_validation(jalg)).unwrap();
            // And a JWKS holding it parses.
            let set: jsonwebtoken::jwk::JwkSet =
                serde_json::from_value(public_jwks(std::slice::from_ref(&k))).unwrap();
            assert!(set.find(&k.kid).is_some());
        }
    }

    #[test]
    fn we_accept_jsonwebtoken_hs256() {
        let k = key(Alg::HS256);
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        header.kid = Some(k.kid.clone());
        let ek = jsonwebtoken::EncodingKey::from_secret(k.hs256_secret_text().unwrap().as_bytes());
        let t = jsonwebtoken::encode(&header, &claims(NOW + 100), &ek).unwrap();
        let c = verify(&t, &[VerifyKey::from_signing(&k).unwrap()], NOW, 0).unwrap();
        assert_eq!(c["sub"], "client");
        // Signed with a different secret: refused.
        let ek = jsonwebtoken::EncodingKey::from_secret(&[b'z'; 64]);
        let t = jsonwebtoken::encode(&header, &claims(NOW + 100), &ek).unwrap();
        assert_eq!(
            verify(&t, &[VerifyKey::from_signing(&k).unwrap()], NOW, 0),
            Err(JwtError::BadSignature)
        );
    }

    // ---- Properties. ----

    fn b64_part() -> impl Strategy<Value = String> {
        proptest::collection::vec(any::<u8>(), 0..96).prop_map(|b| b64(&b))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::fuzz_cases(512)))]

        #[test]
        fn verify_never_panics(s in any::<String>(), now in any::<i64>(), leeway in any::<i64>()) {
            let keys = [
                VerifyKey::from_signing(&SigningKey::from_private_bytes(Alg::HS256, "k".into(), &[1u8; 32]).unwrap()).unwrap(),
                VerifyKey::from_signing(&SigningKey::from_private_bytes(Alg::EdDSA, "e".into(), &[2u8; 32]).unwrap()).unwrap(),
            ];
            let _ = looks_like_jwt(&s);
            prop_assert!(verify(&s, &keys, now, leeway).is_err() || looks_like_jwt(&s));
        }

        #[test]
        fn verify_never_panics_on_jwt_shaped(h in b64_part(), p in b64_part(), sg in b64_part(),
                                             now in any::<i64>(), leeway in any::<i64>()) {
            let keys = [VerifyKey::hs256("k".into(), &[1u8; 32]).unwrap()];
            let _ = verify(&format!("{h}.{p}.{sg}"), &keys, now, leeway);
        }

        #[test]
        fn member_reading_matches_value_maps_on_arbitrary_objects(
            header in proptest::collection::vec((0..MEMBER_NAMES.len(), 0..MEMBER_VALUES.len()), 0..6),
            payload in proptest::collection::vec((0..MEMBER_NAMES.len(), 0..MEMBER_VALUES.len()), 0..8),
            now in any::<i64>(), leeway in -5i64..5)
        {
            let k = SigningKey::from_private_bytes(Alg::HS256, "k".into(), &[1u8; 32]).unwrap();
            let keys = [VerifyKey::from_signing(&k).unwrap()];
            let mut h = vec![(0, 0), (1, 1)];
            h.extend(header);
            let t = sign_raw(&k, &raw_object(&h), &raw_object(&payload));
            assert_like_reference(&t, &keys, now, leeway);
            assert_like_reference(&t, &keys, 1_700_000_000, leeway);
        }

        #[test]
        fn verify_never_panics_on_signed_arbitrary_json(
            kid in "[a-z]{0,3}", exp in any::<i64>(), extra in any::<String>(),
            now in any::<i64>(), leeway in any::<i64>(), sig in b64_part())
        {
            let k = SigningKey::from_private_bytes(Alg::HS256, "k".into(), &[1u8; 32]).unwrap();
            let keys = [VerifyKey::from_signing(&k).unwrap()];
            let header = json!({"alg": "HS256", "kid": kid});
            let payload = json!({"exp": exp, "x": extra, "nbf": exp, "iat": extra});
            let t = forge(&header, &payload, k.private_bytes());
            let _ = verify(&t, &keys, now, leeway);
            let (input, _) = t.rsplit_once('.').unwrap();
            let _ = verify(&format!("{input}.{sig}"), &keys, now, leeway);
        }
    }
}
