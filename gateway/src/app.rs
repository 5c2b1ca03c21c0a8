//! Request handling: the token endpoint, the access decision, module handlers and the
//! reverse proxy. Every security decision is the extension's (oauth.token_endpoint,
//! ords.authorize); the gateway only carries requests to SQL and answers back.
use crate::binds;
use crate::config::Config;
use crate::routes::{self, CatalogRow, Match};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use deadpool_postgres::{Pool, PoolError};
use http_body_util::Full;
use hyper_util::client::legacy::{connect::HttpConnector, Client as HttpClient};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use tokio_postgres::types::{Format, IsNull, ToSql, Type};

pub struct AppState {
    pub cfg: Config,
    pub pool: Pool,
    pub upstreams: HashMap<String, String>,
    pub http: HttpClient<HttpConnector, Full<Bytes>>,
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
        431 => ("RequestHeaderFieldsTooLarge", "Request Header Fields Too Large"),
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
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body.to_string()).into_response()
}

fn with_header(mut r: Response, name: HeaderName, value: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(value) {
        r.headers_mut().insert(name, v);
    }
    r
}

fn unavailable(retry_after: &str) -> Response {
    with_header(ords_error(StatusCode::SERVICE_UNAVAILABLE, None), header::RETRY_AFTER, retry_after)
}

fn pool_error(e: PoolError) -> Response {
    match e {
        PoolError::Timeout(_) => {
            tracing::warn!("no database connection free within the pool wait timeout");
            unavailable("1")
        }
        PoolError::Backend(e) => {
            tracing::warn!(sqlstate = sqlstate(&e).unwrap_or(""), "database connection failed");
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

// ------------------------------------------------------------------------------------------
// Entry points

pub async fn health() -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], r#"{"status":"UP"}"#).into_response()
}

pub async fn ready(State(st): State<Arc<AppState>>) -> Response {
    let client = match st.pool.get().await {
        Ok(c) => c,
        Err(e) => return pool_error(e),
    };
    match client.simple_query("SELECT 1").await {
        Ok(_) => (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], r#"{"status":"UP","database":"UP"}"#)
            .into_response(),
        Err(_) => unavailable("5"),
    }
}

/// Everything that is not /health: /ords/<alias>/<path>.
pub async fn ords_entry(State(st): State<Arc<AppState>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
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
    let mut info = LogInfo { alias: Some(alias.clone()), client_id: None };

    let body = match axum::body::to_bytes(body, st.cfg.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => return finish(ords_error(StatusCode::PAYLOAD_TOO_LARGE, None), info),
    };

    let normalized = ords_core::paths::normalize(&rest).ok();
    let resp = if normalized.as_deref() == Some("/oauth/token") {
        if parts.method != Method::POST {
            with_header(ords_error(StatusCode::METHOD_NOT_ALLOWED, None), header::ALLOW, "POST")
        } else {
            token_endpoint(&st, &parts.headers, &body, &alias).await
        }
    } else {
        resource(&st, &parts.method, &parts.headers, parts.uri.query(), &alias, &rest, body, &mut info).await
    };
    finish(resp, info)
}

fn finish(mut r: Response, info: LogInfo) -> Response {
    r.extensions_mut().insert(info);
    r
}

fn header_text(h: &HeaderMap, name: HeaderName) -> Option<String> {
    h.get(name).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

// ------------------------------------------------------------------------------------------
// POST /ords/<alias>/oauth/token → oauth.token_endpoint, answered unchanged

async fn token_endpoint(st: &AppState, headers: &HeaderMap, body: &Bytes, alias: &str) -> Response {
    let client = match st.pool.get().await {
        Ok(c) => c,
        Err(e) => return pool_error(e),
    };
    let authorization = header_text(headers, header::AUTHORIZATION);
    let content_type = header_text(headers, header::CONTENT_TYPE);
    let body_text = String::from_utf8_lossy(body).into_owned();
    let stmt = match client
        .prepare_cached("SELECT status::int4, headers::text, body::text FROM oauth.token_endpoint($1::text, $2::text, $3::text, $4::text)")
        .await
    {
        Ok(s) => s,
        Err(e) => return decision_error(&e, "oauth.token_endpoint"),
    };
    let row = match client.query_one(&stmt, &[&authorization, &content_type, &body_text, &alias]).await {
        Ok(r) => r,
        Err(e) => return decision_error(&e, "oauth.token_endpoint"),
    };
    let status: i32 = row.get(0);
    let headers_json: Option<String> = row.get(1);
    let body_json: Option<String> = row.get(2);
    let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = Response::new(Body::from(body_json.unwrap_or_default()));
    *resp.status_mut() = status;
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(h) = headers_json {
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&h) {
            for (k, v) in map {
                let v = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => continue,
                    other => other.to_string(),
                };
                if let (Ok(n), Ok(v)) = (HeaderName::from_bytes(k.as_bytes()), HeaderValue::from_str(&v)) {
                    resp.headers_mut().insert(n, v);
                }
            }
        }
    }
    resp
}

// ------------------------------------------------------------------------------------------
// Any other resource: ords.authorize, then a handler, an upstream, or 404

const AUTHORIZE_SQL: &str = "SELECT outcome::text, http_status::int4, client_id::text, client_name::text, \
     privilege_name::text, www_authenticate::text FROM ords.authorize($1::text, $2::text, $3::text, $4::text)";

const CATALOG_SQL: &str = "SELECT s.parsing_schema::text, m.uri_prefix::text, m.items_per_page::int4, \
     t.uri_template::text, t.priority::int4, h.method::text, h.source_type::text, h.source::text, h.items_per_page::int4 \
     FROM ords_metadata.ords_schemas s \
     JOIN ords_metadata.ords_modules m ON m.schema_id = s.id AND m.status = 'PUBLISHED' \
     JOIN ords_metadata.ords_templates t ON t.module_id = m.id \
     LEFT JOIN ords_metadata.ords_handlers h ON h.template_id = t.id \
     WHERE s.pattern = $1::text AND s.status = 'ENABLED' \
       AND left($2::text, length(m.uri_prefix)) = m.uri_prefix";

#[allow(clippy::too_many_arguments)]
async fn resource(
    st: &AppState,
    method: &Method,
    headers: &HeaderMap,
    query: Option<&str>,
    alias: &str,
    raw_rest: &str,
    body: Bytes,
    info: &mut LogInfo,
) -> Response {
    let mut client = match st.pool.get().await {
        Ok(c) => c,
        Err(e) => return pool_error(e),
    };
    let read_only = *method == Method::GET || *method == Method::HEAD;
    let authorization = header_text(headers, header::AUTHORIZATION);
    let method_text = method.as_str().to_string();

    let mut ran_handler = false;
    let result: Result<Served, Response> = async {
        let tx = client
            .build_transaction()
            .read_only(read_only)
            .start()
            .await
            .map_err(|e| decision_error(&e, "BEGIN"))?;
        let stmt = tx.prepare_cached(AUTHORIZE_SQL).await.map_err(|e| decision_error(&e, "ords.authorize"))?;
        let d = tx
            .query_one(&stmt, &[&authorization, &method_text, &raw_rest, &alias])
            .await
            .map_err(|e| decision_error(&e, "ords.authorize"))?;
        let outcome: String = d.get(0);
        let http_status: i32 = d.get(1);
        let client_id: Option<String> = d.get(2);
        let www_authenticate: Option<String> = d.get(5);
        info.client_id = client_id.clone();
        if outcome != "allowed" && outcome != "public" {
            let status = StatusCode::from_u16(http_status as u16).unwrap_or(StatusCode::UNAUTHORIZED);
            let mut r = ords_error(status, None);
            if let Some(w) = www_authenticate {
                r = with_header(r, header::WWW_AUTHENTICATE, &w);
            }
            return Err(r);
        }
        let path = ords_core::paths::normalize(raw_rest).map_err(|_| ords_error(StatusCode::BAD_REQUEST, None))?;

        let cstmt = tx.prepare_cached(CATALOG_SQL).await.map_err(|e| {
            tracing::error!(
                sqlstate = sqlstate(&e).unwrap_or(""),
                "reading ords_metadata failed: the gateway's role needs USAGE on schema ords_metadata and SELECT on ords_schemas, ords_modules, ords_templates, ords_handlers"
            );
            ords_error(StatusCode::INTERNAL_SERVER_ERROR, None)
        })?;
        let rows: Vec<CatalogRow> = tx
            .query(&cstmt, &[&alias, &path])
            .await
            .map_err(|e| decision_error(&e, "catalog lookup"))?
            .iter()
            .map(|r| CatalogRow {
                parsing_schema: r.get(0),
                uri_prefix: r.get(1),
                module_items_per_page: r.get(2),
                uri_template: r.get(3),
                priority: r.get(4),
                method: r.get(5),
                source_type: r.get(6),
                source: r.get(7),
                handler_items_per_page: r.get(8),
            })
            .collect();
        let lookup_method = if *method == Method::HEAD { "GET" } else { method.as_str() };
        match routes::select(&rows, &path, lookup_method) {
            Match::Handler { row, binds } => {
                ran_handler = true;
                let r = run_handler(st, &tx, &row, &binds, query, headers, alias, &path).await?;
                tx.commit().await.map_err(|e| decision_error(&e, "COMMIT"))?;
                Ok(Served::Done(r))
            }
            Match::MethodNotAllowed(allowed) => {
                let r = ords_error(StatusCode::METHOD_NOT_ALLOWED, None);
                Err(with_header(r, header::ALLOW, &allowed.join(", ")))
            }
            Match::None => {
                let _ = tx.commit().await;
                match st.upstreams.get(alias) {
                    // The upstream is called after the connection went back to the pool.
                    Some(u) => Ok(Served::Proxy { upstream: u.clone(), path }),
                    None => Err(ords_error(StatusCode::NOT_FOUND, None)),
                }
            }
        }
    }
    .await;

    if ran_handler {
        // A handler's SQL may have changed session state (set_config(..., false), SET ROLE
        // through set_config): put the connection back as it was, or drop it.
        if client.batch_execute("RESET SESSION AUTHORIZATION; RESET ROLE; RESET ALL").await.is_err() {
            let _ = deadpool_postgres::Object::take(client);
        }
    } else {
        drop(client);
    }

    match result {
        Ok(Served::Done(r)) => r,
        Ok(Served::Proxy { upstream, path }) => {
            crate::proxy::forward(st, &upstream, method, headers, &path, query, body, info.client_id.as_deref()).await
        }
        Err(r) => r,
    }
}

enum Served {
    Done(Response),
    Proxy { upstream: String, path: String },
}

/// A bind value sent in text format: Postgres parses it as whatever type it inferred for the
/// parameter, exactly as it would an untyped literal, but it is never part of the SQL text.
#[derive(Debug)]
struct TextParam(Option<String>);

impl ToSql for TextParam {
    fn to_sql(&self, _ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match &self.0 {
            None => Ok(IsNull::Yes),
            Some(s) => {
                out.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
        }
    }
    fn accepts(_ty: &Type) -> bool {
        true
    }
    fn encode_format(&self, _ty: &Type) -> Format {
        Format::Text
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
    if st == "25006" {
        tracing::warn!(sqlstate = st, "handler tried to write in a read-only (GET) transaction");
    } else if st == "42501" {
        tracing::error!(
            sqlstate = st,
            "permission denied in handler (the gateway's role must be a member of the schema role to SET ROLE to it)"
        );
    } else {
        let msg = e.as_db_error().map(|d| d.message().to_string()).unwrap_or_default();
        tracing::error!(sqlstate = st, error = %msg, "handler query failed");
    }
    ords_error(StatusCode::INTERNAL_SERVER_ERROR, None)
}

#[allow(clippy::too_many_arguments)]
async fn run_handler(
    st: &AppState,
    tx: &deadpool_postgres::Transaction<'_>,
    row: &CatalogRow,
    binds: &[(String, String)],
    query: Option<&str>,
    headers: &HeaderMap,
    alias: &str,
    path: &str,
) -> Result<Response, Response> {
    let Some(shape) = shape_of(row.source_type.as_deref().unwrap_or("")) else {
        return Err(ords_error(StatusCode::NOT_IMPLEMENTED, Some("This handler's source type is not supported by the gateway")));
    };
    let qparams: Vec<(String, String)> = query
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let qget = |name: &str| qparams.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());

    let src = binds::trim_source(row.source.as_deref().unwrap_or(""));
    let rw = binds::rewrite(src, 1).map_err(|e| {
        tracing::error!(error = ?e, "handler source cannot be prepared");
        ords_error(StatusCode::INTERNAL_SERVER_ERROR, None)
    })?;
    let mut params: Vec<TextParam> = rw
        .names
        .iter()
        .map(|n| {
            TextParam(
                binds
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(n))
                    .map(|(_, v)| v.clone())
                    .or_else(|| qget(n)),
            )
        })
        .collect();
    let nb = rw.names.len();

    // Paging (collections only).
    let parse_num = |name: &str| -> Result<Option<i64>, Response> {
        match qget(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .map(Some)
                .ok_or_else(|| ords_error(StatusCode::BAD_REQUEST, Some(&format!("The {name} query parameter must be a non-negative integer")))),
        }
    };
    // The row as a compact JSON object, keys lower-cased like ORDS's, columns in order.
    let lower_keys = "'{' || coalesce((SELECT string_agg(to_json(lower(e.k))::text || ':' || e.v::text, ',' ORDER BY e.n) \
                      FROM json_each(row_to_json(q)) WITH ORDINALITY AS e(k, v, n)), '') || '}'";
    let (sql, offset, limit) = match shape {
        Shape::Collection => {
            let ipp = row.handler_items_per_page.unwrap_or(row.module_items_per_page) as i64;
            let offset = parse_num("offset")?.unwrap_or(0);
            let limit = parse_num("limit")?.unwrap_or(if ipp > 0 { ipp } else { st.cfg.max_rows }).clamp(1, st.cfg.max_rows);
            params.push(TextParam(Some((limit + 1).to_string())));
            params.push(TextParam(Some(offset.to_string())));
            (
                format!("SELECT {lower_keys} FROM (\n{}\n) q LIMIT ${} OFFSET ${}", rw.sql, nb + 1, nb + 2),
                offset,
                limit,
            )
        }
        Shape::Single => (format!("SELECT {lower_keys} FROM (\n{}\n) q LIMIT 1", rw.sql), 0, 1),
    };

    let setup = format!(
        "SET LOCAL statement_timeout = {}; SET LOCAL ROLE {}",
        st.cfg.statement_timeout_ms,
        binds::quote_ident(&row.parsing_schema)
    );
    tx.batch_execute(&setup).await.map_err(|e| handler_error(&e))?;

    // Prepare in a savepoint: a bind whose type Postgres cannot infer (`select :x`) is retried
    // as text.
    let stmt = {
        let sp_ok = tx.batch_execute("SAVEPOINT pg_ords_gw").await;
        sp_ok.map_err(|e| handler_error(&e))?;
        match tx.prepare(&sql).await {
            Ok(s) => {
                tx.batch_execute("RELEASE SAVEPOINT pg_ords_gw").await.map_err(|e| handler_error(&e))?;
                s
            }
            Err(e) if sqlstate(&e) == Some("42P18") => {
                tx.batch_execute("ROLLBACK TO SAVEPOINT pg_ords_gw").await.map_err(|e| handler_error(&e))?;
                let mut types = vec![Type::TEXT; nb];
                if matches!(shape, Shape::Collection) {
                    types.push(Type::INT8);
                    types.push(Type::INT8);
                }
                tx.prepare_typed(&sql, &types).await.map_err(|e| handler_error(&e))?
            }
            Err(e) => return Err(handler_error(&e)),
        }
    };
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    let started = Instant::now();
    let rows = tx.query(&stmt, &refs).await.map_err(|e| handler_error(&e))?;
    tracing::debug!(rows = rows.len(), ms = started.elapsed().as_millis() as u64, "handler query");
    let texts: Vec<String> = rows.iter().map(|r| r.get::<_, Option<String>>(0).unwrap_or_else(|| "{}".into())).collect();

    let json = |s: String| {
        (StatusCode::OK, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], s).into_response()
    };
    match shape {
        Shape::Single => match texts.into_iter().next() {
            Some(t) => Ok(json(t)),
            None => Err(ords_error(StatusCode::NOT_FOUND, None)),
        },
        Shape::Collection => {
            let has_more = texts.len() as i64 > limit;
            let items: Vec<String> = texts.into_iter().take(limit as usize).collect();
            let count = items.len();
            let base = base_url(headers, alias, path);
            let limit_given = qget("limit").is_some();
            let page = |o: i64| -> String {
                if limit_given {
                    format!("{base}?offset={o}&limit={limit}")
                } else {
                    format!("{base}?offset={o}")
                }
            };
            let self_href = match query {
                Some(q) if !q.is_empty() => format!("{base}?{q}"),
                _ => base.clone(),
            };
            let mut links = vec![
                serde_json::json!({"rel": "self", "href": self_href}),
                serde_json::json!({"rel": "first", "href": base}),
            ];
            if offset > 0 {
                links.push(serde_json::json!({"rel": "prev", "href": page((offset - limit).max(0))}));
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
            Ok(json(out))
        }
    }
}

fn base_url(headers: &HeaderMap, alias: &str, path: &str) -> String {
    let proto = match headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) {
        Some("https") => "https",
        _ => "http",
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
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
    let info = resp.extensions().get::<LogInfo>().cloned().unwrap_or_default();
    tracing::info!(
        method = %method,
        path = %path,
        status = resp.status().as_u16(),
        latency_ms = format!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
        alias = info.alias.as_deref().unwrap_or(""),
        client_id = info.client_id.as_deref().unwrap_or(""),
        "request"
    );
    resp
}

/// 431 when the request's headers are larger than --max-header-bytes in total.
pub async fn header_limit(State(st): State<Arc<AppState>>, req: Request, next: axum::middleware::Next) -> Response {
    let total: usize = req.headers().iter().map(|(k, v)| k.as_str().len() + v.len() + 4).sum();
    if total > st.cfg.max_header_bytes {
        return ords_error(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, None);
    }
    next.run(req).await
}
