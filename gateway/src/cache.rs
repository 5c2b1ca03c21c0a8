//! What the gateway keeps between requests so that a handler request takes one round trip
//! (docs/gateway.md, "One round trip"): the handler rows of each alias it has read, and which
//! handler statements each handler connection has prepared. Neither is trusted for a
//! decision: `ords.gateway_gate` checks the rows against the catalog in the handler's own
//! transaction, and a statement not known to be prepared takes the slower path.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, Weak};

use deadpool_postgres::StatementCache;
use ords_core::route::{self, HandlerRow};
use tokio_postgres::types::Type;

/// Sets of handler rows kept per alias, and aliases kept (beyond, all are dropped).
const MAX_SETS_PER_ALIAS: usize = 64;
const MAX_ALIASES: usize = 1024;

/// The rows `ords.gateway_handlers(alias, path)` returned for some path, with their
/// fingerprint: they are the rows for every other path that all of their modules serve and
/// no other module does (which the gate checks).
pub struct RouteSet {
    pub rows: Vec<HandlerRow>,
    pub fingerprint: String,
    prefixes: Vec<String>,
}

/// The handler rows the gateway has read, per alias.
#[derive(Default)]
pub struct RouteCache {
    sets: Mutex<HashMap<String, Vec<Arc<RouteSet>>>>,
}

impl RouteCache {
    /// The kept set that most likely holds the rows for `path`: among those whose modules all
    /// serve it, the one with the most modules. None: read them (the slow path).
    pub fn lookup(&self, alias: &str, path: &str) -> Option<Arc<RouteSet>> {
        let sets = self.sets.lock().ok()?;
        sets.get(alias)?
            .iter()
            .filter(|s| s.prefixes.iter().all(|p| path.starts_with(p.as_str())))
            .max_by_key(|s| s.prefixes.len())
            .cloned()
    }

    /// Keep the rows read for a path of `alias` (none: nothing to keep).
    pub fn keep(&self, alias: &str, rows: &[HandlerRow]) {
        if rows.is_empty() {
            return;
        }
        let mut prefixes: Vec<String> = rows.iter().map(|r| r.uri_prefix.clone()).collect();
        prefixes.sort();
        prefixes.dedup();
        let set = RouteSet {
            fingerprint: route::fingerprint(rows),
            rows: rows.to_vec(),
            prefixes,
        };
        let Ok(mut sets) = self.sets.lock() else {
            return;
        };
        if !sets.contains_key(alias) && sets.len() >= MAX_ALIASES {
            sets.clear();
        }
        let v = sets.entry(alias.to_string()).or_default();
        // One set per module combination: a newer read replaces an older one.
        v.retain(|s| s.prefixes != set.prefixes);
        if v.len() >= MAX_SETS_PER_ALIAS {
            v.clear();
        }
        v.push(Arc::new(set));
    }

    /// Forget everything kept for `alias` (the gate said the catalog changed).
    pub fn forget(&self, alias: &str) {
        if let Ok(mut sets) = self.sets.lock() {
            sets.remove(alias);
        }
    }
}

/// Which handler statements (SQL and parameter types) each handler connection has prepared
/// in its tenant's role context and still holds in its statement cache. Connections are told
/// apart by their statement cache's allocation, held alive (Weak) while an entry exists, so an
/// entry can never be taken for a newer connection's.
#[derive(Default)]
pub struct Prepared {
    by_conn: Mutex<HashMap<usize, ConnStatements>>,
}

/// One connection's statement cache (held, not kept alive) and the keys of its statements.
type ConnStatements = (Weak<StatementCache>, HashSet<u64>);

fn statement_key(sql: &str, types: &[Type]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    sql.hash(&mut h);
    for t in types {
        t.oid().hash(&mut h);
    }
    h.finish()
}

impl Prepared {
    fn conn_key(cache: &Arc<StatementCache>) -> usize {
        Arc::as_ptr(cache) as usize
    }

    /// Whether this connection has `sql` with `types` prepared (its statement cache holds it).
    pub fn has(&self, cache: &Arc<StatementCache>, sql: &str, types: &[Type]) -> bool {
        let Ok(m) = self.by_conn.lock() else {
            return false;
        };
        m.get(&Self::conn_key(cache)).is_some_and(|(w, set)| {
            w.upgrade().is_some_and(|a| Arc::ptr_eq(&a, cache))
                && set.contains(&statement_key(sql, types))
        })
    }

    /// Record that this connection prepared `sql` with `types` (in the tenant's context).
    pub fn add(&self, cache: &Arc<StatementCache>, sql: &str, types: &[Type]) {
        let Ok(mut m) = self.by_conn.lock() else {
            return;
        };
        if m.len() > 4096 {
            m.retain(|_, (w, _)| w.strong_count() > 0);
        }
        let e = m
            .entry(Self::conn_key(cache))
            .or_insert_with(|| (Arc::downgrade(cache), HashSet::new()));
        if !e.0.upgrade().is_some_and(|a| Arc::ptr_eq(&a, cache)) {
            *e = (Arc::downgrade(cache), HashSet::new());
        }
        e.1.insert(statement_key(sql, types));
    }

    /// This connection's statement cache was cleared: it holds nothing any more.
    pub fn forget(&self, cache: &Arc<StatementCache>) {
        if let Ok(mut m) = self.by_conn.lock() {
            m.remove(&Self::conn_key(cache));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(prefix: &str, template: &str) -> HandlerRow {
        HandlerRow {
            parsing_schema: "hr".into(),
            uri_prefix: prefix.into(),
            module_items_per_page: 25,
            uri_template: template.into(),
            priority: 0,
            method: Some("GET".into()),
            source_type: Some("json/item".into()),
            source: Some("select 1".into()),
            handler_items_per_page: None,
        }
    }

    #[test]
    fn the_set_with_most_serving_modules_wins() {
        let c = RouteCache::default();
        c.keep("a", &[row("/hr/", "emp/:id")]);
        c.keep("a", &[row("/hr/", "emp/:id"), row("/hr/admin/", "x")]);
        assert_eq!(c.lookup("a", "/hr/emp/7").map(|s| s.rows.len()), Some(1));
        assert_eq!(c.lookup("a", "/hr/admin/x").map(|s| s.rows.len()), Some(2));
        assert!(c.lookup("a", "/fin/x").is_none());
        assert!(c.lookup("b", "/hr/emp/7").is_none(), "per alias");
        c.forget("a");
        assert!(c.lookup("a", "/hr/emp/7").is_none());
    }
}
