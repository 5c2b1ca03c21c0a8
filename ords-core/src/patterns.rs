//! ORDS privilege-mapping URI patterns.
//!
//! A pattern starts with `/`. A `*` matches any run of characters (possibly
//! empty, `/` included); every other character is literal and compared
//! case-sensitively. Consecutive `*` behave as one.
//!
//! Patterns are matched against paths that have already been normalised by
//! [`crate::paths::normalize`]; [`validate`] ensures the literal text of a
//! pattern is itself in normalised form, so that a pattern can never name a
//! path that normalisation would make unreachable.

use crate::paths::{self, PathError};
use std::fmt;

/// Maximum accepted length, in bytes, of a pattern.
pub const MAX_PATTERN_LEN: usize = 2048;

/// Why a pattern was refused by [`validate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternError {
    /// The pattern is empty.
    Empty,
    /// The pattern does not start with `/`.
    NoLeadingSlash,
    /// The pattern is longer than [`MAX_PATTERN_LEN`] bytes.
    TooLong,
    /// The pattern contains an ASCII control character or NUL.
    ControlChar,
    /// The pattern contains `?` or `#` (query strings are never matched).
    QueryOrFragment,
    /// The literal text of the pattern cannot be normalised at all.
    Unnormalizable(PathError),
    /// The literal text is not in normalised form; `normalized` is the form
    /// it would take (with its `*` wildcards restored).
    /// The pattern contains `%2A`, an encoded `*`, which could not be told from the wildcard.
    EncodedAsterisk,
    /// The pattern is not in normalised form.
    NotNormalized {
        /// The normalised form of the pattern.
        normalized: String,
    },
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatternError::Empty => {
                f.write_str("pattern is empty; patterns start with '/', e.g. '/customer/*'")
            }
            PatternError::NoLeadingSlash => f.write_str(
                "pattern must start with '/', e.g. '/customer/*'",
            ),
            PatternError::TooLong => write!(f, "pattern is longer than {MAX_PATTERN_LEN} bytes"),
            PatternError::ControlChar => f.write_str("pattern contains a control character"),
            PatternError::QueryOrFragment => f.write_str(
                "pattern contains '?' or '#'; query strings and fragments are never matched",
            ),
            PatternError::Unnormalizable(e) => write!(f, "pattern is not a valid path: {e}"),
            PatternError::EncodedAsterisk => f.write_str(
                "pattern contains '%2A' (an encoded '*'); '*' is the wildcard and cannot be matched literally",
            ),
            PatternError::NotNormalized { normalized } => write!(
                f,
                "pattern is not in normalised form; use '{}' instead",
                normalized.escape_debug()
            ),
        }
    }
}

impl std::error::Error for PatternError {}

/// What `*` stands for while the literal text of a pattern is normalised: `%2A` is an encoded
/// `*`, which [`paths::normalize`] keeps as it is (`*` is not an unreserved character). A
/// pattern may therefore not contain a literal `%2A` itself ([`PatternError::EncodedAsterisk`]).
const PLACEHOLDER: &str = "%2A";

/// Validates a privilege-mapping pattern.
///
/// Refuses: an empty pattern; a pattern not starting with `/` (the message
/// explains that patterns start with `/`, e.g. `/customer/*`); more than
/// [`MAX_PATTERN_LEN`] bytes; control characters or NUL; `?` or `#`; and a
/// pattern whose literal text is not in normalised form. For the last check
/// every `*` is replaced by a placeholder character, the result is run
/// through [`paths::normalize`], and the pattern is refused if normalising
/// fails ([`PatternError::Unnormalizable`]) or changes it
/// ([`PatternError::NotNormalized`], which carries the normalised form).
pub fn validate(pattern: &str) -> Result<(), PatternError> {
    if pattern.is_empty() {
        return Err(PatternError::Empty);
    }
    if pattern.len() > MAX_PATTERN_LEN {
        return Err(PatternError::TooLong);
    }
    if !pattern.starts_with('/') {
        return Err(PatternError::NoLeadingSlash);
    }
    if pattern.bytes().any(|b| b < 0x20 || b == 0x7F) {
        return Err(PatternError::ControlChar);
    }
    if pattern.contains(['?', '#']) {
        return Err(PatternError::QueryOrFragment);
    }
    if pattern.to_ascii_uppercase().contains(PLACEHOLDER) {
        return Err(PatternError::EncodedAsterisk);
    }
    let ph_str = PLACEHOLDER;
    let substituted = pattern.replace('*', ph_str);
    let normalized = paths::normalize(&substituted).map_err(PatternError::Unnormalizable)?;
    if normalized != substituted {
        return Err(PatternError::NotNormalized {
            normalized: normalized.replace(ph_str, "*"),
        });
    }
    Ok(())
}

/// Glob-matches `path` against `pattern`: `*` matches any run of bytes
/// (possibly empty, `/` included), everything else is literal and
/// case-sensitive. Consecutive `*` behave as one.
///
/// This does not validate the pattern nor normalise the path: callers pass a
/// pattern accepted by [`validate`] and a path produced by
/// [`crate::paths::normalize`].
///
/// Iterative, with a single backtrack point: worst case
/// O(`pattern.len()` × `path.len()`), no recursion, no exponential blow-up.
pub fn matches(pattern: &str, path: &str) -> bool {
    let p = pattern.as_bytes();
    let s = path.as_bytes();
    let (mut pi, mut si) = (0usize, 0usize);
    // Position in `p` just after the last `*` seen, and the position in `s`
    // that this `*` is currently assumed to stretch to.
    let mut backtrack: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some(b'*') => {
                // Collapse consecutive stars.
                while p.get(pi) == Some(&b'*') {
                    pi += 1;
                }
                backtrack = Some((pi, si));
            }
            Some(&c) if c == s[si] => {
                pi += 1;
                si += 1;
            }
            _ => match backtrack {
                Some((bp, bs)) => {
                    // Let the last `*` swallow one more byte and retry.
                    let bs = bs + 1;
                    backtrack = Some((bp, bs));
                    pi = bp;
                    si = bs;
                }
                None => return false,
            },
        }
    }
    while p.get(pi) == Some(&b'*') {
        pi += 1;
    }
    pi == p.len()
}

/// How specific a pattern is. Greater means more specific: a longer literal
/// prefix wins; with equal prefixes, an exact pattern (no `*`) beats a
/// wildcard one (the derived order compares `literal_prefix` first, then
/// `exact`, with `false < true`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Specificity {
    /// Byte length of the text before the first `*` (the whole length when
    /// there is none).
    pub literal_prefix: usize,
    /// `true` when the pattern has no `*` at all.
    pub exact: bool,
}

/// Computes the [`Specificity`] of a pattern.
pub fn specificity(pattern: &str) -> Specificity {
    match pattern.find('*') {
        Some(idx) => Specificity {
            literal_prefix: idx,
            exact: false,
        },
        None => Specificity {
            literal_prefix: pattern.len(),
            exact: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Simple recursive reference matcher (exponential, small inputs only).
    fn reference(p: &[u8], s: &[u8]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some((b'*', rest)) => (0..=s.len()).any(|k| reference(rest, &s[k..])),
            Some((c, rest)) => s.first() == Some(c) && reference(rest, &s[1..]),
        }
    }

    #[test]
    fn validate_accepts_normal_patterns() {
        for p in [
            "/customer/*",
            "/customer/",
            "/customer",
            "/*",
            "/",
            "/a/*/b",
            "/a/*.json",
            "/a/**",
            "/hr/v1/emp/*",
            "/caf%C3%A9/*",
            "/a/.b",
            "/a%20b/*",
        ] {
            assert_eq!(validate(p), Ok(()), "{p}");
        }
    }

    #[test]
    fn validate_refusals() {
        assert_eq!(validate(""), Err(PatternError::Empty));
        assert_eq!(validate("customer/*"), Err(PatternError::NoLeadingSlash));
        assert_eq!(validate("*"), Err(PatternError::NoLeadingSlash));
        let msg = PatternError::NoLeadingSlash.to_string();
        assert!(
            msg.contains("start with '/'") && msg.contains("'/customer/*'"),
            "{msg}"
        );
        assert_eq!(
            validate(&format!("/{}", "a".repeat(MAX_PATTERN_LEN))),
            Err(PatternError::TooLong)
        );
        assert_eq!(
            validate(&format!("/{}", "a".repeat(MAX_PATTERN_LEN - 1))),
            Ok(())
        );
        assert_eq!(validate("/a\0b"), Err(PatternError::ControlChar));
        assert_eq!(validate("/a\nb"), Err(PatternError::ControlChar));
        assert_eq!(validate("/a\x7f"), Err(PatternError::ControlChar));
        assert_eq!(validate("/a?b=*"), Err(PatternError::QueryOrFragment));
        assert_eq!(validate("/a#*"), Err(PatternError::QueryOrFragment));
        assert_eq!(
            validate("/a\\*"),
            Err(PatternError::Unnormalizable(PathError::Backslash))
        );
        assert_eq!(
            validate("/a%2F*"),
            Err(PatternError::Unnormalizable(PathError::EncodedSlash))
        );
        assert_eq!(
            validate("/../*"),
            Err(PatternError::Unnormalizable(PathError::AboveRoot))
        );
        assert_eq!(
            validate("/a/*."),
            Err(PatternError::Unnormalizable(PathError::TrailingDot))
        );
        assert_eq!(
            validate("/a%zz"),
            Err(PatternError::Unnormalizable(PathError::InvalidPercent))
        );
    }

    #[test]
    fn validate_not_normalized_suggests_fix() {
        let cases = [
            ("//customer/*", "/customer/*"),
            ("/customer/./*", "/customer/*"),
            ("/x/../customer/*", "/customer/*"),
            ("/%41/*", "/A/*"),
            ("/caf%c3%a9/*", "/caf%C3%A9/*"),
            ("/a/*/..", "/a/"),
            ("/a/*/../b", "/a/b"),
        ];
        for (p, want) in cases {
            match validate(p) {
                Err(PatternError::NotNormalized { normalized }) => {
                    assert_eq!(normalized, want, "{p}");
                    let e = PatternError::NotNormalized { normalized };
                    assert!(e.to_string().contains(want));
                }
                other => panic!("{p}: {other:?}"),
            }
        }
    }

    #[test]
    fn validate_refuses_encoded_asterisk_and_encodes_non_ascii() {
        assert_eq!(validate("/a%2A/*"), Err(PatternError::EncodedAsterisk));
        assert_eq!(validate("/a%2a/*"), Err(PatternError::EncodedAsterisk));
        assert_eq!(
            validate("/café/*"),
            Err(PatternError::NotNormalized {
                normalized: "/caf%C3%A9/*".into()
            })
        );
        assert_eq!(validate("/caf%C3%A9/*"), Ok(()));
    }

    #[test]
    fn matching_basics() {
        assert!(matches("/customer/*", "/customer/1"));
        assert!(matches("/customer/*", "/customer/"));
        assert!(matches("/customer/*", "/customer/1/orders"));
        assert!(!matches("/customer/*", "/customer"));
        assert!(!matches("/customer/*", "/Customer/1"));
        assert!(matches("/customer", "/customer"));
        assert!(!matches("/customer", "/customer/"));
        assert!(matches("/*", "/"));
        assert!(matches("*", ""));
        assert!(matches("*", "/anything/at/all"));
        assert!(matches("**", "x"));
        assert!(matches("/a/*/c", "/a/b/c"));
        assert!(matches("/a/*/c", "/a/b/x/c"));
        assert!(!matches("/a/*/c", "/a/b/x/d"));
        assert!(matches("/a/*.json", "/a/x.json"));
        assert!(matches("/a*b*c", "/abbbc"));
        assert!(!matches("/a*b*c", "/abbbd"));
        assert!(matches("", ""));
        assert!(!matches("", "/"));
        assert!(matches("/é*", "/éa"));
    }

    #[test]
    fn matching_is_not_exponential() {
        let pattern = format!("/{}b", "*a".repeat(50));
        let path = format!("/{}", "a".repeat(4000));
        let start = std::time::Instant::now();
        assert!(!matches(&pattern, &path));
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn specificity_rules() {
        assert_eq!(
            specificity("/customer/*"),
            Specificity {
                literal_prefix: 10,
                exact: false
            }
        );
        assert_eq!(
            specificity("/customer/1"),
            Specificity {
                literal_prefix: 11,
                exact: true
            }
        );
        assert_eq!(
            specificity("*"),
            Specificity {
                literal_prefix: 0,
                exact: false
            }
        );
        assert!(specificity("/customer/*") > specificity("/*"));
        assert!(specificity("/customer/") > specificity("/customer/*"));
        assert!(specificity("/a/*/b") < specificity("/a/b*"));
    }

    fn small(alpha: &'static str, max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(alpha.chars().collect::<Vec<_>>()),
            0..max,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::fuzz_cases(1000)))]

        #[test]
        fn agrees_with_reference(p in small("ab/*", 8), s in small("ab/*", 10)) {
            prop_assert_eq!(matches(&p, &s), reference(p.as_bytes(), s.as_bytes()));
        }

        #[test]
        fn star_only_matches_everything(n in 1usize..4, s in any::<String>()) {
            prop_assert!(matches(&"*".repeat(n), &s));
        }

        #[test]
        fn literal_pattern_matches_only_itself(p in "/[a-z/]{0,10}", s in "/[a-z/]{0,10}") {
            prop_assert_eq!(matches(&p, &s), p == s);
        }

        #[test]
        fn prefix_star_matches_extensions(p in "/[a-z/]{0,10}", tail in any::<String>()) {
            let pat = format!("{p}*");
            let path = format!("{p}{tail}");
            prop_assert!(matches(&pat, &path));
        }

        #[test]
        fn validate_never_panics(s in any::<String>()) {
            let _ = validate(&s);
            let _ = specificity(&s);
        }

        #[test]
        fn validated_literal_pattern_is_normalized(s in "/[a-z./%*]{0,12}") {
            if validate(&s).is_ok() && !s.contains('*') {
                prop_assert_eq!(crate::paths::normalize(&s), Ok(s.clone()));
            }
        }
    }
}
