//! Backend-local caches behind `ords.authorize`: each schema's protection rules (and the rule
//! that governs each path seen), and the tokens this backend has validated.
//!
//! Invalidation keeps every immediate-effect rule of CONTRACT §5: the catalog triggers
//! (sql/triggers.sql) call `invalidate_everywhere`, which queues a relcache invalidation of a
//! marker relation. Postgres sends it to every backend at commit (and replays it on hot
//! standbys from the commit record); our relcache callback then bumps a generation counter and
//! the next lookup starts from empty caches. The callback only touches a `Cell`, so it is safe
//! whenever Postgres runs it, including in the middle of an SPI call that loads the cache: a
//! load that saw the generation change while it ran is used once and not kept.
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use ords_core::patterns::{self, Specificity};
use pgrx::pg_sys;
use pgrx::prelude::*;

/// One protection rule of a schema: a mapped pattern, or a protected module as `<base>*`.
pub struct Rule {
    pub pattern: String,
    pub spec: Specificity,
    pub from_module: bool,
    pub privilege_name: String,
    pub role_ids: Vec<i64>,
    /// The same roles by name: Basic users hold the ones named like their Postgres roles.
    pub role_names: Vec<String>,
}

pub struct SchemaInfo {
    pub id: i64,
    pub enabled: bool,
    /// Most specific first: the first rule that matches a path governs it.
    pub rules: Vec<Rule>,
    /// Path → index of the governing rule (None: public). Bounded in bytes (DECISION_BYTES).
    pub decisions: RefCell<HashMap<String, Option<usize>>>,
    /// Bytes of the paths held in `decisions`.
    pub decision_bytes: Cell<usize>,
}

/// The most path bytes one schema's decision cache keeps (paths are attacker-chosen, up to
/// several KB each, and need no authentication): 1 MiB, then it starts again from empty.
const DECISION_BYTES: usize = 1 << 20;

impl SchemaInfo {
    pub fn new(id: i64, enabled: bool, mut rules: Vec<Rule>) -> SchemaInfo {
        // More specific first; on a tie a URI pattern mapping before a module, then by privilege
        // name, so the choice never depends on catalog order.
        rules.sort_by(|a, b| {
            b.spec
                .cmp(&a.spec)
                .then(a.from_module.cmp(&b.from_module))
                .then(a.privilege_name.cmp(&b.privilege_name))
                .then(a.pattern.cmp(&b.pattern))
        });
        SchemaInfo {
            id,
            enabled,
            rules,
            decisions: RefCell::new(HashMap::new()),
            decision_bytes: Cell::new(0),
        }
    }

    /// The rule that governs `path` (already normalised), or None when the path is public.
    pub fn governing_rule(&self, path: &str) -> Option<&Rule> {
        if let Some(hit) = self.decisions.borrow().get(path) {
            return hit.map(|i| &self.rules[i]);
        }
        let found = self
            .rules
            .iter()
            .position(|r| patterns::matches(&r.pattern, path));
        let mut d = self.decisions.borrow_mut();
        let cost = path.len() + 64; // the key, and the map's own overhead per entry
        if self.decision_bytes.get() + cost > DECISION_BYTES {
            d.clear();
            self.decision_bytes.set(0);
        }
        if cost <= DECISION_BYTES {
            d.insert(path.to_string(), found);
            self.decision_bytes.set(self.decision_bytes.get() + cost);
        }
        found.map(|i| &self.rules[i])
    }
}

pub struct TokenInfo {
    pub client_id: String,
    pub client_name: String,
    pub schema_id: i64,
    pub role_ids: Vec<i64>,
    /// Unix time in microseconds.
    pub expires_at_us: i64,
}

#[derive(Default)]
struct State {
    generation: u64,
    schemas: HashMap<String, Rc<SchemaInfo>>,
    tokens: HashMap<[u8; 32], Rc<TokenInfo>>,
}

thread_local! {
    static GENERATION: Cell<u64> = const { Cell::new(0) };
    static MARKER: Cell<u32> = const { Cell::new(0) };
    static RECHECK: Cell<bool> = const { Cell::new(false) };
    static STATE: RefCell<State> = RefCell::new(State::default());
}

#[pg_guard]
unsafe extern "C-unwind" fn on_relcache_invalidation(_arg: pg_sys::Datum, relid: pg_sys::Oid) {
    let marker = MARKER.with(|m| m.get());
    if relid == pg_sys::InvalidOid || relid.to_u32() == marker {
        GENERATION.with(|g| g.set(g.get().wrapping_add(1)));
        // Look the marker relation (and the extension's owner) up again before the next
        // decision: after DROP and CREATE EXTENSION they have new oids. The old oid stays
        // in MARKER meanwhile, so no invalidation is ignored while the check is pending.
        RECHECK.with(|r| r.set(true));
    }
}

/// A role was created, changed (e.g. made superuser) or dropped, or a membership granted or
/// revoked: JWT role claims and HTTP Basic memberships may decide differently now.
#[pg_guard]
unsafe extern "C-unwind" fn on_role_invalidation(
    _arg: pg_sys::Datum,
    _cacheid: std::ffi::c_int,
    _hash: u32,
) {
    GENERATION.with(|g| g.set(g.get().wrapping_add(1)));
}

pub fn init() {
    unsafe {
        pg_sys::CacheRegisterRelcacheCallback(
            Some(on_relcache_invalidation),
            pg_sys::Datum::from(0usize),
        );
        for cache in [
            pg_sys::SysCacheIdentifier::AUTHOID,
            pg_sys::SysCacheIdentifier::AUTHMEMMEMROLE,
        ] {
            pg_sys::CacheRegisterSyscacheCallback(
                cache as std::ffi::c_int,
                Some(on_role_invalidation),
                pg_sys::Datum::from(0usize),
            );
        }
    }
}

fn marker() -> pg_sys::Oid {
    let known = MARKER.with(|m| m.get());
    if known != 0 && !RECHECK.with(|r| r.get()) {
        return pg_sys::Oid::from(known);
    }
    RECHECK.with(|r| r.set(false));
    crate::catalog::forget_owner();
    let oid = crate::catalog::marker_relation();
    MARKER.with(|m| m.set(oid.to_u32()));
    oid
}

/// Queue the invalidation that empties every backend's caches at commit.
pub fn invalidate_everywhere() {
    let oid = marker();
    unsafe { pg_sys::CacheInvalidateRelcacheByRelid(oid) };
}

fn enabled() -> bool {
    crate::settings::TOKEN_CACHE.get()
}

fn current_generation() -> u64 {
    GENERATION.with(|g| g.get())
}

/// The invalidation generation, for other backend-local caches (after making sure the marker
/// relation is known, so no invalidation can be missed).
pub fn generation_now() -> u64 {
    marker();
    current_generation()
}

/// Drop everything if an invalidation arrived since the caches were filled. Pending
/// invalidations are read first (cheap when there are none), so even inside a long
/// transaction a decision sees every change committed before it started.
fn sync() {
    unsafe { pg_sys::AcceptInvalidationMessages() };
    let generation = current_generation();
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if s.generation != generation {
            s.schemas.clear();
            s.tokens.clear();
            s.generation = generation;
        }
    });
}

/// Look up `key` in the cache chosen by `pick`, loading it with `load` on a miss. A loaded
/// value is kept only when no invalidation arrived while it was being read.
fn cached<K, V>(
    key: &K,
    pick: fn(&mut State) -> &mut HashMap<K, Rc<V>>,
    cap: usize,
    load: impl FnOnce() -> Option<V>,
) -> Option<Rc<V>>
where
    K: std::hash::Hash + Eq + Clone,
{
    if !enabled() {
        return load().map(Rc::new);
    }
    // The marker first (its lookup may itself read invalidations), then the generation check,
    // then the lookup: nothing read from the cache predates an invalidation already received.
    marker();
    sync();
    if let Some(v) = STATE.with(|s| pick(&mut s.borrow_mut()).get(key).cloned()) {
        return Some(v);
    }
    let before = current_generation();
    let value = Rc::new(load()?);
    // Keep it only if no invalidation arrived while loading. Loads read the latest snapshot
    // (catalog::with_fresh_snapshot), newer than every invalidation processed so far, in
    // every isolation level.
    if current_generation() == before {
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            let map = pick(&mut s);
            if map.len() >= cap {
                map.clear();
            }
            if cap > 0 {
                map.insert(key.clone(), value.clone());
            }
        });
    }
    Some(value)
}

pub fn schema(alias: &str) -> Option<Rc<SchemaInfo>> {
    cached(
        &alias.to_string(),
        |s| &mut s.schemas,
        10_000,
        || crate::catalog::load_schema(alias),
    )
}

/// The token presented (opaque or JWT), cached under the SHA-256 of its text: a cached JWT
/// had its signature verified when it was loaded.
pub fn token(presented: &str) -> Option<Rc<TokenInfo>> {
    let cap = usize::try_from(crate::settings::TOKEN_CACHE_SIZE.get()).unwrap_or(0);
    let key = ords_core::secrets::token_hash(presented);
    cached(&key, |s| &mut s.tokens, cap, || load_presented(presented))
}

/// Resolve a presented token to its session: an opaque token by its hash; a JWT by verifying
/// it and looking up its jti (and its subject must be the session's client).
pub fn load_presented(presented: &str) -> Option<TokenInfo> {
    if ords_core::jwt::looks_like_jwt(presented) {
        let (sub, jti) = crate::jwt_keys::verify(presented)?;
        crate::catalog::load_token(&crate::jwt_keys::session_key(&jti))
            .filter(|t| t.client_id == sub)
    } else {
        crate::catalog::load_token(&ords_core::secrets::token_hash(presented))
    }
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    /// Unauthenticated callers choose the paths: 50,000 distinct 4 KB paths (200 MB of keys)
    /// leave at most DECISION_BYTES in one schema's decision cache, and decisions stay right.
    #[pg_test]
    fn decision_cache_is_bounded_in_bytes() {
        let rule = |pattern: &str| Rule {
            pattern: pattern.to_string(),
            spec: patterns::specificity(pattern),
            from_module: false,
            privilege_name: "p".into(),
            role_ids: vec![1],
            role_names: vec!["r".into()],
        };
        let info = SchemaInfo::new(1, true, vec![rule("/items/*")]);
        let filler = "x".repeat(4096);
        for i in 0..50_000 {
            let path = format!("/other/{i}/{filler}");
            assert!(info.governing_rule(&path).is_none());
            assert!(info.decision_bytes.get() <= DECISION_BYTES);
        }
        assert!(info.governing_rule("/items/1").is_some());
        let held: usize = info.decisions.borrow().keys().map(|k| k.len()).sum();
        assert!(held <= DECISION_BYTES, "{held} bytes of paths held");
    }
}
