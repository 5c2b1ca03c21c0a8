//! Backend-local caches behind `ords.authorize`: each schema's protection rules, the sessions
//! of the tokens this backend has validated, and what their clients hold.
//!
//! A schema's rules load lazily: a backend's first decisions for a schema read only the rules
//! that can govern their path (those whose literal prefix is a prefix of it), so a new backend
//! answers its first request without reading every rule; after `PATHS_BEFORE_FULL_LOAD`
//! distinct paths it reads them all into a trie (ords_core::decision::RuleSet).
//!
//! Invalidation keeps every immediate-effect rule (docs/decision.md#immediate-effect): the
//! catalog triggers (sql/catalog.sql) call `invalidate_everywhere`, which queues a relcache invalidation of a
//! marker relation. Postgres sends it to every backend at commit (and replays it on hot
//! standbys from the commit record); our relcache callback then bumps a generation counter and
//! the next lookup starts from empty caches. The callback only touches a `Cell`, so it is safe
//! whenever Postgres runs it, including in the middle of an SPI call that loads the cache: a
//! load that saw the generation change while it ran is used once and not kept.
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use ords_core::decision::{self, Rule, RuleSet, Session};
use ords_core::route::HandlerRow;

use crate::catalog::Client;
use pgrx::pg_sys;
use pgrx::prelude::*;

#[derive(Default)]
struct State {
    generation: u64,
    /// pg_ords.max_token_duration when the caches were filled: a JWT session is kept only
    /// under the cap it was verified under (src/jwt_keys.rs refuses a JWT whose lifetime
    /// exceeds it; a lower cap, by SET or a reload, sends no invalidation).
    token_cap: i32,
    schemas: HashMap<String, Rc<Schema>>,
    tokens: HashMap<[u8; 32], Rc<Session>>,
    clients: HashMap<i64, Rc<Client>>,
    /// (schema role, role claim) -> may the schema still name that role (src/bearer.rs).
    role_claims: HashMap<(String, String), Rc<bool>>,
    /// alias -> the module handler rows the gateway serves (src/gateway.rs).
    handlers: HashMap<String, Rc<Vec<HandlerRow>>>,
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
    crate::identity::forget_owner();
    let oid = crate::catalog::marker_relation();
    MARKER.with(|m| m.set(oid.to_u32()));
    oid
}

/// Queue the invalidation that empties every backend's caches at commit.
pub fn invalidate_everywhere() {
    let oid = marker();
    unsafe { pg_sys::CacheInvalidateRelcacheByRelid(oid) };
}

pub fn enabled() -> bool {
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
    let token_cap = crate::settings::MAX_TOKEN_DURATION.get();
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if s.generation != generation || s.token_cap != token_cap {
            s.schemas.clear();
            s.tokens.clear();
            s.clients.clear();
            s.role_claims.clear();
            s.handlers.clear();
            s.generation = generation;
            s.token_cap = token_cap;
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

/// How many distinct paths a backend decides with per-path rule reads before it loads every
/// rule of the schema.
const PATHS_BEFORE_FULL_LOAD: usize = 32;

/// A REST-enabled schema as this backend holds it.
pub struct Schema {
    pub id: i64,
    pub enabled: bool,
    rules: RefCell<Rules>,
}

enum Rules {
    /// The governing rule of each path decided so far (at most PATHS_BEFORE_FULL_LOAD).
    PerPath(HashMap<String, Option<Rc<Rule>>>),
    /// Every rule of the schema.
    All(RuleSet),
}

impl Schema {
    pub fn new(id: i64, enabled: bool) -> Schema {
        Schema {
            id,
            enabled,
            rules: RefCell::new(Rules::PerPath(HashMap::new())),
        }
    }

    /// The rule that governs `path` (normalised), or None when the path is public. A read of
    /// the catalog here sees the latest committed rules (catalog::with_fresh_snapshot); a
    /// schema entry is dropped, with everything it read, at the next invalidation.
    pub fn governing(&self, path: &str) -> Option<Rc<Rule>> {
        let full_load = match &*self.rules.borrow() {
            Rules::All(set) => return set.governing(path).cloned(),
            Rules::PerPath(seen) => match seen.get(path) {
                Some(hit) => return hit.clone(),
                None => seen.len() >= PATHS_BEFORE_FULL_LOAD,
            },
        };
        if full_load {
            let set = RuleSet::new(crate::catalog::load_rules(self.id, None));
            let found = set.governing(path).cloned();
            *self.rules.borrow_mut() = Rules::All(set);
            return found;
        }
        // A new backend finds the governing rule of a path in the shared tier (src/shared.rs)
        // when another backend read it since the last invalidation.
        let found = crate::shared::rule(self.id, path, || {
            let prefixes = decision::path_prefixes(path);
            let set = RuleSet::new(crate::catalog::load_rules(self.id, Some(&prefixes)));
            set.governing(path).map(|r| Rule::clone(r))
        })
        .map(Rc::new);
        if let Rules::PerPath(seen) = &mut *self.rules.borrow_mut() {
            seen.insert(path.to_string(), found.clone());
        }
        found
    }
}

/// A schema by alias; `load` reads its id and status on a miss.
pub fn schema(alias: &str, load: impl FnOnce() -> Option<Schema>) -> Option<Rc<Schema>> {
    cached(&alias.to_string(), |s| &mut s.schemas, 10_000, load)
}

/// The session of a presented token, by the SHA-256 of its text (src/bearer.rs); `load`
/// resolves it on a miss (a cached JWT had its signature verified when it was loaded).
pub fn session(
    presented_hash: &[u8; 32],
    load: impl FnOnce() -> Option<Session>,
) -> Option<Rc<Session>> {
    let cap = usize::try_from(crate::settings::TOKEN_CACHE_SIZE.get()).unwrap_or(0);
    cached(presented_hash, |s| &mut s.tokens, cap, load)
}

/// What the catalog says about a client (src/catalog.rs), by its key: shared by every token
/// of the client, so a token seen for the first time costs one index probe.
pub fn client(pk: i64, load: impl FnOnce() -> Option<Client>) -> Option<Rc<Client>> {
    cached(&pk, |s| &mut s.clients, 100_000, load)
}

/// The module handler rows of a schema alias (src/gateway.rs); `load` reads them on a miss.
pub fn handlers(alias: &str, load: impl FnOnce() -> Vec<HandlerRow>) -> Rc<Vec<HandlerRow>> {
    cached(
        &alias.to_string(),
        |s| &mut s.handlers,
        256,
        || Some(load()),
    )
    .unwrap_or_else(|| Rc::new(Vec::new()))
}

/// May schema role `schema` still name `role` in a JWT role claim (catalog::role_claim_usable)?
/// Role and membership changes bump the generation (on_role_invalidation), so a cached answer
/// never outlives a change: the same guarantee as every cache here, without a query per token.
pub fn role_claim(schema: &str, role: &str, load: impl FnOnce() -> bool) -> bool {
    let key = (schema.to_string(), role.to_string());
    cached(&key, |s| &mut s.role_claims, 10_000, || Some(load())).is_some_and(|v| *v)
}
