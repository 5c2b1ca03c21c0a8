//! Stored (retrievable) client secrets (docs/secrets.md#stored): the key file and the SQL
//! functions that seal and open secrets with it. The sealing itself is `ords_core::stored`.
//!
//! The keys live in `$PGDATA/pg_ords_secrets.key` (mode 0600, owned by the server's OS user),
//! never in the database, so pg_dump output and a copied table hold only ciphertext. The file
//! is made on first need: by the first stored secret (with `pg_ords.stored_secrets = on`) or
//! by `ords_admin.rotate_stored_secret_key()`. Writers (creation, rotation, retirement) take an
//! exclusive lock on `pg_ords_secrets.key.lock` and replace the file with a rename, so readers
//! never see a half-written file and no key is lost between two writers of the cluster.
//!
//! Nothing here puts a secret, a key or a ciphertext in a message.
use std::cell::RefCell;
use std::ffi::CStr;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::PathBuf;
use std::rc::Rc;

use ords_core::stored::KeyRing;
use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;

use crate::errors::raise;

/// The key file's name in the data directory.
pub const KEY_FILE: &str = "pg_ords_secrets.key";
const HINT_COPY: &str = "Stored secrets need the key file pg_ords_secrets.key of the data directory it was made in: copy it there (mode 0600, owned by the server's OS user), see docs/secrets.md#stored.";

fn data_dir() -> PathBuf {
    // SAFETY: DataDir is set once at server start and never changed afterwards.
    let dir = unsafe { pg_sys::DataDir };
    if dir.is_null() {
        raise(
            PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
            "pg_ords cannot find the data directory for its stored-secret key file",
            None,
        )
    }
    // SAFETY: a non-null DataDir is a NUL-terminated C string.
    PathBuf::from(
        unsafe { CStr::from_ptr(dir) }
            .to_string_lossy()
            .into_owned(),
    )
}

fn key_path() -> PathBuf {
    data_dir().join(KEY_FILE)
}

/// Why the key ring could not be read.
enum LoadError {
    Missing,
    Io(ErrorKind),
    Insecure(u32),
    Bad(ords_core::stored::KeyFileError),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing => write!(f, "the key file {KEY_FILE} is missing"),
            Self::Io(k) => write!(f, "the key file {KEY_FILE} cannot be read ({k})"),
            Self::Insecure(m) => write!(
                f,
                "the key file {KEY_FILE} has mode {m:04o}; it must not be accessible to group or others (chmod 600)"
            ),
            Self::Bad(e) => write!(f, "the key file {KEY_FILE} is not valid: {e}"),
        }
    }
}

/// (inode, size, mtime in ns) of the file the cached ring was read from.
type Stamp = (u64, u64, i128);

thread_local! {
    static CACHE: RefCell<Option<(Stamp, Rc<KeyRing>)>> = const { RefCell::new(None) };
}

/// The key ring, re-read whenever the file changed (a rotation replaces it with a rename).
fn load() -> Result<Rc<KeyRing>, LoadError> {
    let path = key_path();
    let meta = match fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Err(LoadError::Missing),
        Err(e) => return Err(LoadError::Io(e.kind())),
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(LoadError::Insecure(mode));
    }
    let stamp: Stamp = (
        meta.ino(),
        meta.size(),
        i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
    );
    if let Some(ring) = CACHE.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(s, _)| *s == stamp)
            .map(|(_, r)| r.clone())
    }) {
        return Ok(ring);
    }
    let text = zeroize::Zeroizing::new(match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == ErrorKind::NotFound => return Err(LoadError::Missing),
        Err(e) => return Err(LoadError::Io(e.kind())),
    });
    let ring = Rc::new(KeyRing::parse(&text).map_err(LoadError::Bad)?);
    CACHE.with(|c| *c.borrow_mut() = Some((stamp, ring.clone())));
    Ok(ring)
}

fn io_failed(what: &str, e: std::io::Error) -> ! {
    raise(
        PgSqlErrorCode::ERRCODE_IO_ERROR,
        format!(
            "pg_ords could not {what} its key file {KEY_FILE}: {}",
            e.kind()
        ),
        Some(
            "Check that the data directory is writable by the server's OS user (docs/secrets.md#stored).",
        ),
    )
}

/// Change the key ring under the cluster-wide file lock: `change` gets the current ring (empty
/// when the file does not exist yet) and returns what to report; the result is written back
/// atomically when `change` says so.
fn with_ring_locked<T>(change: impl FnOnce(&mut KeyRing) -> (T, bool)) -> T {
    let dir = data_dir();
    let lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(dir.join(format!("{KEY_FILE}.lock")))
        .unwrap_or_else(|e| io_failed("lock", e));
    lock.lock().unwrap_or_else(|e| io_failed("lock", e));
    let mut ring = match load() {
        Ok(r) => (*r).clone(),
        Err(LoadError::Missing) => KeyRing::new(),
        Err(e) => raise(
            PgSqlErrorCode::ERRCODE_CONFIG_FILE_ERROR,
            format!("pg_ords cannot change its stored-secret keys: {e}"),
            Some(
                "Restore the key file from a backup of the data directory, or fix its mode (docs/secrets.md#stored).",
            ),
        ),
    };
    let (out, write) = change(&mut ring);
    if write {
        let tmp = dir.join(format!("{KEY_FILE}.tmp.{}", std::process::id()));
        let _ = fs::remove_file(&tmp);
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .unwrap_or_else(|e| io_failed("write", e));
        f.write_all(ring.to_text().as_bytes())
            .and_then(|_| f.sync_all())
            .unwrap_or_else(|e| {
                let _ = fs::remove_file(&tmp);
                io_failed("write", e)
            });
        drop(f);
        fs::rename(&tmp, key_path()).unwrap_or_else(|e| {
            let _ = fs::remove_file(&tmp);
            io_failed("replace", e)
        });
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
    }
    drop(lock); // releases the lock
    out
}

/// The ring for sealing: made (with a first key) when there is none yet.
fn ring_for_sealing() -> Rc<KeyRing> {
    match load() {
        Ok(r) if !r.is_empty() => return r,
        Ok(_) | Err(LoadError::Missing) => {}
        Err(e) => raise(
            PgSqlErrorCode::ERRCODE_CONFIG_FILE_ERROR,
            format!("pg_ords cannot store client secrets: {e}"),
            Some(HINT_COPY),
        ),
    }
    with_ring_locked(|r| {
        if r.is_empty() {
            r.add_key();
            ((), true)
        } else {
            ((), false)
        }
    });
    load().unwrap_or_else(|e| {
        raise(
            PgSqlErrorCode::ERRCODE_CONFIG_FILE_ERROR,
            format!("pg_ords cannot store client secrets: {e}"),
            Some(HINT_COPY),
        )
    })
}

fn warn_unreadable(client: i64, slot: i16, why: &dyn std::fmt::Display) {
    ErrorReport::new(
        PgSqlErrorCode::ERRCODE_DATA_CORRUPTED,
        format!("the stored secret of client {client} (slot {slot}) cannot be read: {why}; shown as '********'"),
        "pg_ords",
    )
    .set_hint(HINT_COPY)
    .report(PgLogLevel::WARNING);
}

#[pg_schema]
pub mod ords_metadata {
    use super::*;

    /// pg_ords.stored_secrets: may client secrets be stored (encrypted) at all.
    #[pg_extern(stable, parallel_safe)]
    pub fn stored_secrets_enabled() -> bool {
        crate::settings::STORED_SECRETS.get()
    }

    /// pg_ords.legacy_stored_secrets: does legacy oauth.create_client store its secrets.
    #[pg_extern(stable, parallel_safe)]
    pub fn legacy_stored_secrets() -> bool {
        crate::settings::LEGACY_STORED_SECRETS.get()
    }

    /// `p_secret` sealed for slot `p_slot` of client row `p_client` under the current key
    /// (the key file is made on first need). Does not check the setting or the secret: see
    /// ords_metadata.client_store_secret.
    #[pg_extern(volatile)]
    pub fn stored_seal(p_client: i64, p_slot: i16, p_secret: &str) -> Vec<u8> {
        match ring_for_sealing().seal(p_client, p_slot, p_secret) {
            Ok(v) => v,
            Err(e) => raise(
                PgSqlErrorCode::ERRCODE_CONFIG_FILE_ERROR,
                format!("pg_ords cannot store the secret of client {p_client}: {e}"),
                Some(HINT_COPY),
            ),
        }
    }

    /// The plaintext of a stored secret; NULL with a WARNING when it cannot be read (no key
    /// file, a retired key, altered or moved ciphertext). Never an error.
    #[pg_extern(stable)]
    pub fn stored_open(p_client: i64, p_slot: i16, p_stored: &[u8]) -> Option<String> {
        let ring = match load() {
            Ok(r) => r,
            Err(e) => {
                warn_unreadable(p_client, p_slot, &e);
                return None;
            }
        };
        match ring.open(p_client, p_slot, p_stored) {
            Ok(s) => Some(s.as_str().to_string()),
            Err(e) => {
                warn_unreadable(p_client, p_slot, &e);
                None
            }
        }
    }

    /// A stored secret sealed again under the current key; NULL with a WARNING when it cannot
    /// be read (it is then left as it is).
    #[pg_extern(volatile)]
    pub fn stored_reseal(p_client: i64, p_slot: i16, p_stored: &[u8]) -> Option<Vec<u8>> {
        let ring = match load() {
            Ok(r) => r,
            Err(e) => {
                warn_unreadable(p_client, p_slot, &e);
                return None;
            }
        };
        match ring.reseal(p_client, p_slot, p_stored) {
            Ok(Some(v)) => Some(v),
            Ok(None) => Some(p_stored.to_vec()),
            Err(e) => {
                warn_unreadable(p_client, p_slot, &e);
                None
            }
        }
    }

    /// The id of the key a stored secret was sealed with (NULL: not a sealed value).
    #[pg_extern(immutable, parallel_safe)]
    pub fn stored_key_id(p_stored: &[u8]) -> Option<i64> {
        ords_core::stored::key_id_of(p_stored).map(i64::from)
    }

    /// Add a new current key to the key file (made if missing); returns its id.
    #[pg_extern(volatile)]
    pub fn stored_key_add() -> i64 {
        let id = with_ring_locked(|r| match r.add_key() {
            Some(id) => (Some(id), true),
            None => (None, false),
        });
        match id {
            Some(id) => i64::from(id),
            None => raise(
                PgSqlErrorCode::ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                "pg_ords's stored-secret key ids are exhausted",
                Some("Retire old keys with ords_admin.retire_stored_secret_keys()."),
            ),
        }
    }

    /// Drop every key of the key file but the current one and those in `p_keep`; returns how
    /// many were dropped.
    #[pg_extern(volatile)]
    pub fn stored_keys_retain(p_keep: Vec<Option<i64>>) -> i32 {
        let keep: Vec<i64> = p_keep.into_iter().flatten().collect();
        let dropped = with_ring_locked(|r| {
            let n = r.retain(|id| keep.contains(&i64::from(id)));
            (n, n > 0)
        });
        i32::try_from(dropped).unwrap_or(i32::MAX)
    }
}

// Functions that take a secret never log it (docs/secrets.md#never-in-logs).
extension_sql!(
    r#"
ALTER FUNCTION ords_metadata.stored_seal(bigint, smallint, text) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.stored_open(bigint, smallint, bytea) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
ALTER FUNCTION ords_metadata.stored_reseal(bigint, smallint, bytea) SET log_min_error_statement = panic SET log_parameter_max_length_on_error = 0;
"#,
    name = "stored_hardening",
    requires = [
        ords_metadata::stored_seal,
        ords_metadata::stored_open,
        ords_metadata::stored_reseal
    ]
);
