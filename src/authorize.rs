//! The access decision (docs/decision.md#outcomes): `ords.authorize(token, method, path,
//! schema_alias)`. The model (rules, precedence, outcomes) is ords_core::decision; this file
//! parses the request, authenticates the caller and returns the decision to SQL.
//!
//! Read-only and cached (src/cache.rs): a decision reads the catalog only on a cache miss.
use std::cell::RefCell;

use ords_core::http::{self, Credentials};
use ords_core::{paths, scram};
use pgrx::pg_sys;
use pgrx::prelude::*;

use crate::cache;
use crate::errors::raise;
pub use ords_core::decision::Outcome;
use ords_core::decision::{basic_outcome, bearer_outcome};

pub struct Decision {
    pub outcome: Outcome,
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    pub privilege_name: Option<String>,
    pub www_authenticate: Option<String>,
}

/// Who the last `allowed` decision of this transaction let in: for row-level security and
/// handler SQL (docs/security.md, "Identities for row-level security").
struct Current {
    /// The local transaction the decision was made in.
    lxid: u32,
    /// The client's client_id (128 random bits, unique in the cluster); None for Basic users.
    client_id: Option<String>,
    /// The client's name (unique only within its schema), or the Basic user's role name.
    name: String,
    /// The schema alias of the decision.
    alias: String,
}

impl Current {
    /// `<alias>/client/<client_id>` or `<alias>/user/<login role>`: one string that no other
    /// schema's client or user can produce.
    fn identity(&self) -> String {
        match &self.client_id {
            Some(id) => format!("{}/client/{}", self.alias, id),
            None => format!("{}/user/{}", self.alias, self.name),
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Current>> = const { RefCell::new(None) };
}

/// Read the current decision's identity, if it was made in this transaction.
fn with_current<R>(f: impl FnOnce(&Current) -> Option<R>) -> Option<R> {
    let lxid = local_xid();
    CURRENT.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|cur| cur.lxid == lxid)
            .and_then(f)
    })
}

fn local_xid() -> u32 {
    unsafe {
        if pg_sys::MyProc.is_null() {
            0
        } else {
            (*pg_sys::MyProc).lxid
        }
    }
}

/// The clock, Unix time in microseconds (token expiry is checked against it, not the
/// transaction's start).
pub fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

const INSUFFICIENT_SCOPE: &str = "Bearer error=\"insufficient_scope\"";

/// The WWW-Authenticate value of a 401: Bearer (with `error="invalid_token"` when a token was
/// sent), and Basic for the schema's realm when HTTP Basic is enabled (pg_ords.basic_auth).
fn challenge(alias: &str, bad_token: bool) -> String {
    let bearer = if bad_token {
        "Bearer error=\"invalid_token\""
    } else {
        "Bearer"
    };
    if crate::settings::BASIC_AUTH.get() {
        format!("{bearer}, Basic realm=\"{alias}\"")
    } else {
        bearer.to_string()
    }
}

/// SCRAM iterations of Postgres's default verifiers (scram_iterations): the cost of the dummy
/// verification for unknown users, so that they cost what a real user costs.
const DUMMY_SCRAM_ITERATIONS: u32 = 4096;

/// Longest role name Postgres keeps (NAMEDATALEN - 1 bytes). A longer Basic user name is
/// refused, never truncated onto another role (Postgres would truncate it).
const MAX_ROLE_NAME_BYTES: usize = pg_sys::NAMEDATALEN as usize - 1;

/// Why a Basic login failed: the DETAIL of the server-log line (never sent to the client).
enum BasicFailure {
    NoRole,
    NameTooLong,
    CannotLogin,
    Expired,
    Superuser,
    NoConnect,
    NoPassword,
    WrongPassword,
}

impl BasicFailure {
    fn detail(&self) -> &'static str {
        match self {
            BasicFailure::NoRole => "Role does not exist.",
            BasicFailure::NameTooLong => {
                "User name is longer than 63 bytes; refused, not truncated."
            }
            BasicFailure::CannotLogin => "Role is not permitted to log in.",
            BasicFailure::Expired => "User has an expired password.",
            BasicFailure::Superuser => {
                "Superusers may not use HTTP Basic (pg_ords.basic_auth_allow_superuser is off)."
            }
            BasicFailure::NoConnect => "Role lacks CONNECT privilege on the current database.",
            BasicFailure::NoPassword => "User has no SCRAM-SHA-256 password assigned.",
            BasicFailure::WrongPassword => "Password does not match.",
        }
    }
}

/// A user name as it may appear in the server log: control characters escaped (no forged log
/// lines), at most 100 characters.
fn loggable_user(user: &str) -> String {
    let mut out = String::new();
    for (i, c) in user.chars().enumerate() {
        if i == 100 {
            out.push_str("...");
            break;
        }
        if c.is_control() || c == '"' || c == '\\' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Logs a failed Basic login the way Postgres logs a failed password, at LOG_SERVER_ONLY
/// (server log only, whatever client_min_messages says), without the statement (which holds
/// the credentials) and without the password.
fn log_basic_failure(user: &str, why: &BasicFailure) {
    unsafe extern "C-unwind" {
        fn errstart(elevel: std::ffi::c_int, domain: *const std::ffi::c_char) -> bool;
        fn errfinish(
            filename: *const std::ffi::c_char,
            lineno: std::ffi::c_int,
            funcname: *const std::ffi::c_char,
        );
        fn errcode(sqlerrcode: std::ffi::c_int) -> std::ffi::c_int;
        fn errmsg_internal(fmt: *const std::ffi::c_char, ...) -> std::ffi::c_int;
        fn errdetail_internal(fmt: *const std::ffi::c_char, ...) -> std::ffi::c_int;
    }
    let msg = format!(
        "password authentication failed for user \"{}\"",
        loggable_user(user)
    );
    let detail = format!(
        "pg_ords: ords.authorize with HTTP basic credentials: {}",
        why.detail()
    );
    let (Ok(msg), Ok(detail)) = (std::ffi::CString::new(msg), std::ffi::CString::new(detail))
    else {
        return;
    };
    unsafe {
        if errstart(pg_sys::LOG_SERVER_ONLY as _, std::ptr::null()) {
            errcode(PgSqlErrorCode::ERRCODE_INVALID_PASSWORD as _);
            errmsg_internal(c"%s".as_ptr(), msg.as_ptr());
            errdetail_internal(c"%s".as_ptr(), detail.as_ptr());
            pg_sys::errhidestmt(true);
            pg_sys::errhidecontext(true);
            errfinish(
                c"authorize.rs".as_ptr(),
                line!() as _,
                c"basic_login".as_ptr(),
            );
        }
    }
}

/// May the role connect to the current database (CONNECT privilege; superusers always may)?
fn may_connect(role: pg_sys::Oid) -> bool {
    unsafe {
        pg_sys::superuser_arg(role)
            || pg_sys::pg_database_aclcheck(
                pg_sys::MyDatabaseId,
                role,
                pg_sys::ACL_CONNECT as pg_sys::AclMode,
            ) == pg_sys::AclResult::ACLCHECK_OK
    }
}

/// HTTP Basic with a Postgres login role (seed 004), following Postgres's own login rules
/// (docs/authentication.md): only when pg_ords.basic_auth is on; the role must exist under
/// exactly that name (at most 63 bytes), be LOGIN, unexpired, not a superuser (unless
/// pg_ords.basic_auth_allow_superuser), hold CONNECT on the current database, and the
/// password must match the SCRAM verifier Postgres keeps. Returns the role's oid, else None.
///
/// The attempt is reserved with the throttle before the password is checked (counted as a
/// failure at once, per user name), so parallel guesses cannot all be evaluated. Refusals
/// cost the same as a wrong password (a dummy verification) and say nothing to the caller;
/// each is logged at LOG in the server log like Postgres's "password authentication failed".
fn basic_login(user: &str, password: &str) -> Option<pg_sys::Oid> {
    if !crate::settings::BASIC_AUTH.get() {
        return None;
    }
    let too_long = user.len() > MAX_ROLE_NAME_BYTES;
    let role = if too_long || user.is_empty() {
        None
    } else {
        crate::identity::login_role(user)
    };
    let reservation =
        crate::throttle::reserve(crate::throttle::Kind::Basic, user, role.is_some()).ok()?;
    let allow_superuser = crate::settings::BASIC_AUTH_ALLOW_SUPERUSER.get();
    let refusal = match &role {
        None if too_long => Some(BasicFailure::NameTooLong),
        None => Some(BasicFailure::NoRole),
        Some(r) if !r.can_login => Some(BasicFailure::CannotLogin),
        Some(r) if r.expired => Some(BasicFailure::Expired),
        Some(r) if r.superuser && !allow_superuser => Some(BasicFailure::Superuser),
        Some(r) if !may_connect(r.oid) => Some(BasicFailure::NoConnect),
        Some(_) => None,
    };
    let verifier = role
        .as_ref()
        .filter(|_| refusal.is_none())
        .and_then(|r| r.verifier.as_deref())
        .and_then(scram::parse_verifier);
    // Roles that may not sign in this way are refused exactly like a wrong password: same
    // cost (a dummy verification), counted as a failure, and no hint whether the password
    // was right.
    let ok = match &verifier {
        Some(v) => scram::verify_password(v, user, password),
        None => {
            scram::dummy_verify(DUMMY_SCRAM_ITERATIONS);
            false
        }
    };
    if !ok {
        reservation.failed();
        let why = match refusal {
            Some(r) => r,
            None if verifier.is_none() => BasicFailure::NoPassword,
            None => BasicFailure::WrongPassword,
        };
        log_basic_failure(user, &why);
        return None;
    }
    reservation.succeeded();
    role.map(|r| r.oid)
}

pub fn decide(
    token: Option<&str>,
    method: Option<&str>,
    path: Option<&str>,
    alias: Option<&str>,
) -> Decision {
    let Some(alias) = alias.filter(|a| !a.is_empty()) else {
        raise(
            PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
            "p_schema_alias must not be NULL or empty",
            Some("Pass the schema alias of the request URL: /ords/<alias>/..."),
        )
    };
    match method {
        Some(m) if !m.is_empty() && m.len() <= 16 && m.bytes().all(|b| b.is_ascii_alphabetic()) => {
        }
        _ => raise(
            PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
            "p_method must be an HTTP method such as GET or POST",
            None,
        ),
    }
    let raw_path = path.unwrap_or("");
    let path = match paths::normalize(raw_path) {
        Ok(p) => p,
        Err(e) => raise(
            PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
            format!("request path refused: {e}"),
            Some(
                "Paths are relative to the schema alias, start with '/', and must normalise safely; answer 400.",
            ),
        ),
    };
    let Some(schema) = cache::schema(alias, || {
        crate::shared::schema(alias, || crate::catalog::load_schema(alias))
            .map(|(id, enabled)| cache::Schema::new(id, enabled))
    })
    .filter(|s| s.enabled) else {
        raise(
            PgSqlErrorCode::ERRCODE_UNDEFINED_OBJECT,
            format!("no enabled REST-enabled schema has the alias \"{alias}\""),
            Some("Check p_schema_alias against user_ords_schemas.pattern; answer 404."),
        )
    };
    let Some(rule) = schema.governing(&path) else {
        return Decision {
            outcome: Outcome::Public,
            client_id: None,
            client_name: None,
            privilege_name: None,
            www_authenticate: None,
        };
    };
    let privilege_name = Some(rule.privilege_name.clone());
    // An unauthenticated caller learns that the path is protected, not by what: the privilege
    // is named only to authenticated callers (allowed, forbidden).
    let refuse = |outcome, challenge: String| Decision {
        outcome,
        client_id: None,
        client_name: None,
        privilege_name: None,
        www_authenticate: Some(challenge),
    };
    let bearer = match http::parse_request_authorization(token) {
        Ok(Credentials::Bearer(t)) => t,
        Ok(Credentials::None) => return refuse(Outcome::Unauthorized, challenge(alias, false)),
        Ok(Credentials::Basic { user, password }) => {
            let member = basic_login(&user, &password)
                .map(|oid| crate::identity::member_of_any(oid, &rule.role_names));
            let outcome = basic_outcome(member);
            if outcome == Outcome::Unauthorized {
                return refuse(outcome, challenge(alias, false));
            }
            return Decision {
                outcome,
                client_id: None,
                client_name: Some(user),
                privilege_name,
                www_authenticate: None,
            };
        }
        _ => return refuse(Outcome::Unauthorized, challenge(alias, true)),
    };
    let session = crate::bearer::session(&bearer);
    match bearer_outcome(&rule, schema.id, session.as_deref(), now_us()) {
        Outcome::Unauthorized => refuse(Outcome::Unauthorized, challenge(alias, true)),
        outcome => {
            let session = session.as_deref();
            Decision {
                outcome,
                client_id: session.map(|s| s.client_id.clone()),
                client_name: session.map(|s| s.client_name.clone()),
                privilege_name,
                www_authenticate: (outcome == Outcome::Forbidden)
                    .then(|| INSUFFICIENT_SCOPE.to_string()),
            }
        }
    }
}

thread_local! {
    /// The row type ords.decision: (type oid, its tuple descriptor in TopMemoryContext).
    static DECISION_TYPE: std::cell::Cell<(u32, usize)> = const { std::cell::Cell::new((0, 0)) };
}

/// The tuple descriptor of ords.decision, looked up once per backend (again if the type's oid
/// changes, e.g. after DROP/CREATE EXTENSION).
unsafe fn decision_tupdesc(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::TupleDesc {
    unsafe {
        let rettype = pg_sys::get_fn_expr_rettype((*fcinfo).flinfo);
        let (oid, ptr) = DECISION_TYPE.with(|c| c.get());
        if oid != 0 && oid == rettype.to_u32() {
            return ptr as pg_sys::TupleDesc;
        }
        let desc = pgrx::PgMemoryContexts::TopMemoryContext
            .switch_to(|_| pg_sys::lookup_rowtype_tupdesc_copy(rettype, -1));
        DECISION_TYPE.with(|c| c.set((rettype.to_u32(), desc as usize)));
        desc
    }
}

fn text_datum(v: Option<&str>) -> (pg_sys::Datum, bool) {
    match v.and_then(|s| s.into_datum()) {
        Some(d) => (d, false),
        None => (pg_sys::Datum::from(0usize), true),
    }
}

/// `ords.authorize(p_token, p_method, p_path, p_schema_alias) RETURNS ords.decision`: may this
/// request pass? One row: outcome (public | allowed | unauthorized | forbidden), http_status
/// (200/200/401/403), the client, the governing privilege, and the WWW-Authenticate value for
/// refusals. `p_token` is a raw token or a whole Authorization header value. Read-only (works
/// in read-only transactions and on hot standbys) and SECURITY INVOKER on purpose: its catalog
/// reads switch to the extension owner themselves (identity::as_owner), and only on a cache
/// miss. Written against the plain V1 calling convention, returning one composite value, so
/// a decision served from the caches costs no set-returning-function machinery.
#[unsafe(no_mangle)]
#[pg_guard]
pub unsafe extern "C-unwind" fn ords_authorize(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    unsafe {
        let token = pgrx::fcinfo::pg_getarg::<&str>(fcinfo, 0);
        let method = pgrx::fcinfo::pg_getarg::<&str>(fcinfo, 1);
        let path = pgrx::fcinfo::pg_getarg::<&str>(fcinfo, 2);
        let alias = pgrx::fcinfo::pg_getarg::<&str>(fcinfo, 3);
        let d = decide_for_transaction(token, method, path, alias);
        decision_datum(fcinfo, &d)
    }
}

/// [`decide`], and remember an `allowed` decision as this transaction's current identity
/// (`ords.current_client_id()` and friends answer from it; any other outcome clears it).
pub fn decide_for_transaction(
    token: Option<&str>,
    method: Option<&str>,
    path: Option<&str>,
    alias: Option<&str>,
) -> Decision {
    let d = decide(token, method, path, alias);
    let lxid = local_xid();
    CURRENT.with(|c| {
        *c.borrow_mut() = match (&d.outcome, &d.client_name, alias) {
            (Outcome::Allowed, Some(name), Some(alias)) => Some(Current {
                lxid,
                client_id: d.client_id.clone(),
                name: name.clone(),
                alias: alias.to_string(),
            }),
            _ => None,
        }
    });
    d
}

/// `d` as a value of the function's return type, ords.decision.
///
/// # Safety
/// `fcinfo` must be the call of a V1 function declared to return `ords.decision`.
pub unsafe fn decision_datum(fcinfo: pg_sys::FunctionCallInfo, d: &Decision) -> pg_sys::Datum {
    unsafe {
        let desc = decision_tupdesc(fcinfo);
        let cols = [
            text_datum(Some(d.outcome.name())),
            (pg_sys::Datum::from(d.outcome.http_status()), false),
            text_datum(d.client_id.as_deref()),
            text_datum(d.client_name.as_deref()),
            text_datum(d.privilege_name.as_deref()),
            text_datum(d.www_authenticate.as_deref()),
        ];
        let mut values = cols.map(|(v, _)| v);
        let mut nulls = cols.map(|(_, n)| n);
        let tuple = pg_sys::heap_form_tuple(desc, values.as_mut_ptr(), nulls.as_mut_ptr());
        pg_sys::HeapTupleHeaderGetDatum((*tuple).t_data)
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn pg_finfo_ords_authorize() -> &'static pg_sys::Pg_finfo_record {
    const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };
    &V1
}

#[pg_schema]
pub mod ords {
    use super::*;

    /// The public JWK Set of the JWT signing keys: the current ones and those retired less than
    /// the longest token lifetime ago (PostgREST's jwt-secret, see ords.postgrest_pre_config).
    #[pg_extern(stable, security_definer)]
    #[search_path(pg_catalog, pg_temp)]
    pub fn jwks() -> pgrx::JsonB {
        pgrx::JsonB(crate::jwt_keys::jwks())
    }

    /// The client_id of this transaction's last decision if it was `allowed`, else NULL (for
    /// row-level security policies). Any later decision in the same transaction replaces it, so
    /// a refused or public request never runs with an earlier request's client. PARALLEL
    /// RESTRICTED: the value lives in this backend, not in parallel workers.
    #[pg_extern(stable, parallel_restricted)]
    pub fn current_client_id() -> Option<String> {
        with_current(|c| c.client_id.clone())
    }

    /// The client name (for HTTP Basic: the login role's name) of this transaction's last
    /// decision if it was `allowed`, else NULL. Client names are unique only within a schema:
    /// for row-level security use ords.current_identity() (or current_client_id() together
    /// with current_schema_alias()).
    #[pg_extern(stable, parallel_restricted)]
    pub fn current_client_name() -> Option<String> {
        with_current(|c| Some(c.name.clone()))
    }

    /// The schema alias of this transaction's last `allowed` decision, else NULL.
    #[pg_extern(stable, parallel_restricted)]
    pub fn current_schema_alias() -> Option<String> {
        with_current(|c| Some(c.alias.clone()))
    }

    /// `client` (an OAuth client with a token) or `user` (HTTP Basic with a login role) for
    /// this transaction's last `allowed` decision, else NULL.
    #[pg_extern(stable, parallel_restricted)]
    pub fn current_principal_type() -> Option<&'static str> {
        with_current(|c| {
            Some(if c.client_id.is_some() {
                "client"
            } else {
                "user"
            })
        })
    }

    /// The unambiguous identity of this transaction's last `allowed` decision:
    /// `<alias>/client/<client_id>` or `<alias>/user/<login role>`, else NULL. Use it in
    /// row-level security policies: no other schema's client or user can produce it.
    #[pg_extern(stable, parallel_restricted)]
    pub fn current_identity() -> Option<String> {
        with_current(|c| Some(c.identity()))
    }
}

/// The 0.1.0 entry point (`authorize_wrapper`, RETURNS TABLE): kept so that a 0.1.0 catalog
/// served by this library keeps deciding until `ALTER EXTENSION pg_ords UPDATE` replaces it
/// with the ords.decision version. No SQL is generated for it.
mod compat_0_1_0 {
    use super::*;

    #[pg_extern(sql = false)]
    fn authorize(
        p_token: Option<&str>,
        p_method: Option<&str>,
        p_path: Option<&str>,
        p_schema_alias: Option<&str>,
    ) -> TableIterator<
        'static,
        (
            name!(outcome, &'static str),
            name!(http_status, i32),
            name!(client_id, Option<String>),
            name!(client_name, Option<String>),
            name!(privilege_name, Option<String>),
            name!(www_authenticate, Option<String>),
        ),
    > {
        let d = decide(p_token, p_method, p_path, p_schema_alias);
        TableIterator::once((
            d.outcome.name(),
            d.outcome.http_status(),
            d.client_id,
            d.client_name,
            d.privilege_name,
            d.www_authenticate,
        ))
    }
}
