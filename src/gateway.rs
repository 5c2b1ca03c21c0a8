//! `ords.gateway_gate`: the decision that lets the gateway run a module handler in one round
//! trip (docs/gateway.md, "One round trip").
//!
//! The gateway sends, in one write on the handler's connection: `BEGIN; SET LOCAL …`, this
//! gate, the handler's prepared query, and `COMMIT` with the reset. The gate makes the
//! decision in the handler's transaction and **raises an error** unless the request may pass,
//! so the transaction is aborted and the pipelined handler query never runs (Postgres answers
//! it with 25P02). It also refuses (55000) when the handler rows the gateway chose the handler
//! from are no longer those of the catalog, so a changed or dropped handler is never run from
//! the gateway's copy.
use std::rc::Rc;

use ords_core::decision::Outcome;
use ords_core::route::{self, HandlerRow};
use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use pgrx::spi::SpiResult;

use crate::authorize::{decide_for_transaction, decision_datum};
use crate::catalog::{plan, with_fresh_snapshot};
use crate::errors::{raise, spi_failed};
use crate::identity::as_owner;

/// Every handler row of one alias (`ords.gateway_handlers` without its path filter).
const HANDLERS_SQL: &str = "SELECT s.parsing_schema, m.uri_prefix, m.items_per_page, t.uri_template, t.priority, \
            h.method, h.source_type, h.source, h.items_per_page \
       FROM ords_metadata.ords_schemas s \
       JOIN ords_metadata.ords_modules m ON m.schema_id = s.id AND m.status = 'PUBLISHED' \
       JOIN ords_metadata.ords_templates t ON t.module_id = m.id \
       LEFT JOIN ords_metadata.ords_handlers h ON h.template_id = t.id \
      WHERE s.pattern = $1 AND s.status = 'ENABLED'";

fn load_handlers(alias: &str) -> Vec<HandlerRow> {
    let r: SpiResult<Vec<HandlerRow>> = as_owner(|| {
        with_fresh_snapshot(|| {
            Spi::connect(|c| {
                let p = plan(
                    c,
                    "gateway_handlers_of_alias",
                    || HANDLERS_SQL.into(),
                    &crate::catalog::types::ALIAS,
                )?;
                let mut out = Vec::new();
                for row in c.select(&*p, None, &[alias.into()])? {
                    out.push(HandlerRow {
                        parsing_schema: row.get(1)?.unwrap_or_default(),
                        uri_prefix: row.get(2)?.unwrap_or_default(),
                        module_items_per_page: row.get(3)?.unwrap_or_default(),
                        uri_template: row.get(4)?.unwrap_or_default(),
                        priority: row.get(5)?.unwrap_or_default(),
                        method: row.get(6)?,
                        source_type: row.get(7)?,
                        source: row.get(8)?,
                        handler_items_per_page: row.get(9)?,
                    });
                }
                Ok(out)
            })
        })
    });
    r.unwrap_or_else(|e| spi_failed("read the module handlers of a schema alias", e))
}

/// The handler rows of `alias` as the catalog holds them now (every change committed before
/// this call is seen: the backend-local caches' guarantee, docs/decision.md, "Caching").
fn handlers(alias: &str) -> Rc<Vec<HandlerRow>> {
    crate::cache::handlers(alias, || load_handlers(alias))
}

/// Whether the session's login role may become `schema_role` (the gateway's handler login of
/// that alias). Superusers may become any role.
fn session_may_become(schema_role: &str) -> bool {
    let Ok(name) = std::ffi::CString::new(schema_role) else {
        return false;
    };
    unsafe {
        let oid = pg_sys::get_role_oid(name.as_ptr(), true);
        oid != pg_sys::InvalidOid && pg_sys::is_member_of_role(pg_sys::GetSessionUserId(), oid)
    }
}

/// Set, for the rest of this transaction (which the caller's error is about to abort), what
/// keeps the statement out of the server log (its text may hold a token: a caller may pass one
/// as a literal) and, with `quiet`, the error itself.
fn hide_from_log(quiet: bool) {
    let all: [(&std::ffi::CStr, &std::ffi::CStr); 2] = [
        (c"log_min_error_statement", c"panic"),
        (c"log_min_messages", c"fatal"),
    ];
    for (name, value) in &all[..if quiet { 2 } else { 1 }] {
        unsafe {
            pg_sys::set_config_option(
                name.as_ptr(),
                value.as_ptr(),
                pg_sys::GucContext::PGC_SUSET,
                pg_sys::GucSource::PGC_S_SESSION,
                pg_sys::GucAction::GUC_ACTION_LOCAL,
                true,
                0,
                false,
            );
        }
    }
}

/// Raise one of the gate's own errors (its statement is never logged).
fn fail(code: PgSqlErrorCode, message: String, hint: &str) -> ! {
    hide_from_log(false);
    raise(code, message, Some(hint))
}

/// Raise the refusal without a line in the server log: refusals are answers (ords.authorize
/// returns them as rows), and attacker traffic must not fill the log.
fn refuse_quietly(status: i32, challenge: Option<&str>) -> ! {
    hide_from_log(true);
    let code = if status == 403 {
        PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE
    } else {
        PgSqlErrorCode::ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION
    };
    let mut report = ErrorReport::new(
        code,
        format!("pg_ords: ords.gateway_gate refused the request (HTTP {status})"),
        "pg_ords",
    );
    if let Some(c) = challenge {
        report = report.set_detail(format!("WWW-Authenticate: {c}"));
    }
    report.report(PgLogLevel::ERROR);
    unreachable!("ereport(ERROR) returned")
}

/// `ords.gateway_gate(p_token, p_method, p_path, p_schema_alias, p_handler_path, p_route)
/// RETURNS ords.decision`: `ords.authorize(p_token, p_method, p_path, p_schema_alias)` for a
/// request the gateway serves with a module handler, in the handler's transaction. Returns the
/// decision when it is `allowed` or `public`; otherwise raises 28000 (HTTP 401) or 42501
/// (HTTP 403) with the WWW-Authenticate value in DETAIL. Before deciding, raises 55000 when
/// `p_route` is not the fingerprint (ords_core::route) of the alias's handler rows that serve
/// `p_handler_path` now, and 42501 when the session's login may not become the alias's schema
/// role (a tenant learns nothing about another tenant's handlers).
#[unsafe(no_mangle)]
#[pg_guard]
pub unsafe extern "C-unwind" fn ords_gateway_gate(
    fcinfo: pg_sys::FunctionCallInfo,
) -> pg_sys::Datum {
    unsafe {
        let token = pgrx::fcinfo::pg_getarg::<&str>(fcinfo, 0);
        let method = pgrx::fcinfo::pg_getarg::<&str>(fcinfo, 1);
        let path = pgrx::fcinfo::pg_getarg::<&str>(fcinfo, 2);
        let alias = pgrx::fcinfo::pg_getarg::<&str>(fcinfo, 3);
        let handler_path = pgrx::fcinfo::pg_getarg::<&str>(fcinfo, 4).unwrap_or("");
        let given = pgrx::fcinfo::pg_getarg::<&str>(fcinfo, 5).unwrap_or("");

        let alias_name = alias.unwrap_or("");
        let rows = handlers(alias_name);
        let Some(schema_role) = rows.first().map(|r| r.parsing_schema.as_str()) else {
            fail(
                PgSqlErrorCode::ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                format!(
                    "pg_ords: the gateway's handlers of alias \"{alias_name}\" are out of date (it has none now)"
                ),
                "The gateway reads them again and retries (docs/gateway.md, \"One round trip\").",
            )
        };
        if !session_may_become(schema_role) {
            fail(
                PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
                format!(
                    "pg_ords: ords.gateway_gate for alias \"{alias_name}\" needs a login that can become its schema role"
                ),
                "Only the gateway's handler login of that alias calls it (docs/gateway.md).",
            )
        }
        if route::fingerprint_for(&rows, handler_path) != given {
            fail(
                PgSqlErrorCode::ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                format!(
                    "pg_ords: the gateway's handlers of alias \"{alias_name}\" for this path are out of date"
                ),
                "The gateway reads them again and retries (docs/gateway.md, \"One round trip\").",
            )
        }
        let d = decide_for_transaction(token, method, path, alias);
        match d.outcome {
            Outcome::Allowed | Outcome::Public => decision_datum(fcinfo, &d),
            o => refuse_quietly(o.http_status(), d.www_authenticate.as_deref()),
        }
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn pg_finfo_ords_gateway_gate() -> &'static pg_sys::Pg_finfo_record {
    const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };
    &V1
}

unsafe extern "C-unwind" {
    // Not in pgrx's bindings (commands/async.h, commands/sequence.h): what UNLISTEN * and
    // DISCARD SEQUENCES run. Called through pg_guard_ffi_boundary, like pgrx's own bindings.
    fn Async_UnlistenAll();
    fn ResetSequenceCaches();
}

/// The prepared statements of this session: (made with SQL PREPARE, made at protocol level).
/// Counted here rather than by an aggregate: a plan without one starts faster, and this runs
/// after every gateway request.
fn prepared_statement_counts() -> (i64, i64) {
    let r: SpiResult<(i64, i64)> = as_owner(|| {
        Spi::connect(|c| {
            let p = plan(
                c,
                "gateway_prepared_statements",
                || "SELECT from_sql FROM pg_catalog.pg_prepared_statement()".into(),
                &[],
            )?;
            let (mut from_sql, mut protocol) = (0i64, 0i64);
            for row in c.select(&*p, None, &[])? {
                match row.get::<bool>(1)? {
                    Some(false) => protocol += 1,
                    _ => from_sql += 1,
                }
            }
            Ok((from_sql, protocol))
        })
    });
    r.unwrap_or_else(|e| spi_failed("count the session's prepared statements", e))
}

/// `ords.gateway_reset(p_statements integer) RETURNS boolean` (docs/gateway.md, "Nothing
/// survives between requests"): what the gateway runs on a handler connection after every
/// request, once its transaction has ended. It does in one call what `DISCARD ALL` does, in
/// the same order, except dropping the session's prepared statements and plans: closes every
/// cursor, `SET SESSION AUTHORIZATION DEFAULT`, `RESET ALL`, `UNLISTEN *`, releases the session's
/// advisory locks, drops its temporary objects and forgets its sequence state. Then it returns
/// whether the prepared statements left are exactly the gateway's: none made with SQL `PREPARE`,
/// and `p_statements` made at protocol level. Raises 25001 inside a transaction block: it must
/// run after `COMMIT`, when nothing of the request (a deferred trigger included) can run again.
/// It acts on the caller's own session only, so anyone may call it.
#[unsafe(no_mangle)]
#[pg_guard]
pub unsafe extern "C-unwind" fn ords_gateway_reset(
    fcinfo: pg_sys::FunctionCallInfo,
) -> pg_sys::Datum {
    unsafe {
        if pg_sys::IsTransactionBlock() {
            raise(
                PgSqlErrorCode::ERRCODE_ACTIVE_SQL_TRANSACTION,
                "pg_ords: ords.gateway_reset cannot run inside a transaction block",
                Some("Run it after COMMIT or ROLLBACK, as its own statement (docs/gateway.md)."),
            )
        }
        let expected = pgrx::fcinfo::pg_getarg::<i32>(fcinfo, 0);
        pg_sys::PortalHashTableDeleteAll();
        pg_sys::SetPGVariable(
            c"session_authorization".as_ptr(),
            std::ptr::null_mut(),
            false,
        );
        pg_sys::ResetAllOptions();
        pg_sys::ffi::pg_guard_ffi_boundary(|| Async_UnlistenAll());
        pg_sys::LockReleaseSession(pg_sys::USER_LOCKMETHOD as pg_sys::LOCKMETHODID);
        pg_sys::ResetTempTableNamespace();
        pg_sys::ffi::pg_guard_ffi_boundary(|| ResetSequenceCaches());
        let (from_sql, protocol) = prepared_statement_counts();
        let exact = from_sql == 0 && expected.is_some_and(|n| i64::from(n) == protocol);
        pg_sys::Datum::from(exact)
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn pg_finfo_ords_gateway_reset() -> &'static pg_sys::Pg_finfo_record {
    const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };
    &V1
}
