//! Reading a new secret back (docs/secrets.md#read-back): the seeds run
//! `SELECT client_id, client_secret FROM user_ords_clients` right after `oauth.create_client`.
//! pg_ords stores only an Argon2id hash, so the plaintext can come only from the backend that
//! hashed it: every secret hashed here is remembered in this backend's memory (never written,
//! gone with the session), with its hash and the role pg_ords acted for. The views show it
//! where the stored hash matches and the reader acts for that same role; everyone else, and
//! every other session, sees `********`. `pg_ords.secret_read_back = off` turns it off.
use std::cell::RefCell;
use std::collections::VecDeque;

use pgrx::pg_sys;

/// How many secrets a backend remembers (the newest).
const KEEP: usize = 16;

struct Seen {
    phc: String,
    secret: String,
    role: pg_sys::Oid,
}

thread_local! {
    static SEEN: RefCell<VecDeque<Seen>> = const { RefCell::new(VecDeque::new()) };
}

/// Remember `secret`, just hashed to `phc` for the role pg_ords acts for. A hash of a rolled
/// back transaction is never stored, so nothing can match it.
pub fn remember(phc: &str, secret: &str) {
    if !crate::settings::SECRET_READ_BACK.get() {
        return;
    }
    let role = crate::identity::acting_user();
    SEEN.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() == KEEP {
            s.pop_front();
        }
        s.push_back(Seen {
            phc: phc.to_string(),
            secret: secret.to_string(),
            role,
        });
    });
}

/// The plaintext of the first of `phcs` (stored hashes, newest first) that this backend hashed
/// for the role the reader acts for now.
pub fn recall(phcs: &[String]) -> Option<String> {
    if !crate::settings::SECRET_READ_BACK.get() {
        return None;
    }
    let role = crate::identity::acting_user();
    SEEN.with(|s| {
        let s = s.borrow();
        phcs.iter().find_map(|phc| {
            s.iter()
                .rev()
                .find(|e| e.role == role && e.phc == *phc)
                .map(|e| e.secret.clone())
        })
    })
}
