//! Catalog reads without SPI: direct index scans of ords_metadata tables (genam/heapam), the
//! way `catalog::load_token` reads a token. A backend's first decision reads its schema, the
//! rules of its path and its token's client this way, so it parses and plans no query (a new
//! backend would otherwise plan every catalog query once; docs/benchmarks.md).
//!
//! Every read of one load uses one registered snapshot, the latest (docs/decision.md,
//! "Caching"), and only AccessShareLock: it works in read-only transactions and on hot
//! standbys. Each index is found by name and checked (its table, access method, key columns
//! and their types) before use; a catalog that does not have the expected layout (an older
//! version before ALTER EXTENSION UPDATE) makes the read answer None and the caller falls back
//! to its SPI query.
use std::ffi::CStr;

use pgrx::pg_sys;
use pgrx::prelude::*;

const LOCK: pg_sys::LOCKMODE = pg_sys::AccessShareLock as pg_sys::LOCKMODE;

/// The latest snapshot, registered for the reads of one load.
pub struct Snapshot(pg_sys::Snapshot);

impl Snapshot {
    pub fn latest() -> Snapshot {
        unsafe { Snapshot(pg_sys::RegisterSnapshot(pg_sys::GetLatestSnapshot())) }
    }

    /// Run `f` under a new latest snapshot, released afterwards (on an error, by the
    /// transaction's abort).
    pub fn with<R>(f: impl FnOnce(&Snapshot) -> R) -> R {
        let s = Snapshot::latest();
        let r = f(&s);
        unsafe { pg_sys::UnregisterSnapshot(s.0) };
        r
    }
}

fn metadata_namespace() -> Option<pg_sys::Oid> {
    let nsp = unsafe { pg_sys::get_namespace_oid(c"ords_metadata".as_ptr(), true) };
    (nsp != pg_sys::InvalidOid).then_some(nsp)
}

/// An open ords_metadata table.
pub struct Table {
    rel: pg_sys::Relation,
    nsp: pg_sys::Oid,
}

/// Open `ords_metadata.<name>` for `f` and close it afterwards. None when there is no such
/// table or `f` answers None.
pub fn with_table<R>(name: &CStr, f: impl FnOnce(&Table) -> Option<R>) -> Option<R> {
    let nsp = metadata_namespace()?;
    unsafe {
        let relid = pg_sys::get_relname_relid(name.as_ptr(), nsp);
        if relid == pg_sys::InvalidOid {
            return None;
        }
        let rel = pg_sys::table_open(relid, LOCK);
        let r = if (*(*rel).rd_rel).relkind == pg_sys::RELKIND_RELATION as std::ffi::c_char {
            f(&Table { rel, nsp })
        } else {
            None
        };
        pg_sys::table_close(rel, LOCK);
        r
    }
}

/// A key of an index scan: equality on the index's next key column.
pub enum Key<'a> {
    /// A bigint column (heap attribute number).
    Int8(i32, i64),
    /// A text column (heap attribute number, or 0 for an expression of type text).
    Text(i32, &'a str),
}

impl Key<'_> {
    fn column(&self) -> i32 {
        match self {
            Key::Int8(c, _) | Key::Text(c, _) => *c,
        }
    }
    fn type_oid(&self) -> pg_sys::Oid {
        match self {
            Key::Int8(..) => pg_sys::INT8OID,
            Key::Text(..) => pg_sys::TEXTOID,
        }
    }
    fn eq_proc(&self) -> pg_sys::Oid {
        match self {
            Key::Int8(..) => pg_sys::Oid::from(pg_sys::F_INT8EQ),
            Key::Text(..) => pg_sys::Oid::from(pg_sys::F_TEXTEQ),
        }
    }
    fn datum(&self) -> Option<pg_sys::Datum> {
        match self {
            Key::Int8(_, v) => v.into_datum(),
            Key::Text(_, v) => v.into_datum(),
        }
    }
}

/// A row of a scan.
pub struct Row(*mut pg_sys::TupleTableSlot);

impl Row {
    fn get(&self, col: i32) -> (pg_sys::Datum, bool) {
        let mut isnull = false;
        let d = unsafe { pg_sys::slot_getattr(self.0, col, &mut isnull) };
        (d, isnull)
    }
    pub fn int8(&self, col: i32) -> Option<i64> {
        let (d, n) = self.get(col);
        unsafe { i64::from_datum(d, n) }
    }
    pub fn text(&self, col: i32) -> Option<String> {
        let (d, n) = self.get(col);
        unsafe { String::from_datum(d, n) }
    }
}

impl Table {
    /// The attribute number of a live column.
    pub fn col(&self, name: &str) -> Option<i32> {
        unsafe {
            let desc = (*self.rel).rd_att;
            (*desc)
                .attrs
                .as_slice((*desc).natts as usize)
                .iter()
                .position(|a| !a.attisdropped && pg_sys::name_data_to_str(&a.attname) == name)
                .map(|i| i as i32 + 1)
        }
    }

    /// The collation of a column (for sorting its values as SQL would).
    pub fn collation(&self, col: i32) -> pg_sys::Oid {
        unsafe {
            let desc = (*self.rel).rd_att;
            (*desc)
                .attrs
                .as_slice((*desc).natts as usize)
                .get((col - 1) as usize)
                .map(|a| a.attcollation)
                .unwrap_or(pg_sys::DEFAULT_COLLATION_OID)
        }
    }

    /// Every visible row whose leading index key columns equal `keys`, in index order, until
    /// `f` answers false. `index` names an ords_metadata index of this table (None: the primary
    /// key). None (and no row read) when the index is missing or is not a btree on those
    /// columns and types.
    pub fn scan(
        &self,
        index: Option<&CStr>,
        keys: &[Key<'_>],
        snapshot: &Snapshot,
        mut f: impl FnMut(&Row) -> bool,
    ) -> Option<()> {
        unsafe {
            let indexid = match index {
                Some(name) => pg_sys::get_relname_relid(name.as_ptr(), self.nsp),
                None => pg_sys::RelationGetPrimaryKeyIndex(self.rel),
            };
            if indexid == pg_sys::InvalidOid || keys.is_empty() {
                return None;
            }
            let idx = pg_sys::index_open(indexid, LOCK);
            let form = (*idx).rd_index;
            let fits = !form.is_null()
                && (*form).indrelid == (*self.rel).rd_id
                && (*form).indisvalid
                && (*(*idx).rd_rel).relam == pg_sys::BTREE_AM_OID
                && keys.len() <= (*form).indnkeyatts as usize
                && {
                    let cols = (*form).indkey.values.as_slice(keys.len());
                    keys.iter().enumerate().all(|(i, k)| {
                        i32::from(cols[i]) == k.column()
                            && *(*idx).rd_opcintype.add(i) == k.type_oid()
                    })
                };
            let mut scan_keys = Vec::with_capacity(keys.len());
            if fits {
                for (i, k) in keys.iter().enumerate() {
                    let Some(datum) = k.datum() else { break };
                    let mut sk: pg_sys::ScanKeyData = std::mem::zeroed();
                    pg_sys::ScanKeyInit(
                        &mut sk,
                        (i + 1) as pg_sys::AttrNumber,
                        pg_sys::BTEqualStrategyNumber as pg_sys::StrategyNumber,
                        k.eq_proc(),
                        datum,
                    );
                    sk.sk_collation = *(*idx).rd_indcollation.add(i);
                    scan_keys.push(sk);
                }
            }
            if !fits || scan_keys.len() != keys.len() {
                pg_sys::index_close(idx, LOCK);
                return None;
            }
            let n = scan_keys.len() as std::ffi::c_int;
            let scan = pg_sys::index_beginscan(self.rel, idx, snapshot.0, n, 0);
            pg_sys::index_rescan(scan, scan_keys.as_mut_ptr(), n, std::ptr::null_mut(), 0);
            let slot = pg_sys::table_slot_create(self.rel, std::ptr::null_mut());
            while pg_sys::index_getnext_slot(
                scan,
                pg_sys::ScanDirection::ForwardScanDirection,
                slot,
            ) {
                if !f(&Row(slot)) {
                    break;
                }
            }
            pg_sys::ExecDropSingleTupleTableSlot(slot);
            pg_sys::index_endscan(scan);
            pg_sys::index_close(idx, LOCK);
            Some(())
        }
    }
}

/// The oid of a Postgres role by its exact name (None: no such role; a name longer than
/// Postgres keeps never matches a truncated one).
pub fn role_oid(name: &str) -> Option<pg_sys::Oid> {
    if name.is_empty() || name.len() >= pg_sys::NAMEDATALEN as usize {
        return None;
    }
    let c = std::ffi::CString::new(name).ok()?;
    let oid = unsafe { pg_sys::get_role_oid(c.as_ptr(), true) };
    (oid != pg_sys::InvalidOid).then_some(oid)
}

/// `catalog::jwt_role_usable_sql` without SQL: `role` is a non-superuser role that schema role
/// `schema` is a member of (itself included); pg_has_role(..., 'MEMBER') is
/// is_member_of_role.
pub fn role_usable(schema: &str, role: &str) -> bool {
    let (Some(schema), Some(role)) = (role_oid(schema), role_oid(role)) else {
        return false;
    };
    unsafe { !pg_sys::superuser_arg(role) && pg_sys::is_member_of_role(schema, role) }
}

/// Sort strings as `ORDER BY` sorts them under collation `coll`.
pub fn sort_collated(v: &mut [String], coll: pg_sys::Oid) {
    v.sort_by(|a, b| {
        let c = unsafe {
            pg_sys::varstr_cmp(
                a.as_ptr() as *const std::ffi::c_char,
                a.len() as std::ffi::c_int,
                b.as_ptr() as *const std::ffi::c_char,
                b.len() as std::ffi::c_int,
                coll,
            )
        };
        c.cmp(&0)
    });
}
