//! Matching a normalised request path against the module/template URI space of a schema.
//!
//! A resource's full pattern is `<module uri_prefix><template uri_template>`, e.g.
//! `/customers/` + `validation/:id`. Segments are compared one by one, case-sensitively;
//! a template segment `:name` (or `{name}`) matches any non-empty request segment and binds
//! it to `name` (still percent-encoded: `decode_segment` decodes it strictly).

use percent_encoding::percent_decode_str;

/// One handler row read from the catalog (a template with no handler has `method` None).
pub use ords_core::route::HandlerRow as CatalogRow;

/// The outcome of matching a path and a method.
#[derive(Debug)]
pub enum Match {
    /// A template matched and has a handler for the method.
    Handler {
        row: CatalogRow,
        binds: Vec<(String, String)>,
    },
    /// A template matched but has no handler for the method; the methods it has.
    MethodNotAllowed(Vec<String>),
    /// No template matches.
    None,
}

fn bind_name(seg: &str) -> Option<&str> {
    if let Some(n) = seg.strip_prefix(':')
        && !n.is_empty()
    {
        return Some(n);
    }
    if seg.len() > 2 && seg.starts_with('{') && seg.ends_with('}') {
        return Some(&seg[1..seg.len() - 1]);
    }
    None
}

/// The pattern `/customers/validation/:id` in the same normal form as request paths.
pub fn full_pattern(uri_prefix: &str, uri_template: &str) -> String {
    // `{name}` is written `:name` first: normalisation would percent-encode the braces.
    let template: Vec<String> = uri_template
        .split('/')
        .map(|seg| match bind_name(seg) {
            Some(n) => format!(":{n}"),
            None => seg.to_string(),
        })
        .collect();
    let raw = format!("{uri_prefix}{}", template.join("/"));
    ords_core::paths::normalize(&raw).unwrap_or(raw)
}

/// Matches one full pattern against a normalised path: the binds, or None. The second value
/// is the number of literal segments (more literals = more specific).
pub fn match_pattern(pattern: &str, path: &str) -> Option<(Vec<(String, String)>, usize)> {
    let ps: Vec<&str> = pattern.split('/').collect();
    let rs: Vec<&str> = path.split('/').collect();
    if ps.len() != rs.len() {
        return None;
    }
    let mut binds = Vec::new();
    let mut literals = 0;
    for (p, r) in ps.iter().zip(rs.iter()) {
        match bind_name(p) {
            Some(name) => {
                if r.is_empty() {
                    return None;
                }
                binds.push((name.to_string(), r.to_string()));
            }
            None => {
                if p != r {
                    return None;
                }
                literals += 1;
            }
        }
    }
    Some((binds, literals))
}

/// A bound path segment, percent-decoded: UTF-8 without NUL, or Err (a 400). Never a lossy
/// U+FFFD substitution.
pub fn decode_segment(raw: &str) -> Result<String, ()> {
    let bytes: Vec<u8> = percent_decode_str(raw).collect();
    let t = String::from_utf8(bytes).map_err(|_| ())?;
    if t.contains('\0') {
        return Err(());
    }
    Ok(t)
}

/// Chooses the handler for `method` on `path` among the catalog rows of one schema: the most
/// specific template (most literal segments, then highest priority, then longest prefix).
pub fn select(rows: &[CatalogRow], path: &str, method: &str) -> Match {
    // Best template so far: its rank (literals, priority, prefix length), key and binds.
    type Rank = (usize, i32, usize);
    type Key = (String, String);
    type Binds = Vec<(String, String)>;
    let mut best: Option<(Rank, Key, Binds)> = None;
    for row in rows {
        let pattern = full_pattern(&row.uri_prefix, &row.uri_template);
        if let Some((binds, literals)) = match_pattern(&pattern, path) {
            let key = (row.uri_prefix.clone(), row.uri_template.clone());
            let rank = (literals, row.priority, row.uri_prefix.len());
            let better = match &best {
                None => true,
                Some((r, k, _)) => rank > *r || (rank == *r && key < *k),
            };
            if better {
                best = Some((rank, key, binds));
            }
        }
    }
    let Some((_, key, binds)) = best else {
        return Match::None;
    };
    let of_template: Vec<&CatalogRow> = rows
        .iter()
        .filter(|r| r.uri_prefix == key.0 && r.uri_template == key.1)
        .collect();
    for row in &of_template {
        // Methods are case-sensitive (the catalog stores them upper-case).
        if row.method.as_deref() == Some(method) {
            return Match::Handler {
                row: (*row).clone(),
                binds,
            };
        }
    }
    let mut allowed: Vec<String> = of_template
        .iter()
        .filter_map(|r| r.method.clone())
        .collect();
    allowed.sort();
    allowed.dedup();
    Match::MethodNotAllowed(allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(prefix: &str, template: &str, method: &str) -> CatalogRow {
        CatalogRow {
            parsing_schema: "page".into(),
            uri_prefix: prefix.into(),
            module_items_per_page: 25,
            uri_template: template.into(),
            priority: 0,
            method: Some(method.into()),
            source_type: Some("json/collection".into()),
            source: Some("select 1".into()),
            handler_items_per_page: None,
        }
    }

    #[test]
    fn binds_a_segment() {
        let rows = vec![row("/customers/", "validation/:id", "GET")];
        match select(&rows, "/customers/validation/1", "GET") {
            Match::Handler { binds, .. } => {
                assert_eq!(binds, vec![("id".to_string(), "1".to_string())])
            }
            m => panic!("{m:?}"),
        }
        assert!(matches!(
            select(&rows, "/customers/validation/", "GET"),
            Match::None
        ));
        assert!(matches!(
            select(&rows, "/customers/validation/1/x", "GET"),
            Match::None
        ));
        assert!(matches!(
            select(&rows, "/Customers/validation/1", "GET"),
            Match::None
        ));
    }

    #[test]
    fn wrong_method() {
        let rows = vec![row("/customers/", "validation/:id", "GET")];
        match select(&rows, "/customers/validation/1", "DELETE") {
            Match::MethodNotAllowed(m) => assert_eq!(m, vec!["GET".to_string()]),
            m => panic!("{m:?}"),
        }
    }

    #[test]
    fn literal_beats_bind() {
        let rows = vec![row("/c/", ":id", "GET"), row("/c/", "all", "GET")];
        match select(&rows, "/c/all", "GET") {
            Match::Handler { row, binds } => {
                assert_eq!(row.uri_template, "all");
                assert!(binds.is_empty());
            }
            m => panic!("{m:?}"),
        }
    }

    #[test]
    fn empty_template_is_the_base_path() {
        let rows = vec![row("/public/", "", "GET")];
        assert!(matches!(
            select(&rows, "/public/", "GET"),
            Match::Handler { .. }
        ));
        assert!(matches!(select(&rows, "/public", "GET"), Match::None));
    }

    #[test]
    fn bind_values_are_percent_decoded_strictly() {
        let rows = vec![row("/c/", "{name}", "GET")];
        match select(&rows, "/c/caf%C3%A9", "GET") {
            Match::Handler { binds, .. } => {
                assert_eq!(decode_segment(&binds[0].1), Ok("café".to_string()))
            }
            m => panic!("{m:?}"),
        }
        assert_eq!(decode_segment("%FF"), Err(()));
        assert_eq!(decode_segment("%C3%28"), Err(()));
        assert_eq!(decode_segment("a%00b"), Err(()));
    }

    #[test]
    fn methods_are_case_sensitive() {
        let rows = vec![row("/c/", "x", "GET")];
        assert!(matches!(
            select(&rows, "/c/x", "get"),
            Match::MethodNotAllowed(_)
        ));
        assert!(matches!(
            select(&rows, "/c/x", "GET"),
            Match::Handler { .. }
        ));
    }
}
