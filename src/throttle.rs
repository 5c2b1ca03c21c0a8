//! Failed client authentications, counted per client_id (known or not, so the throttle does
//! not reveal which ids exist). The rule is `ords_core::throttle`; this file only keeps the
//! counters: in shared memory when pg_ords is in shared_preload_libraries (one count for the
//! whole cluster, and failures count even though the failing transaction rolls back), else
//! per backend (documented as the weaker fallback).
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use ords_core::secrets::token_hash;
use ords_core::throttle::{self, FailState};
use pgrx::lwlock::PgLwLock;
use pgrx::prelude::*;
use pgrx::{pg_shmem_init, PGRXSharedMemory};

const SLOTS: usize = 4096;
const PROBE: usize = 8;

#[derive(Copy, Clone, Default)]
struct Slot {
    key: u64,
    state: FailState,
}

#[derive(Copy, Clone)]
pub struct Table {
    /// A random salt made when the server starts: which slots an id lands in cannot be
    /// computed offline, so ids cannot be ground to evict a target's counter.
    salt: [u8; 16],
    slots: [Slot; SLOTS],
}

impl Default for Table {
    fn default() -> Self {
        let mut salt = [0u8; 16];
        let random = ords_core::secrets::random_token();
        salt.copy_from_slice(&ords_core::secrets::token_hash(&random)[..16]);
        Table { salt, slots: [Slot::default(); SLOTS] }
    }
}

unsafe impl PGRXSharedMemory for Table {}

static TABLE: PgLwLock<Table> = unsafe { PgLwLock::new(c"pg_ords_failed_attempts") };
static SHARED: AtomicBool = AtomicBool::new(false);

thread_local! {
    static LOCAL: RefCell<HashMap<u64, FailState>> = RefCell::new(HashMap::new());
    static LOCAL_SALT: String = ords_core::secrets::random_token();
}

pub fn init() {
    if unsafe { pg_sys::process_shared_preload_libraries_in_progress } {
        pg_shmem_init!(TABLE);
        SHARED.store(true, Ordering::Relaxed);
    }
}

fn key(client_id: &str) -> u64 {
    let salt = if SHARED.load(Ordering::Relaxed) {
        let t = TABLE.share();
        t.salt.iter().map(|b| format!("{b:02x}")).collect::<String>()
    } else {
        LOCAL_SALT.with(|s| s.clone())
    };
    let h = token_hash(&format!("{salt}:{client_id}"));
    let k = u64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]);
    k.max(1) // 0 marks an empty slot
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn start(k: u64) -> usize {
    (k % SLOTS as u64) as usize
}

fn load(k: u64) -> FailState {
    if SHARED.load(Ordering::Relaxed) {
        let t = TABLE.share();
        (0..PROBE)
            .map(|i| t.slots[(start(k) + i) % SLOTS])
            .find(|s| s.key == k)
            .map(|s| s.state)
            .unwrap_or_default()
    } else {
        LOCAL.with(|l| l.borrow().get(&k).copied().unwrap_or_default())
    }
}

fn store(k: u64, st: FailState) {
    if SHARED.load(Ordering::Relaxed) {
        let mut t = TABLE.exclusive();
        // Our slot, else an empty one, else the one whose last failure is oldest among those
        // not locked out now: a locked counter is never evicted (if every slot of the window
        // is locked, this failure is not recorded, and the locks stand).
        let rule = crate::settings::throttle_rule();
        let now = now();
        let mut best = None;
        let mut best_score = i64::MAX;
        for i in 0..PROBE {
            let idx = (start(k) + i) % SLOTS;
            let s = t.slots[idx];
            let score = if s.key == k {
                i64::MIN
            } else if s.key == 0 {
                i64::MIN + 1
            } else if throttle::retry_after(&rule, &s.state, now).is_some() {
                continue;
            } else {
                s.state.last_failure
            };
            if score < best_score {
                best = Some(idx);
                best_score = score;
            }
        }
        if let Some(best) = best {
            t.slots[best] = Slot { key: if st == FailState::default() { 0 } else { k }, state: st };
        }
    } else {
        LOCAL.with(|l| {
            let mut l = l.borrow_mut();
            if l.len() > 10_000 {
                l.clear();
            }
            if st == FailState::default() {
                l.remove(&k);
            } else {
                l.insert(k, st);
            }
        });
    }
}

/// Seconds to wait before this client_id may try again, if it is locked out now.
pub fn retry_after(client_id: &str) -> Option<i64> {
    throttle::retry_after(&crate::settings::throttle_rule(), &load(key(client_id)), now())
}

pub fn failed(client_id: &str) {
    let k = key(client_id);
    let next = throttle::record_failure(&crate::settings::throttle_rule(), &load(k), now());
    store(k, next);
}

pub fn succeeded(client_id: &str) {
    let k = key(client_id);
    if load(k) != FailState::default() {
        store(k, FailState::default());
    }
}
