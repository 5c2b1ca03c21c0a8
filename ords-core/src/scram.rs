//! Verification of passwords against the verifiers PostgreSQL keeps in
//! `pg_authid.rolpassword`, for HTTP Basic authentication of login roles.
//!
//! The password itself is never stored: a password received over HTTP is
//! checked the way the PostgreSQL server checks a plaintext password
//! (`password` authentication, `scram_verify_plain_password` /
//! `plain_crypt_verify`) against the role's stored verifier:
//!
//! * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` — the
//!   password is normalised with SASLprep exactly as PostgreSQL's
//!   `pg_saslprep` does (falling back to the raw bytes when SASLprep
//!   rejects it), then `SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt,
//!   iterations)` and both keys are recomputed and compared in constant
//!   time;
//! * `md5<32 lowercase hex digits>` — `md5(password || username)`, compared
//!   in constant time.
//!
//! [`dummy_verify`] does the same PBKDF2 work against a fixed salt, so that
//! a request naming an unknown role (or a role without a usable verifier)
//! takes as long as one naming a real role.
//!
//! No function here panics on input, and [`Verifier`]'s `Debug` output never
//! shows key material.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use md5::Md5;
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;
use unicode_normalization::UnicodeNormalization;

/// Smallest SCRAM iteration count [`parse_verifier`] accepts.
pub const MIN_ITERATIONS: u32 = 1;
/// Largest SCRAM iteration count [`parse_verifier`] accepts (bounds the work
/// a crafted verifier can cause; PostgreSQL's default is 4096).
pub const MAX_ITERATIONS: u32 = 10_000_000;
/// Longest password, in bytes, that can match a SCRAM verifier: PostgreSQL's
/// `pg_saslprep` refuses longer passwords ("password too long"), so the
/// server's own plaintext check can never accept them.
pub const MAX_PASSWORD_LENGTH: usize = 1024;

const SCRAM_PREFIX: &str = "SCRAM-SHA-256$";
const MD5_PREFIX: &str = "md5";
const SCRAM_KEY_LEN: usize = 32;
/// Salt used by [`dummy_verify`] (PostgreSQL's default salt length).
const DUMMY_SALT: [u8; 16] = *b"pg_ords-dummy-sa";

type HmacSha256 = Hmac<Sha256>;

/// A password verifier as stored by PostgreSQL in `pg_authid.rolpassword`.
///
/// `Debug` prints the iteration count and the salt length only.
#[derive(Clone)]
pub enum Verifier {
    /// A `SCRAM-SHA-256` secret.
    Scram {
        /// PBKDF2 iteration count, within `MIN_ITERATIONS ..= MAX_ITERATIONS`
        /// when produced by [`parse_verifier`].
        iterations: u32,
        /// The salt (PostgreSQL generates 16 random bytes).
        salt: Vec<u8>,
        /// `StoredKey = SHA-256(HMAC(SaltedPassword, "Client Key"))`.
        stored_key: [u8; 32],
        /// `ServerKey = HMAC(SaltedPassword, "Server Key")`.
        server_key: [u8; 32],
    },
    /// A legacy MD5 verifier: `md5(password || username)`.
    Md5 {
        /// The 16-byte MD5 digest.
        hash: [u8; 16],
    },
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verifier::Scram {
                iterations, salt, ..
            } => f
                .debug_struct("Scram")
                .field("iterations", iterations)
                .field("salt_len", &salt.len())
                .field("stored_key", &"<redacted>")
                .field("server_key", &"<redacted>")
                .finish(),
            Verifier::Md5 { .. } => f.debug_struct("Md5").field("hash", &"<redacted>").finish(),
        }
    }
}

/// Parses the contents of `pg_authid.rolpassword`.
///
/// Accepts PostgreSQL's two verifier formats:
///
/// * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, where the
///   iteration count is decimal digits within
///   [`MIN_ITERATIONS`]`..=`[`MAX_ITERATIONS`], the salt is non-empty
///   standard (padded) base64, and both keys are standard base64 of exactly
///   32 bytes;
/// * `md5` followed by exactly 32 lowercase hexadecimal digits (PostgreSQL
///   itself only recognises lowercase).
///
/// Anything else — a plaintext password, another scheme, a malformed or
/// out-of-range field — gives `None`. (A NULL `rolpassword` is the caller's
/// business.)
pub fn parse_verifier(rolpassword: &str) -> Option<Verifier> {
    if let Some(rest) = rolpassword.strip_prefix(SCRAM_PREFIX) {
        return parse_scram(rest);
    }
    if let Some(hex) = rolpassword.strip_prefix(MD5_PREFIX) {
        return parse_md5(hex);
    }
    None
}

fn parse_scram(rest: &str) -> Option<Verifier> {
    let (params, keys) = rest.split_once('$')?;
    let (iterations, salt) = params.split_once(':')?;
    let (stored_key, server_key) = keys.split_once(':')?;
    if iterations.is_empty() || !iterations.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let iterations: u32 = iterations.parse().ok()?;
    if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
        return None;
    }
    let salt = STANDARD.decode(salt).ok()?;
    if salt.is_empty() {
        return None;
    }
    Some(Verifier::Scram {
        iterations,
        salt,
        stored_key: decode_key(stored_key)?,
        server_key: decode_key(server_key)?,
    })
}

fn decode_key(b64: &str) -> Option<[u8; SCRAM_KEY_LEN]> {
    // 32 bytes encode to 44 characters; refuse anything longer before
    // decoding.
    if b64.len() != 44 {
        return None;
    }
    STANDARD.decode(b64).ok()?.try_into().ok()
}

fn parse_md5(hex: &str) -> Option<Verifier> {
    let bytes = hex.as_bytes();
    if bytes.len() != 32 {
        return None;
    }
    let mut hash = [0u8; 16];
    for (out, pair) in hash.iter_mut().zip(bytes.chunks_exact(2)) {
        let &[hi, lo] = pair else {
            return None;
        };
        *out = (lower_hex_value(hi)? << 4) | lower_hex_value(lo)?;
    }
    Some(Verifier::Md5 { hash })
}

fn lower_hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// Checks `password` (as received, e.g. from an HTTP Basic header) against
/// `verifier`, as PostgreSQL's own plaintext-password check does.
///
/// * SCRAM: the password is normalised with SASLprep exactly as
///   PostgreSQL's `pg_saslprep` does it (including its departures from a
///   textbook RFC 4013 implementation: checks on the mapped string before
///   NFKC, Unicode 3.2 bidirectional tables, pure ASCII left untouched);
///   if SASLprep rejects it the raw bytes are used, as PostgreSQL does. Both `StoredKey` and `ServerKey` must match; the
///   comparison is constant-time. `username` is not used (SCRAM verifiers do
///   not depend on it).
/// * MD5: `md5(password || username)` must equal the stored digest
///   (constant-time comparison); `username` must be the role name exactly as
///   stored in `pg_authid.rolname`.
///
/// Returns `false` without hashing when the password contains a NUL
/// character (PostgreSQL passwords are C strings and cannot), when a SCRAM
/// password is longer than [`MAX_PASSWORD_LENGTH`] bytes (PostgreSQL refuses
/// it), or when a hand-built SCRAM verifier has an iteration count outside
/// [`MIN_ITERATIONS`]`..=`[`MAX_ITERATIONS`] or an empty salt. None of these
/// depends on a secret, so the early return leaks nothing.
pub fn verify_password(verifier: &Verifier, username: &str, password: &str) -> bool {
    if password.contains('\0') {
        return false;
    }
    match verifier {
        Verifier::Scram {
            iterations,
            salt,
            stored_key,
            server_key,
        } => {
            if password.len() > MAX_PASSWORD_LENGTH
                || !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(iterations)
                || salt.is_empty()
            {
                return false;
            }
            let prepped = pg_saslprep(password);
            let bytes = prepped.as_deref().unwrap_or(password).as_bytes();
            let Some((stored, server)) = scram_keys(bytes, salt, *iterations) else {
                return false;
            };
            let ok = stored[..].ct_eq(&stored_key[..]) & server[..].ct_eq(&server_key[..]);
            bool::from(ok)
        }
        Verifier::Md5 { hash } => {
            let mut md5 = Md5::new();
            md5.update(password.as_bytes());
            md5.update(username.as_bytes());
            let digest: [u8; 16] = md5.finalize().into();
            bool::from(digest[..].ct_eq(&hash[..]))
        }
    }
}

/// Does the work of one SCRAM verification with `iterations` PBKDF2 rounds
/// (clamped to [`MIN_ITERATIONS`]`..=`[`MAX_ITERATIONS`]) against a fixed
/// salt and discards the result.
///
/// Call it when the role is unknown or has no usable verifier, with the
/// iteration count a real verifier would have (PostgreSQL's default is
/// 4096, see `scram_iterations`), so that such a request takes as long as a
/// real verification.
pub fn dummy_verify(iterations: u32) {
    let verifier = Verifier::Scram {
        iterations: iterations.clamp(MIN_ITERATIONS, MAX_ITERATIONS),
        salt: DUMMY_SALT.to_vec(),
        stored_key: [0u8; 32],
        server_key: [0u8; 32],
    };
    std::hint::black_box(verify_password(
        &verifier,
        "",
        std::hint::black_box("pg_ords dummy password"),
    ));
}

/// Builds a PostgreSQL-format SCRAM-SHA-256 verifier for `password` with the
/// given salt and iteration count, normalising the password exactly as
/// PostgreSQL's `pg_be_scram_build_secret` does. For tests only: the salt is
/// the caller's, and the work is not bounded (avoid huge `iterations`).
/// A zero iteration count is computed as one round.
#[doc(hidden)]
pub fn scram_verifier_for_tests(password: &str, salt: &[u8], iterations: u32) -> String {
    let prepped = pg_saslprep(password);
    let bytes = prepped.as_deref().unwrap_or(password).as_bytes();
    let (stored, server) = scram_keys(bytes, salt, iterations).unwrap_or_default();
    format!(
        "{SCRAM_PREFIX}{iterations}:{}${}:{}",
        STANDARD.encode(salt),
        STANDARD.encode(stored),
        STANDARD.encode(server)
    )
}

/// Computes `(StoredKey, ServerKey)` for already-normalised password bytes.
fn scram_keys(password: &[u8], salt: &[u8], iterations: u32) -> Option<([u8; 32], [u8; 32])> {
    let mut salted = [0u8; SCRAM_KEY_LEN];
    pbkdf2::pbkdf2::<HmacSha256>(password, salt, iterations, &mut salted).ok()?;

    let mut mac = <HmacSha256 as Mac>::new_from_slice(&salted).ok()?;
    mac.update(b"Client Key");
    let client_key = mac.finalize().into_bytes();
    let stored_key: [u8; 32] = Sha256::digest(client_key).into();

    let mut mac = <HmacSha256 as Mac>::new_from_slice(&salted).ok()?;
    mac.update(b"Server Key");
    let server_key: [u8; 32] = mac.finalize().into_bytes().into();
    Some((stored_key, server_key))
}

/// SASLprep (RFC 4013) exactly as PostgreSQL's `pg_saslprep`
/// (`src/common/saslprep.c`) computes it; `None` where PostgreSQL reports
/// failure (the caller then uses the raw password bytes, as PostgreSQL
/// does).
///
/// PostgreSQL's implementation differs from a textbook SASLprep (such as
/// `stringprep::saslprep`) in ways that change the bytes hashed, so it is
/// mirrored here step by step:
///
/// 1. a pure-ASCII string is returned unchanged (even with control
///    characters);
/// 2. non-ASCII spaces (table C.1.2) map to U+0020 and table B.1 characters
///    map to nothing; an empty result is a failure;
/// 3. prohibited (C.1.2–C.9) and unassigned (A.1, Unicode 3.2) characters
///    and the bidirectional rule (tables D.1/D.2, Unicode 3.2 properties)
///    are checked on the *mapped* string, before normalisation;
/// 4. the mapped string is NFKC-normalised.
fn pg_saslprep(input: &str) -> Option<String> {
    use stringprep::tables as t;

    if input.is_ascii() {
        return Some(input.to_owned());
    }
    let mapped: Vec<char> = input
        .chars()
        .filter_map(|c| {
            if t::non_ascii_space_character(c) {
                Some(' ')
            } else if t::commonly_mapped_to_nothing(c) {
                None
            } else {
                Some(c)
            }
        })
        .collect();
    let (first, last) = match (mapped.first(), mapped.last()) {
        (Some(&first), Some(&last)) => (first, last),
        _ => return None, // PostgreSQL: "don't allow empty password"
    };
    let prohibited = |c: char| {
        t::non_ascii_space_character(c)
            || t::ascii_control_character(c)
            || t::non_ascii_control_character(c)
            || t::private_use(c)
            || t::non_character_code_point(c)
            || t::surrogate_code(c)
            || t::inappropriate_for_plain_text(c)
            || t::inappropriate_for_canonical_representation(c)
            || t::change_display_properties_or_deprecated(c)
            || t::tagging_character(c)
            || t::unassigned_code_point(c)
    };
    if mapped.iter().any(|&c| prohibited(c)) {
        return None;
    }
    if mapped.iter().any(|&c| rand_al_cat(c))
        && (mapped.iter().any(|&c| l_cat(c)) || !rand_al_cat(first) || !rand_al_cat(last))
    {
        return None;
    }
    Some(mapped.into_iter().nfkc().collect())
}

/// Whether `c` is in RFC 3454 table D.1 (bidirectional property R or AL in
/// Unicode 3.2, as PostgreSQL's `RandALCat_codepoint_ranges`).
fn rand_al_cat(c: char) -> bool {
    in_ranges(rfc3454::D_1, c)
}

/// Whether `c` is in RFC 3454 table D.2 (bidirectional property L in Unicode
/// 3.2, as PostgreSQL's `LCat_codepoint_ranges`).
fn l_cat(c: char) -> bool {
    in_ranges(rfc3454::D_2, c)
}

fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let c = u32::from(c);
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// RFC 3454 tables D.1 and D.2. They are fixed by the RFC (Unicode 3.2
/// bidirectional properties) and are what PostgreSQL uses; the `stringprep`
/// crate instead consults current Unicode properties, which differ for a few
/// hundred code points (e.g. the Braille patterns). Generated from Python's
/// `stringprep.in_table_d1` / `in_table_d2` (which are checked against the
/// RFC text).
#[rustfmt::skip]
mod rfc3454 {
    /// RFC 3454 table D.1: characters with bidirectional property R or AL (Unicode 3.2).
    pub(super) const D_1: &[(u32, u32)] = &[
        (0x05BE, 0x05BE), (0x05C0, 0x05C0), (0x05C3, 0x05C3), (0x05D0, 0x05EA), (0x05F0, 0x05F4),
        (0x061B, 0x061B), (0x061F, 0x061F), (0x0621, 0x063A), (0x0640, 0x064A), (0x066D, 0x066F),
        (0x0671, 0x06D5), (0x06DD, 0x06DD), (0x06E5, 0x06E6), (0x06FA, 0x06FE), (0x0700, 0x070D),
        (0x0710, 0x0710), (0x0712, 0x072C), (0x0780, 0x07A5), (0x07B1, 0x07B1), (0x200F, 0x200F),
        (0xFB1D, 0xFB1D), (0xFB1F, 0xFB28), (0xFB2A, 0xFB36), (0xFB38, 0xFB3C), (0xFB3E, 0xFB3E),
        (0xFB40, 0xFB41), (0xFB43, 0xFB44), (0xFB46, 0xFBB1), (0xFBD3, 0xFD3D), (0xFD50, 0xFD8F),
        (0xFD92, 0xFDC7), (0xFDF0, 0xFDFC), (0xFE70, 0xFE74), (0xFE76, 0xFEFC),
    ];

    /// RFC 3454 table D.2: characters with bidirectional property L (Unicode 3.2).
    pub(super) const D_2: &[(u32, u32)] = &[
        (0x0041, 0x005A), (0x0061, 0x007A), (0x00AA, 0x00AA), (0x00B5, 0x00B5), (0x00BA, 0x00BA),
        (0x00C0, 0x00D6), (0x00D8, 0x00F6), (0x00F8, 0x0220), (0x0222, 0x0233), (0x0250, 0x02AD),
        (0x02B0, 0x02B8), (0x02BB, 0x02C1), (0x02D0, 0x02D1), (0x02E0, 0x02E4), (0x02EE, 0x02EE),
        (0x037A, 0x037A), (0x0386, 0x0386), (0x0388, 0x038A), (0x038C, 0x038C), (0x038E, 0x03A1),
        (0x03A3, 0x03CE), (0x03D0, 0x03F5), (0x0400, 0x0482), (0x048A, 0x04CE), (0x04D0, 0x04F5),
        (0x04F8, 0x04F9), (0x0500, 0x050F), (0x0531, 0x0556), (0x0559, 0x055F), (0x0561, 0x0587),
        (0x0589, 0x0589), (0x0903, 0x0903), (0x0905, 0x0939), (0x093D, 0x0940), (0x0949, 0x094C),
        (0x0950, 0x0950), (0x0958, 0x0961), (0x0964, 0x0970), (0x0982, 0x0983), (0x0985, 0x098C),
        (0x098F, 0x0990), (0x0993, 0x09A8), (0x09AA, 0x09B0), (0x09B2, 0x09B2), (0x09B6, 0x09B9),
        (0x09BE, 0x09C0), (0x09C7, 0x09C8), (0x09CB, 0x09CC), (0x09D7, 0x09D7), (0x09DC, 0x09DD),
        (0x09DF, 0x09E1), (0x09E6, 0x09F1), (0x09F4, 0x09FA), (0x0A05, 0x0A0A), (0x0A0F, 0x0A10),
        (0x0A13, 0x0A28), (0x0A2A, 0x0A30), (0x0A32, 0x0A33), (0x0A35, 0x0A36), (0x0A38, 0x0A39),
        (0x0A3E, 0x0A40), (0x0A59, 0x0A5C), (0x0A5E, 0x0A5E), (0x0A66, 0x0A6F), (0x0A72, 0x0A74),
        (0x0A83, 0x0A83), (0x0A85, 0x0A8B), (0x0A8D, 0x0A8D), (0x0A8F, 0x0A91), (0x0A93, 0x0AA8),
        (0x0AAA, 0x0AB0), (0x0AB2, 0x0AB3), (0x0AB5, 0x0AB9), (0x0ABD, 0x0AC0), (0x0AC9, 0x0AC9),
        (0x0ACB, 0x0ACC), (0x0AD0, 0x0AD0), (0x0AE0, 0x0AE0), (0x0AE6, 0x0AEF), (0x0B02, 0x0B03),
        (0x0B05, 0x0B0C), (0x0B0F, 0x0B10), (0x0B13, 0x0B28), (0x0B2A, 0x0B30), (0x0B32, 0x0B33),
        (0x0B36, 0x0B39), (0x0B3D, 0x0B3E), (0x0B40, 0x0B40), (0x0B47, 0x0B48), (0x0B4B, 0x0B4C),
        (0x0B57, 0x0B57), (0x0B5C, 0x0B5D), (0x0B5F, 0x0B61), (0x0B66, 0x0B70), (0x0B83, 0x0B83),
        (0x0B85, 0x0B8A), (0x0B8E, 0x0B90), (0x0B92, 0x0B95), (0x0B99, 0x0B9A), (0x0B9C, 0x0B9C),
        (0x0B9E, 0x0B9F), (0x0BA3, 0x0BA4), (0x0BA8, 0x0BAA), (0x0BAE, 0x0BB5), (0x0BB7, 0x0BB9),
        (0x0BBE, 0x0BBF), (0x0BC1, 0x0BC2), (0x0BC6, 0x0BC8), (0x0BCA, 0x0BCC), (0x0BD7, 0x0BD7),
        (0x0BE7, 0x0BF2), (0x0C01, 0x0C03), (0x0C05, 0x0C0C), (0x0C0E, 0x0C10), (0x0C12, 0x0C28),
        (0x0C2A, 0x0C33), (0x0C35, 0x0C39), (0x0C41, 0x0C44), (0x0C60, 0x0C61), (0x0C66, 0x0C6F),
        (0x0C82, 0x0C83), (0x0C85, 0x0C8C), (0x0C8E, 0x0C90), (0x0C92, 0x0CA8), (0x0CAA, 0x0CB3),
        (0x0CB5, 0x0CB9), (0x0CBE, 0x0CBE), (0x0CC0, 0x0CC4), (0x0CC7, 0x0CC8), (0x0CCA, 0x0CCB),
        (0x0CD5, 0x0CD6), (0x0CDE, 0x0CDE), (0x0CE0, 0x0CE1), (0x0CE6, 0x0CEF), (0x0D02, 0x0D03),
        (0x0D05, 0x0D0C), (0x0D0E, 0x0D10), (0x0D12, 0x0D28), (0x0D2A, 0x0D39), (0x0D3E, 0x0D40),
        (0x0D46, 0x0D48), (0x0D4A, 0x0D4C), (0x0D57, 0x0D57), (0x0D60, 0x0D61), (0x0D66, 0x0D6F),
        (0x0D82, 0x0D83), (0x0D85, 0x0D96), (0x0D9A, 0x0DB1), (0x0DB3, 0x0DBB), (0x0DBD, 0x0DBD),
        (0x0DC0, 0x0DC6), (0x0DCF, 0x0DD1), (0x0DD8, 0x0DDF), (0x0DF2, 0x0DF4), (0x0E01, 0x0E30),
        (0x0E32, 0x0E33), (0x0E40, 0x0E46), (0x0E4F, 0x0E5B), (0x0E81, 0x0E82), (0x0E84, 0x0E84),
        (0x0E87, 0x0E88), (0x0E8A, 0x0E8A), (0x0E8D, 0x0E8D), (0x0E94, 0x0E97), (0x0E99, 0x0E9F),
        (0x0EA1, 0x0EA3), (0x0EA5, 0x0EA5), (0x0EA7, 0x0EA7), (0x0EAA, 0x0EAB), (0x0EAD, 0x0EB0),
        (0x0EB2, 0x0EB3), (0x0EBD, 0x0EBD), (0x0EC0, 0x0EC4), (0x0EC6, 0x0EC6), (0x0ED0, 0x0ED9),
        (0x0EDC, 0x0EDD), (0x0F00, 0x0F17), (0x0F1A, 0x0F34), (0x0F36, 0x0F36), (0x0F38, 0x0F38),
        (0x0F3E, 0x0F47), (0x0F49, 0x0F6A), (0x0F7F, 0x0F7F), (0x0F85, 0x0F85), (0x0F88, 0x0F8B),
        (0x0FBE, 0x0FC5), (0x0FC7, 0x0FCC), (0x0FCF, 0x0FCF), (0x1000, 0x1021), (0x1023, 0x1027),
        (0x1029, 0x102A), (0x102C, 0x102C), (0x1031, 0x1031), (0x1038, 0x1038), (0x1040, 0x1057),
        (0x10A0, 0x10C5), (0x10D0, 0x10F8), (0x10FB, 0x10FB), (0x1100, 0x1159), (0x115F, 0x11A2),
        (0x11A8, 0x11F9), (0x1200, 0x1206), (0x1208, 0x1246), (0x1248, 0x1248), (0x124A, 0x124D),
        (0x1250, 0x1256), (0x1258, 0x1258), (0x125A, 0x125D), (0x1260, 0x1286), (0x1288, 0x1288),
        (0x128A, 0x128D), (0x1290, 0x12AE), (0x12B0, 0x12B0), (0x12B2, 0x12B5), (0x12B8, 0x12BE),
        (0x12C0, 0x12C0), (0x12C2, 0x12C5), (0x12C8, 0x12CE), (0x12D0, 0x12D6), (0x12D8, 0x12EE),
        (0x12F0, 0x130E), (0x1310, 0x1310), (0x1312, 0x1315), (0x1318, 0x131E), (0x1320, 0x1346),
        (0x1348, 0x135A), (0x1361, 0x137C), (0x13A0, 0x13F4), (0x1401, 0x1676), (0x1681, 0x169A),
        (0x16A0, 0x16F0), (0x1700, 0x170C), (0x170E, 0x1711), (0x1720, 0x1731), (0x1735, 0x1736),
        (0x1740, 0x1751), (0x1760, 0x176C), (0x176E, 0x1770), (0x1780, 0x17B6), (0x17BE, 0x17C5),
        (0x17C7, 0x17C8), (0x17D4, 0x17DA), (0x17DC, 0x17DC), (0x17E0, 0x17E9), (0x1810, 0x1819),
        (0x1820, 0x1877), (0x1880, 0x18A8), (0x1E00, 0x1E9B), (0x1EA0, 0x1EF9), (0x1F00, 0x1F15),
        (0x1F18, 0x1F1D), (0x1F20, 0x1F45), (0x1F48, 0x1F4D), (0x1F50, 0x1F57), (0x1F59, 0x1F59),
        (0x1F5B, 0x1F5B), (0x1F5D, 0x1F5D), (0x1F5F, 0x1F7D), (0x1F80, 0x1FB4), (0x1FB6, 0x1FBC),
        (0x1FBE, 0x1FBE), (0x1FC2, 0x1FC4), (0x1FC6, 0x1FCC), (0x1FD0, 0x1FD3), (0x1FD6, 0x1FDB),
        (0x1FE0, 0x1FEC), (0x1FF2, 0x1FF4), (0x1FF6, 0x1FFC), (0x200E, 0x200E), (0x2071, 0x2071),
        (0x207F, 0x207F), (0x2102, 0x2102), (0x2107, 0x2107), (0x210A, 0x2113), (0x2115, 0x2115),
        (0x2119, 0x211D), (0x2124, 0x2124), (0x2126, 0x2126), (0x2128, 0x2128), (0x212A, 0x212D),
        (0x212F, 0x2131), (0x2133, 0x2139), (0x213D, 0x213F), (0x2145, 0x2149), (0x2160, 0x2183),
        (0x2336, 0x237A), (0x2395, 0x2395), (0x249C, 0x24E9), (0x3005, 0x3007), (0x3021, 0x3029),
        (0x3031, 0x3035), (0x3038, 0x303C), (0x3041, 0x3096), (0x309D, 0x309F), (0x30A1, 0x30FA),
        (0x30FC, 0x30FF), (0x3105, 0x312C), (0x3131, 0x318E), (0x3190, 0x31B7), (0x31F0, 0x321C),
        (0x3220, 0x3243), (0x3260, 0x327B), (0x327F, 0x32B0), (0x32C0, 0x32CB), (0x32D0, 0x32FE),
        (0x3300, 0x3376), (0x337B, 0x33DD), (0x33E0, 0x33FE), (0x3400, 0x4DB5), (0x4E00, 0x9FA5),
        (0xA000, 0xA48C), (0xAC00, 0xD7A3), (0xD800, 0xFA2D), (0xFA30, 0xFA6A), (0xFB00, 0xFB06),
        (0xFB13, 0xFB17), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A), (0xFF66, 0xFFBE), (0xFFC2, 0xFFC7),
        (0xFFCA, 0xFFCF), (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC), (0x10300, 0x1031E),
        (0x10320, 0x10323), (0x10330, 0x1034A), (0x10400, 0x10425), (0x10428, 0x1044D),
        (0x1D000, 0x1D0F5), (0x1D100, 0x1D126), (0x1D12A, 0x1D166), (0x1D16A, 0x1D172),
        (0x1D183, 0x1D184), (0x1D18C, 0x1D1A9), (0x1D1AE, 0x1D1DD), (0x1D400, 0x1D454),
        (0x1D456, 0x1D49C), (0x1D49E, 0x1D49F), (0x1D4A2, 0x1D4A2), (0x1D4A5, 0x1D4A6),
        (0x1D4A9, 0x1D4AC), (0x1D4AE, 0x1D4B9), (0x1D4BB, 0x1D4BB), (0x1D4BD, 0x1D4C0),
        (0x1D4C2, 0x1D4C3), (0x1D4C5, 0x1D505), (0x1D507, 0x1D50A), (0x1D50D, 0x1D514),
        (0x1D516, 0x1D51C), (0x1D51E, 0x1D539), (0x1D53B, 0x1D53E), (0x1D540, 0x1D544),
        (0x1D546, 0x1D546), (0x1D54A, 0x1D550), (0x1D552, 0x1D6A3), (0x1D6A8, 0x1D7C9),
        (0x20000, 0x2A6D6), (0x2F800, 0x2FA1D), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Verifiers produced by a real PostgreSQL 15.20 (Debian 15.20-0+deb12u1,
    // server_encoding UTF8) with
    //   SET password_encryption = 'scram-sha-256';  -- or 'md5'
    //   CREATE ROLE <role> LOGIN PASSWORD '<password>';
    //   SELECT rolpassword FROM pg_authid WHERE rolname = '<role>';

    /// Password `secret1`.
    const PG_SECRET1: &str = "SCRAM-SHA-256$4096:ooGHhipS2/fk46SYZKQb+w==$NHYnuWug9Z5bS8jCXNrZNBAeuVStWVxglBYwjP5hdTo=:tQZsTtmOOLfWvMe9I+NvPr9ZwnKYXhIXfJX0FAImRh0=";
    /// Password `p\u{AA}ss` (`pªss`; NFKC maps U+00AA to `a`).
    const PG_ORDINAL: &str = "SCRAM-SHA-256$4096:4L7CRUrG+SIEZm/ngcrTug==$mYqsBfH+hkdbqSSiM01ZqssLtYaWS0xZiOzS5AVupxU=:AEyz48AIEa0RBIWr4l5axoeeX+lYzpfLWVCy0EHr0/8=";
    /// Password `pass\u{A0}word` (NO-BREAK SPACE, which SASLprep maps to a space).
    const PG_NBSP: &str = "SCRAM-SHA-256$4096:yu46MY2yRDvZPRqQg+UWgg==$bpRLBSwc3BqVuMI5gDO/2sgjhVlWJa8z+YuY9CutepE=:lmbZYhUnHvVtFsWQR24uf8rxsG54b4lVwc1R7nm0MPc=";
    /// Password `\u{FB01}x` (`ﬁx`; NFKC maps the ligature to `fi`).
    const PG_LIGATURE: &str = "SCRAM-SHA-256$4096:FFudOwp6HP/xJGVcbc3/qA==$w3HfK46L/7ruiRT6iQVNKq52gqTW0Zqmt4a+flga3bw=:Hcx0CVDMJL4VqVEiK0TQOVTE75axj8jDrpiIUSpjXBI=";
    /// Password `a\u{340}`: U+0340 is prohibited (C.8) before normalisation,
    /// so PostgreSQL hashes the raw bytes (NFKC would give `à`).
    const PG_PROHIBITED_BEFORE_NFKC: &str = "SCRAM-SHA-256$4096:4xzc2i1Mn26BfA6Hf1ig4Q==$m8Lm5xx/gYLuCFGD5t1HyGYC2CfwUhFOAHU4SL4d9MQ=:9OJXrJu833B9/pgsVeShZQtCqsOk14wUMSxHIvsOO3E=";
    /// Password `\u{AD}` (SOFT HYPHEN, mapped to nothing): empty after
    /// mapping, so PostgreSQL hashes the raw bytes.
    const PG_EMPTY_AFTER_MAPPING: &str = "SCRAM-SHA-256$4096:E8w59fE0R8Qk5pS7zu8Lbg==$OptOvO99twA74QIeFJCy0Z9najc4Kzzj9BV8InYHhZg=:i2cnqv0fOQ//WQZX8D9etZ/B90frPjcbE03hRz5caII=";
    /// Password `\u{2C7D}` (unassigned in Unicode 3.2, NFKC `V` today):
    /// PostgreSQL hashes the raw bytes.
    const PG_UNASSIGNED: &str = "SCRAM-SHA-256$4096:r/OSSv/Ytu1ZqCqZ2jc0kQ==$rva05AedwqUXgn+roXmJ41Jg7osMXPADEZypVYfTno4=:wHPh3is8fdHFSkEQpixi+zZF/FSaaJu2EQ3hJe2V/pY=";
    /// Password `\u{5D0}\u{2801}\u{FB21}`: Braille is not LCat in Unicode 3.2
    /// (it is L today), so PostgreSQL accepts it and hashes the NFKC form
    /// `\u{5D0}\u{2801}\u{5D0}`.
    const PG_BIDI_BRAILLE: &str = "SCRAM-SHA-256$4096:aa3AyST/2m7t9uSTseklCQ==$bbuDLcFzvoJVkddbak59onK0Dj8SWTs1kM76siusy1k=:lcPlVAp6OMBRGJUM2bTs2EVzhVCfjGDdernXzdmj66I=";
    /// Password `\u{FB21}\u{5D0}` (Hebrew wide alef + alef): NFKC `\u{5D0}\u{5D0}`.
    const PG_BIDI_RTL: &str = "SCRAM-SHA-256$4096:VTCt2ComLtIdfdcypO82rg==$uy5fgyxZVB2CH0J3OSw7HKvAYXZy5ikVWfokfHDhupM=:Y5htN3ffdvY6sjtI5EBGpMBQ6q2m2rskOJzYxQi6YjA=";
    /// Password `\u{5D0}\u{2100}\u{5D0}`: bidi checked before NFKC (U+2100 is
    /// ON), then normalised to `\u{5D0}a/c\u{5D0}`.
    const PG_BIDI_BEFORE_NFKC: &str = "SCRAM-SHA-256$4096:oqvb2+sdum1PO2IXfBD4hQ==$sTvjPAAxxBrFyZLwnfujsL5h0VWF8fQkwCRWNxiA2Q0=:r83mEK4baepfw9K4I0Eu69xfw1cq6N38EydAq0hUpZ4=";
    /// Password `\u{AD}\u{200B}`: U+200B is in both C.1.2 and B.1, and
    /// PostgreSQL maps it to a space.
    const PG_ZWSP: &str = "SCRAM-SHA-256$4096:NZfup2tateB729fTi+l2hg==$BDSrz9L6HlPU0BtzckrRBYGdJ6ZN25wThEuHSfEgqoY=:nlGa8PhE03KBRGoUIaab3OvY0DoLhXHlmMOUXjg4zME=";
    /// MD5 verifier for role `md5_vec_user`, password `secret1`.
    const PG_MD5: &str = "md5cc3bd018c54df139bf58eb8bbb216879";
    const PG_MD5_USER: &str = "md5_vec_user";

    fn accepts(verifier: &str, password: &str) -> bool {
        match parse_verifier(verifier) {
            Some(v) => verify_password(&v, "any_role", password),
            None => panic!("test verifier did not parse"),
        }
    }

    #[test]
    fn postgres_scram_vector() {
        let Some(Verifier::Scram {
            iterations, salt, ..
        }) = parse_verifier(PG_SECRET1)
        else {
            panic!("not a SCRAM verifier");
        };
        assert_eq!(iterations, 4096);
        assert_eq!(salt.len(), 16);
        assert!(accepts(PG_SECRET1, "secret1"));
        // SOFT HYPHEN is mapped to nothing, so this is the same password.
        assert!(accepts(PG_SECRET1, "secret1\u{AD}"));
        for wrong in [
            "secret",
            "secret2",
            "Secret1",
            "secret1 ",
            " secret1",
            "",
            "secret1\u{A0}",
        ] {
            assert!(!accepts(PG_SECRET1, wrong), "{wrong:?}");
        }
    }

    #[test]
    fn postgres_saslprep_vectors() {
        // Compatibility mapping: both spellings normalise to "pass".
        assert!(accepts(PG_ORDINAL, "p\u{AA}ss"));
        assert!(accepts(PG_ORDINAL, "pass"));
        assert!(!accepts(PG_ORDINAL, "p\u{BA}ss")); // º maps to "o"
        assert!(!accepts(PG_ORDINAL, "Pass"));

        // Non-ASCII space maps to an ordinary space.
        assert!(accepts(PG_NBSP, "pass\u{A0}word"));
        assert!(accepts(PG_NBSP, "pass word"));
        assert!(accepts(PG_NBSP, "pass\u{2003}word")); // EM SPACE, also C.1.2
        assert!(!accepts(PG_NBSP, "password"));
        assert!(!accepts(PG_NBSP, "pass  word"));

        assert!(accepts(PG_LIGATURE, "\u{FB01}x"));
        assert!(accepts(PG_LIGATURE, "fix"));
        assert!(accepts(PG_LIGATURE, "fi\u{AD}x")); // soft hyphen mapped to nothing
        assert!(!accepts(PG_LIGATURE, "fi"));

        assert!(accepts(PG_BIDI_RTL, "\u{FB21}\u{5D0}"));
        assert!(accepts(PG_BIDI_RTL, "\u{5D0}\u{5D0}"));
        assert!(!accepts(PG_BIDI_RTL, "\u{5D0}"));
    }

    #[test]
    fn postgres_saslprep_quirks() {
        // Prohibited character checked before NFKC: raw bytes are hashed.
        assert!(accepts(PG_PROHIBITED_BEFORE_NFKC, "a\u{340}"));
        assert!(!accepts(PG_PROHIBITED_BEFORE_NFKC, "\u{E0}"));
        assert!(!accepts(PG_PROHIBITED_BEFORE_NFKC, "a\u{300}"));

        // Empty after mapping: raw bytes.
        assert!(accepts(PG_EMPTY_AFTER_MAPPING, "\u{AD}"));
        assert!(!accepts(PG_EMPTY_AFTER_MAPPING, ""));

        // Zero-width space is mapped to a space, not to nothing.
        assert!(accepts(PG_ZWSP, "\u{AD}\u{200B}"));
        assert!(accepts(PG_ZWSP, " "));
        assert!(!accepts(PG_ZWSP, "\u{AD}"));

        // Unassigned in Unicode 3.2: raw bytes, not the NFKC form.
        assert!(accepts(PG_UNASSIGNED, "\u{2C7D}"));
        assert!(!accepts(PG_UNASSIGNED, "V"));

        // Unicode 3.2 bidi tables, checked before NFKC.
        assert!(accepts(PG_BIDI_BRAILLE, "\u{5D0}\u{2801}\u{FB21}"));
        assert!(accepts(PG_BIDI_BRAILLE, "\u{5D0}\u{2801}\u{5D0}"));
        assert!(accepts(PG_BIDI_BEFORE_NFKC, "\u{5D0}\u{2100}\u{5D0}"));
        // Contains LCat `a` with RandALCat: fails SASLprep, so the raw bytes,
        // which happen to be the normalised form above, are hashed.
        assert!(accepts(PG_BIDI_BEFORE_NFKC, "\u{5D0}a/c\u{5D0}"));
        assert!(!accepts(PG_BIDI_BEFORE_NFKC, "\u{5D0}\u{5D0}"));
    }

    #[test]
    fn pg_saslprep_unit() {
        assert_eq!(pg_saslprep("plain").as_deref(), Some("plain"));
        assert_eq!(pg_saslprep("ctl\u{7}").as_deref(), Some("ctl\u{7}")); // ASCII: unchanged
        assert_eq!(pg_saslprep("\u{7}\u{E9}"), None); // not ASCII: control prohibited
        assert_eq!(pg_saslprep("I\u{AD}X").as_deref(), Some("IX"));
        assert_eq!(pg_saslprep("\u{2168}").as_deref(), Some("IX"));
        // Both mapped to nothing: empty, which PostgreSQL refuses.
        assert_eq!(pg_saslprep("\u{AD}\u{FE0F}"), None);
        // U+200B is in both C.1.2 and B.1; PostgreSQL maps it to a space.
        assert_eq!(pg_saslprep("\u{AD}\u{200B}").as_deref(), Some(" "));
        assert_eq!(pg_saslprep("\u{627}1"), None); // RandALCat not last
        assert_eq!(pg_saslprep("\u{627}a\u{627}"), None); // RandALCat with LCat
        assert_eq!(
            pg_saslprep("\u{627}1\u{628}").as_deref(),
            Some("\u{627}1\u{628}")
        );
        assert_eq!(pg_saslprep("\u{E000}x"), None); // private use
    }

    #[test]
    fn postgres_md5_vector() {
        let v = parse_verifier(PG_MD5);
        assert!(matches!(v, Some(Verifier::Md5 { .. })));
        let Some(v) = v else { return };
        assert!(verify_password(&v, PG_MD5_USER, "secret1"));
        assert!(!verify_password(&v, PG_MD5_USER, "secret2"));
        assert!(!verify_password(&v, "other_user", "secret1"));
        assert!(!verify_password(&v, "MD5_VEC_USER", "secret1"));
        // The boundary between password and user name is not checked by MD5
        // itself; PostgreSQL has the same property.
        assert!(verify_password(&v, "5_vec_user", "secret1md"));
        // Uppercase hex is not a PostgreSQL MD5 verifier.
        assert!(parse_verifier(&PG_MD5.to_uppercase()).is_none());
        assert!(parse_verifier("md5CC3BD018C54DF139BF58EB8BBB216879").is_none());
    }

    #[test]
    fn round_trip() {
        for (password, salt, iterations) in [
            ("secret1", &b"0123456789abcdef"[..], 4096),
            ("", &b"s"[..], 1),
            ("p\u{AA}ss w\u{F6}rd \u{1F600}", &[0u8, 255, 7][..], 17),
        ] {
            let text = scram_verifier_for_tests(password, salt, iterations);
            let Some(v) = parse_verifier(&text) else {
                panic!("round trip did not parse: {text}");
            };
            match &v {
                Verifier::Scram {
                    iterations: i,
                    salt: s,
                    ..
                } => {
                    assert_eq!(*i, iterations);
                    assert_eq!(s.as_slice(), salt);
                }
                Verifier::Md5 { .. } => panic!("not SCRAM"),
            }
            assert!(verify_password(&v, "u", password));
            assert!(!verify_password(&v, "u", &format!("{password}x")));
        }
        // Same salt and iterations as PostgreSQL's vector give the same text.
        let salt = STANDARD
            .decode("ooGHhipS2/fk46SYZKQb+w==")
            .unwrap_or_default();
        assert_eq!(scram_verifier_for_tests("secret1", &salt, 4096), PG_SECRET1);
        let salt = STANDARD
            .decode("4L7CRUrG+SIEZm/ngcrTug==")
            .unwrap_or_default();
        assert_eq!(
            scram_verifier_for_tests("p\u{AA}ss", &salt, 4096),
            PG_ORDINAL
        );
    }

    #[test]
    fn rejects_malformed_verifiers() {
        let good_keys = "NHYnuWug9Z5bS8jCXNrZNBAeuVStWVxglBYwjP5hdTo=:tQZsTtmOOLfWvMe9I+NvPr9ZwnKYXhIXfJX0FAImRh0=";
        let bad = [
            String::new(),
            "secret1".into(),
            "md5".into(),
            "md5cc3bd018c54df139bf58eb8bbb21687".into(),   // 31 hex
            "md5cc3bd018c54df139bf58eb8bbb2168790".into(), // 33 hex
            "md5cc3bd018c54df139bf58eb8bbb21687g".into(),
            "MD5cc3bd018c54df139bf58eb8bbb216879".into(),
            " md5cc3bd018c54df139bf58eb8bbb216879".into(),
            "SCRAM-SHA-1$4096:ooGHhipS2/fk46SYZKQb+w==$".to_string() + good_keys,
            "scram-sha-256$4096:ooGHhipS2/fk46SYZKQb+w==$".to_string() + good_keys,
            "SCRAM-SHA-256-PLUS$4096:ooGHhipS2/fk46SYZKQb+w==$".to_string() + good_keys,
            "SCRAM-SHA-256$".into(),
            "SCRAM-SHA-256$4096:ooGHhipS2/fk46SYZKQb+w==".into(),
            "SCRAM-SHA-256$4096$".to_string() + good_keys,
            "SCRAM-SHA-256$0:ooGHhipS2/fk46SYZKQb+w==$".to_string() + good_keys,
            "SCRAM-SHA-256$10000001:ooGHhipS2/fk46SYZKQb+w==$".to_string() + good_keys,
            "SCRAM-SHA-256$4294967295:ooGHhipS2/fk46SYZKQb+w==$".to_string() + good_keys,
            "SCRAM-SHA-256$99999999999999999999:ooGHhipS2/fk46SYZKQb+w==$".to_string() + good_keys,
            "SCRAM-SHA-256$-1:ooGHhipS2/fk46SYZKQb+w==$".to_string() + good_keys,
            "SCRAM-SHA-256$+4096:ooGHhipS2/fk46SYZKQb+w==$".to_string() + good_keys,
            "SCRAM-SHA-256$ 4096:ooGHhipS2/fk46SYZKQb+w==$".to_string() + good_keys,
            "SCRAM-SHA-256$:ooGHhipS2/fk46SYZKQb+w==$".to_string() + good_keys,
            "SCRAM-SHA-256$4096:$".to_string() + good_keys,
            "SCRAM-SHA-256$4096:ooGHhipS2/fk46SYZKQb+w=$".to_string() + good_keys,
            "SCRAM-SHA-256$4096:ooGHhipS2/fk46SYZKQb+w$".to_string() + good_keys,
            "SCRAM-SHA-256$4096:ooGHhipS2_fk46SYZKQb-w==$".to_string() + good_keys,
            "SCRAM-SHA-256$4096:!!!!$".to_string() + good_keys,
            "SCRAM-SHA-256$4096:ooGHhipS2/fk46SYZKQb+w==$NHYnuWug9Z5bS8jCXNrZNBAeuVStWVxglBYwjP5hdTo=".into(),
            "SCRAM-SHA-256$4096:ooGHhipS2/fk46SYZKQb+w==$NHYnuWug9Z5bS8jCXNrZNBAeuVStWVxglBYwjP5hdTo=:".into(),
            "SCRAM-SHA-256$4096:ooGHhipS2/fk46SYZKQb+w==$NHYnuWug9Z5bS8jCXNrZNBAeuVStWVxglBYwjP5hdT=:tQZsTtmOOLfWvMe9I+NvPr9ZwnKYXhIXfJX0FAImRh0=".into(),
            "SCRAM-SHA-256$4096:ooGHhipS2/fk46SYZKQb+w==$NHYnuWug9Z5bS8jCXNrZNBAeuVStWVxglBYwjP5hdTo=:tQZsTtmOOLfWvMe9I+NvPr9ZwnKYXhIXfJX0FAImRh0=:x".into(),
            "SCRAM-SHA-256$4096:ooGHhipS2/fk46SYZKQb+w==$NHYnuWug9Z5bS8jCXNrZNBAeuVStWVxglBYwjP5hdTo=:tQZsTtmOOLfWvMe9I+NvPr9ZwnKYXhIXfJX0FAImRh0=$".into(),
            // 16-byte keys (valid base64, wrong length).
            "SCRAM-SHA-256$4096:ooGHhipS2/fk46SYZKQb+w==$ooGHhipS2/fk46SYZKQb+w==:ooGHhipS2/fk46SYZKQb+w==".into(),
            format!("{PG_SECRET1}\n"),
        ];
        for text in &bad {
            assert!(parse_verifier(text).is_none(), "{text:?}");
        }
        // The bounds themselves are accepted.
        for iterations in [MIN_ITERATIONS, MAX_ITERATIONS] {
            let text = format!("SCRAM-SHA-256${iterations}:ooGHhipS2/fk46SYZKQb+w==${good_keys}");
            assert!(parse_verifier(&text).is_some(), "{text}");
        }
    }

    #[test]
    fn refuses_without_work_on_unusable_input() {
        let Some(v) = parse_verifier(PG_SECRET1) else {
            panic!("vector did not parse");
        };
        assert!(!verify_password(&v, "u", "secret1\0"));
        assert!(!verify_password(
            &v,
            "u",
            &"a".repeat(MAX_PASSWORD_LENGTH + 1)
        ));
        let Verifier::Scram {
            salt,
            stored_key,
            server_key,
            ..
        } = v
        else {
            return;
        };
        for iterations in [0, MAX_ITERATIONS + 1, u32::MAX] {
            let v = Verifier::Scram {
                iterations,
                salt: salt.clone(),
                stored_key,
                server_key,
            };
            assert!(!verify_password(&v, "u", "secret1"));
        }
        let v = Verifier::Scram {
            iterations: 4096,
            salt: Vec::new(),
            stored_key,
            server_key,
        };
        assert!(!verify_password(&v, "u", "secret1"));
        // The longest allowed password still works.
        let long = "b".repeat(MAX_PASSWORD_LENGTH);
        let text = scram_verifier_for_tests(&long, b"salt", 2);
        assert!(parse_verifier(&text).is_some_and(|v| verify_password(&v, "u", &long)));
    }

    #[test]
    fn debug_redacts_keys() {
        for text in [PG_SECRET1, PG_MD5] {
            let Some(v) = parse_verifier(text) else {
                panic!("vector did not parse");
            };
            let shown = format!("{v:?}");
            assert!(shown.contains("redacted"), "{shown}");
            for field in text.split(['$', ':']) {
                if field.len() > 8 {
                    assert!(!shown.contains(field), "{shown}");
                }
            }
            assert!(!shown.contains("cc3bd018"), "{shown}");
            assert!(!shown.contains("204, 59"), "{shown}");
        }
    }

    #[test]
    fn dummy_verify_runs() {
        dummy_verify(0);
        dummy_verify(1);
        dummy_verify(4096);
    }

    #[test]
    fn tables_are_sorted_and_disjoint() {
        for table in [rfc3454::D_1, rfc3454::D_2] {
            for w in table.windows(2) {
                assert!(w[0].0 <= w[0].1 && w[0].1 < w[1].0, "{w:?}");
            }
        }
        assert!(rand_al_cat('\u{5D0}') && rand_al_cat('\u{FB21}') && rand_al_cat('\u{627}'));
        assert!(!rand_al_cat('a') && !rand_al_cat('\u{2801}'));
        assert!(l_cat('a') && l_cat('\u{AA}') && !l_cat('\u{2801}') && !l_cat('1'));
    }

    fn cheap_scram() -> Verifier {
        Verifier::Scram {
            iterations: 1,
            salt: b"salt".to_vec(),
            stored_key: [0u8; 32],
            server_key: [0u8; 32],
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC*") {
            let _ = parse_verifier(&s);
        }

        #[test]
        fn parse_never_panics_near_format(
            prefix in prop_oneof![Just("SCRAM-SHA-256$"), Just("md5"), Just("")],
            body in "[0-9A-Za-z+/=:$\u{0}-\u{7f}\u{a0}-\u{2fff}]{0,120}",
        ) {
            let text = format!("{prefix}{body}");
            if let Some(Verifier::Scram { iterations, salt, .. }) = parse_verifier(&text) {
                prop_assert!((MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations));
                prop_assert!(!salt.is_empty());
            }
        }

        #[test]
        fn verify_never_panics(user in "\\PC{0,20}", password in any::<String>()) {
            prop_assert!(!verify_password(&cheap_scram(), &user, &password));
            let md5 = Verifier::Md5 { hash: [0u8; 16] };
            prop_assert!(!verify_password(&md5, &user, &password));
        }

        #[test]
        fn saslprep_never_panics(password in any::<String>()) {
            if let Some(p) = pg_saslprep(&password) {
                prop_assert!(!p.is_empty() || password.is_empty());
            }
        }

        #[test]
        fn round_trip_any_password(password in "\\PC{0,24}", salt in proptest::collection::vec(any::<u8>(), 1..24)) {
            prop_assume!(!password.contains('\0'));
            let text = scram_verifier_for_tests(&password, &salt, 2);
            let v = parse_verifier(&text);
            prop_assert!(v.is_some());
            if let Some(v) = v {
                prop_assert!(verify_password(&v, "u", &password));
            }
        }
    }
}
