//! pg-ords-gateway: a thin HTTP layer in front of PostgreSQL + pg_ords.
//!
//! * `POST /ords/<alias>/oauth/token` → `oauth.token_endpoint(...)`, answered unchanged;
//! * any other `/ords/<alias>/<path>` → `ords.authorize(...)`, then the module handler stored
//!   with `ords.define_*`, or the alias's upstream, or 404;
//! * `/health` (liveness) and `/health/ready` (database reachable).
mod app;
mod binds;
mod config;
mod proxy;
mod routes;

use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use clap::Parser;
use config::{Config, LogFormat};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing_subscriber::EnvFilter;

fn init_logging(cfg: &Config) {
    let mut filter = EnvFilter::try_new(&cfg.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    // The driver's debug logs contain bind parameters (tokens, client secrets): never on.
    for d in ["tokio_postgres=warn", "postgres_protocol=warn", "deadpool=info", "hyper=info", "hyper_util=info"] {
        filter = filter.add_directive(d.parse().expect("static directive"));
    }
    match cfg.log_format {
        LogFormat::Json => tracing_subscriber::fmt().json().with_env_filter(filter).with_target(false).init(),
        LogFormat::Compact => tracing_subscriber::fmt().compact().with_env_filter(filter).with_target(false).init(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

fn build_pool(cfg: &Config) -> Result<Pool, String> {
    let mut pg = tokio_postgres::Config::from_str(&cfg.database_url)
        .map_err(|_| "--database-url is not a valid connection string or URL".to_string())?;
    if pg.get_application_name().is_none() {
        pg.application_name("pg-ords-gateway");
    }
    pg.connect_timeout(Duration::from_millis(cfg.connect_timeout_ms));
    let mgr = Manager::from_config(pg, tokio_postgres::NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    Pool::builder(mgr)
        .max_size(cfg.pool_size.max(1))
        .wait_timeout(Some(Duration::from_millis(cfg.pool_wait_timeout_ms)))
        .create_timeout(Some(Duration::from_millis(cfg.connect_timeout_ms)))
        .recycle_timeout(Some(Duration::from_millis(cfg.connect_timeout_ms)))
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|e| format!("cannot build the connection pool: {e}"))
}

/// Checks once at startup that the database is reachable and the gateway's role can read
/// the module catalog; only warns (the gateway starts anyway and answers 503 meanwhile).
async fn startup_check(pool: &Pool) {
    match pool.get().await {
        Err(_) => tracing::warn!("database not reachable at startup; requests will get 503 until it is"),
        Ok(c) => {
            let q = "SELECT count(*) FROM ords_metadata.ords_schemas s, ords_metadata.ords_modules m, \
                     ords_metadata.ords_templates t, ords_metadata.ords_handlers h WHERE false";
            if let Err(e) = c.simple_query(q).await {
                tracing::warn!(
                    sqlstate = e.code().map(|c| c.code()).unwrap_or(""),
                    "the gateway's role cannot read ords_metadata: GRANT USAGE ON SCHEMA ords_metadata and SELECT ON ords_schemas, ords_modules, ords_templates, ords_handlers to it"
                );
            }
        }
    }
}

fn main() {
    let started = Instant::now();
    let cfg = Config::parse();
    init_logging(&cfg);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let code = rt.block_on(run(cfg, started));
    drop(rt);
    std::process::exit(code);
}

async fn run(cfg: Config, started: Instant) -> i32 {
    let upstreams: HashMap<String, String> = match cfg.upstream_map() {
        Ok(v) => v.into_iter().collect(),
        Err(e) => {
            tracing::error!("{e}");
            return 2;
        }
    };
    let pool = match build_pool(&cfg) {
        Ok(p) => p,
        Err(e) => {
            tracing::error!("{e}");
            return 2;
        }
    };
    startup_check(&pool).await;

    let http = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .build_http();
    let state = Arc::new(app::AppState { cfg: cfg.clone(), pool: pool.clone(), upstreams, http });

    let app = Router::new()
        .route("/health", get(app::health))
        .route("/health/ready", get(app::ready))
        .fallback(app::ords_entry)
        .layer(axum::middleware::from_fn_with_state(state.clone(), app::header_limit))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::GATEWAY_TIMEOUT,
            Duration::from_millis(cfg.request_timeout_ms),
        ))
        .layer(axum::middleware::from_fn(app::access_log))
        .with_state(state.clone());

    let listener = match tokio::net::TcpListener::bind(cfg.listen).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(listen = %cfg.listen, error = %e, "cannot listen");
            return 2;
        }
    };
    let mut http1 = hyper::server::conn::http1::Builder::new();
    http1
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_millis(cfg.header_read_timeout_ms))
        .max_buf_size((cfg.max_header_bytes + 8192).max(8192))
        .keep_alive(true);
    tracing::info!(
        listen = %cfg.listen,
        pool_size = cfg.pool_size,
        upstreams = state.upstreams.len(),
        startup_ms = started.elapsed().as_millis() as u64,
        "pg-ords-gateway listening"
    );

    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown_signal());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let svc = hyper_util::service::TowerToHyperService::new(app.clone());
                let conn = http1.serve_connection(TokioIo::new(stream), svc);
                let fut = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = fut.await {
                        tracing::debug!(error = %e, "connection error");
                    }
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    tracing::info!("shutting down: no new connections, finishing in-flight requests");
    let grace = Duration::from_millis(cfg.shutdown_grace_ms);
    let code = tokio::select! {
        _ = graceful.shutdown() => 0,
        _ = tokio::time::sleep(grace) => {
            tracing::warn!("grace period elapsed with requests still running");
            0
        }
    };
    pool.close();
    tracing::info!("stopped");
    code
}
