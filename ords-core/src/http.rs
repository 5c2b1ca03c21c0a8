//! Parsing of what an HTTP layer hands over: the `Authorization` header, an
//! `application/x-www-form-urlencoded` body and the `Content-Type` header.
//!
//! All functions are total: any input yields a value or an error, never a
//! panic. Error messages never echo credentials.
//!
//! What is a crate's and what is ours, and why:
//! * base64 decoding is the `base64` crate's; choosing the engine by the
//!   presence of `=` is ours, because its padding-indifferent mode also
//!   accepts partial padding (`abc=` where `==` is due).
//! * percent-decoding is the `percent-encoding` crate's (rust-url); the
//!   escape check before it is ours, because it (and `form_urlencoded`)
//!   keeps a malformed `%zz` literally and decodes non-UTF-8 lossily, where
//!   we refuse both.
//! * splitting the body on `&`/`=` stays here (three lines): refusing empty
//!   names and duplicate parameters (RFC 6749 §3.2) is ours either way.
//! * the `Authorization` grammar (scheme, RFC 6750 b64token, RFC 7617 vs
//!   RFC 6749 §2.3.1 Basic decoding) and the media-type check have no
//!   well-kept crate outside an HTTP framework (`headers` needs `http`, and
//!   differs on both bare tokens and form-decoded Basic parts).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use percent_encoding::percent_decode_str;
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

/// Maximum accepted length, in bytes, of an `Authorization` header value.
pub const MAX_HEADER_LEN: usize = 8192;
/// Maximum accepted length, in bytes, of a form-encoded request body.
pub const MAX_BODY_LEN: usize = 65536;

/// Decodes standard-alphabet base64 given either with canonical padding or
/// with no padding at all (partial padding such as `abc=` for a 2-byte tail
/// that needs `==` is refused).
fn decode_base64_std(value: &str) -> Option<Vec<u8>> {
    if value.ends_with('=') {
        STANDARD.decode(value).ok()
    } else {
        STANDARD_NO_PAD.decode(value).ok()
    }
}

/// Credentials carried by an `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// No header, or an all-whitespace one.
    None,
    /// `Bearer <token>` (or a bare token, see [`parse_authorization`]).
    Bearer(String),
    /// `Basic <base64(user:password)>`: form-urlencoded-decoded parts from
    /// [`parse_authorization`] (RFC 6749 client authentication), the literal
    /// RFC 7617 parts from [`parse_request_authorization`].
    Basic {
        /// The client id / user name.
        user: String,
        /// The client secret / password.
        password: String,
    },
    /// Any other authentication scheme.
    Unsupported,
}

/// Redacting `Debug`: tokens and passwords are never printed.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credentials::Basic { user, .. } => f
                .debug_struct("Basic")
                .field("user", user)
                .field("password", &"<redacted>")
                .finish(),
            Credentials::Unsupported => f.write_str("Unsupported"),
        }
    }
}

/// Why an `Authorization` header was refused by [`parse_authorization`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthError {
    /// The header is longer than [`MAX_HEADER_LEN`] bytes.
    TooLong,
    /// `Bearer` with no token.
    EmptyToken,
    /// The bearer token contains characters outside the RFC 6750 b64token
    /// syntax.
    BadToken,
    /// `Basic` with no credentials.
    EmptyCredentials,
    /// The `Basic` credentials are not valid standard base64.
    BadBase64,
    /// The decoded `Basic` credentials (or a decoded part) are not UTF-8.
    NotUtf8,
    /// The decoded `Basic` credentials contain no `:`.
    MissingColon,
    /// A `Basic` user or password contains an invalid percent escape.
    BadPercent,
    /// An RFC 7617 `Basic` user-id or password contains a control character.
    ControlCharacter,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let msg = match self {
            AuthError::TooLong => "Authorization header is too long",
            AuthError::EmptyToken => "Bearer token is empty",
            AuthError::BadToken => "Bearer token contains invalid characters",
            AuthError::EmptyCredentials => "Basic credentials are empty",
            AuthError::BadBase64 => "Basic credentials are not valid base64",
            AuthError::NotUtf8 => "Basic credentials are not valid UTF-8",
            AuthError::MissingColon => "Basic credentials lack the ':' separator",
            AuthError::BadPercent => "Basic credentials contain an invalid percent escape",
            AuthError::ControlCharacter => "Basic credentials contain a control character",
        };
        f.write_str(msg)
    }
}

impl std::error::Error for AuthError {}

/// Why a form body was refused by [`parse_form`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormError {
    /// The body is longer than [`MAX_BODY_LEN`] bytes.
    TooLong,
    /// A `%` is not followed by two hexadecimal digits.
    BadPercent,
    /// A decoded key or value is not UTF-8.
    NotUtf8,
    /// A parameter has an empty name.
    EmptyKey,
    /// A parameter appears more than once (RFC 6749 §3.2). Carries the
    /// decoded parameter name.
    DuplicateParameter(String),
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::TooLong => write!(f, "form body is longer than {MAX_BODY_LEN} bytes"),
            FormError::BadPercent => f.write_str("form body contains an invalid percent escape"),
            FormError::NotUtf8 => f.write_str("form body does not decode to UTF-8"),
            FormError::EmptyKey => f.write_str("form body contains a parameter with an empty name"),
            FormError::DuplicateParameter(name) => {
                // Parameter names are not secret, but bound what we print.
                let shown: String = name.chars().take(64).collect();
                let ellipsis = if name.chars().nth(64).is_some() {
                    "..."
                } else {
                    ""
                };
                write!(
                    f,
                    "parameter '{}{}' appears more than once",
                    shown.escape_debug(),
                    ellipsis
                )
            }
        }
    }
}

impl std::error::Error for FormError {}

#[derive(Debug, PartialEq, Eq)]
enum DecodeError {
    BadPercent,
    NotUtf8,
}

/// application/x-www-form-urlencoded decoding of one name or value:
/// `+` becomes a space, `%XX` becomes the byte XX, the result must be UTF-8.
/// The decoding is percent-encoding's; the check before it is ours, because
/// that crate (like form_urlencoded) passes a malformed escape such as `%zz`
/// through literally instead of refusing it.
fn form_decode(s: &str) -> Result<String, DecodeError> {
    let b = s.as_bytes();
    let hex = |i: usize| b.get(i).is_some_and(u8::is_ascii_hexdigit);
    if (0..b.len()).any(|i| b[i] == b'%' && !(hex(i + 1) && hex(i + 2))) {
        return Err(DecodeError::BadPercent);
    }
    let plus_as_space = s.replace('+', " ");
    percent_decode_str(&plus_as_space)
        .decode_utf8()
        .map(Cow::into_owned)
        .map_err(|_| DecodeError::NotUtf8)
}

/// RFC 6750 `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
fn is_b64token(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    !body.is_empty()
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        })
}

/// Optional whitespace as allowed around header values (space, tab).
fn is_ows(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Parses an `Authorization` header value.
///
/// * `None`, or a value made only of whitespace → [`Credentials::None`];
///   longer than [`MAX_HEADER_LEN`] bytes → [`AuthError::TooLong`].
/// * The scheme is case-insensitive and separated from its value by one or
///   more spaces.
/// * `Bearer <token>`: the token is trimmed, must be non-empty
///   ([`AuthError::EmptyToken`]) and made of RFC 6750 b64token characters
///   (`A-Za-z0-9-._~+/` then optional `=`s), else [`AuthError::BadToken`].
/// * A bare value with no scheme (no space, b64token characters only) is
///   taken as a bearer token, as a convenience. A bare `Bearer` or `Basic`
///   scheme name with nothing after it is an error, not a token.
/// * `Basic <b64>`: standard base64, with canonical padding or none at all,
///   decoded to UTF-8 (else [`AuthError::NotUtf8`]),
///   split at the first `:`; each part is then form-urlencoded-decoded
///   (RFC 6749 §2.3.1: `+` → space, `%XX`).
/// * Any other scheme, or a bare value that is not a b64token →
///   [`Credentials::Unsupported`].
pub fn parse_authorization(h: Option<&str>) -> Result<Credentials, AuthError> {
    parse_with(h, BasicDecoding::OAuthForm)
}

/// Parses the `Authorization` header of a request to a REST resource
/// (HTTP Basic per RFC 7617, the way Postgres users are authenticated):
/// like [`parse_authorization`], except that `Basic` credentials are taken
/// literally. The base64 decodes to UTF-8, the user-id is what precedes the
/// first `:` and the password all that follows; `+` and `%` are ordinary
/// characters (no form decoding), and a control character (U+0000-U+001F,
/// U+007F) in either part is [`AuthError::ControlCharacter`] (RFC 7617 §2).
pub fn parse_request_authorization(h: Option<&str>) -> Result<Credentials, AuthError> {
    parse_with(h, BasicDecoding::Rfc7617)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BasicDecoding {
    /// RFC 6749 §2.3.1: each part form-urlencoded.
    OAuthForm,
    /// RFC 7617: literal UTF-8.
    Rfc7617,
}

fn parse_with(h: Option<&str>, basic: BasicDecoding) -> Result<Credentials, AuthError> {
    let h = match h {
        None => return Ok(Credentials::None),
        Some(h) => h,
    };
    if h.len() > MAX_HEADER_LEN {
        return Err(AuthError::TooLong);
    }
    let h = h.trim_matches(is_ows);
    if h.is_empty() {
        return Ok(Credentials::None);
    }
    let (scheme, rest) = match h.find(' ') {
        Some(idx) => (h.get(..idx).unwrap_or(""), h.get(idx..).unwrap_or("")),
        None => {
            if h.eq_ignore_ascii_case("bearer") {
                return Err(AuthError::EmptyToken);
            }
            if h.eq_ignore_ascii_case("basic") {
                return Err(AuthError::EmptyCredentials);
            }
            if is_b64token(h) {
                return Ok(Credentials::Bearer(h.to_string()));
            }
            return Ok(Credentials::Unsupported);
        }
    };
    let value = rest.trim_matches(is_ows);
    if scheme.eq_ignore_ascii_case("bearer") {
        if value.is_empty() {
            return Err(AuthError::EmptyToken);
        }
        if !is_b64token(value) {
            return Err(AuthError::BadToken);
        }
        Ok(Credentials::Bearer(value.to_string()))
    } else if scheme.eq_ignore_ascii_case("basic") {
        if value.is_empty() {
            return Err(AuthError::EmptyCredentials);
        }
        let raw = decode_base64_std(value).ok_or(AuthError::BadBase64)?;
        let text = String::from_utf8(raw).map_err(|_| AuthError::NotUtf8)?;
        let (user, password) = text.split_once(':').ok_or(AuthError::MissingColon)?;
        if basic == BasicDecoding::Rfc7617 {
            if text.chars().any(|c| c.is_ascii_control()) {
                return Err(AuthError::ControlCharacter);
            }
            return Ok(Credentials::Basic {
                user: user.to_string(),
                password: password.to_string(),
            });
        }
        let map = |e| match e {
            DecodeError::BadPercent => AuthError::BadPercent,
            DecodeError::NotUtf8 => AuthError::NotUtf8,
        };
        Ok(Credentials::Basic {
            user: form_decode(user).map_err(map)?,
            password: form_decode(password).map_err(map)?,
        })
    } else {
        Ok(Credentials::Unsupported)
    }
}

/// Parses an `application/x-www-form-urlencoded` body.
///
/// Longer than [`MAX_BODY_LEN`] bytes → [`FormError::TooLong`]; an empty
/// body gives an empty vector. Pairs are split on `&` (empty pieces are
/// skipped), name and value on the first `=` (no `=` means an empty value);
/// `+` decodes to a space and `%XX` to a byte — an invalid escape is
/// [`FormError::BadPercent`] and non-UTF-8 results are
/// [`FormError::NotUtf8`]. An empty name is [`FormError::EmptyKey`] and a
/// name that appears twice is [`FormError::DuplicateParameter`]
/// (RFC 6749 §3.2). Pairs are returned in body order.
pub fn parse_form(body: &str) -> Result<Vec<(String, String)>, FormError> {
    if body.len() > MAX_BODY_LEN {
        return Err(FormError::TooLong);
    }
    let map = |e| match e {
        DecodeError::BadPercent => FormError::BadPercent,
        DecodeError::NotUtf8 => FormError::NotUtf8,
    };
    let mut out = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for piece in body.split('&') {
        if piece.is_empty() {
            continue;
        }
        let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
        let key = form_decode(k).map_err(map)?;
        let value = form_decode(v).map_err(map)?;
        if key.is_empty() {
            return Err(FormError::EmptyKey);
        }
        if !seen.insert(key.clone()) {
            return Err(FormError::DuplicateParameter(key));
        }
        out.push((key, value));
    }
    Ok(out)
}

/// True when the media type of `content_type` (the part before any `;`),
/// trimmed and compared case-insensitively, is
/// `application/x-www-form-urlencoded`.
pub fn media_type_is_form(content_type: Option<&str>) -> bool {
    match content_type {
        None => false,
        Some(ct) => {
            let media = ct.split(';').next().unwrap_or("");
            media
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        }
    }
}

/// Builds a `Basic` `Authorization` header value, `Basic base64(user:password)`,
/// the way `curl --user user:password` does (no url-encoding). For tests and
/// demos.
pub fn basic_header(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Tiny form encoder for tests: unreserved kept, space → `+`, rest `%XX`.
    fn enc(s: &str) -> String {
        let mut out = String::new();
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(char::from(b));
            } else if b == b' ' {
                out.push('+');
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    fn basic(user: &str, password: &str) -> Credentials {
        Credentials::Basic {
            user: user.into(),
            password: password.into(),
        }
    }

    #[test]
    fn rfc7617_basic_is_literal() {
        let h = |u: &str, p: &str| format!("Basic {}", STANDARD.encode(format!("{u}:{p}")));
        // `+` and `%` are characters of the password, not form encoding.
        assert_eq!(
            parse_request_authorization(Some(&h("alice", "a+b%20c%zz"))),
            Ok(basic("alice", "a+b%20c%zz"))
        );
        // The same header for the token endpoint is form-decoded (RFC 6749 §2.3.1).
        assert_eq!(
            parse_authorization(Some(&h("alice", "a+b%20c"))),
            Ok(basic("alice", "a b c"))
        );
        // UTF-8, and the password may contain ':'.
        assert_eq!(
            parse_request_authorization(Some(&h("jürgen", "pä:ss"))),
            Ok(basic("jürgen", "pä:ss"))
        );
        assert_eq!(
            parse_request_authorization(Some(&h("", ""))),
            Ok(basic("", ""))
        );
        // Not UTF-8 (Latin-1 ü), no colon, control characters.
        let latin1 = format!("Basic {}", STANDARD.encode([b'j', 0xfc, b':', b'x']));
        assert_eq!(
            parse_request_authorization(Some(&latin1)),
            Err(AuthError::NotUtf8)
        );
        assert_eq!(
            parse_request_authorization(Some(&format!("Basic {}", STANDARD.encode("nocolon")))),
            Err(AuthError::MissingColon)
        );
        for bad in ["a\0b", "a\nb", "a\x7fb"] {
            assert_eq!(
                parse_request_authorization(Some(&h(bad, "x"))),
                Err(AuthError::ControlCharacter)
            );
            assert_eq!(
                parse_request_authorization(Some(&h("x", bad))),
                Err(AuthError::ControlCharacter)
            );
        }
        // Bearer tokens parse as before.
        assert_eq!(
            parse_request_authorization(Some("Bearer abc")),
            Ok(Credentials::Bearer("abc".into()))
        );
    }

    #[test]
    fn none_and_whitespace() {
        assert_eq!(parse_authorization(None), Ok(Credentials::None));
        assert_eq!(parse_authorization(Some("")), Ok(Credentials::None));
        assert_eq!(parse_authorization(Some("   \t ")), Ok(Credentials::None));
    }

    #[test]
    fn too_long() {
        let h = format!("Bearer {}", "a".repeat(MAX_HEADER_LEN));
        assert_eq!(parse_authorization(Some(&h)), Err(AuthError::TooLong));
        let h = format!("Bearer {}", "a".repeat(MAX_HEADER_LEN - 7));
        assert!(matches!(
            parse_authorization(Some(&h)),
            Ok(Credentials::Bearer(_))
        ));
    }

    #[test]
    fn bearer() {
        let t = "abc-._~+/XYZ09==";
        assert_eq!(
            parse_authorization(Some(&format!("Bearer {t}"))),
            Ok(Credentials::Bearer(t.into()))
        );
        assert_eq!(
            parse_authorization(Some("bEaReR    tok  ")),
            Ok(Credentials::Bearer("tok".into()))
        );
        assert_eq!(
            parse_authorization(Some("  BEARER tok")),
            Ok(Credentials::Bearer("tok".into()))
        );
        assert_eq!(
            parse_authorization(Some("Bearer ")),
            Err(AuthError::EmptyToken)
        );
        assert_eq!(
            parse_authorization(Some("Bearer")),
            Err(AuthError::EmptyToken)
        );
        assert_eq!(
            parse_authorization(Some("Bearer a b")),
            Err(AuthError::BadToken)
        );
        assert_eq!(
            parse_authorization(Some("Bearer a=b")),
            Err(AuthError::BadToken)
        );
        assert_eq!(
            parse_authorization(Some("Bearer ===")),
            Err(AuthError::BadToken)
        );
        assert_eq!(
            parse_authorization(Some("Bearer a\"b")),
            Err(AuthError::BadToken)
        );
        assert_eq!(
            parse_authorization(Some("Bearer tök")),
            Err(AuthError::BadToken)
        );
        assert_eq!(
            parse_authorization(Some("Bearer a\0")),
            Err(AuthError::BadToken)
        );
    }

    #[test]
    fn bare_token_is_bearer() {
        assert_eq!(
            parse_authorization(Some("abcDEF123_-")),
            Ok(Credentials::Bearer("abcDEF123_-".into()))
        );
        assert_eq!(
            parse_authorization(Some(" abc== ")),
            Ok(Credentials::Bearer("abc==".into()))
        );
        assert_eq!(
            parse_authorization(Some("abc!")),
            Ok(Credentials::Unsupported)
        );
        assert_eq!(
            parse_authorization(Some("basic")),
            Err(AuthError::EmptyCredentials)
        );
    }

    #[test]
    fn basic_auth() {
        assert_eq!(
            parse_authorization(Some(&basic_header("client", "s3cret"))),
            Ok(basic("client", "s3cret"))
        );
        // Split at the first colon: the password may contain colons.
        assert_eq!(
            parse_authorization(Some(&basic_header("client", "a:b:c"))),
            Ok(basic("client", "a:b:c"))
        );
        // Empty parts are returned as such.
        assert_eq!(
            parse_authorization(Some(&basic_header("", ""))),
            Ok(basic("", ""))
        );
        // Form-decoding of each part.
        assert_eq!(
            parse_authorization(Some(&basic_header("a%3Ab+c", "p%25+%2B"))),
            Ok(basic("a:b c", "p% +"))
        );
        // Padding optional, scheme case-insensitive, several spaces.
        // "user:pw" = dXNlcjpwdw==
        assert_eq!(
            parse_authorization(Some("Basic dXNlcjpwdw==")),
            Ok(basic("user", "pw"))
        );
        assert_eq!(
            parse_authorization(Some("BASIC   dXNlcjpwdw")),
            Ok(basic("user", "pw"))
        );
        assert_eq!(
            parse_authorization(Some("basic dXNlcjpwdw== ")),
            Ok(basic("user", "pw"))
        );
    }

    #[test]
    fn basic_errors() {
        assert_eq!(
            parse_authorization(Some("Basic ")),
            Err(AuthError::EmptyCredentials)
        );
        assert_eq!(
            parse_authorization(Some("Basic !!!")),
            Err(AuthError::BadBase64)
        );
        assert_eq!(
            parse_authorization(Some("Basic dXNlcjpwdw=")),
            Err(AuthError::BadBase64)
        );
        assert_eq!(
            parse_authorization(Some("Basic dXNlcjpwdw===")),
            Err(AuthError::BadBase64)
        );
        assert_eq!(
            parse_authorization(Some("Basic dXNl cjpwdw==")),
            Err(AuthError::BadBase64)
        );
        assert_eq!(
            parse_authorization(Some("Basic d")),
            Err(AuthError::BadBase64)
        );
        // base64url alphabet is not standard base64.
        assert_eq!(
            parse_authorization(Some("Basic _-_-")),
            Err(AuthError::BadBase64)
        );
        // "userpw" has no colon.
        let h = format!("Basic {}", STANDARD.encode("userpw"));
        assert_eq!(parse_authorization(Some(&h)), Err(AuthError::MissingColon));
        let h = format!("Basic {}", STANDARD.encode([0xff, b':', b'a']));
        assert_eq!(parse_authorization(Some(&h)), Err(AuthError::NotUtf8));
        let h = basic_header("a%zz", "b");
        assert_eq!(parse_authorization(Some(&h)), Err(AuthError::BadPercent));
        let h = basic_header("a", "b%");
        assert_eq!(parse_authorization(Some(&h)), Err(AuthError::BadPercent));
        let h = basic_header("a", "%ff");
        assert_eq!(parse_authorization(Some(&h)), Err(AuthError::NotUtf8));
    }

    #[test]
    fn other_schemes() {
        assert_eq!(
            parse_authorization(Some("Digest foo=bar")),
            Ok(Credentials::Unsupported)
        );
        assert_eq!(
            parse_authorization(Some("Negotiate abc")),
            Ok(Credentials::Unsupported)
        );
    }

    #[test]
    fn debug_redacts() {
        let s = format!("{:?}", basic("user", "hunter2"));
        assert!(!s.contains("hunter2"));
        let s = format!("{:?}", Credentials::Bearer("tok123".into()));
        assert!(!s.contains("tok123"));
    }

    #[test]
    fn auth_error_messages_never_echo() {
        let h = basic_header("user", "hunter2%");
        let e = parse_authorization(Some(&h)).unwrap_err();
        assert!(!e.to_string().contains("hunter2"));
    }

    #[test]
    fn form_basics() {
        assert_eq!(parse_form(""), Ok(vec![]));
        assert_eq!(parse_form("&&"), Ok(vec![]));
        assert_eq!(
            parse_form("grant_type=client_credentials&scope=a+b%20c"),
            Ok(vec![
                ("grant_type".into(), "client_credentials".into()),
                ("scope".into(), "a b c".into()),
            ])
        );
        assert_eq!(
            parse_form("a&b="),
            Ok(vec![("a".into(), "".into()), ("b".into(), "".into())])
        );
        assert_eq!(parse_form("a=b=c"), Ok(vec![("a".into(), "b=c".into())]));
        assert_eq!(
            parse_form("k%3D=v%26"),
            Ok(vec![("k=".into(), "v&".into())])
        );
        assert_eq!(
            parse_form("caf%C3%A9=%e2%82%ac"),
            Ok(vec![("café".into(), "€".into())])
        );
        assert_eq!(parse_form("é=ü"), Ok(vec![("é".into(), "ü".into())]));
    }

    #[test]
    fn form_errors() {
        let big = "a".repeat(MAX_BODY_LEN + 1);
        assert_eq!(parse_form(&big), Err(FormError::TooLong));
        assert!(parse_form(&"a".repeat(MAX_BODY_LEN)).is_ok());
        assert_eq!(parse_form("a=%"), Err(FormError::BadPercent));
        assert_eq!(parse_form("a=%4"), Err(FormError::BadPercent));
        assert_eq!(parse_form("a%zz=1"), Err(FormError::BadPercent));
        assert_eq!(parse_form("a=%ff"), Err(FormError::NotUtf8));
        assert_eq!(parse_form("=v"), Err(FormError::EmptyKey));
        assert_eq!(parse_form("a=1&="), Err(FormError::EmptyKey));
        assert_eq!(
            parse_form("a=1&b=2&a=3"),
            Err(FormError::DuplicateParameter("a".into()))
        );
        // Duplicates are detected after decoding.
        assert_eq!(
            parse_form("a+b=1&a%20b=2"),
            Err(FormError::DuplicateParameter("a b".into()))
        );
        let e = FormError::DuplicateParameter("x".repeat(500));
        assert!(e.to_string().len() < 120);
    }

    #[test]
    fn media_type() {
        assert!(media_type_is_form(Some(
            "application/x-www-form-urlencoded"
        )));
        assert!(media_type_is_form(Some(
            " Application/X-WWW-Form-URLEncoded ; charset=UTF-8"
        )));
        assert!(!media_type_is_form(Some("application/json")));
        assert!(!media_type_is_form(Some(
            "application/x-www-form-urlencodedx"
        )));
        assert!(!media_type_is_form(Some("")));
        assert!(!media_type_is_form(None));
    }

    #[test]
    fn basic_header_like_curl() {
        // curl --user Aladdin:open\ sesame
        assert_eq!(
            basic_header("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::fuzz_cases(512)))]

        #[test]
        fn authorization_never_panics(s in any::<String>()) {
            let _ = parse_authorization(Some(&s));
            let _ = parse_authorization(Some(&format!("Basic {s}")));
            let _ = parse_authorization(Some(&format!("Bearer {s}")));
        }

        /// RFC 7617 round trip: what `curl --user user:password` sends comes
        /// back literally, whatever the (non-control) characters.
        #[test]
        fn rfc7617_round_trip(user in "[^:\\x00-\\x1f\\x7f]{0,40}", password in "[^\\x00-\\x1f\\x7f]{0,40}") {
            prop_assert_eq!(
                parse_request_authorization(Some(&basic_header(&user, &password))),
                Ok(basic(&user, &password))
            );
            let _ = parse_request_authorization(Some(&format!("Basic {user}")));
        }

        #[test]
        fn authorization_basic_b64_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let h = format!("Basic {}", STANDARD.encode(&bytes));
            let _ = parse_authorization(Some(&h));
        }

        #[test]
        fn basic_round_trip(user in any::<String>(), password in any::<String>()) {
            let h = basic_header(&enc(&user), &enc(&password));
            prop_assert_eq!(parse_authorization(Some(&h)), Ok(basic(&user, &password)));
        }

        #[test]
        fn basic_round_trip_unencoded(user in "[A-Za-z0-9._~-]{0,30}", password in "[A-Za-z0-9._~:!@-]{0,40}") {
            let h = basic_header(&user, &password);
            prop_assert_eq!(parse_authorization(Some(&h)), Ok(basic(&user, &password)));
        }

        #[test]
        fn bearer_round_trip(t in "[A-Za-z0-9._~+/-]{1,60}={0,2}") {
            prop_assert_eq!(
                parse_authorization(Some(&format!("Bearer {t}"))),
                Ok(Credentials::Bearer(t.clone()))
            );
            prop_assert_eq!(parse_authorization(Some(&t)), Ok(Credentials::Bearer(t.clone())));
        }

        #[test]
        fn form_never_panics(s in any::<String>()) {
            let _ = parse_form(&s);
            let _ = media_type_is_form(Some(&s));
        }

        #[test]
        fn form_never_panics_formlike(s in "[a=&%+0-9A-Fa-f\u{e9}]{0,40}") {
            let _ = parse_form(&s);
        }

        #[test]
        fn form_round_trip(map in proptest::collection::btree_map(".{1,12}", ".{0,20}", 0..8)) {
            let body = map
                .iter()
                .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
                .collect::<Vec<_>>()
                .join("&");
            let want: Vec<(String, String)> = map.into_iter().collect();
            prop_assert_eq!(parse_form(&body), Ok(want));
        }
    }
}
