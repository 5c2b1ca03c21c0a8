//! The module handlers that can serve a path, and their fingerprint.
//!
//! The gateway keeps the handler rows it has read (`ords.gateway_handlers`) and runs a request
//! against them in one round trip; `ords.gateway_gate`, in the handler's transaction, computes
//! the fingerprint of the rows the catalog holds now for the same alias and path and refuses
//! the request when it differs, so a handler that was changed or dropped is never run from a
//! stale copy (docs/gateway.md, "One round trip"). Both sides compute the fingerprint here.

use sha2::{Digest, Sha256};

/// One row of `ords.gateway_handlers`: a template of a published module of the alias, with
/// one of its handlers (`method` None: a template without handlers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandlerRow {
    /// The schema (role) that owns the module.
    pub parsing_schema: String,
    /// The module's base path, e.g. `hr/`.
    pub uri_prefix: String,
    /// The module's items per page.
    pub module_items_per_page: i32,
    /// The template, e.g. `employees/:id`.
    pub uri_template: String,
    /// The template's priority.
    pub priority: i32,
    /// The handler's method, or None for a template without handlers.
    pub method: Option<String>,
    /// The handler's source type.
    pub source_type: Option<String>,
    /// The handler's source.
    pub source: Option<String>,
    /// The handler's items per page.
    pub handler_items_per_page: Option<i32>,
}

impl HandlerRow {
    /// Whether this row's module can serve `path` (its base path is a prefix of it; the same
    /// test as `ords.gateway_handlers`).
    pub fn serves(&self, path: &str) -> bool {
        path.starts_with(self.uri_prefix.as_str())
    }

    /// An unambiguous encoding: every field length-prefixed, NULL distinct from empty.
    fn encode(&self, out: &mut Vec<u8>) {
        let mut field = |v: Option<&[u8]>| match v {
            None => out.push(0),
            Some(b) => {
                out.push(1);
                out.extend_from_slice(&(b.len() as u64).to_le_bytes());
                out.extend_from_slice(b);
            }
        };
        let mi = self.module_items_per_page.to_le_bytes();
        let pr = self.priority.to_le_bytes();
        let hi = self.handler_items_per_page.map(i32::to_le_bytes);
        field(Some(self.parsing_schema.as_bytes()));
        field(Some(self.uri_prefix.as_bytes()));
        field(Some(&mi));
        field(Some(self.uri_template.as_bytes()));
        field(Some(&pr));
        field(self.method.as_deref().map(str::as_bytes));
        field(self.source_type.as_deref().map(str::as_bytes));
        field(self.source.as_deref().map(str::as_bytes));
        field(hi.as_ref().map(|b| &b[..]));
    }
}

/// The fingerprint of a set of rows (their order does not matter): hex SHA-256 over the sorted
/// encodings of the rows.
pub fn fingerprint<'a>(rows: impl IntoIterator<Item = &'a HandlerRow>) -> String {
    let mut encoded: Vec<Vec<u8>> = rows
        .into_iter()
        .map(|r| {
            let mut v = Vec::new();
            r.encode(&mut v);
            v
        })
        .collect();
    encoded.sort_unstable();
    let mut h = Sha256::new();
    h.update((encoded.len() as u64).to_le_bytes());
    for e in &encoded {
        h.update((e.len() as u64).to_le_bytes());
        h.update(e);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The fingerprint of the rows of `all` (every handler row of one alias) that can serve `path`.
pub fn fingerprint_for(all: &[HandlerRow], path: &str) -> String {
    fingerprint(all.iter().filter(|r| r.serves(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(prefix: &str, template: &str, method: Option<&str>, source: Option<&str>) -> HandlerRow {
        HandlerRow {
            parsing_schema: "hr".into(),
            uri_prefix: prefix.into(),
            module_items_per_page: 25,
            uri_template: template.into(),
            priority: 0,
            method: method.map(Into::into),
            source_type: method.map(|_| "json/item".into()),
            source: source.map(Into::into),
            handler_items_per_page: None,
        }
    }

    #[test]
    fn order_does_not_matter_content_does() {
        let a = row("hr/", "emp/:id", Some("GET"), Some("select 1"));
        let b = row("hr/", "dept/:id", Some("GET"), Some("select 2"));
        assert_eq!(
            fingerprint([&a, &b]),
            fingerprint([&b, &a]),
            "row order must not matter"
        );
        let mut a2 = a.clone();
        a2.source = Some("select 1 ".into());
        assert_ne!(fingerprint([&a, &b]), fingerprint([&a2, &b]), "source");
        let mut a3 = a.clone();
        a3.handler_items_per_page = Some(0);
        assert_ne!(fingerprint([&a]), fingerprint([&a3]), "NULL vs 0");
        let mut a4 = a.clone();
        a4.source = Some(String::new());
        let mut a5 = a.clone();
        a5.source = None;
        assert_ne!(fingerprint([&a4]), fingerprint([&a5]), "NULL vs empty");
        assert_ne!(fingerprint([&a]), fingerprint([&a, &b]), "a row added");
        assert_ne!(
            fingerprint([&a]),
            fingerprint(std::iter::empty()),
            "all dropped"
        );
    }

    #[test]
    fn fields_do_not_run_into_each_other() {
        // "hr/" + "x" and "hr/x" + "" must differ.
        let a = row("hr/", "x", None, None);
        let b = row("hr/x", "", None, None);
        assert_ne!(fingerprint([&a]), fingerprint([&b]));
    }

    #[test]
    fn rows_for_a_path() {
        let all = vec![
            row("hr/", "emp/:id", Some("GET"), Some("s")),
            row("hr/admin/", "x", Some("GET"), Some("t")),
            row("fin/", "y", Some("GET"), Some("u")),
        ];
        assert_eq!(
            fingerprint_for(&all, "hr/emp/1"),
            fingerprint([&all[0]]),
            "only hr/ serves hr/emp/1"
        );
        assert_eq!(
            fingerprint_for(&all, "hr/admin/x"),
            fingerprint([&all[0], &all[1]])
        );
        assert_eq!(
            fingerprint_for(&all, "other"),
            fingerprint(std::iter::empty())
        );
    }
}
