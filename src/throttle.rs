//! Failed authentications, counted per client_id and per HTTP Basic user name (known or not,
//! so the throttle does not reveal which names exist). The rule is `ords_core::throttle`; this
//! file keeps the counters (docs/authentication.md):
//!
//! * Atomic: an attempt is *reserved* under the exclusive lock before the expensive check, and
//!   counts as a failure at once; success settles it (resetting the count), failure keeps it.
//!   So at most pg_ords.failed_attempts_allowed checks of one name are ever in flight or
//!   evaluated within a lock window, across all backends.
//! * Four pools that never evict from each other: client_ids and Basic users, each split into
//!   names that exist (known) and names that do not (unknown). A flood of unknown names can
//!   only evict other unknown names' counters; known counters are evicted only when unlocked
//!   (oldest first), and when every slot a known name may use is locked the attempt is refused
//!   (fail closed). Memory is fixed: (2 x 8192 + 2 x 4096) slots of 24 bytes.
//! * In shared memory when pg_ords is in shared_preload_libraries (one count for the whole
//!   cluster, and failures count even though the failing transaction rolls back), else per
//!   backend (documented as the weaker fallback).
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use ords_core::secrets::token_hash;
use ords_core::throttle::{self, FailState, ThrottleRule};
use pgrx::lwlock::PgLwLock;
use pgrx::prelude::*;
use pgrx::{PGRXSharedMemory, pg_shmem_init};

const KNOWN_SLOTS: usize = 8192;
const UNKNOWN_SLOTS: usize = 4096;
/// Slots a name may occupy (linear probing from its hash).
const PROBE: usize = 16;
/// Most counters one pool keeps per backend when not preloaded.
const LOCAL_MAX: usize = 10_000;

/// What is being authenticated.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An OAuth client_id (oauth.issue_token, the token endpoint).
    Client,
    /// An HTTP Basic user name (ords.authorize with pg_ords.basic_auth on).
    Basic,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
enum Pool {
    ClientKnown,
    ClientUnknown,
    BasicKnown,
    BasicUnknown,
}

impl Pool {
    fn of(kind: Kind, known: bool) -> Pool {
        match (kind, known) {
            (Kind::Client, true) => Pool::ClientKnown,
            (Kind::Client, false) => Pool::ClientUnknown,
            (Kind::Basic, true) => Pool::BasicKnown,
            (Kind::Basic, false) => Pool::BasicUnknown,
        }
    }
    fn known(self) -> bool {
        matches!(self, Pool::ClientKnown | Pool::BasicKnown)
    }
}

#[derive(Copy, Clone, Default)]
struct Slot {
    key: u64,
    state: FailState,
}

#[derive(Copy, Clone)]
pub struct Table {
    /// A random salt made when the server starts: which slots a name lands in cannot be
    /// computed offline, so names cannot be ground to evict a target's counter.
    salt: [u8; 16],
    client_known: [Slot; KNOWN_SLOTS],
    client_unknown: [Slot; UNKNOWN_SLOTS],
    basic_known: [Slot; KNOWN_SLOTS],
    basic_unknown: [Slot; UNKNOWN_SLOTS],
}

impl Table {
    fn pool(&mut self, p: Pool) -> &mut [Slot] {
        match p {
            Pool::ClientKnown => &mut self.client_known,
            Pool::ClientUnknown => &mut self.client_unknown,
            Pool::BasicKnown => &mut self.basic_known,
            Pool::BasicUnknown => &mut self.basic_unknown,
        }
    }
}

impl Default for Table {
    fn default() -> Self {
        let mut salt = [0u8; 16];
        let random = ords_core::secrets::random_token();
        salt.copy_from_slice(&ords_core::secrets::token_hash(&random)[..16]);
        Table {
            salt,
            client_known: [Slot::default(); KNOWN_SLOTS],
            client_unknown: [Slot::default(); UNKNOWN_SLOTS],
            basic_known: [Slot::default(); KNOWN_SLOTS],
            basic_unknown: [Slot::default(); UNKNOWN_SLOTS],
        }
    }
}

unsafe impl PGRXSharedMemory for Table {}

static TABLE: PgLwLock<Table> = unsafe { PgLwLock::new(c"pg_ords_failed_attempts") };
static SHARED: AtomicBool = AtomicBool::new(false);

thread_local! {
    static LOCAL: RefCell<HashMap<Pool, HashMap<u64, FailState>>> = RefCell::new(HashMap::new());
    static LOCAL_SALT: String = ords_core::secrets::random_token();
}

pub fn init() {
    if unsafe { pg_sys::process_shared_preload_libraries_in_progress } {
        pg_shmem_init!(TABLE);
        SHARED.store(true, Ordering::Relaxed);
    }
}

fn key(kind: Kind, name: &str) -> u64 {
    let salt = if SHARED.load(Ordering::Relaxed) {
        let t = TABLE.share();
        t.salt
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    } else {
        LOCAL_SALT.with(|s| s.clone())
    };
    let prefix = match kind {
        Kind::Client => "client",
        Kind::Basic => "basic",
    };
    let h = token_hash(&format!("{salt}:{prefix}:{name}"));
    let k = u64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]);
    k.max(1) // 0 marks an empty slot
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The slot for `k` in a pool: its own, else an empty one, else the unlocked one whose last
/// failure is oldest; in an unknown-name pool, failing those, the oldest locked one (an
/// unknown name can never authenticate, so its lock protects nothing but indistinguishability).
/// `Err(wait)` when a known name finds every slot locked: the caller refuses (fail closed).
fn slot_for(
    slots: &[Slot],
    k: u64,
    known: bool,
    rule: &ThrottleRule,
    now: i64,
) -> Result<usize, i64> {
    let n = slots.len();
    let start = (k % n as u64) as usize;
    let window = || (0..PROBE).map(|i| (start + i) % n);
    if let Some(i) = window().find(|&i| slots[i].key == k) {
        return Ok(i);
    }
    if let Some(i) = window().find(|&i| slots[i].key == 0) {
        return Ok(i);
    }
    let locked = |i: usize| throttle::retry_after(rule, &slots[i].state, now);
    if let Some(i) = window()
        .filter(|&i| locked(i).is_none())
        .min_by_key(|&i| slots[i].state.last_failure)
    {
        return Ok(i);
    }
    if !known && let Some(i) = window().min_by_key(|&i| slots[i].state.last_failure) {
        return Ok(i);
    }
    Err(window().filter_map(locked).min().unwrap_or(1).max(1))
}

/// Runs `f` on the counter of `k` in `pool` (a default one if absent) and stores what it
/// returns, all under the exclusive lock. `reserve` says whether a missing counter may take a
/// slot (a settlement of an evicted counter has nothing to update).
fn update<T>(
    pool: Pool,
    k: u64,
    reserve: bool,
    f: impl FnOnce(&FailState) -> Result<(FailState, T), i64>,
) -> Result<Option<T>, i64> {
    let rule = crate::settings::throttle_rule();
    let now = now();
    if SHARED.load(Ordering::Relaxed) {
        let mut t = TABLE.exclusive();
        let slots = t.pool(pool);
        let idx = match slot_for(slots, k, pool.known(), &rule, now) {
            Ok(i) => i,
            Err(wait) => return if reserve { Err(wait) } else { Ok(None) },
        };
        let current = if slots[idx].key == k {
            slots[idx].state
        } else if reserve {
            FailState::default()
        } else {
            return Ok(None);
        };
        let (next, out) = f(&current)?;
        slots[idx] = if next == FailState::default() {
            Slot::default()
        } else {
            Slot {
                key: k,
                state: next,
            }
        };
        Ok(Some(out))
    } else {
        LOCAL.with(|l| {
            let mut l = l.borrow_mut();
            let m = l.entry(pool).or_default();
            let current = match m.get(&k) {
                Some(s) => *s,
                None if !reserve => return Ok(None),
                None => {
                    if m.len() >= LOCAL_MAX {
                        // Forget unlocked counters; an unknown-name pool forgets all if need be.
                        m.retain(|_, s| throttle::retry_after(&rule, s, now).is_some());
                        if m.len() >= LOCAL_MAX {
                            if pool.known() {
                                return Err(1);
                            }
                            m.clear();
                        }
                    }
                    FailState::default()
                }
            };
            let (next, out) = f(&current)?;
            if next == FailState::default() {
                m.remove(&k);
            } else {
                m.insert(k, next);
            }
            Ok(Some(out))
        })
    }
}

/// An attempt reserved by [`reserve`]: it already counts as a failure. Settle it with
/// [`Reservation::succeeded`] or [`Reservation::failed`]; dropping it (an error during the
/// check) settles it as a failure.
pub struct Reservation {
    pool: Pool,
    key: u64,
    settled: bool,
}

impl Reservation {
    pub fn succeeded(mut self) {
        self.settled = true;
        let _ = update(self.pool, self.key, false, |s| {
            Ok((throttle::settle_success(s), ()))
        });
    }

    pub fn failed(mut self) {
        self.settled = true;
        self.settle_failure();
    }

    fn settle_failure(&self) {
        let now = now();
        let _ = update(self.pool, self.key, false, |s| {
            Ok((throttle::settle_failure(s, now), ()))
        });
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if !self.settled {
            self.settle_failure();
        }
    }
}

/// Reserves one check of `name`'s credentials (`known`: the client_id or role exists), or
/// `Err(seconds)` to wait when it is locked out. Call before verifying anything.
pub fn reserve(kind: Kind, name: &str, known: bool) -> Result<Reservation, i64> {
    let pool = Pool::of(kind, known);
    let k = key(kind, name);
    let rule = crate::settings::throttle_rule();
    let now = now();
    update(pool, k, true, |s| {
        throttle::reserve(&rule, s, now).map(|n| (n, ()))
    })?;
    Ok(Reservation {
        pool,
        key: k,
        settled: false,
    })
}

#[cfg(any(test, feature = "pg_test"))]
#[pgrx::pg_schema]
mod tests {
    use super::*;

    /// Set pg_ords.failed_attempts_allowed for this test's session.
    fn allow(n: u32) {
        if let Err(e) = Spi::run(&format!("SET pg_ords.failed_attempts_allowed = {n}")) {
            panic!("setting pg_ords.failed_attempts_allowed: {e}");
        }
    }

    fn fail(kind: Kind, name: &str, known: bool) -> Result<(), i64> {
        reserve(kind, name, known).map(Reservation::failed)
    }

    /// (failures, pending) of a name's counter, (0, 0) when it has none.
    fn peek(kind: Kind, name: &str, known: bool) -> (u32, u32) {
        let s = update(Pool::of(kind, known), key(kind, name), false, |s| {
            Ok((*s, *s))
        })
        .ok()
        .flatten()
        .unwrap_or_default();
        (s.failures, s.pending)
    }

    /// docs/authentication.md: 50,000 failures of unknown names per kind (straight into the
    /// counters, no verification cost) do not reset a known client_id's or Basic user's count,
    /// and unknown names never find their pool closed.
    #[pgrx::pg_test]
    fn flood_of_unknown_names_keeps_known_counters() {
        assert!(
            SHARED.load(Ordering::Relaxed),
            "the pgrx test server preloads pg_ords"
        );
        allow(5);
        for kind in [Kind::Client, Kind::Basic] {
            for _ in 0..4 {
                assert_eq!(fail(kind, "victim", true), Ok(()));
            }
            assert_eq!(peek(kind, "victim", true), (4, 0));
        }
        allow(1);
        for i in 0..50_000 {
            // Locked after one failure each: the unknown pools fill with locked counters.
            let _ = fail(Kind::Client, &format!("unknown-{i}"), false);
            let _ = fail(Kind::Basic, &format!("nobody-{i}"), false);
        }
        assert!(fail(Kind::Client, "fresh-unknown", false).is_ok());
        assert!(fail(Kind::Basic, "fresh-nobody", false).is_ok());
        for kind in [Kind::Client, Kind::Basic] {
            assert_eq!(
                peek(kind, "victim", true),
                (4, 0),
                "{kind:?} victim's count was reset by the flood"
            );
        }
    }

    /// A reservation counts at once: the sixth concurrent reservation of one name is refused
    /// before any settles, and a success keeps the others in flight counted.
    #[pgrx::pg_test]
    fn reservations_count_before_settling() {
        allow(5);
        let held: Vec<Reservation> = (0..5)
            .map(|i| {
                reserve(Kind::Client, "burst", true)
                    .unwrap_or_else(|wait| panic!("reservation {i} refused ({wait} s)"))
            })
            .collect();
        assert_eq!(peek(Kind::Client, "burst", true), (5, 5));
        assert_eq!(
            peek(Kind::Basic, "burst", true),
            (0, 0),
            "Basic users and client_ids are counted apart"
        );
        let mut held = held.into_iter();
        if let Some(first) = held.next() {
            first.succeeded();
        }
        assert_eq!(
            peek(Kind::Client, "burst", true),
            (4, 4),
            "the four in flight stay counted"
        );
        drop(held.next()); // an error during the check settles as a failure
        assert_eq!(peek(Kind::Client, "burst", true), (4, 3));
        for r in held {
            r.failed();
        }
        assert_eq!(peek(Kind::Client, "burst", true), (4, 0));
        let ok = reserve(Kind::Client, "burst", true)
            .unwrap_or_else(|wait| panic!("reservation refused ({wait} s)"));
        ok.succeeded();
        assert_eq!(peek(Kind::Client, "burst", true), (0, 0));
    }
}
