//! Request path normalisation.
//!
//! # Contract
//!
//! Paths are compared case-sensitively, without the query string, after
//! normalisation: runs of `/` are collapsed, `.` and `..` segments are
//! resolved, and percent-encoded *unreserved* characters are decoded. A path
//! that cannot be normalised safely is **refused**, never matched leniently.
//!
//! The rules, in the order they are applied by [`normalize`]:
//!
//! 1. input longer than [`MAX_PATH_LEN`] bytes → [`PathError::TooLong`];
//! 2. everything from the first `?` or `#` is dropped;
//! 3. empty → [`PathError::Empty`]; not starting with `/` →
//!    [`PathError::NoLeadingSlash`];
//! 4. raw ASCII control characters (0x00–0x1F, 0x7F) and raw backslashes are
//!    refused;
//! 5. percent escapes must be `%` followed by two hex digits; encoded `/`,
//!    `\`, NUL and other control characters are refused; encoded unreserved
//!    characters (`ALPHA / DIGIT / - . _ ~`) are decoded; every other escape
//!    is kept with uppercase hex. Decoding happens exactly once (`%252e`
//!    becomes `%252E`, not `.`);
//! 6. empty segments are dropped (`//` collapses), `.` and `..` are resolved
//!    per RFC 3986 §5.2.4, except that a `..` climbing above the root is
//!    refused ([`PathError::AboveRoot`]);
//! 7. a segment made only of three or more dots, or ending with `.` without
//!    being exactly `.` or `..` (e.g. `customer.`), is refused
//!    ([`PathError::TrailingDot`]) — some servers strip trailing dots, so we
//!    refuse rather than guess;
//! 8. a trailing `/` is preserved, and a path ending in a `.` or `..` segment
//!    gets one (`/a/b/.` → `/a/b/`, `/a/b/..` → `/a/`).
//!
//! The output always starts with `/`, never contains `//`, `/./`, `/../`,
//! control characters or backslashes, is never longer than the input, and
//! is a fixed point: `normalize(normalize(x)?) == normalize(x)`.

use std::fmt;

/// Maximum accepted length, in bytes, of a raw request path (query included).
pub const MAX_PATH_LEN: usize = 4096;

/// Why a path was refused by [`normalize`] or [`normalize_base_path`].
///
/// The [`Display`](fmt::Display) message names the rule that failed and
/// never echoes the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathError {
    /// The path is empty (after dropping the query string / fragment).
    Empty,
    /// The path does not start with `/`.
    NoLeadingSlash,
    /// The input is longer than [`MAX_PATH_LEN`] bytes.
    TooLong,
    /// The path contains a raw ASCII control character (including NUL).
    ControlChar,
    /// The path contains a raw backslash.
    Backslash,
    /// A `%` is not followed by two hexadecimal digits.
    InvalidPercent,
    /// The path contains an encoded slash (`%2F`).
    EncodedSlash,
    /// The path contains an encoded backslash (`%5C`).
    EncodedBackslash,
    /// The path contains an encoded NUL or other control character.
    EncodedControl,
    /// A `..` segment would climb above the root.
    AboveRoot,
    /// A segment ends with a dot (`customer.`) or is made of 3+ dots.
    TrailingDot,
    /// A base path contains `?` or `#` (only [`normalize_base_path`]).
    QueryOrFragment,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let msg = match self {
            PathError::Empty => "path is empty",
            PathError::NoLeadingSlash => "path must start with '/'",
            PathError::TooLong => "path is longer than 4096 bytes",
            PathError::ControlChar => "path contains a control character",
            PathError::Backslash => "path contains a backslash",
            PathError::InvalidPercent => {
                "path contains an invalid percent escape ('%' must be followed by two hex digits)"
            }
            PathError::EncodedSlash => "path contains an encoded slash (%2F)",
            PathError::EncodedBackslash => "path contains an encoded backslash (%5C)",
            PathError::EncodedControl => "path contains an encoded control character",
            PathError::AboveRoot => "path uses '..' to go above the root",
            PathError::TrailingDot => {
                "path has a segment ending with '.' (or made only of dots) other than '.' and '..'"
            }
            PathError::QueryOrFragment => "base path must not contain '?' or '#'",
        };
        f.write_str(msg)
    }
}

impl std::error::Error for PathError {}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn is_ascii_control(b: u8) -> bool {
    b < 0x20 || b == 0x7F
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Checks raw characters and decodes percent escapes once (rules 4 and 5).
fn push_encoded(out: &mut String, byte: u8) {
    out.push('%');
    out.push(char::from(HEX_UPPER[usize::from(byte >> 4)]));
    out.push(char::from(HEX_UPPER[usize::from(byte & 0x0f)]));
}

fn decode_percent_once(path: &str) -> Result<String, PathError> {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hi = bytes.get(i + 1).copied().and_then(hex_val);
            let lo = bytes.get(i + 2).copied().and_then(hex_val);
            let (hi, lo) = match (hi, lo) {
                (Some(h), Some(l)) => (h, l),
                _ => return Err(PathError::InvalidPercent),
            };
            let v = (hi << 4) | lo;
            if v == b'/' {
                return Err(PathError::EncodedSlash);
            }
            if v == b'\\' {
                return Err(PathError::EncodedBackslash);
            }
            if is_ascii_control(v) {
                return Err(PathError::EncodedControl);
            }
            if is_unreserved(v) {
                out.push(char::from(v));
            } else {
                out.push('%');
                out.push(char::from(HEX_UPPER[usize::from(hi)]));
                out.push(char::from(HEX_UPPER[usize::from(lo)]));
            }
            i += 3;
        } else if b.is_ascii() {
            if is_ascii_control(b) {
                return Err(PathError::ControlChar);
            }
            if b == b'\\' {
                return Err(PathError::Backslash);
            }
            if b" \"<>`{}|^".contains(&b) {
                // Not allowed raw in a URI path: use the one spelling clients send.
                push_encoded(&mut out, b);
            } else {
                out.push(char::from(b));
            }
            i += 1;
        } else {
            // Non-ASCII: copy the whole UTF-8 character. `i` is always on a
            // char boundary because we only ever advance by whole characters.
            match path.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => {
                    // Raw non-ASCII text is percent-encoded (UTF-8, uppercase hex), so
                    // `/café` and `/caf%C3%A9` are one path, as they are on the wire.
                    let mut buf = [0u8; 4];
                    for &byte in c.encode_utf8(&mut buf).as_bytes() {
                        push_encoded(&mut out, byte);
                    }
                    i += c.len_utf8();
                }
                // Unreachable for a valid &str; refuse rather than panic.
                None => return Err(PathError::ControlChar),
            }
        }
    }
    Ok(out)
}

/// Normalises a request path according to the module contract (see the
/// [module documentation](self)).
///
/// Returns the normalised path (always starting with `/`), or the rule that
/// refused it.
///
/// ```
/// use ords_core::paths::normalize;
/// assert_eq!(normalize("//customer/1").unwrap(), "/customer/1");
/// assert_eq!(normalize("/customer/%2e%2e/admin?x=1").unwrap(), "/admin");
/// assert!(normalize("/customer%2F1").is_err());
/// ```
pub fn normalize(path: &str) -> Result<String, PathError> {
    if path.len() > MAX_PATH_LEN {
        return Err(PathError::TooLong);
    }
    let path = match path.find(['?', '#']) {
        Some(idx) => path.get(..idx).unwrap_or(""),
        None => path,
    };
    if path.is_empty() {
        return Err(PathError::Empty);
    }
    if !path.starts_with('/') {
        return Err(PathError::NoLeadingSlash);
    }
    let decoded = decode_percent_once(path)?;
    resolve_segments(&decoded)
}

/// Collapses `//`, resolves `.`/`..` and applies the dot rules (6–8).
fn resolve_segments(decoded: &str) -> Result<String, PathError> {
    let mut stack: Vec<&str> = Vec::new();
    let mut trailing_slash = false;
    for seg in decoded.split('/') {
        match seg {
            "" => {
                // Empty segment: either a `//` run, the leading `/`, or a
                // trailing `/`. Only the latter matters, and it is reflected
                // by the last non-empty segment logic below.
                trailing_slash = true;
            }
            "." => {
                trailing_slash = true;
            }
            ".." => {
                if stack.pop().is_none() {
                    return Err(PathError::AboveRoot);
                }
                trailing_slash = true;
            }
            s if s.ends_with('.') => {
                // Covers both "customer." and "..." (3+ dots).
                return Err(PathError::TrailingDot);
            }
            s => {
                stack.push(s);
                trailing_slash = false;
            }
        }
    }
    let mut out = String::with_capacity(decoded.len());
    for seg in &stack {
        out.push('/');
        out.push_str(seg);
    }
    if stack.is_empty() || trailing_slash {
        out.push('/');
    }
    Ok(out)
}

/// Normalises an ORDS module base path such as `customers/`, `/customers/`
/// or `customers`: prepends `/` if missing, appends `/` if missing, then
/// applies [`normalize`]. The result always starts and ends with `/`
/// (e.g. `/customers/`).
///
/// Unlike [`normalize`], a base path containing `?` or `#` is refused
/// ([`PathError::QueryOrFragment`]) instead of being truncated, and an empty
/// or all-whitespace base path is refused ([`PathError::Empty`]) rather than
/// silently becoming `/`.
pub fn normalize_base_path(p: &str) -> Result<String, PathError> {
    if p.len() > MAX_PATH_LEN {
        return Err(PathError::TooLong);
    }
    if p.trim().is_empty() {
        return Err(PathError::Empty);
    }
    if p.contains(['?', '#']) {
        return Err(PathError::QueryOrFragment);
    }
    let mut s = String::with_capacity(p.len() + 2);
    if !p.starts_with('/') {
        s.push('/');
    }
    s.push_str(p);
    if !p.ends_with('/') {
        s.push('/');
    }
    normalize(&s)
}

#[cfg(test)]
mod encoding_tests {
    use super::normalize;

    #[test]
    fn raw_non_ascii_and_unsafe_ascii_are_percent_encoded() {
        assert_eq!(normalize("/café/1").unwrap(), "/caf%C3%A9/1");
        assert_eq!(normalize("/caf%c3%a9/1").unwrap(), "/caf%C3%A9/1");
        assert_eq!(normalize("/customer /1").unwrap(), "/customer%20/1");
        assert_eq!(normalize("/customer%20/1").unwrap(), "/customer%20/1");
        assert_eq!(normalize("/a{b}").unwrap(), "/a%7Bb%7D");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(p: &str) -> String {
        normalize(p).unwrap_or_else(|e| panic!("{p:?} refused: {e}"))
    }

    #[test]
    fn brief_examples() {
        assert_eq!(ok("//customer/1"), "/customer/1");
        assert_eq!(ok("/customer/../customer/1"), "/customer/1");
        assert_eq!(ok("/x/../customer/1"), "/customer/1");
        assert_eq!(ok("/customer/%2e%2e/admin"), "/admin");
        assert_eq!(normalize("/customer%2F1"), Err(PathError::EncodedSlash));
        assert_eq!(normalize("/customer%2f1"), Err(PathError::EncodedSlash));
        assert_eq!(normalize("/customer/1."), Err(PathError::TrailingDot));
        assert_eq!(normalize("customer/1"), Err(PathError::NoLeadingSlash));
        assert_eq!(ok("/a/%41"), "/a/A");
        assert_eq!(ok("/"), "/");
        assert_eq!(normalize("/.."), Err(PathError::AboveRoot));
    }

    #[test]
    fn query_and_fragment_dropped() {
        assert_eq!(ok("/a/b?x=1/../.."), "/a/b");
        assert_eq!(ok("/a/b#frag"), "/a/b");
        assert_eq!(ok("/a/b#x?y"), "/a/b");
        assert_eq!(normalize("?x=1"), Err(PathError::Empty));
        assert_eq!(normalize("#x"), Err(PathError::Empty));
        // An invalid escape after '?' is irrelevant.
        assert_eq!(ok("/a?%zz"), "/a");
    }

    #[test]
    fn empty_and_leading_slash() {
        assert_eq!(normalize(""), Err(PathError::Empty));
        assert_eq!(normalize("a"), Err(PathError::NoLeadingSlash));
        assert_eq!(normalize(" /a"), Err(PathError::NoLeadingSlash));
        assert_eq!(normalize("%2Fa"), Err(PathError::NoLeadingSlash));
    }

    #[test]
    fn too_long() {
        let ok_len = format!("/{}", "a".repeat(MAX_PATH_LEN - 1));
        assert_eq!(ok(&ok_len).len(), MAX_PATH_LEN);
        let long = format!("/{}", "a".repeat(MAX_PATH_LEN));
        assert_eq!(normalize(&long), Err(PathError::TooLong));
        // Total input length counts, query string included.
        let long_q = format!("/a?{}", "b".repeat(MAX_PATH_LEN));
        assert_eq!(normalize(&long_q), Err(PathError::TooLong));
    }

    #[test]
    fn control_chars_and_backslash() {
        for c in (0u8..0x20).chain(std::iter::once(0x7F)) {
            let p = format!("/a{}b", char::from(c));
            assert_eq!(normalize(&p), Err(PathError::ControlChar), "byte {c:#x}");
        }
        assert_eq!(normalize("/a\\b"), Err(PathError::Backslash));
        assert_eq!(normalize("/a/..\\..\\etc"), Err(PathError::Backslash));
    }

    #[test]
    fn percent_rules() {
        assert_eq!(normalize("/a%"), Err(PathError::InvalidPercent));
        assert_eq!(normalize("/a%4"), Err(PathError::InvalidPercent));
        assert_eq!(normalize("/a%zz"), Err(PathError::InvalidPercent));
        assert_eq!(normalize("/a%4g"), Err(PathError::InvalidPercent));
        assert_eq!(normalize("/a%5C"), Err(PathError::EncodedBackslash));
        assert_eq!(normalize("/a%5c"), Err(PathError::EncodedBackslash));
        assert_eq!(normalize("/a%00"), Err(PathError::EncodedControl));
        assert_eq!(normalize("/a%0a"), Err(PathError::EncodedControl));
        assert_eq!(normalize("/a%1F"), Err(PathError::EncodedControl));
        assert_eq!(normalize("/a%7f"), Err(PathError::EncodedControl));
        // Unreserved decoded.
        assert_eq!(ok("/%61%7A%30%2D%2e%5f%7e"), "/az0-._~");
        // Others kept, uppercased.
        assert_eq!(ok("/caf%c3%a9"), "/caf%C3%A9");
        assert_eq!(ok("/a%20b"), "/a%20b");
        assert_eq!(ok("/a%e2%82%ac"), "/a%E2%82%AC");
        assert_eq!(ok("/a%3f"), "/a%3F");
        assert_eq!(ok("/a%25"), "/a%25");
        // Decoded once only.
        assert_eq!(ok("/%252e"), "/%252e");
        assert_eq!(ok("/%252e%252e/x"), "/%252e%252e/x");
        assert_eq!(ok("/%252E"), "/%252E");
        // Raw non-ASCII is percent-encoded, as it travels on the wire.
        assert_eq!(ok("/café/ü"), "/caf%C3%A9/%C3%BC");
    }

    #[test]
    fn double_decoding_does_not_happen() {
        // %25 is '%' (reserved-ish, not unreserved) so stays encoded; the
        // "2e" after it is literal text.
        assert_eq!(ok("/a/%252e%252e/b"), "/a/%252e%252e/b");
    }

    #[test]
    fn slash_collapse() {
        assert_eq!(ok("///"), "/");
        assert_eq!(ok("/a//b///c"), "/a/b/c");
        assert_eq!(ok("/a//"), "/a/");
        assert_eq!(ok("//"), "/");
    }

    #[test]
    fn dot_segments() {
        assert_eq!(ok("/a/./b"), "/a/b");
        assert_eq!(ok("/a/b/."), "/a/b/");
        assert_eq!(ok("/a/b/.."), "/a/");
        assert_eq!(ok("/a/b/../"), "/a/");
        assert_eq!(ok("/a/b/"), "/a/b/");
        assert_eq!(ok("/."), "/");
        assert_eq!(ok("/a/.."), "/");
        assert_eq!(ok("/a/../"), "/");
        assert_eq!(ok("/a/b/c/./../../g"), "/a/g");
        assert_eq!(ok("/mid/content=5/../6"), "/mid/6");
        assert_eq!(ok("/a/.b/..c/c..d"), "/a/.b/..c/c..d");
        assert_eq!(ok("/a/%2E/b"), "/a/b");
        assert_eq!(ok("/a/.%2e/b"), "/b");
        assert_eq!(normalize("/a/../.."), Err(PathError::AboveRoot));
        assert_eq!(normalize("/../a"), Err(PathError::AboveRoot));
        assert_eq!(normalize("/%2e%2e/a"), Err(PathError::AboveRoot));
        assert_eq!(normalize("/a/b/../../../c"), Err(PathError::AboveRoot));
    }

    #[test]
    fn trailing_dot_rules() {
        assert_eq!(normalize("/..."), Err(PathError::TrailingDot));
        assert_eq!(normalize("/a/..../b"), Err(PathError::TrailingDot));
        assert_eq!(normalize("/customer./1"), Err(PathError::TrailingDot));
        assert_eq!(normalize("/customer/1."), Err(PathError::TrailingDot));
        assert_eq!(normalize("/customer/1%2e"), Err(PathError::TrailingDot));
        assert_eq!(normalize("/a/b../c"), Err(PathError::TrailingDot));
        assert_eq!(normalize("/a/%2e%2e%2e"), Err(PathError::TrailingDot));
        // Even when a later `..` would remove it: refuse rather than guess.
        assert_eq!(normalize("/a./../b"), Err(PathError::TrailingDot));
    }

    #[test]
    fn case_is_preserved() {
        assert_eq!(ok("/Customer/ABC"), "/Customer/ABC");
    }

    #[test]
    fn base_paths() {
        assert_eq!(normalize_base_path("customers/").unwrap(), "/customers/");
        assert_eq!(normalize_base_path("/customers/").unwrap(), "/customers/");
        assert_eq!(normalize_base_path("customers").unwrap(), "/customers/");
        assert_eq!(normalize_base_path("/customers").unwrap(), "/customers/");
        assert_eq!(normalize_base_path("hr/v1").unwrap(), "/hr/v1/");
        assert_eq!(normalize_base_path("//hr//v1//").unwrap(), "/hr/v1/");
        assert_eq!(normalize_base_path("/").unwrap(), "/");
        assert_eq!(normalize_base_path(""), Err(PathError::Empty));
        assert_eq!(normalize_base_path("  "), Err(PathError::Empty));
        assert_eq!(normalize_base_path("a?b"), Err(PathError::QueryOrFragment));
        assert_eq!(normalize_base_path("a#b"), Err(PathError::QueryOrFragment));
        assert_eq!(normalize_base_path(".."), Err(PathError::AboveRoot));
        assert_eq!(normalize_base_path("a."), Err(PathError::TrailingDot));
        assert_eq!(normalize_base_path("a%2Fb"), Err(PathError::EncodedSlash));
    }

    /// ORDS's template pattern `.` names the module's base path itself. pg_ords stores it as the
    /// empty template (sql/core.sql, `ords_metadata.template_pattern`;
    /// docs/rest-definitions.md#dot-pattern); a `.` that reached a full pattern would resolve to
    /// the same base path, never to a different resource.
    #[test]
    fn template_dot_is_the_module_base_path() {
        for base in ["customers", "/customers/", "hr/v1"] {
            let prefix = normalize_base_path(base).unwrap();
            assert_eq!(normalize(&prefix).unwrap(), prefix);
            assert_eq!(normalize(&format!("{prefix}.")).unwrap(), prefix);
            assert_eq!(normalize(&format!("{prefix}./")).unwrap(), prefix);
        }
        assert_eq!(normalize_base_path(".").unwrap(), "/");
    }

    #[test]
    fn display_never_echoes_input() {
        let secret = "/SeCrEt%zz";
        let e = normalize(secret).unwrap_err();
        let msg = e.to_string();
        assert!(!msg.contains("SeCrEt"));
        assert!(!msg.is_empty());
    }

    fn path_like() -> impl Strategy<Value = String> {
        // Biased towards the interesting characters.
        proptest::collection::vec(
            prop_oneof![
                Just("/".to_string()),
                Just(".".to_string()),
                Just("..".to_string()),
                Just("%".to_string()),
                Just("%2e".to_string()),
                Just("%2E".to_string()),
                Just("%2f".to_string()),
                Just("%25".to_string()),
                Just("%41".to_string()),
                Just("%c3%a9".to_string()),
                Just("?".to_string()),
                Just("#".to_string()),
                Just("\\".to_string()),
                Just("\0".to_string()),
                "[a-c]{1,3}",
                any::<char>().prop_map(|c| c.to_string()),
            ],
            0..24,
        )
        .prop_map(|v| v.concat())
    }

    fn check_output(out: &str) {
        assert!(out.starts_with('/'));
        assert!(!out.contains("//"), "{out:?}");
        assert!(!out.contains("/./"), "{out:?}");
        assert!(!out.contains("/../"), "{out:?}");
        assert!(!out.ends_with("/.") && !out.ends_with("/.."), "{out:?}");
        assert!(!out.contains('\0'));
        assert!(!out.contains('\\'));
        assert!(!out.bytes().any(is_ascii_control));
        assert!(!out.contains(['?', '#']));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::fuzz_cases(1000)))]

        #[test]
        fn never_panics_and_fixed_point(s in any::<String>()) {
            if let Ok(out) = normalize(&s) {
                check_output(&out);
                prop_assert_eq!(normalize(&out), Ok(out.clone()));
                prop_assert!(out.len() <= 3 * s.len());
            }
        }

        #[test]
        fn fixed_point_on_path_like(s in path_like()) {
            let with_slash = format!("/{s}");
            for input in [s, with_slash] {
                if let Ok(out) = normalize(&input) {
                    check_output(&out);
                    prop_assert_eq!(normalize(&out), Ok(out.clone()));
                }
            }
        }

        #[test]
        fn base_path_never_panics(s in path_like()) {
            if let Ok(out) = normalize_base_path(&s) {
                prop_assert!(out.starts_with('/') && out.ends_with('/'));
                prop_assert_eq!(normalize(&out), Ok(out.clone()));
                prop_assert_eq!(normalize_base_path(&out), Ok(out.clone()));
            }
        }

        #[test]
        fn simple_paths_unchanged(segs in proptest::collection::vec("[A-Za-z0-9_~-]{1,8}", 0..8), trailing in any::<bool>()) {
            let mut p = String::new();
            for s in &segs { p.push('/'); p.push_str(s); }
            if trailing || segs.is_empty() { p.push('/'); }
            prop_assert_eq!(normalize(&p), Ok(p.clone()));
        }
    }
}
