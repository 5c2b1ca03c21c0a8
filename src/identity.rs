//! Who pg_ords acts for: `current_user` where a pg_ords function was called (docs/ownership.md).
//!
//! Every provisioning entry point is SECURITY DEFINER (owned by the extension's owner), so inside
//! it `current_user` is that owner and the caller's `current_user` is gone. Postgres calls
//! `fmgr_hook` around every function that changes user or settings (every SECURITY DEFINER
//! function and every function with a SET clause goes through `fmgr_security_definer`), after
//! the switch: this file keeps a backend-local stack of those calls, each with the function's
//! oid and the user and security context it runs with. The role pg_ords acts for is then:
//!
//!   * no pg_ords function between here and the innermost foreign frame (a user_ords_* view
//!     read by user code, ords_metadata.invoker() called directly): `current_user` now;
//!   * else the caller of the outermost of those pg_ords functions: the innermost frame that is
//!     not a pg_ords function. If that frame changed user (a SECURITY DEFINER function, or any
//!     function called inside one), its user: SET ROLE is refused there, so it is still
//!     `current_user` at the call. If it did not (a plain function with a SET clause), SET ROLE
//!     may have run inside it, and the session's outer user is `current_user` at the call;
//!   * no such frame: the call came from top level, where `current_user` is the outer user
//!     (SET ROLE) unless Postgres switched user without calling a function. It does that in
//!     security-restricted operations (refused, as before) and in the queries of foreign-key
//!     checks and actions (marked SECURITY_NOFORCE_RLS: refused too, since the user there is
//!     the referencing table's owner, which pg_ords cannot see).
//!
//! Nothing else changes: `needs_fmgr_hook` is not installed, because the functions this needs
//! to see already go through `fmgr_security_definer`; answering true for more functions would
//! only slow them down and stop SQL functions from being inlined.
//!
//! The stack only knows calls that started after the hook was installed. A library loaded in
//! the middle of a session (by CREATE EXTENSION or the first call) could be running inside a
//! definer function it never saw start, so without shared_preload_libraries pg_ords refuses
//! to say who is calling (55000) rather than guess.
//!
//! Also here, the other role switches and role facts pg_ords relies on: `as_owner` (catalog
//! reads run as the extension's owner, like a SECURITY DEFINER function), and Postgres login
//! roles and memberships as HTTP Basic authentication sees them.
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::CStr;
use std::sync::atomic::{AtomicBool, Ordering};

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::spi::SpiResult;

use crate::errors::{raise, spi_failed};

#[derive(Clone, Copy)]
struct Frame {
    fn_oid: pg_sys::Oid,
    /// current_user inside the function (after Postgres switched to its owner, if it did).
    user: pg_sys::Oid,
    /// Was a user switch in effect inside the function (SECURITY_LOCAL_USERID_CHANGE)?
    local: bool,
    /// Transaction nesting level at the start, to drop frames of an aborted subtransaction.
    nest: i32,
}

static INSTALLED: AtomicBool = AtomicBool::new(false);
static mut PREV_FMGR_HOOK: pg_sys::fmgr_hook_type = None;

thread_local! {
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
    /// Function oid → belongs to the pg_ords extension. Emptied at transaction end and on any
    /// pg_proc invalidation (DROP/CREATE EXTENSION make new oids).
    static MEMBERS: RefCell<HashMap<u32, bool>> = RefCell::new(HashMap::new());
}

pub fn init() {
    if !unsafe { pg_sys::process_shared_preload_libraries_in_progress } {
        return;
    }
    unsafe {
        PREV_FMGR_HOOK = pg_sys::fmgr_hook;
        pg_sys::fmgr_hook = Some(fmgr_hook);
        pg_sys::RegisterXactCallback(Some(on_xact), std::ptr::null_mut());
        pg_sys::RegisterSubXactCallback(Some(on_subxact), std::ptr::null_mut());
        pg_sys::CacheRegisterSyscacheCallback(
            pg_sys::SysCacheIdentifier::PROCOID as std::ffi::c_int,
            Some(on_proc_invalidation),
            pg_sys::Datum::from(0usize),
        );
    }
    INSTALLED.store(true, Ordering::Relaxed);
}

#[pg_guard]
unsafe extern "C-unwind" fn fmgr_hook(
    event: pg_sys::FmgrHookEventType::Type,
    flinfo: *mut pg_sys::FmgrInfo,
    private: *mut pg_sys::Datum,
) {
    unsafe {
        match event {
            pg_sys::FmgrHookEventType::FHET_START => {
                // A previous hook that fails here aborts the call before it started: push after.
                call_previous(event, flinfo, private);
                let mut user = pg_sys::InvalidOid;
                let mut context: std::ffi::c_int = 0;
                pg_sys::GetUserIdAndSecContext(&mut user, &mut context);
                let frame = Frame {
                    fn_oid: if flinfo.is_null() {
                        pg_sys::InvalidOid
                    } else {
                        (*flinfo).fn_oid
                    },
                    user,
                    local: context & pg_sys::SECURITY_LOCAL_USERID_CHANGE as std::ffi::c_int != 0,
                    nest: pg_sys::GetCurrentTransactionNestLevel(),
                };
                FRAMES.with(|f| f.borrow_mut().push(frame));
            }
            _ => {
                // FHET_END and FHET_ABORT: the innermost call is over. (After a COMMIT inside a
                // procedure cleared the stack, there may be nothing to pop.)
                FRAMES.with(|f| f.borrow_mut().pop());
                call_previous(event, flinfo, private);
            }
        }
    }
}

unsafe fn call_previous(
    event: pg_sys::FmgrHookEventType::Type,
    flinfo: *mut pg_sys::FmgrInfo,
    private: *mut pg_sys::Datum,
) {
    unsafe {
        if let Some(prev) = PREV_FMGR_HOOK {
            pg_sys::ffi::pg_guard_ffi_boundary(|| prev(event, flinfo, private));
        }
    }
}

/// Safety net: no frame outlives its transaction (FHET_ABORT already pops every frame an error
/// unwinds; this also covers a hook chained after ours failing after our push).
#[pg_guard]
unsafe extern "C-unwind" fn on_xact(event: pg_sys::XactEvent::Type, _arg: *mut std::ffi::c_void) {
    use pg_sys::XactEvent::*;
    match event {
        XACT_EVENT_COMMIT
        | XACT_EVENT_PARALLEL_COMMIT
        | XACT_EVENT_ABORT
        | XACT_EVENT_PARALLEL_ABORT
        | XACT_EVENT_PREPARE => {
            FRAMES.with(|f| f.borrow_mut().clear());
            MEMBERS.with(|m| m.borrow_mut().clear());
        }
        _ => {}
    }
}

/// Every call that started inside an aborted subtransaction is over.
#[pg_guard]
unsafe extern "C-unwind" fn on_subxact(
    event: pg_sys::SubXactEvent::Type,
    _my: pg_sys::SubTransactionId,
    _parent: pg_sys::SubTransactionId,
    _arg: *mut std::ffi::c_void,
) {
    if event == pg_sys::SubXactEvent::SUBXACT_EVENT_ABORT_SUB {
        let level = unsafe { pg_sys::GetCurrentTransactionNestLevel() };
        FRAMES.with(|f| {
            let mut f = f.borrow_mut();
            while f.last().is_some_and(|fr| fr.nest >= level) {
                f.pop();
            }
        });
    }
}

#[pg_guard]
unsafe extern "C-unwind" fn on_proc_invalidation(
    _arg: pg_sys::Datum,
    _cacheid: std::ffi::c_int,
    _hash: u32,
) {
    // try_borrow_mut: an invalidation delivered while a lookup holds the map is followed by
    // that lookup's own result being for the state it read; drop the map at the next chance.
    MEMBERS.with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            m.clear();
        }
    });
}

/// Does the function belong to the pg_ords extension?
fn is_pg_ords_function(fn_oid: pg_sys::Oid) -> bool {
    if let Some(known) = MEMBERS.with(|m| m.borrow().get(&fn_oid.to_u32()).copied()) {
        return known;
    }
    let member = unsafe {
        let ext = pg_sys::get_extension_oid(c"pg_ords".as_ptr(), true);
        ext != pg_sys::InvalidOid
            && pg_sys::getExtensionOfObject(pg_sys::ProcedureRelationId, fn_oid) == ext
    };
    MEMBERS.with(|m| m.borrow_mut().insert(fn_oid.to_u32(), member));
    member
}

/// The role pg_ords acts for: current_user where the outermost pg_ords function of the
/// current call was called (see the top of this file).
pub fn acting_user() -> pg_sys::Oid {
    if !INSTALLED.load(Ordering::Relaxed) {
        raise(
            PgSqlErrorCode::ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
            "pg_ords cannot tell which role is calling: the pg_ords library was not loaded at server start",
            Some(
                "Add pg_ords to shared_preload_libraries in postgresql.conf and restart the server (see docs/ownership.md).",
            ),
        )
    }
    if unsafe { pg_sys::InSecurityRestrictedOperation() } {
        raise(
            PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
            "pg_ords cannot be used inside a security-restricted operation",
            Some(
                "ANALYZE, autovacuum, index expressions and REFRESH MATERIALIZED VIEW run user code on behalf of another role; call pg_ords functions directly.",
            ),
        )
    }
    let mut current = pg_sys::InvalidOid;
    let mut context: std::ffi::c_int = 0;
    unsafe { pg_sys::GetUserIdAndSecContext(&mut current, &mut context) };

    // Copy: the catalog lookups below must not run while the stack is borrowed.
    let frames: Vec<Frame> = FRAMES.with(|f| f.borrow().clone());
    let mut in_pg_ords = false;
    for frame in frames.iter().rev() {
        if is_pg_ords_function(frame.fn_oid) {
            in_pg_ords = true;
            continue;
        }
        if !in_pg_ords {
            return current;
        }
        refuse_hidden_switch(context);
        return if frame.local {
            frame.user
        } else {
            top_level_user()
        };
    }
    if !in_pg_ords {
        return current;
    }
    refuse_hidden_switch(context);
    top_level_user()
}

/// The caller of a pg_ords function ran with a user Postgres switched to without calling a
/// function: only the foreign-key queries do that outside security-restricted operations.
fn refuse_hidden_switch(context: std::ffi::c_int) {
    if context & pg_sys::SECURITY_NOFORCE_RLS as std::ffi::c_int != 0 {
        raise(
            PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
            "pg_ords cannot be used inside a foreign-key action",
            Some(
                "ON DELETE/ON UPDATE actions run triggers as the referencing table's owner; call pg_ords functions directly or from a SECURITY DEFINER function.",
            ),
        )
    }
}

/// current_user outside any function that switched user: the session's outer user (the role
/// set by SET ROLE, else the login role).
fn top_level_user() -> pg_sys::Oid {
    if unsafe { pg_sys::ParallelWorkerNumber } >= 0 {
        // A parallel worker does not see the leader's stack.
        raise(
            PgSqlErrorCode::ERRCODE_FEATURE_NOT_SUPPORTED,
            "pg_ords provisioning functions cannot run in a parallel worker",
            None,
        )
    }
    unsafe { pg_sys::GetOuterUserId() }
}

// ---- The extension owner, and roles as HTTP Basic sees them -------------------------------

/// The role pg_ords acts for: current_user where the pg_ords function was called (the caller
/// of a SECURITY DEFINER pg_ords function, not its owner; see identity.rs and docs/ownership.md).
/// (Named for what it returned up to 0.2.0, the session's outer user.)
pub fn acting_user_name() -> String {
    let role = acting_user();
    unsafe {
        let name = pg_sys::GetUserNameFromId(role, false);
        CStr::from_ptr(name).to_string_lossy().into_owned()
    }
}

thread_local! {
    static OWNER: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Forget the extension's owner (looked up again on next use; see cache.rs).
pub fn forget_owner() {
    OWNER.with(|o| o.set(0));
}

/// The extension's owner: the role the catalog reads of `ords.authorize` run as.
fn extension_owner() -> pg_sys::Oid {
    let known = OWNER.with(|o| o.get());
    if known != 0 {
        return pg_sys::Oid::from(known);
    }
    let r: SpiResult<Option<pg_sys::Oid>> = Spi::connect(|c| {
        c.select("SELECT extowner FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'pg_ords'::pg_catalog.name", None, &[])?
            .first()
            .get_one()
    });
    let oid = match r {
        Ok(Some(oid)) => oid,
        Ok(None) => spi_failed("find the pg_ords extension", pgrx::spi::Error::NoTupleTable),
        Err(e) => spi_failed("find the pg_ords extension", e),
    };
    OWNER.with(|o| o.set(oid.to_u32()));
    oid
}

/// Run `f` (catalog reads) as the extension owner with `search_path = pg_catalog, pg_temp`,
/// the way a SECURITY DEFINER function would, but only when `f` runs: `ords.authorize` itself
/// is SECURITY INVOKER, so a decision served from the cache pays for no user or GUC switch.
/// On an error inside `f`, (sub)transaction abort restores the user and the setting.
pub fn as_owner<R>(f: impl FnOnce() -> R) -> R {
    let owner = extension_owner();
    unsafe {
        let mut old_user = pg_sys::InvalidOid;
        let mut old_context: std::ffi::c_int = 0;
        pg_sys::GetUserIdAndSecContext(&mut old_user, &mut old_context);
        let nest = pg_sys::NewGUCNestLevel();
        pg_sys::set_config_option(
            c"search_path".as_ptr(),
            c"pg_catalog, pg_temp".as_ptr(),
            pg_sys::GucContext::PGC_USERSET,
            pg_sys::GucSource::PGC_S_SESSION,
            pg_sys::GucAction::GUC_ACTION_SAVE,
            true,
            0,
            false,
        );
        pg_sys::SetUserIdAndSecContext(
            owner,
            old_context | pg_sys::SECURITY_LOCAL_USERID_CHANGE as std::ffi::c_int,
        );
        let result = f();
        pg_sys::SetUserIdAndSecContext(old_user, old_context);
        pg_sys::AtEOXact_GUC(true, nest);
        result
    }
}

/// What HTTP Basic authentication needs to know about a Postgres login role (pg_authid is
/// readable by superusers only, hence as_owner).
pub struct LoginRole {
    pub oid: pg_sys::Oid,
    pub verifier: Option<String>,
    pub can_login: bool,
    pub superuser: bool,
    pub expired: bool,
}

/// The login role named `name`, read under the latest snapshot, not the caller's
/// (docs/decision.md, "Every isolation level"): inside a REPEATABLE READ transaction that began
/// before `ALTER ROLE ... NOLOGIN`, a new password or a past VALID UNTIL, the role is refused
/// as in a new transaction. VALID UNTIL is compared with the clock, as Postgres does at login
/// (and as token expiry is), not with the transaction's start.
pub fn login_role(name: &str) -> Option<LoginRole> {
    let r: SpiResult<Option<LoginRole>> =
        crate::catalog::with_fresh_snapshot(|| as_owner(|| login_role_query(name)));
    r.unwrap_or_else(|e| spi_failed("read a login role", e))
}

fn login_role_query(name: &str) -> SpiResult<Option<LoginRole>> {
    Spi::connect(|c| {
        let t = c.select(
                "SELECT oid, rolpassword, rolcanlogin, rolsuper,
                        coalesce(rolvaliduntil OPERATOR(pg_catalog.<) pg_catalog.clock_timestamp(), false)
                   FROM pg_catalog.pg_authid WHERE rolname OPERATOR(pg_catalog.=) $1::pg_catalog.name",
                Some(1),
                &[name.into()],
            )?;
        if t.is_empty() {
            return Ok(None);
        }
        let row = t.first();
        Ok(Some(LoginRole {
            oid: row.get(1)?.unwrap_or(pg_sys::InvalidOid),
            verifier: row.get(2)?,
            can_login: row.get(3)?.unwrap_or(false),
            superuser: row.get(4)?.unwrap_or(false),
            expired: row.get(5)?.unwrap_or(true),
        }))
    })
}

/// Is the role a member (directly or through other roles) of a Postgres role with one of these
/// names? Under the latest snapshot, like `login_role`.
pub fn member_of_any(role: pg_sys::Oid, names: &[String]) -> bool {
    if names.is_empty() {
        return false;
    }
    let r: SpiResult<Option<bool>> = crate::catalog::with_fresh_snapshot(|| {
        as_owner(|| {
            Spi::connect(|c| {
                c.select(
                    "SELECT EXISTS (SELECT FROM pg_catalog.pg_roles r
                                 WHERE r.rolname OPERATOR(pg_catalog.=) ANY ($2::pg_catalog.name[])
                                   AND pg_catalog.pg_has_role($1, r.oid, 'MEMBER'))",
                    Some(1),
                    &[role.into(), names.to_vec().into()],
                )?
                .first()
                .get_one()
            })
        })
    });
    r.unwrap_or_else(|e| spi_failed("check role membership", e))
        .unwrap_or(false)
}
