//! A cluster-wide tier under the backend caches (src/cache.rs) for the facts of a new backend's
//! first decision: a schema by alias, the governing rule of a path, the session of an opaque
//! token. A new backend that finds them here answers without opening any ords_metadata table
//! (opening them for the first time in a backend, their relcache entries with their triggers
//! and indexes, is most of what a cold backend's first decision costs; docs/benchmarks.md).
//!
//! Why an entry is current (docs/decision.md, "Caching"): every catalog change sends a shared
//! invalidation message at commit (the marker relation's relcache invalidation, or a role's
//! syscache invalidation), on a primary from the committing backend and on a hot standby from
//! the startup process replaying the commit record, in both cases after the change is visible
//! and before the commit is acknowledged. Each entry records the shared invalidation queue's
//! message counter (`maxMsgNum`), read before the snapshot its facts were read under; an entry
//! is used only while that counter has not moved, so while no invalidation at all (of any
//! relation, role or catalog, in any database) has been sent since. A backend does not need to
//! have received earlier invalidations to prove that: the counter is the proof read. The
//! counter wraps after 2^30 messages; an entry also expires after `TTL_US`, far less than any
//! possible 2^30 messages take. Nothing is shared by a transaction that has written (its
//! reads see its own uncommitted rows, and a rollback sends no invalidation); such a
//! transaction neither reads nor fills this tier.
//!
//! Only with shared_preload_libraries = 'pg_ords'; otherwise, and with pg_ords.token_cache =
//! off, every read goes to the catalog as before.
use std::sync::atomic::{AtomicBool, Ordering};

use ords_core::decision::{Rule, Session};
use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::{PGRXSharedMemory, PgLwLock, pg_shmem_init};

const SLOTS: usize = 256;
const DATA: usize = 1024;
/// How long an entry may be used (microseconds).
const TTL_US: i64 = 10_000_000;

#[derive(Clone, Copy)]
#[repr(C)]
struct Slot {
    /// SHA-256 of (database, kind, key); all zero: empty.
    key: [u8; 32],
    /// The shared invalidation counter read before the facts were read.
    proof: i32,
    len: u32,
    /// When it was filled (Unix microseconds).
    at_us: i64,
    data: [u8; DATA],
}

pub struct Store {
    slots: [Slot; SLOTS],
}

impl Default for Store {
    fn default() -> Self {
        // All zero: every slot empty.
        unsafe { std::mem::zeroed() }
    }
}

unsafe impl PGRXSharedMemory for Store {}

static STORE: PgLwLock<Store> = unsafe { PgLwLock::new(c"pg_ords_first_decision") };
static SHARED: AtomicBool = AtomicBool::new(false);

unsafe extern "C-unwind" {
    /// storage/sinvaladt.h (not in pgrx's bindings).
    fn SInvalShmemSize() -> pg_sys::Size;
}

thread_local! {
    /// Where the shared invalidation queue's maxMsgNum lives (0: not looked up yet).
    static COUNTER: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

pub fn init() {
    if unsafe { pg_sys::process_shared_preload_libraries_in_progress } {
        pg_shmem_init!(STORE);
        SHARED.store(true, Ordering::Relaxed);
    }
}

/// The shared invalidation queue's "next message number to be assigned" (sinvaladt.c's SISeg:
/// `int minMsgNum; int maxMsgNum; ...`, the same first two fields in every supported version).
/// None (the tier is not used) if the queue cannot be found.
fn invalidation_counter() -> Option<i32> {
    let mut at = COUNTER.with(|c| c.get());
    if at == 0 {
        let mut found = false;
        let p = unsafe {
            pg_sys::ShmemInitStruct(c"shmInvalBuffer".as_ptr(), SInvalShmemSize(), &mut found)
        };
        if !found || p.is_null() {
            SHARED.store(false, Ordering::Relaxed);
            return None;
        }
        at = p as usize + std::mem::size_of::<std::ffi::c_int>();
        COUNTER.with(|c| c.set(at));
    }
    // maxMsgNum is written under a spinlock after the messages; read it with full fences.
    std::sync::atomic::fence(Ordering::SeqCst);
    let v = unsafe { std::ptr::read_volatile(at as *const i32) };
    std::sync::atomic::fence(Ordering::SeqCst);
    Some(v)
}

/// Lookups a backend makes through the tier: it serves new backends (a pooler or a client
/// opening connections); a warm backend's misses (a token or path it has not met) read the
/// catalog directly, without the tier's hashing, locking and copying.
const LOOKUPS_PER_BACKEND: u32 = 64;

thread_local! {
    static LOOKUPS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

fn usable() -> bool {
    SHARED.load(Ordering::Relaxed)
        && crate::cache::enabled()
        && unsafe { pg_sys::GetTopTransactionIdIfAny() } == pg_sys::InvalidTransactionId
        && LOOKUPS.with(|n| {
            let used = n.get();
            n.set(used.saturating_add(1));
            used < LOOKUPS_PER_BACKEND
        })
}

fn slot_key(kind: u8, key: &[u8]) -> [u8; 32] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(16 + 2 * key.len());
    text.push_str(&unsafe { pg_sys::MyDatabaseId }.to_u32().to_string());
    text.push(':');
    text.push(char::from(HEX[usize::from(kind & 15)]));
    text.push(':');
    for b in key {
        text.push(char::from(HEX[usize::from(b >> 4)]));
        text.push(char::from(HEX[usize::from(b & 15)]));
    }
    let mut k = ords_core::secrets::token_hash(&text);
    k[0] |= 1; // never all zero
    k
}

fn slot_index(k: &[u8; 32]) -> usize {
    (u16::from_le_bytes([k[1], k[2]]) as usize) % SLOTS
}

/// The facts stored under (kind, key), or `load`ed and stored (see the module comment).
fn through<V>(
    kind: u8,
    key: &[u8],
    encode: fn(&V, &mut Vec<u8>),
    decode: fn(&mut Reader) -> Option<V>,
    load: impl FnOnce() -> Option<V>,
) -> Option<V> {
    if !usable() {
        return load();
    }
    let Some(proof) = invalidation_counter() else {
        return load();
    };
    let k = slot_key(kind, key);
    let i = slot_index(&k);
    let now = crate::authorize::now_us();
    {
        let store = STORE.share();
        let s = &store.slots[i];
        if s.key == k && s.proof == proof && now >= s.at_us && now - s.at_us < TTL_US {
            let mut r = Reader(&s.data[..s.len as usize]);
            if let Some(v) = decode(&mut r) {
                return Some(v);
            }
        }
    }
    // Read after the counter: the load's snapshot is newer than the proof.
    let v = load()?;
    let mut buf = Vec::new();
    encode(&v, &mut buf);
    if buf.len() <= DATA && invalidation_counter() == Some(proof) {
        let mut store = STORE.exclusive();
        let s = &mut store.slots[i];
        s.key = k;
        s.proof = proof;
        s.at_us = now;
        s.len = buf.len() as u32;
        s.data[..buf.len()].copy_from_slice(&buf);
    }
    Some(v)
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<u8> {
        self.bytes(1).map(|b| b[0])
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.bytes(n)?.to_vec()).ok()
    }
    fn ids(&mut self) -> Option<Vec<i64>> {
        (0..self.u32()?).map(|_| self.i64()).collect()
    }
    fn strs(&mut self) -> Option<Vec<String>> {
        (0..self.u32()?).map(|_| self.str()).collect()
    }
}

fn put_str(w: &mut Vec<u8>, s: &str) {
    w.extend((s.len() as u32).to_le_bytes());
    w.extend(s.as_bytes());
}
fn put_ids(w: &mut Vec<u8>, v: &[i64]) {
    w.extend((v.len() as u32).to_le_bytes());
    for i in v {
        w.extend(i.to_le_bytes());
    }
}
fn put_strs(w: &mut Vec<u8>, v: &[String]) {
    w.extend((v.len() as u32).to_le_bytes());
    for s in v {
        put_str(w, s);
    }
}

const SCHEMA: u8 = 1;
const RULE: u8 = 2;
const SESSION: u8 = 3;

/// A schema's (id, enabled) by alias.
pub fn schema(alias: &str, load: impl FnOnce() -> Option<(i64, bool)>) -> Option<(i64, bool)> {
    through(
        SCHEMA,
        alias.as_bytes(),
        |v, w| {
            w.extend(v.0.to_le_bytes());
            w.push(v.1 as u8);
        },
        |r| Some((r.i64()?, r.u8()? != 0)),
        load,
    )
}

/// The rule that governs `path` (normalised) in schema `schema_id` (None inside: public).
pub fn rule(schema_id: i64, path: &str, load: impl FnOnce() -> Option<Rule>) -> Option<Rule> {
    let mut key = schema_id.to_le_bytes().to_vec();
    key.extend(path.as_bytes());
    through(
        RULE,
        &key,
        |v: &Option<Rule>, w| match v {
            None => w.push(0),
            Some(r) => {
                w.push(1);
                put_str(w, &r.pattern);
                w.push(r.from_module as u8);
                put_str(w, &r.privilege_name);
                put_ids(w, &r.role_ids);
                put_strs(w, &r.role_names);
            }
        },
        |r| {
            Some(match r.u8()? {
                0 => None,
                _ => Some(Rule::new(
                    r.str()?,
                    r.u8()? != 0,
                    r.str()?,
                    r.ids()?,
                    r.strs()?,
                )),
            })
        },
        || Some(load()),
    )
    .flatten()
}

/// The session of an opaque token by the SHA-256 of its text.
pub fn session(
    presented_hash: &[u8; 32],
    load: impl FnOnce() -> Option<Session>,
) -> Option<Session> {
    if crate::settings::TOKEN_CACHE_SIZE.get() <= 0 {
        return load();
    }
    through(
        SESSION,
        presented_hash,
        |s: &Session, w| {
            put_str(w, &s.client_id);
            put_str(w, &s.client_name);
            w.extend(s.schema_id.to_le_bytes());
            put_ids(w, &s.role_ids);
            w.extend(s.expires_at_us.to_le_bytes());
        },
        |r| {
            Some(Session {
                client_id: r.str()?,
                client_name: r.str()?,
                schema_id: r.i64()?,
                role_ids: r.ids()?,
                expires_at_us: r.i64()?,
            })
        },
        load,
    )
}
