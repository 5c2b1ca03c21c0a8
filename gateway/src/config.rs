//! Command-line flags and environment variables.
use clap::{Parser, ValueEnum};
use std::net::SocketAddr;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LogFormat {
    Compact,
    Json,
}

/// HTTP gateway for pg_ords: serves /ords/<alias>/... from a PostgreSQL database with the
/// pg_ords extension. Every security decision (token issuance, access decisions) is taken by
/// the extension; the gateway only translates HTTP to SQL calls with bind parameters.
#[derive(Parser, Clone, Debug)]
#[command(name = "pg-ords-gateway", version)]
pub struct Config {
    /// libpq-style connection string or URL of the database (its password is never logged).
    #[arg(long, env = "PG_ORDS_DATABASE_URL", hide_env_values = true)]
    pub database_url: String,

    /// Address to listen on.
    #[arg(long, env = "PG_ORDS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Maximum number of database connections.
    #[arg(long, env = "PG_ORDS_POOL_SIZE", default_value_t = 16)]
    pub pool_size: usize,

    /// How long a request waits for a free connection before it gets 503 + Retry-After.
    #[arg(long, env = "PG_ORDS_POOL_WAIT_TIMEOUT_MS", default_value_t = 2000)]
    pub pool_wait_timeout_ms: u64,

    /// Timeout for opening a new database connection.
    #[arg(long, env = "PG_ORDS_CONNECT_TIMEOUT_MS", default_value_t = 5000)]
    pub connect_timeout_ms: u64,

    /// statement_timeout of every handler connection (set at connection, restored by the reset).
    #[arg(long, env = "PG_ORDS_STATEMENT_TIMEOUT_MS", default_value_t = 10000)]
    pub statement_timeout_ms: u64,

    /// Whole-request timeout (answered with 504).
    #[arg(long, env = "PG_ORDS_REQUEST_TIMEOUT_MS", default_value_t = 30000)]
    pub request_timeout_ms: u64,

    /// Timeout for reading a request's headers (slow clients are disconnected).
    #[arg(long, env = "PG_ORDS_HEADER_READ_TIMEOUT_MS", default_value_t = 10000)]
    pub header_read_timeout_ms: u64,

    /// Timeout of a request to an upstream (answered with 504).
    #[arg(long, env = "PG_ORDS_UPSTREAM_TIMEOUT_MS", default_value_t = 30000)]
    pub upstream_timeout_ms: u64,

    /// Largest accepted request body (413 above).
    #[arg(long, env = "PG_ORDS_MAX_BODY_BYTES", default_value_t = 64 * 1024)]
    pub max_body_bytes: usize,

    /// Largest accepted total size of the request headers (431 above).
    #[arg(long, env = "PG_ORDS_MAX_HEADER_BYTES", default_value_t = 16 * 1024)]
    pub max_header_bytes: usize,

    /// Largest page of a collection handler (the `limit` query parameter is capped to this).
    #[arg(long, env = "PG_ORDS_MAX_ROWS", default_value_t = 10000)]
    pub max_rows: i64,

    /// How long in-flight requests may run after SIGTERM/SIGINT.
    #[arg(long, env = "PG_ORDS_SHUTDOWN_GRACE_MS", default_value_t = 10000)]
    pub shutdown_grace_ms: u64,

    /// Reverse proxy target for a schema alias, `alias=http://host:port[/prefix]` (repeatable;
    /// the env variable takes a comma-separated list). Requests that no handler serves are
    /// forwarded there after ords.authorize allowed them.
    #[arg(long = "upstream", env = "PG_ORDS_UPSTREAMS", value_delimiter = ',')]
    pub upstreams: Vec<String>,

    /// Handler pool of a schema alias, `alias=URL` (repeatable; the env variable takes a
    /// comma-separated list). The module handlers of that alias run on connections that log in
    /// with this URL: as a role that can become that alias's schema role and no other tenant
    /// (the schema role itself with LOGIN, or a login role granted only that schema role). The
    /// handlers of an alias without one are not run (501). Checked on every new connection.
    #[arg(
        long = "handler-database-url",
        env = "PG_ORDS_HANDLER_DATABASE_URLS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub handler_database_urls: Vec<String>,

    /// Log format.
    #[arg(long, env = "PG_ORDS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Compact)]
    pub log_format: LogFormat,

    /// Log filter (tracing EnvFilter syntax). Debug logs of the database driver are always
    /// suppressed: they would contain bind parameters (tokens, secrets).
    #[arg(long, env = "PG_ORDS_LOG", default_value = "info")]
    pub log_level: String,
}

impl Config {
    /// Parses the handler pool list into (alias, connection string) pairs. Errors never repeat
    /// the connection string (it may hold a password).
    pub fn handler_map(&self) -> Result<Vec<(String, String)>, String> {
        let mut out: Vec<(String, String)> = Vec::new();
        for u in &self.handler_database_urls {
            let u = u.trim();
            if u.is_empty() {
                continue;
            }
            let Some((alias, url)) = u.split_once('=') else {
                return Err(
                    "--handler-database-url: expected alias=postgresql://login@host/db".to_string(),
                );
            };
            let alias = alias.trim();
            if alias.is_empty() || alias.contains('/') {
                return Err(
                    "--handler-database-url: the alias before '=' is empty or holds a '/'"
                        .to_string(),
                );
            }
            if out.iter().any(|(a, _)| a == alias) {
                return Err(format!(
                    "--handler-database-url: alias {alias:?} given twice"
                ));
            }
            out.push((alias.to_string(), url.trim().to_string()));
        }
        Ok(out)
    }

    /// Parses the upstream list into (alias, base URL) pairs.
    pub fn upstream_map(&self) -> Result<Vec<(String, String)>, String> {
        let mut out = Vec::new();
        for u in &self.upstreams {
            let u = u.trim();
            if u.is_empty() {
                continue;
            }
            let (alias, url) = u
                .split_once('=')
                .ok_or_else(|| format!("--upstream {u:?}: expected alias=http://host:port"))?;
            let url = url.trim().trim_end_matches('/');
            let parsed: hyper::Uri = url
                .parse()
                .map_err(|e| format!("--upstream for {alias}: {e}"))?;
            if parsed.scheme_str() != Some("http") || parsed.authority().is_none() {
                return Err(format!(
                    "--upstream for {alias}: only http://host:port URLs are supported"
                ));
            }
            if parsed.query().is_some() {
                return Err(format!("--upstream for {alias}: no query string allowed"));
            }
            out.push((alias.trim().to_string(), url.to_string()));
        }
        Ok(out)
    }
}
