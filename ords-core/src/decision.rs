//! The access decision model (docs/decision.md): a schema's protection rules, the rule that
//! governs a path, and the outcome for a caller.
//!
//! A **rule** is a URI pattern a privilege protects: a privilege mapping
//! (`ords.create_privilege_mapping`), or a protected module (`ords.set_module_privilege`), which
//! protects `<module base path>*`. The **governing rule** of a path is the most specific rule
//! whose pattern matches it ([`precedence`]); a path no rule matches is public. The **outcome**
//! for a caller follows from the governing rule and what the caller proved:
//!
//! | governing rule | caller                                              | outcome        |
//! |----------------|-----------------------------------------------------|----------------|
//! | none           | anyone                                              | `Public`       |
//! | some           | no credentials, unknown/expired/other-schema token  | `Unauthorized` |
//! | some           | a live token of this schema without a required role | `Forbidden`    |
//! | some           | a live token of this schema with a required role    | `Allowed`      |
//!
//! (HTTP Basic users are decided the same way with Postgres role memberships; see
//! [`basic_outcome`].) Everything here is pure: the extension loads the rules and the token's
//! session from the catalog and caches them (src/cache.rs).
use std::cmp::Ordering;
use std::rc::Rc;

use crate::patterns::{self, Specificity};

/// One protection rule of a schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The URI pattern (a mapping's pattern, or a module's base path followed by `*`).
    pub pattern: String,
    /// `true` for a protected module, `false` for a privilege mapping.
    pub from_module: bool,
    /// The privilege that protects the pattern.
    pub privilege_name: String,
    /// The ORDS roles (catalog ids) of the privilege: a token needs one of them.
    pub role_ids: Vec<i64>,
    /// The same roles by name: HTTP Basic users need membership in a Postgres role of one of
    /// these names.
    pub role_names: Vec<String>,
    spec: Specificity,
}

impl Rule {
    /// A rule for `pattern`, protected by `privilege_name` with its roles.
    pub fn new(
        pattern: String,
        from_module: bool,
        privilege_name: String,
        role_ids: Vec<i64>,
        role_names: Vec<String>,
    ) -> Rule {
        Rule {
            spec: patterns::specificity(&pattern),
            pattern,
            from_module,
            privilege_name,
            role_ids,
            role_names,
        }
    }
}

/// Which of two rules wins when both match a path (`Less` means `a` wins): the more specific
/// pattern ([`Specificity`]: longer literal prefix, then exact before wildcard); on a tie a
/// privilege mapping before a protected module; then the smaller privilege name; then the
/// smaller pattern. A total order on distinct rules, so the choice never depends on catalog
/// order.
pub fn precedence(a: &Rule, b: &Rule) -> Ordering {
    b.spec
        .cmp(&a.spec)
        .then(a.from_module.cmp(&b.from_module))
        .then(a.privilege_name.cmp(&b.privilege_name))
        .then(a.pattern.cmp(&b.pattern))
}

/// A schema's rules in precedence order, indexed by literal prefix (the text before a
/// pattern's first `*`) in a byte trie. Finding the governing rule of a path walks the path's
/// bytes down the trie once and tries, deepest node first, only the rules whose literal prefix
/// is a prefix of the path: no scan of every pattern, however many rules there are, and no
/// per-path state (so no memory an unauthenticated caller can fill with paths).
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rc<Rule>>,
    nodes: Vec<Node>,
}

#[derive(Debug, Default)]
struct Node {
    /// (next byte, node index), unsorted: most nodes have one child.
    children: Vec<(u8, u32)>,
    /// Rules whose literal prefix ends here, in precedence order.
    rules: Vec<u32>,
}

impl RuleSet {
    /// The rule set of `rules`, in any order.
    pub fn new(mut rules: Vec<Rule>) -> RuleSet {
        rules.sort_by(precedence);
        let mut nodes = vec![Node::default()];
        for (i, rule) in rules.iter().enumerate() {
            let mut at = 0usize;
            for &b in literal_prefix(&rule.pattern) {
                at = match nodes[at].children.iter().find(|(c, _)| *c == b) {
                    Some(&(_, n)) => n as usize,
                    None => {
                        nodes.push(Node::default());
                        let n = nodes.len() - 1;
                        nodes[at].children.push((b, n as u32));
                        n
                    }
                };
            }
            nodes[at].rules.push(i as u32);
        }
        RuleSet {
            rules: rules.into_iter().map(Rc::new).collect(),
            nodes,
        }
    }

    /// The rules, most specific first.
    pub fn rules(&self) -> &[Rc<Rule>] {
        &self.rules
    }

    /// The rule that governs `path` (already normalised), or `None` when the path is public.
    pub fn governing(&self, path: &str) -> Option<&Rc<Rule>> {
        // The nodes on the path's way down: node k holds the rules whose literal prefix is the
        // path's first k bytes. A deeper node means a longer literal prefix, which takes
        // precedence whatever else differs; within a node the rules are in precedence order.
        let mut trail = Vec::with_capacity(16);
        let mut at = 0usize;
        trail.push(at);
        for &b in path.as_bytes() {
            match self.nodes[at].children.iter().find(|(c, _)| *c == b) {
                Some(&(_, n)) => {
                    at = n as usize;
                    trail.push(at);
                }
                None => break,
            }
        }
        trail.iter().rev().find_map(|&n| {
            self.nodes[n]
                .rules
                .iter()
                .map(|&i| &self.rules[i as usize])
                .find(|r| patterns::matches(&r.pattern, path))
        })
    }
}

/// Every literal prefix a rule governing `path` can have: the path's prefixes (at character
/// boundaries, at most `patterns::MAX_PATTERN_LEN` bytes), shortest first. A catalog read of
/// the rules whose literal prefix is one of these finds every rule that can govern `path`.
pub fn path_prefixes(path: &str) -> Vec<&str> {
    path.char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .take_while(|&end| end <= patterns::MAX_PATTERN_LEN)
        .map(|end| &path[..end])
        .collect()
}

/// The text before a pattern's first `*` (all of it when there is none).
fn literal_prefix(pattern: &str) -> &[u8] {
    let b = pattern.as_bytes();
    &b[..b.iter().position(|&c| c == b'*').unwrap_or(b.len())]
}

/// A live access token's session as the catalog holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The OAuth client_id of the client the token was issued to.
    pub client_id: String,
    /// The client's name (unique within its schema).
    pub client_name: String,
    /// The catalog id of the client's schema.
    pub schema_id: i64,
    /// The ORDS roles (catalog ids) granted to the client now.
    pub role_ids: Vec<i64>,
    /// Expiry, Unix time in microseconds.
    pub expires_at_us: i64,
}

/// The outcome of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No rule governs the path.
    Public,
    /// The caller holds a role of the governing rule's privilege.
    Allowed,
    /// No valid credentials for this schema (401).
    Unauthorized,
    /// Valid credentials without a required role (403).
    Forbidden,
}

impl Outcome {
    /// The name `ords.authorize` returns.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Public => "public",
            Outcome::Allowed => "allowed",
            Outcome::Unauthorized => "unauthorized",
            Outcome::Forbidden => "forbidden",
        }
    }

    /// The HTTP status an HTTP layer answers with.
    pub fn http_status(self) -> i32 {
        match self {
            Outcome::Public | Outcome::Allowed => 200,
            Outcome::Unauthorized => 401,
            Outcome::Forbidden => 403,
        }
    }
}

/// The outcome for a bearer token on a path governed by `rule` of schema `schema_id`:
/// `session` is the token's session, `None` when the token is unknown, revoked or fails
/// verification.
pub fn bearer_outcome(
    rule: &Rule,
    schema_id: i64,
    session: Option<&Session>,
    now_us: i64,
) -> Outcome {
    match session {
        None => Outcome::Unauthorized,
        Some(s) if s.expires_at_us <= now_us || s.schema_id != schema_id => Outcome::Unauthorized,
        Some(s) if !rule.role_ids.iter().any(|r| s.role_ids.contains(r)) => Outcome::Forbidden,
        Some(_) => Outcome::Allowed,
    }
}

/// The outcome for an HTTP Basic user on a governed path: `None` when the login failed,
/// else whether the user is a member of a Postgres role named like one of the rule's roles.
pub fn basic_outcome(member_of_a_rule_role: Option<bool>) -> Outcome {
    match member_of_a_rule_role {
        None => Outcome::Unauthorized,
        Some(true) => Outcome::Allowed,
        Some(false) => Outcome::Forbidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mapping(pattern: &str, privilege: &str) -> Rule {
        Rule::new(
            pattern.into(),
            false,
            privilege.into(),
            vec![1],
            vec!["r".into()],
        )
    }

    fn module(base: &str, privilege: &str) -> Rule {
        Rule::new(format!("{base}*"), true, privilege.into(), vec![2], vec![])
    }

    fn governing<'a>(set: &'a RuleSet, path: &str) -> Option<&'a str> {
        set.governing(path).map(|r| r.pattern.as_str())
    }

    #[test]
    fn the_most_specific_rule_governs() {
        let set = RuleSet::new(vec![
            mapping("/*", "p1"),
            mapping("/customer/*", "p2"),
            mapping("/customer/1", "p3"),
            mapping("/orders/*", "p4"),
        ]);
        assert_eq!(governing(&set, "/customer/1"), Some("/customer/1"));
        assert_eq!(governing(&set, "/customer/2"), Some("/customer/*"));
        assert_eq!(governing(&set, "/other"), Some("/*"));
        assert_eq!(governing(&set, "/orders/9"), Some("/orders/*"));
        assert_eq!(
            governing(&RuleSet::new(vec![mapping("/x/*", "p")]), "/y"),
            None
        );
        assert_eq!(governing(&RuleSet::new(vec![]), "/y"), None);
    }

    #[test]
    fn on_equal_patterns_a_mapping_beats_a_module_then_the_smaller_privilege_name() {
        // A module /hr/ protects /hr/*; a mapping of the same pattern by another privilege wins.
        let set = RuleSet::new(vec![
            module("/hr/", "a_module_priv"),
            mapping("/hr/*", "z_priv"),
        ]);
        assert_eq!(
            set.governing("/hr/x").map(|r| r.privilege_name.as_str()),
            Some("z_priv")
        );
        // Two modules whose patterns tie: the smaller privilege name.
        let set = RuleSet::new(vec![module("/hr/", "b"), module("/hr/", "a")]);
        assert_eq!(
            set.governing("/hr/x").map(|r| r.privilege_name.as_str()),
            Some("a")
        );
    }

    #[test]
    fn a_longer_literal_prefix_beats_an_exact_pattern_only_by_length() {
        let set = RuleSet::new(vec![mapping("/a/b*", "long"), mapping("/a/", "exact")]);
        // "/a/" is exact but its literal prefix (3) is shorter than "/a/b" (4): not both match.
        assert_eq!(governing(&set, "/a/"), Some("/a/"));
        assert_eq!(governing(&set, "/a/bc"), Some("/a/b*"));
        // Equal literal prefixes: the exact pattern wins.
        let set = RuleSet::new(vec![mapping("/a/b*", "wild"), mapping("/a/b", "exact")]);
        assert_eq!(governing(&set, "/a/b"), Some("/a/b"));
    }

    #[test]
    fn outcomes_follow_the_table() {
        let rule = mapping("/x/*", "p"); // role 1
        let s = |schema_id, role_ids: Vec<i64>, expires_at_us| Session {
            client_id: "c".into(),
            client_name: "n".into(),
            schema_id,
            role_ids,
            expires_at_us,
        };
        let now = 1_000;
        assert_eq!(bearer_outcome(&rule, 7, None, now), Outcome::Unauthorized);
        assert_eq!(
            bearer_outcome(&rule, 7, Some(&s(7, vec![1], now)), now),
            Outcome::Unauthorized
        );
        assert_eq!(
            bearer_outcome(&rule, 7, Some(&s(8, vec![1], now + 1)), now),
            Outcome::Unauthorized
        );
        assert_eq!(
            bearer_outcome(&rule, 7, Some(&s(7, vec![2], now + 1)), now),
            Outcome::Forbidden
        );
        assert_eq!(
            bearer_outcome(&rule, 7, Some(&s(7, vec![], now + 1)), now),
            Outcome::Forbidden
        );
        assert_eq!(
            bearer_outcome(&rule, 7, Some(&s(7, vec![2, 1], now + 1)), now),
            Outcome::Allowed
        );
        assert_eq!(basic_outcome(None), Outcome::Unauthorized);
        assert_eq!(basic_outcome(Some(false)), Outcome::Forbidden);
        assert_eq!(basic_outcome(Some(true)), Outcome::Allowed);
        let statuses: Vec<_> = [
            Outcome::Public,
            Outcome::Allowed,
            Outcome::Unauthorized,
            Outcome::Forbidden,
        ]
        .iter()
        .map(|o| (o.name(), o.http_status()))
        .collect();
        assert_eq!(
            statuses,
            [
                ("public", 200),
                ("allowed", 200),
                ("unauthorized", 401),
                ("forbidden", 403)
            ]
        );
    }

    /// The trie agrees with a plain scan of every rule in precedence order (the definition),
    /// for many rules sharing prefixes, wildcards inside patterns, and long paths.
    #[test]
    fn the_index_agrees_with_a_scan() {
        let mut rules = Vec::new();
        for i in 0..300 {
            rules.push(mapping(&format!("/p{i}/*"), &format!("a{i}")));
            if i % 7 == 0 {
                rules.push(mapping(&format!("/p{i}/x"), "exact"));
                rules.push(module(&format!("/p{i}/"), "m"));
                rules.push(mapping(&format!("/p{i}/*/y"), "inner"));
            }
        }
        rules.push(mapping("/*", "root"));
        let set = RuleSet::new(rules);
        let scan = |path: &str| {
            set.rules()
                .iter()
                .find(|r| patterns::matches(&r.pattern, path))
        };
        let long = format!("/p14/{}", "z".repeat(8192));
        for path in [
            "/p1/a",
            "/p14/x",
            "/p14/q/y",
            "/p14/",
            "/p14",
            "/q",
            "/",
            "/p299/x",
            "/p2990/x",
            long.as_str(),
        ] {
            assert_eq!(set.governing(path), scan(path), "{path}");
        }
    }

    #[test]
    fn the_rules_of_a_path_are_found_by_its_prefixes() {
        assert_eq!(path_prefixes("/a/é"), vec!["/", "/a", "/a/", "/a/é"]);
        assert_eq!(path_prefixes(""), Vec::<&str>::new());
        let long = "/".repeat(5000);
        assert_eq!(path_prefixes(&long).len(), patterns::MAX_PATTERN_LEN);
        // The rules whose literal prefix is a prefix of the path govern it as all rules do.
        let rules: Vec<Rule> = ["/*", "/a/*", "/a/b", "/a/*/c", "/b/*", "/ab*"]
            .iter()
            .map(|p| mapping(p, p))
            .collect();
        let all = RuleSet::new(rules.clone());
        for path in ["/a/b", "/a/x/c", "/ab", "/abc", "/b/1", "/c"] {
            let prefixes = path_prefixes(path);
            let some = RuleSet::new(
                rules
                    .iter()
                    .filter(|r| {
                        prefixes.contains(
                            &std::str::from_utf8(literal_prefix(&r.pattern)).unwrap_or(""),
                        )
                    })
                    .cloned()
                    .collect(),
            );
            assert_eq!(some.governing(path), all.governing(path), "{path}");
        }
    }

    fn small(alphabet: &'static str, max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(alphabet.chars().collect::<Vec<_>>()),
            1..=max,
        )
        .prop_map(|v| format!("/{}", v.into_iter().collect::<String>()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::fuzz_cases(256)))]

        /// The governing rule depends on the rules, never on their order; it is the first
        /// matching rule in precedence order (what the index must find), and no matching rule
        /// takes precedence over it.
        #[test]
        fn the_governing_rule_is_order_independent(
            rules in proptest::collection::vec((small("ab/*", 6), any::<bool>(), 0u8..3), 0..6),
            path in small("ab/", 8),
        ) {
            let make = |v: &[(String, bool, u8)]| RuleSet::new(
                v.iter().map(|(p, m, n)| Rule::new(p.clone(), *m, format!("p{n}"), vec![], vec![])).collect());
            let mut rev = rules.clone();
            rev.reverse();
            let (a, b) = (make(&rules), make(&rev));
            let (ga, gb) = (a.governing(&path).cloned(), b.governing(&path).cloned());
            prop_assert_eq!(&ga, &gb);
            let scan = a.rules().iter().find(|r| patterns::matches(&r.pattern, &path)).cloned();
            prop_assert_eq!(&ga, &scan);
            if let Some(best) = ga {
                prop_assert!(patterns::matches(&best.pattern, &path));
                for r in a.rules() {
                    if patterns::matches(&r.pattern, &path) {
                        prop_assert!(precedence(&best, r) != Ordering::Greater);
                    }
                }
            }
        }
    }
}
