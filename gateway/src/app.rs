//! Request handling: the token endpoint, the access decision, module handlers and the
//! reverse proxy. Every security decision is the extension's (oauth.token_endpoint,
//! ords.authorize); the gateway only carries requests to SQL and answers back.
use crate::binds;
use crate::config::Config;
use crate::routes::{self, CatalogRow, Match};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use deadpool_postgres::{Pool, PoolError};
use http_body_util::Full;
use hyper_util::client::legacy::{Client as HttpClient, connect::HttpConnector};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;
use tokio_postgres::types::{Format, IsNull, ToSql, Type};

pub struct AppState {
    pub cfg: Config,
    /// The decision pool: token endpoint, ords.authorize, handler definitions. Its role is a
    /// member of no tenant role and runs no handler SQL.
    pub pool: Pool,
    /// One pool per alias whose handlers are served, logging in as a role that can become that
    /// alias's schema role only. Every connection is reset after each use (`reset`).
    pub handler_pools: HashMap<String, Pool>,
    /// The login role of each alias's handler pool (its connection string's user). When it is
    /// the alias's schema role itself, a request needs no `SET LOCAL ROLE`.
    pub handler_logins: HashMap<String, String>,
    pub upstreams: HashMap<String, String>,
    pub http: HttpClient<HttpConnector, Full<Bytes>>,
    pub aliases: AliasCache,
    /// Handler rows read before, per alias: a handler request whose rows are known runs in
    /// one round trip, checked by ords.gateway_gate (docs/gateway.md, "One round trip").
    pub routes: crate::cache::RouteCache,
    /// Which handler statements each handler connection has prepared.
    pub prepared: crate::cache::Prepared,
    /// False once the extension turned out to have no ords.gateway_gate (older than 0.6.0):
    /// then every handler request takes the path with two decisions.
    pub gate_available: std::sync::atomic::AtomicBool,
}

/// The enabled aliases (ords.gateway_aliases()), so that requests for any other alias are
/// refused before they reach Postgres. Reloaded on a miss, at most once a second.
#[derive(Default)]
pub struct AliasCache {
    known: std::sync::RwLock<HashSet<String>>,
    last_load: tokio::sync::Mutex<Option<Instant>>,
}

/// What the access log may show about a request, besides method, path, status and latency.
#[derive(Clone, Default)]
pub struct LogInfo {
    pub alias: Option<String>,
    pub client_id: Option<String>,
}

// ------------------------------------------------------------------------------------------
// ORDS-style error bodies

fn code_for(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("BadRequest", "Bad Request"),
        401 => ("Unauthorized", "Unauthorized"),
        403 => ("Forbidden", "Forbidden"),
        404 => ("NotFound", "Not Found"),
        405 => ("MethodNotAllowed", "Method Not Allowed"),
        413 => ("RequestEntityTooLarge", "Request Entity Too Large"),
        431 => (
            "RequestHeaderFieldsTooLarge",
            "Request Header Fields Too Large",
        ),
        501 => ("NotImplemented", "Not Implemented"),
        502 => ("BadGateway", "Bad Gateway"),
        503 => ("ServiceUnavailable", "Service Unavailable"),
        504 => ("GatewayTimeout", "Gateway Timeout"),
        _ => ("InternalServerError", "Internal Server Error"),
    }
}

fn instance_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `{"code":…,"message":…,"type":"tag:oracle.com,2020:error/…","instance":"tag:oracle.com,2020:ecid/…"}`
pub fn ords_error(status: StatusCode, message: Option<&str>) -> Response {
    let (code, default_msg) = code_for(status);
    // ORDS's key order: code, message, type, instance.
    let s = |v: &str| serde_json::Value::String(v.to_string()).to_string();
    let body = format!(
        "{{\"code\":{},\"message\":{},\"type\":{},\"instance\":{}}}",
        s(code),
        s(message.unwrap_or(default_msg)),
        s(&format!("tag:oracle.com,2020:error/{code}")),
        s(&format!("tag:oracle.com,2020:ecid/{}", instance_id())),
    );
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response()
}

fn with_header(mut r: Response, name: HeaderName, value: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(value) {
        r.headers_mut().insert(name, v);
    }
    r
}

fn unavailable(retry_after: &str) -> Response {
    with_header(
        ords_error(StatusCode::SERVICE_UNAVAILABLE, None),
        header::RETRY_AFTER,
        retry_after,
    )
}

fn pool_error(e: PoolError) -> Response {
    match e {
        PoolError::Timeout(_) => {
            tracing::warn!("no database connection free within the pool wait timeout");
            unavailable("1")
        }
        PoolError::Backend(e) => {
            tracing::warn!(
                sqlstate = sqlstate(&e).unwrap_or(""),
                "database connection failed"
            );
            unavailable("5")
        }
        other => {
            tracing::error!(error = %other, "database pool error");
            unavailable("5")
        }
    }
}

fn sqlstate(e: &tokio_postgres::Error) -> Option<&str> {
    e.code().map(|c| c.code())
}

/// Errors of ords.authorize / oauth.token_endpoint: 22023 → 400, 42704 → 404, else 500/503.
fn decision_error(e: &tokio_postgres::Error, what: &str) -> Response {
    let st = sqlstate(e);
    match st {
        Some("22023") => ords_error(StatusCode::BAD_REQUEST, None),
        Some("42704") => ords_error(StatusCode::NOT_FOUND, None),
        Some("57014") => ords_error(StatusCode::GATEWAY_TIMEOUT, None),
        Some(s) if s.starts_with("08") || s.starts_with("57P") || s == "25006" => unavailable("5"),
        None if e.is_closed() => unavailable("5"),
        _ => {
            tracing::error!(sqlstate = st.unwrap_or(""), "{what} failed");
            ords_error(StatusCode::INTERNAL_SERVER_ERROR, None)
        }
    }
}

/// A value for the log: control characters (ESC, CR, LF, ...) escaped, so nothing a client
/// or a handler's error text carries can colour a terminal or forge a log line.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

// ------------------------------------------------------------------------------------------
// Entry points

pub async fn health() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"status":"UP"}"#,
    )
        .into_response()
}

pub async fn ready(State(st): State<Arc<AppState>>) -> Response {
    let client = match st.pool.get().await {
        Ok(c) => c,
        Err(e) => return pool_error(e),
    };
    match client.simple_query("SELECT 1").await {
        Ok(_) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"status":"UP","database":"UP"}"#,
        )
            .into_response(),
        Err(_) => unavailable("5"),
    }
}

/// The methods the gateway serves, in their one canonical (upper-case) spelling. HTTP methods
/// are case-sensitive: `get` is not GET, and is refused before any decision or handler.
const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const ALLOW: &str = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/// The token endpoint's own 400 (RFC 6749 §5.2), for requests refused before the extension.
fn oauth_invalid_request(description: &str) -> Response {
    let body = serde_json::json!({"error": "invalid_request", "error_description": description})
        .to_string();
    let mut r = (
        StatusCode::BAD_REQUEST,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json;charset=UTF-8"),
        )],
        body,
    )
        .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

/// Everything that is not /health: /ords/<alias>/<path>.
pub async fn ords_entry(State(st): State<Arc<AppState>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let method = parts.method.clone();
    if !METHODS.contains(&method.as_str()) {
        return with_header(
            ords_error(StatusCode::METHOD_NOT_ALLOWED, None),
            header::ALLOW,
            ALLOW,
        );
    }
    let raw_path = parts.uri.path().to_string();
    let Some(after) = raw_path.strip_prefix("/ords/") else {
        return ords_error(StatusCode::NOT_FOUND, None);
    };
    let (alias, rest) = match after.find('/') {
        Some(i) => (&after[..i], after[i..].to_string()),
        None => (after, "/".to_string()),
    };
    if alias.is_empty() {
        return ords_error(StatusCode::NOT_FOUND, None);
    }
    let alias = alias.to_string();
    let mut info = LogInfo {
        alias: Some(alias.clone()),
        client_id: None,
    };

    // The path, normalised by the same ords-core code as ords.authorize's: a path it would
    // refuse is refused here, before Postgres.
    let Ok(path) = ords_core::paths::normalize(&rest) else {
        return finish(ords_error(StatusCode::BAD_REQUEST, None), info);
    };
    let is_token = path == "/oauth/token";
    let bad_request = |msg: &str| {
        if is_token {
            oauth_invalid_request(msg)
        } else {
            ords_error(StatusCode::BAD_REQUEST, None)
        }
    };

    // One Authorization header, readable as UTF-8.
    let mut auths = parts.headers.get_all(header::AUTHORIZATION).iter();
    let authorization = auths.next();
    if auths.next().is_some() {
        return finish(bad_request("More than one Authorization header"), info);
    }
    let authorization = match authorization.map(|v| std::str::from_utf8(v.as_bytes())) {
        None => None,
        Some(Ok(v)) => Some(v.to_string()),
        Some(Err(_)) => return finish(bad_request("The Authorization header is not UTF-8"), info),
    };
    // A body announced larger than the limit is refused at once (no 100 Continue is sent).
    if let Some(len) = parts.headers.get(header::CONTENT_LENGTH) {
        match len.to_str().ok().and_then(|v| v.trim().parse::<u64>().ok()) {
            Some(n) if n > st.cfg.max_body_bytes as u64 => {
                return finish(
                    with_header(
                        ords_error(StatusCode::PAYLOAD_TOO_LARGE, None),
                        header::CONNECTION,
                        "close",
                    ),
                    info,
                );
            }
            Some(_) => {}
            None => return finish(bad_request("Invalid Content-Length"), info),
        }
    }

    match st.aliases.known(&st, &alias).await {
        Ok(true) => {}
        Ok(false) => return finish(ords_error(StatusCode::NOT_FOUND, None), info),
        Err(r) => return finish(r, info),
    }

    let body = match axum::body::to_bytes(body, st.cfg.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => return finish(ords_error(StatusCode::PAYLOAD_TOO_LARGE, None), info),
    };

    let resp = if is_token {
        if method != Method::POST {
            with_header(
                ords_error(StatusCode::METHOD_NOT_ALLOWED, None),
                header::ALLOW,
                "POST",
            )
        } else {
            token_endpoint(&st, &parts.headers, authorization, &body, &alias).await
        }
    } else {
        let req = Req {
            method: &method,
            headers: &parts.headers,
            query: parts.uri.query(),
            alias: &alias,
            raw_rest: &rest,
            path: &path,
            authorization,
        };
        resource(&st, &req, body, &mut info).await
    };
    finish(resp, info)
}

fn finish(mut r: Response, info: LogInfo) -> Response {
    r.extensions_mut().insert(info);
    r
}

impl AliasCache {
    /// Is `alias` an enabled alias? Reloads the list on a miss, at most once a second, so a
    /// flood of unknown aliases costs one query a second and writes nothing to the server log.
    pub async fn known(&self, st: &AppState, alias: &str) -> Result<bool, Response> {
        if self
            .known
            .read()
            .map(|k| k.contains(alias))
            .unwrap_or(false)
        {
            return Ok(true);
        }
        let mut last = self.last_load.lock().await;
        if self
            .known
            .read()
            .map(|k| k.contains(alias))
            .unwrap_or(false)
        {
            return Ok(true);
        }
        if last.is_some_and(|t| t.elapsed() < std::time::Duration::from_secs(1)) {
            return Ok(false);
        }
        *last = Some(Instant::now());
        let client = st.pool.get().await.map_err(pool_error)?;
        let rows = client
            .query("SELECT a::text FROM ords.gateway_aliases() a", &[])
            .await
            .map_err(|e| decision_error(&e, "ords.gateway_aliases"))?;
        let set: HashSet<String> = rows.iter().map(|r| r.get::<_, String>(0)).collect();
        let found = set.contains(alias);
        if let Ok(mut k) = self.known.write() {
            *k = set;
        }
        Ok(found)
    }
}

// ------------------------------------------------------------------------------------------
// POST /ords/<alias>/oauth/token → oauth.token_endpoint, answered unchanged

async fn token_endpoint(
    st: &AppState,
    headers: &HeaderMap,
    authorization: Option<String>,
    body: &Bytes,
    alias: &str,
) -> Response {
    // Text only: no NUL (Postgres text cannot hold it) and no invalid UTF-8 (never replaced).
    let body_text = match std::str::from_utf8(body) {
        Ok(t) if !t.contains('\0') => t.to_string(),
        _ => return oauth_invalid_request("The request body is not UTF-8 text"),
    };
    let content_type = match headers
        .get(header::CONTENT_TYPE)
        .map(|v| std::str::from_utf8(v.as_bytes()))
    {
        None => None,
        Some(Ok(v)) => Some(v.to_string()),
        Some(Err(_)) => return oauth_invalid_request("The Content-Type header is not UTF-8"),
    };
    let client = match st.pool.get().await {
        Ok(c) => c,
        Err(e) => return pool_error(e),
    };
    let stmt = match client
        .prepare_cached("SELECT status::int4, headers::text, body::text FROM oauth.token_endpoint($1::text, $2::text, $3::text, $4::text)")
        .await
    {
        Ok(s) => s,
        Err(e) => return decision_error(&e, "oauth.token_endpoint"),
    };
    let row = match client
        .query_one(&stmt, &[&authorization, &content_type, &body_text, &alias])
        .await
    {
        Ok(r) => r,
        Err(e) => return decision_error(&e, "oauth.token_endpoint"),
    };
    let status: i32 = row.get(0);
    let headers_json: Option<String> = row.get(1);
    let body_json: Option<String> = row.get(2);
    let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = Response::new(Body::from(body_json.unwrap_or_default()));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(h) = headers_json
        && let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&h)
    {
        for (k, v) in map {
            let v = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => continue,
                other => other.to_string(),
            };
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(k.as_bytes()),
                HeaderValue::from_str(&v),
            ) {
                resp.headers_mut().insert(n, v);
            }
        }
    }
    resp
}

// ------------------------------------------------------------------------------------------
// Any other resource: ords.authorize, then a handler, an upstream, or 404

/// What a resource request carries to the decision and the handler.
pub struct Req<'a> {
    pub method: &'a Method,
    pub headers: &'a HeaderMap,
    pub query: Option<&'a str>,
    pub alias: &'a str,
    pub raw_rest: &'a str,
    pub path: &'a str,
    pub authorization: Option<String>,
}

/// The decision and, when it lets the request through, the handler definitions of the alias
/// under the path: one statement, one round trip, on the decision pool.
const DECIDE_SQL: &str = "SELECT d.outcome::text, d.http_status::int4, d.client_id::text, d.client_name::text, \
     d.www_authenticate::text, h.parsing_schema, h.uri_prefix, h.module_items_per_page, h.uri_template, h.priority, \
     h.method, h.source_type, h.source, h.handler_items_per_page \
     FROM ords.authorize($1::text, $2::text, $3::text, $4::text) d \
     LEFT JOIN LATERAL ords.gateway_handlers($4::text, $5::text) h ON d.outcome IN ('allowed', 'public')";

/// The decision again, on the handler's connection and in its transaction, so that
/// ords.current_client_id() / current_client_name() answer for this request in handler SQL.
const AUTH_TYPES: [Type; 4] = [Type::TEXT, Type::TEXT, Type::TEXT, Type::TEXT];
const AUTHORIZE_SQL: &str = "SELECT outcome::text, http_status::int4, client_id::text, client_name::text, \
     www_authenticate::text FROM ords.authorize($1::text, $2::text, $3::text, $4::text)";

/// The decision of a request whose handler rows the gateway already holds, in the handler's
/// transaction: raises unless the request may pass, and when the rows are out of date.
const GATE_TYPES: [Type; 6] = [
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
];
const GATE_SQL: &str = "SELECT outcome::text, http_status::int4, client_id::text, client_name::text, \
     www_authenticate::text FROM ords.gateway_gate($1::text, $2::text, $3::text, $4::text, $5::text, $6::text)";

struct Decision {
    outcome: String,
    http_status: i32,
    client_id: Option<String>,
    client_name: Option<String>,
    www_authenticate: Option<String>,
}

impl Decision {
    fn from_row(r: &tokio_postgres::Row) -> Decision {
        Decision {
            outcome: r.get(0),
            http_status: r.get(1),
            client_id: r.get(2),
            client_name: r.get(3),
            www_authenticate: r.get(4),
        }
    }
    fn lets_through(&self) -> bool {
        self.outcome == "allowed" || self.outcome == "public"
    }
    fn refusal(&self) -> Response {
        let status =
            StatusCode::from_u16(self.http_status as u16).unwrap_or(StatusCode::UNAUTHORIZED);
        let mut r = ords_error(status, None);
        if let Some(w) = &self.www_authenticate {
            r = with_header(r, header::WWW_AUTHENTICATE, w);
        }
        r
    }
}

async fn resource(st: &AppState, req: &Req<'_>, body: Bytes, info: &mut LogInfo) -> Response {
    let method_text = req.method.as_str();
    let lookup_method = if *req.method == Method::HEAD {
        "GET"
    } else {
        method_text
    };
    // One round trip when this alias's handler rows for the path are known: the decision is
    // ords.gateway_gate, in the handler's transaction, which also checks the rows.
    if st.gate_available.load(std::sync::atomic::Ordering::Relaxed)
        && let Some(pool) = st.handler_pools.get(req.alias)
        && let Some(set) = st.routes.lookup(req.alias, req.path)
        && let Match::Handler { row, binds } = routes::select(&set.rows, req.path, lookup_method)
    {
        match run_handler(
            st,
            pool,
            req,
            &row,
            &binds,
            &body,
            info,
            Some(&set.fingerprint),
        )
        .await
        {
            Handled::Response(r) => return r,
            Handled::Stale => st.routes.forget(req.alias),
            Handled::NoGate => st
                .gate_available
                .store(false, std::sync::atomic::Ordering::Relaxed),
        }
    }
    let (d, rows) = {
        let client = match st.pool.get().await {
            Ok(c) => c,
            Err(e) => return pool_error(e),
        };
        let stmt = match client.prepare_cached(DECIDE_SQL).await {
            Ok(s) => s,
            Err(e) => return decision_error(&e, "ords.authorize / ords.gateway_handlers"),
        };
        let rows = match client
            .query(
                &stmt,
                &[
                    &req.authorization,
                    &method_text,
                    &req.raw_rest,
                    &req.alias,
                    &req.path,
                ],
            )
            .await
        {
            Ok(r) => r,
            Err(e) => return decision_error(&e, "ords.authorize / ords.gateway_handlers"),
        };
        // The decision connection goes back to the pool here, before any handler or upstream.
        let Some(first) = rows.first() else {
            tracing::error!("ords.authorize returned no row");
            return ords_error(StatusCode::INTERNAL_SERVER_ERROR, None);
        };
        let d = Decision::from_row(first);
        let handlers: Vec<CatalogRow> = rows
            .iter()
            .filter(|r| r.get::<_, Option<String>>(5).is_some())
            .map(|r| CatalogRow {
                parsing_schema: r.get(5),
                uri_prefix: r.get(6),
                module_items_per_page: r.get(7),
                uri_template: r.get(8),
                priority: r.get(9),
                method: r.get(10),
                source_type: r.get(11),
                source: r.get(12),
                handler_items_per_page: r.get(13),
            })
            .collect();
        (d, handlers)
    };
    info.client_id = d.client_id.clone();
    if !d.lets_through() {
        return d.refusal();
    }
    st.routes.keep(req.alias, &rows);
    match routes::select(&rows, req.path, lookup_method) {
        Match::Handler { row, binds } => {
            let Some(pool) = st.handler_pools.get(req.alias) else {
                tracing::warn!(
                    alias = %clean(req.alias),
                    "a module handler matched, but this alias has no --handler-database-url: not run"
                );
                return ords_error(
                    StatusCode::NOT_IMPLEMENTED,
                    Some("This alias's handlers are not served by this gateway"),
                );
            };
            match run_handler(st, pool, req, &row, &binds, &body, info, None).await {
                Handled::Response(r) => r,
                // Only a gated run can be stale or find no gate.
                Handled::Stale | Handled::NoGate => {
                    ords_error(StatusCode::INTERNAL_SERVER_ERROR, None)
                }
            }
        }
        Match::MethodNotAllowed(allowed) => {
            let r = ords_error(StatusCode::METHOD_NOT_ALLOWED, None);
            with_header(r, header::ALLOW, &allowed.join(", "))
        }
        Match::None => match st.upstreams.get(req.alias) {
            Some(u) => {
                crate::proxy::forward(
                    st,
                    u,
                    req.method,
                    req.headers,
                    req.path,
                    req.query,
                    body,
                    info.client_id.as_deref(),
                )
                .await
            }
            None => ords_error(StatusCode::NOT_FOUND, None),
        },
    }
}

// ------------------------------------------------------------------------------------------
// Handler connections: reset after each use, or dropped

/// What a handler connection runs after each use (docs/gateway.md, "Nothing survives between
/// requests"): `ords.gateway_reset(n)` (pg_ords 0.7.0) does in one call everything `DISCARD
/// ALL` does except dropping the gateway's own prepared statements and plans, and says whether
/// the prepared statements left are exactly the gateway's `n`. A statement made with SQL
/// `PREPARE` is a handler's: then, or when the protocol-level statements are not exactly the
/// gateway's cache (a handler ran `DEALLOCATE` on one), `DISCARD ALL` runs too. Sent as a
/// simple query (never a prepared statement, which a handler could replace).
fn reset_call(statements: usize) -> String {
    format!("SELECT ords.gateway_reset({statements})")
}

/// The same reset as statements, for a pg_ords older than 0.7.0 (no `ords.gateway_reset`):
/// the prepared statements are counted by the last one.
const RESET_SQL: &str = "CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; UNLISTEN *; \
    SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES; \
    SELECT count(*) FILTER (WHERE from_sql)::text, count(*) FILTER (WHERE NOT from_sql)::text \
    FROM pg_prepared_statements";

/// Whether the database has `ords.gateway_reset` (cleared for good, with a warning, the first
/// time it answers that it has not).
static RESET_FUNCTION: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Most handler statements one connection keeps prepared; beyond, it starts again.
const MAX_CACHED_STATEMENTS: usize = 256;

/// Whether the reset's answer says the prepared statements left are exactly the gateway's
/// `cached` ones.
fn exactly_ours(msgs: &[tokio_postgres::SimpleQueryMessage], cached: usize) -> bool {
    let last_row = msgs.iter().rev().find_map(|m| match m {
        tokio_postgres::SimpleQueryMessage::Row(r) => Some(r),
        _ => None,
    });
    let Some(r) = last_row else {
        return false;
    };
    if cached > MAX_CACHED_STATEMENTS {
        return false;
    }
    if r.len() == 1 {
        return r.get(0) == Some("t");
    }
    let count = |i| r.get(i).and_then(|v: &str| v.parse::<usize>().ok());
    count(0) == Some(0) && count(1) == Some(cached)
}

/// Runs the reset ([`reset_call`], or [`RESET_SQL`] on an older pg_ords) and `DISCARD ALL`
/// when the prepared statements are not exactly the gateway's. Err: the connection must not
/// be reused.
async fn reset(
    obj: &deadpool_postgres::Object,
    prepared: &crate::cache::Prepared,
) -> Result<(), ()> {
    use std::sync::atomic::Ordering::Relaxed;
    // Nothing is being prepared on this connection now: the cache is what the session holds.
    let cached = obj.statement_cache.size();
    let msgs = if RESET_FUNCTION.load(Relaxed) {
        match obj.simple_query(&reset_call(cached)).await {
            Ok(m) => m,
            Err(e) => {
                if sqlstate(&e) == Some("42883") && RESET_FUNCTION.swap(false, Relaxed) {
                    tracing::warn!(
                        "the extension has no ords.gateway_reset (pg_ords older than 0.7.0): handler connections are reset with eight statements; run ALTER EXTENSION pg_ords UPDATE"
                    );
                }
                return Err(());
            }
        }
    } else {
        obj.simple_query(RESET_SQL).await.map_err(|_| ())?
    };
    if exactly_ours(&msgs, cached) {
        return Ok(());
    }
    obj.statement_cache.clear();
    prepared.forget(&obj.statement_cache);
    obj.batch_execute("DISCARD ALL").await.map_err(|_| ())
}

/// A handler connection. `release()` resets it ([`reset`]: temp objects, prepared statements
/// made by SQL, advisory locks, LISTEN, sequence state, GUCs, role: nothing a handler did
/// survives) and returns it to the pool; dropped any other way (an error, a cancelled request)
/// it is closed, never reused.
struct HandlerConn<'a> {
    obj: Option<deadpool_postgres::Object>,
    prepared: &'a crate::cache::Prepared,
}

/// Ends the transaction with `end` and resets the connection, pipelined (one round trip).
/// Ok(true): both worked and the connection may be reused.
async fn end_and_reset(
    obj: &deadpool_postgres::Object,
    prepared: &crate::cache::Prepared,
    end: &str,
) -> Result<bool, tokio_postgres::Error> {
    let (ended, reset) = tokio::join!(obj.batch_execute(end), reset(obj, prepared));
    ended.map(|()| reset.is_ok())
}

impl HandlerConn<'_> {
    fn client(&self) -> &deadpool_postgres::Object {
        self.obj
            .as_ref()
            .expect("handler connection present until released")
    }
    /// Ends the transaction and resets the connection, pipelined (one round trip); Err from
    /// the end of the transaction. The connection goes back to the pool only when both worked.
    /// The connection stays in the guard until both are answered: cancelled meanwhile, it is
    /// closed, never given back half reset.
    async fn finish(self, end: &str) -> Result<(), tokio_postgres::Error> {
        let Some(obj) = self.obj.as_ref() else {
            return Ok(());
        };
        let ended = end_and_reset(obj, self.prepared, end).await;
        self.done(matches!(ended, Ok(true)));
        ended.map(|_| ())
    }
    /// The transaction has ended and the reset has run: back to the pool when `reusable`
    /// (both worked), else closed.
    fn done(mut self, reusable: bool) {
        if let Some(obj) = self.obj.take()
            && !reusable
        {
            let _ = deadpool_postgres::Object::take(obj);
        }
    }
    async fn release(self, in_transaction: bool) {
        let _ = self
            .finish(if in_transaction { "ROLLBACK" } else { "SELECT" })
            .await;
    }
}

impl Drop for HandlerConn<'_> {
    fn drop(&mut self) {
        if let Some(obj) = self.obj.take() {
            let _ = deadpool_postgres::Object::take(obj);
        }
    }
}

/// ORDS's implicit parameters: bound from the request and the decision only, never from the
/// query string or the path (compared case-insensitively, so :CURRENT_USER is one too).
const IMPLICIT: &[&str] = &[
    "current_user",
    "body",
    "body_text",
    "body_json",
    "content_type",
    "status_code",
    "forward_location",
    "fetch_offset",
    "fetch_size",
    "page_offset",
    "page_size",
    "row_offset",
    "row_count",
];

fn is_implicit(name: &str) -> bool {
    IMPLICIT.iter().any(|i| i.eq_ignore_ascii_case(name))
}

/// Query-string parameters, decoded strictly: `+` is a space, `%XX` a byte, and the result must
/// be UTF-8 without NUL (no U+FFFD substitution). Err: a 400.
fn parse_query(q: Option<&str>) -> Result<Vec<(String, String)>, ()> {
    let mut out = Vec::new();
    let Some(q) = q else { return Ok(out) };
    for part in q.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        out.push((decode_component(k, true)?, decode_component(v, true)?));
    }
    Ok(out)
}

/// Percent-decodes (and, for query components, `+` → space) into UTF-8 without NUL.
pub fn decode_component(s: &str, plus_is_space: bool) -> Result<String, ()> {
    let s = if plus_is_space {
        s.replace('+', " ")
    } else {
        s.to_string()
    };
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(&s).collect();
    let t = String::from_utf8(bytes).map_err(|_| ())?;
    if t.contains('\0') {
        return Err(());
    }
    Ok(t)
}

/// A bind value. Text is sent in text format: Postgres parses it as whatever type it inferred
/// for the parameter, exactly as it would an untyped literal, but it is never part of the SQL
/// text. The request body (:body) is sent as raw bytes when the parameter is bytea.
#[derive(Debug)]
enum Param {
    Text(Option<String>),
    Body(Option<Bytes>),
}

impl ToSql for Param {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Param::Text(None) | Param::Body(None) => Ok(IsNull::Yes),
            Param::Text(Some(s)) => {
                out.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
            Param::Body(Some(b)) => {
                if *ty != Type::BYTEA && (std::str::from_utf8(b).is_err() || b.contains(&0)) {
                    return Err("the request body is not UTF-8 text".into());
                }
                out.extend_from_slice(b);
                Ok(IsNull::No)
            }
        }
    }
    fn accepts(_ty: &Type) -> bool {
        true
    }
    fn encode_format(&self, ty: &Type) -> Format {
        match self {
            Param::Body(_) if *ty == Type::BYTEA => Format::Binary,
            _ => Format::Text,
        }
    }
    tokio_postgres::types::to_sql_checked!();
}

enum Shape {
    Collection,
    Single,
}

fn shape_of(source_type: &str) -> Option<Shape> {
    let t = source_type.trim().to_ascii_lowercase().replace(' ', "");
    match t.as_str() {
        "json/collection" | "json/query" | "json/collection;type=feed" => Some(Shape::Collection),
        "json/query;type=single" | "json/item" | "json/query;type=item" => Some(Shape::Single),
        _ => None,
    }
}

fn handler_error(e: &tokio_postgres::Error) -> Response {
    let st = sqlstate(e).unwrap_or("");
    if st.starts_with("22") {
        tracing::info!(sqlstate = st, "handler query refused the request's values");
        return ords_error(StatusCode::BAD_REQUEST, None);
    }
    if st == "57014" {
        tracing::warn!(sqlstate = st, "handler query cancelled (statement_timeout)");
        return ords_error(StatusCode::GATEWAY_TIMEOUT, None);
    }
    if st.is_empty() && e.as_db_error().is_none() && !e.is_closed() {
        // A bind value the driver could not send (a body that is not text for a text parameter).
        tracing::info!("handler bind refused the request's values");
        return ords_error(StatusCode::BAD_REQUEST, None);
    }
    if st == "25006" {
        tracing::warn!(
            sqlstate = st,
            "handler tried to write in a read-only (GET) transaction"
        );
    } else if st == "42501" {
        tracing::error!(sqlstate = st, "permission denied in handler");
    } else {
        let msg = e
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_default();
        tracing::error!(sqlstate = st, error = %clean(&msg), "handler query failed");
    }
    ords_error(StatusCode::INTERNAL_SERVER_ERROR, None)
}

/// Paging of a collection: offset and page size (None for single-row handlers).
struct Paging {
    offset: i64,
    limit: i64,
}

#[allow(clippy::too_many_arguments)]
async fn run_handler(
    st: &AppState,
    pool: &Pool,
    req: &Req<'_>,
    row: &CatalogRow,
    binds: &[(String, String)],
    body: &Bytes,
    info: &mut LogInfo,
    gate: Option<&str>,
) -> Handled {
    let Some(shape) = shape_of(row.source_type.as_deref().unwrap_or("")) else {
        return Handled::Response(ords_error(
            StatusCode::NOT_IMPLEMENTED,
            Some("This handler's source type is not supported by the gateway"),
        ));
    };
    let Ok(qparams) = parse_query(req.query) else {
        return Handled::Response(ords_error(
            StatusCode::BAD_REQUEST,
            Some("The query string is not valid UTF-8 text"),
        ));
    };
    let qget = |name: &str| {
        qparams
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let mut path_binds = Vec::with_capacity(binds.len());
    for (k, raw) in binds {
        match crate::routes::decode_segment(raw) {
            Ok(v) => path_binds.push((k.clone(), v)),
            Err(()) => {
                return Handled::Response(ords_error(
                    StatusCode::BAD_REQUEST,
                    Some("A path segment is not valid UTF-8 text"),
                ));
            }
        }
    }

    let src = binds::trim_source(row.source.as_deref().unwrap_or(""));
    let rw = match binds::rewrite(src, 1) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = ?e, "handler source cannot be prepared");
            return Handled::Response(ords_error(StatusCode::INTERNAL_SERVER_ERROR, None));
        }
    };

    // Paging (collections only). The error is the finished response, returned once per request.
    #[allow(clippy::result_large_err)]
    let parse_num = |name: &str| -> Result<Option<i64>, Response> {
        match qget(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .map(Some)
                .ok_or_else(|| {
                    ords_error(
                        StatusCode::BAD_REQUEST,
                        Some(&format!(
                            "The {name} query parameter must be a non-negative integer"
                        )),
                    )
                }),
        }
    };
    let paging = match shape {
        Shape::Collection => {
            let ipp = row
                .handler_items_per_page
                .unwrap_or(row.module_items_per_page) as i64;
            let offset = match parse_num("offset") {
                Ok(v) => v.unwrap_or(0),
                Err(r) => return Handled::Response(r),
            };
            let limit = match parse_num("limit") {
                Ok(v) => v
                    .unwrap_or(if ipp > 0 { ipp } else { st.cfg.max_rows })
                    .clamp(1, st.cfg.max_rows),
                Err(r) => return Handled::Response(r),
            };
            Some(Paging { offset, limit })
        }
        Shape::Single => None,
    };
    let content_type = match req
        .headers
        .get(header::CONTENT_TYPE)
        .map(|v| std::str::from_utf8(v.as_bytes()))
    {
        None => None,
        Some(Ok(v)) => Some(v.to_string()),
        Some(Err(_)) => return Handled::Response(ords_error(StatusCode::BAD_REQUEST, None)),
    };
    let body_text = if body.is_empty() {
        None
    } else {
        match std::str::from_utf8(body) {
            Ok(t) if !t.contains('\0') => Some(t.to_string()),
            _ => None, // only an error if the handler reads it as text (see below)
        }
    };
    let body_is_text = body.is_empty() || body_text.is_some();

    // The row as a compact JSON object, keys lower-cased like ORDS's, columns in order.
    let lower_keys = "'{' || coalesce((SELECT string_agg(to_json(lower(e.k))::text || ':' || e.v::text, ',' ORDER BY e.n) \
                      FROM json_each(row_to_json(q)) WITH ORDINALITY AS e(k, v, n)), '') || '}'";
    let nb = rw.names.len();
    let sql = match &paging {
        Some(_) => format!(
            "SELECT {lower_keys} FROM (\n{}\n) q LIMIT ${} OFFSET ${}",
            rw.sql,
            nb + 1,
            nb + 2
        ),
        None => format!("SELECT {lower_keys} FROM (\n{}\n) q LIMIT 1", rw.sql),
    };

    let conn = match pool.get().await {
        Ok(c) => HandlerConn {
            obj: Some(c),
            prepared: &st.prepared,
        },
        Err(e) => return Handled::Response(pool_error(e)),
    };
    let read_only = *req.method == Method::GET || *req.method == Method::HEAD;
    // The handler pool's sessions carry the statement timeout from their startup packet (what
    // the reset's RESET ALL restores), and a login that is the schema role itself needs no
    // role switch: then BEGIN is all (docs/gateway.md, "Each tenant's handlers run as that
    // tenant").
    let role_switch = if st.handler_logins.get(req.alias) == Some(&row.parsing_schema) {
        String::new()
    } else {
        format!(
            "; SET LOCAL ROLE {}",
            binds::quote_ident(&row.parsing_schema)
        )
    };
    let setup = format!(
        "BEGIN{}{role_switch}",
        if read_only { " READ ONLY" } else { "" }
    );
    let method = req.method.as_str();
    let route = gate.unwrap_or("");
    let decide_params: [&(dyn ToSql + Sync); 6] = [
        &req.authorization,
        &method,
        &req.raw_rest,
        &req.alias,
        &req.path,
        &route,
    ];
    // The decision statement: ords.gateway_gate (raises unless the request may pass, so
    // nothing pipelined behind it runs) or, without rows to check, ords.authorize.
    let (decide_sql, decide_types, decide_params): (&str, &[Type], &[&(dyn ToSql + Sync)]) =
        match gate {
            Some(_) => (GATE_SQL, &GATE_TYPES, &decide_params),
            None => (AUTHORIZE_SQL, &AUTH_TYPES, &decide_params[..4]),
        };
    let decide_stmt = match conn
        .client()
        .prepare_typed_cached(decide_sql, decide_types)
        .await
    {
        Ok(s) => s,
        Err(e) => {
            conn.release(false).await;
            if gate.is_some() && sqlstate(&e) == Some("42883") {
                tracing::warn!(
                    "the extension has no ords.gateway_gate (pg_ords older than 0.6.0): handler requests take two decisions; run ALTER EXTENSION pg_ords UPDATE"
                );
                return Handled::NoGate;
            }
            return Handled::Response(decision_error(&e, "ords.authorize"));
        }
    };
    let inputs = Inputs {
        names: &rw.names,
        paging: paging.as_ref(),
        body,
        body_text: body_text.as_deref(),
        body_is_text,
        content_type: content_type.as_deref(),
        path_binds: &path_binds,
        qparams: &qparams,
    };
    let uses_current_user = rw
        .names
        .iter()
        .any(|n| n.eq_ignore_ascii_case("current_user"));

    // One round trip: BEGIN …, the gate, the handler's query and COMMIT with the reset, in
    // one write. Only with the gate (the query runs only if it lets the request through),
    // when no bind needs the decision (:current_user), and when this connection holds the
    // handler's statement already (prepared in the tenant's role, inside a transaction: a
    // Parse would otherwise go out before BEGIN).
    if gate.is_some() && !uses_current_user {
        let known = [Type::UNKNOWN, Type::TEXT].into_iter().find_map(|t| {
            let types = inputs.types(&t);
            st.prepared
                .has(&conn.client().statement_cache, &sql, &types)
                .then_some(types)
        });
        if let Some(types) = known {
            let params = match inputs.params(None) {
                Ok(p) => p,
                Err(r) => {
                    conn.release(false).await;
                    return Handled::Response(r);
                }
            };
            let values: Vec<&(dyn ToSql + Sync)> =
                params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            let stmt = match conn.client().prepare_typed_cached(&sql, &types).await {
                Ok(s) => s,
                Err(e) => {
                    conn.release(false).await;
                    return Handled::Response(handler_error(&e));
                }
            };
            // The connection stays in its guard while the write is in flight: a request
            // cancelled here (timeout, client gone) drops the guard, which closes it.
            let (begun, decided, ran, ended) = {
                let obj = conn.client();
                tokio::join!(
                    obj.batch_execute(&setup),
                    obj.query(&decide_stmt, decide_params),
                    obj.query(&stmt, &values),
                    end_and_reset(obj, &st.prepared, "COMMIT"),
                )
            };
            conn.done(matches!(ended, Ok(true)));
            if let Err(e) = begun {
                return Handled::Response(handler_error(&e));
            }
            match decided {
                Ok(rows) => {
                    info.client_id = rows.first().and_then(|r| r.get::<_, Option<String>>(2));
                }
                Err(e) => return gate_refusal(&e),
            }
            let rows = match ran {
                Ok(rows) => rows,
                Err(e) => return Handled::Response(handler_error(&e)),
            };
            if let Err(e) = ended {
                return Handled::Response(handler_error(&e));
            }
            return Handled::Response(respond(req, paging, &qparams, rows));
        }
    }

    // Untyped binds first (Postgres infers each type); a bind whose type cannot be inferred
    // (`select :v`, 42P18) is retried as text in a fresh transaction.
    let mut attempt = 0;
    let rows = loop {
        attempt += 1;
        // BEGIN … and the decision, pipelined: one round trip.
        let (begun, decided) = tokio::join!(
            conn.client().batch_execute(&setup),
            conn.client().query(&decide_stmt, decide_params)
        );
        if let Err(e) = begun {
            let r = handler_error(&e);
            conn.release(true).await;
            return Handled::Response(r);
        }
        let d = match decided {
            Ok(rows) if !rows.is_empty() => Decision::from_row(&rows[0]),
            Ok(_) => {
                conn.release(true).await;
                return Handled::Response(ords_error(StatusCode::INTERNAL_SERVER_ERROR, None));
            }
            Err(e) => {
                conn.release(true).await;
                if gate.is_some() {
                    return gate_refusal(&e);
                }
                return Handled::Response(decision_error(&e, "ords.authorize"));
            }
        };
        info.client_id = d.client_id.clone();
        if !d.lets_through() {
            // Revoked between the two decisions: the later one wins.
            conn.release(true).await;
            return Handled::Response(d.refusal());
        }
        let current_user = if d.outcome == "allowed" {
            d.client_name.clone()
        } else {
            None
        };
        let bind_type = if attempt == 1 {
            Type::UNKNOWN
        } else {
            Type::TEXT
        };
        let params = match inputs.params(current_user) {
            Ok(p) => p,
            Err(r) => {
                conn.release(true).await;
                return Handled::Response(r);
            }
        };
        let types = inputs.types(&bind_type);
        let values: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let started = Instant::now();
        // Prepared once per connection and kept (the reset keeps the gateway's statements).
        let ran = async {
            let stmt = conn.client().prepare_typed_cached(&sql, &types).await?;
            st.prepared
                .add(&conn.client().statement_cache, &sql, &types);
            conn.client().query(&stmt, &values).await
        };
        match ran.await {
            Ok(rows) => {
                tracing::debug!(
                    rows = rows.len(),
                    ms = started.elapsed().as_millis() as u64,
                    "handler query"
                );
                break rows;
            }
            Err(e) if sqlstate(&e) == Some("42P18") && attempt == 1 => {
                if conn.client().batch_execute("ROLLBACK").await.is_err() {
                    return Handled::Response(ords_error(StatusCode::INTERNAL_SERVER_ERROR, None));
                }
                continue;
            }
            Err(e) => {
                let r = handler_error(&e);
                conn.release(true).await;
                return Handled::Response(r);
            }
        }
    };
    // COMMIT and the reset, pipelined: one round trip.
    if let Err(e) = conn.finish("COMMIT").await {
        // the connection is closed: never reused after a failed COMMIT
        return Handled::Response(handler_error(&e));
    }
    Handled::Response(respond(req, paging, &qparams, rows))
}

/// What [`run_handler`] came to.
enum Handled {
    Response(Response),
    /// ords.gateway_gate found the gateway's handler rows out of date: read them again.
    Stale,
    /// The extension has no ords.gateway_gate.
    NoGate,
}

/// The answer for an error of ords.gateway_gate: its refusal (HTTP 401 or 403, with the
/// WWW-Authenticate value it gives in DETAIL), a stale route, or a failure.
fn gate_refusal(e: &tokio_postgres::Error) -> Handled {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        if db
            .message()
            .starts_with("pg_ords: ords.gateway_gate refused the request")
        {
            let status = if code == "42501" {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNAUTHORIZED
            };
            let mut r = ords_error(status, None);
            if let Some(w) = db
                .detail()
                .and_then(|d| d.strip_prefix("WWW-Authenticate: "))
            {
                r = with_header(r, header::WWW_AUTHENTICATE, w);
            }
            return Handled::Response(r);
        }
        if code == "55000"
            && db
                .message()
                .starts_with("pg_ords: the gateway's handlers of alias")
        {
            return Handled::Stale;
        }
    }
    Handled::Response(decision_error(e, "ords.gateway_gate"))
}

/// What a handler's binds are made of (docs/gateway.md, "Implicit parameters come from the
/// request and the decision only").
struct Inputs<'a> {
    names: &'a [String],
    paging: Option<&'a Paging>,
    body: &'a Bytes,
    body_text: Option<&'a str>,
    body_is_text: bool,
    content_type: Option<&'a str>,
    path_binds: &'a [(String, String)],
    qparams: &'a [(String, String)],
}

impl Inputs<'_> {
    /// The parameter types of the handler's statement: every bind as `bind_type`, then the
    /// paging LIMIT and OFFSET.
    fn types(&self, bind_type: &Type) -> Vec<Type> {
        let mut t = vec![bind_type.clone(); self.names.len()];
        if self.paging.is_some() {
            t.push(Type::INT8);
            t.push(Type::INT8);
        }
        t
    }

    /// The values of the binds; `current_user` is the decision's (`allowed`) principal.
    #[allow(clippy::result_large_err)]
    fn params(&self, current_user: Option<String>) -> Result<Vec<Param>, Response> {
        let qget = |name: &str| {
            self.qparams
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let mut params: Vec<Param> = Vec::with_capacity(self.names.len() + 2);
        for n in self.names {
            let p = if is_implicit(n) {
                let l = n.to_ascii_lowercase();
                let paged = |f: &dyn Fn(&Paging) -> i64| self.paging.map(|p| f(p).to_string());
                match l.as_str() {
                    "current_user" => Param::Text(current_user.clone()),
                    "body" => Param::Body(if self.body.is_empty() {
                        None
                    } else {
                        Some(self.body.clone())
                    }),
                    "body_text" | "body_json" => {
                        if !self.body_is_text {
                            return Err(ords_error(
                                StatusCode::BAD_REQUEST,
                                Some("The request body is not UTF-8 text"),
                            ));
                        }
                        Param::Text(self.body_text.map(str::to_string))
                    }
                    "content_type" => Param::Text(self.content_type.map(str::to_string)),
                    "fetch_offset" => Param::Text(paged(&|p| p.offset)),
                    "fetch_size" | "page_size" => Param::Text(paged(&|p| p.limit)),
                    "page_offset" => Param::Text(paged(&|p| p.offset / p.limit)),
                    "row_offset" => Param::Text(paged(&|p| p.offset + 1)),
                    "row_count" => Param::Text(paged(&|p| p.offset + p.limit)),
                    // status_code, forward_location: ORDS's OUT parameters; not read back here.
                    _ => Param::Text(None),
                }
            } else {
                Param::Text(
                    self.path_binds
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(n))
                        .map(|(_, v)| v.clone())
                        .or_else(|| qget(n)),
                )
            };
            params.push(p);
        }
        if let Some(p) = self.paging {
            params.push(Param::Text(Some((p.limit + 1).to_string())));
            params.push(Param::Text(Some(p.offset.to_string())));
        }
        Ok(params)
    }
}

/// The handler's rows as ORDS's JSON: one item, or a page of a collection with its links.
fn respond(
    req: &Req<'_>,
    paging: Option<Paging>,
    qparams: &[(String, String)],
    rows: Vec<tokio_postgres::Row>,
) -> Response {
    let qget = |name: &str| {
        qparams
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let texts: Vec<String> = rows
        .iter()
        .map(|r| r.get::<_, Option<String>>(0).unwrap_or_else(|| "{}".into()))
        .collect();
    let json = |s: String| {
        (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            s,
        )
            .into_response()
    };
    match paging {
        None => match texts.into_iter().next() {
            Some(t) => json(t),
            None => ords_error(StatusCode::NOT_FOUND, None),
        },
        Some(Paging { offset, limit }) => {
            let has_more = texts.len() as i64 > limit;
            let items: Vec<String> = texts.into_iter().take(limit as usize).collect();
            let count = items.len();
            let base = base_url(req.headers, req.alias, req.path);
            let limit_given = qget("limit").is_some();
            let page = |o: i64| -> String {
                if limit_given {
                    format!("{base}?offset={o}&limit={limit}")
                } else {
                    format!("{base}?offset={o}")
                }
            };
            let self_href = match req.query {
                Some(q) if !q.is_empty() => format!("{base}?{q}"),
                _ => base.clone(),
            };
            let mut links = vec![
                serde_json::json!({"rel": "self", "href": self_href}),
                serde_json::json!({"rel": "first", "href": base}),
            ];
            if offset > 0 {
                links.push(
                    serde_json::json!({"rel": "prev", "href": page((offset - limit).max(0))}),
                );
            }
            if has_more {
                links.push(serde_json::json!({"rel": "next", "href": page(offset + limit)}));
            }
            let out = format!(
                "{{\"items\":[{}],\"hasMore\":{},\"limit\":{},\"offset\":{},\"count\":{},\"links\":{}}}",
                items.join(","),
                has_more,
                limit,
                offset,
                count,
                serde_json::Value::Array(links)
            );
            json(out)
        }
    }
}

fn base_url(headers: &HeaderMap, alias: &str, path: &str) -> String {
    let proto = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("{proto}://{host}/ords/{alias}{path}")
}

/// Access log: method, path without the query, status, latency, alias and client id only —
/// never headers, tokens, secrets or the query string.
pub async fn access_log(req: Request, next: axum::middleware::Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    let info = resp
        .extensions()
        .get::<LogInfo>()
        .cloned()
        .unwrap_or_default();
    tracing::info!(
        method = %clean(method.as_str()),
        path = %clean(&path),
        status = resp.status().as_u16(),
        latency_ms = format!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
        alias = %clean(info.alias.as_deref().unwrap_or("")),
        client_id = info.client_id.as_deref().unwrap_or(""),
        "request"
    );
    resp
}

/// 431 when the request's headers are larger than --max-header-bytes in total.
pub async fn header_limit(
    State(st): State<Arc<AppState>>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let total: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if total > st.cfg.max_header_bytes {
        return ords_error(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, None);
    }
    next.run(req).await
}
