//! pg-ords-gateway: a thin HTTP layer in front of PostgreSQL + pg_ords.
//!
//! * `POST /ords/<alias>/oauth/token` → `oauth.token_endpoint(...)`, answered unchanged;
//! * any other `/ords/<alias>/<path>` → `ords.authorize(...)`, then the module handler stored
//!   with `ords.define_*`, or the alias's upstream, or 404;
//! * `/health` (liveness) and `/health/ready` (database reachable).
mod app;
mod binds;
mod cache;
mod config;
mod proxy;
mod routes;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use clap::Parser;
use config::{Config, LogFormat};
use deadpool_postgres::{
    Hook, HookError, Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime,
};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing_subscriber::EnvFilter;

fn init_logging(cfg: &Config) {
    let mut filter = EnvFilter::try_new(&cfg.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    // The driver's debug logs contain bind parameters (tokens, client secrets): never on.
    for d in [
        "tokio_postgres=warn",
        "postgres_protocol=warn",
        "deadpool=info",
        "hyper=info",
        "hyper_util=info",
    ] {
        filter = filter.add_directive(d.parse().expect("static directive"));
    }
    // Colours only on a terminal, never into files; control characters in logged values are
    // escaped where they are logged (app::clean).
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    match cfg.log_format {
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .with_ansi(false)
            .with_env_filter(filter)
            .with_target(false)
            .init(),
        LogFormat::Compact => tracing_subscriber::fmt()
            .compact()
            .with_ansi(ansi)
            .with_env_filter(filter)
            .with_target(false)
            .init(),
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

/// The login role of a connection string (its user), None when it names none or is invalid.
fn login_of(url: &str) -> Option<String> {
    tokio_postgres::Config::from_str(url)
        .ok()?
        .get_user()
        .map(str::to_string)
}

/// A pool for `url`. `statement_timeout_ms`: set for every session of the pool at connection
/// (the startup packet's options), so it is also what `RESET ALL` restores: handler
/// connections need no `SET LOCAL statement_timeout` per request (docs/gateway.md).
fn build_pool(
    cfg: &Config,
    url: &str,
    app_name: &str,
    hook: Option<Hook>,
    statement_timeout_ms: Option<u64>,
) -> Result<Pool, String> {
    let mut pg = tokio_postgres::Config::from_str(url).map_err(|_| {
        format!("the connection string of {app_name} is not a valid connection string or URL")
    })?;
    if pg.get_application_name().is_none() {
        pg.application_name(app_name);
    }
    if let Some(ms) = statement_timeout_ms {
        let options = match pg.get_options() {
            Some(o) if !o.trim().is_empty() => format!("{o} -c statement_timeout={ms}"),
            _ => format!("-c statement_timeout={ms}"),
        };
        pg.options(&options);
    }
    pg.connect_timeout(Duration::from_millis(cfg.connect_timeout_ms));
    let mgr = Manager::from_config(
        pg,
        tokio_postgres::NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let mut b = Pool::builder(mgr)
        .max_size(cfg.pool_size.max(1))
        .wait_timeout(Some(Duration::from_millis(cfg.pool_wait_timeout_ms)))
        .create_timeout(Some(Duration::from_millis(cfg.connect_timeout_ms)))
        .recycle_timeout(Some(Duration::from_millis(cfg.connect_timeout_ms)))
        .runtime(Runtime::Tokio1);
    if let Some(h) = hook {
        b = b.post_create(h);
    }
    b.build()
        .map_err(|e| format!("cannot build the connection pool: {e}"))
}

/// Every new decision connection: its login role must be able to become no tenant
/// (ords.gateway_check_login), or the connection is refused.
fn decision_hook() -> Hook {
    Hook::async_fn(|client, _| {
        Box::pin(async move {
            let row = client
                .query_one(
                    "SELECT ords.gateway_check_login(session_user::text, NULL)",
                    &[],
                )
                .await
                .map_err(HookError::Backend)?;
            match row.get::<_, Option<String>>(0) {
                None => Ok(()),
                Some(problem) => Err(HookError::message(format!(
                    "unsafe --database-url login: {problem}; the decision role must be a member of no tenant role (docs/gateway.md)"
                ))),
            }
        })
    })
}

/// Every new handler connection of `alias`: its login role must be able to become that
/// alias's schema role and no other tenant, checked through the decision pool.
fn handler_hook(decision: Pool, alias: String) -> Hook {
    Hook::async_fn(move |client, _| {
        let decision = decision.clone();
        let alias = alias.clone();
        Box::pin(async move {
            let login: String = client
                .query_one("SELECT session_user::text", &[])
                .await
                .map_err(HookError::Backend)?
                .get(0);
            let d = decision.get().await.map_err(|_| {
                HookError::message("no decision connection to check a new handler connection with")
            })?;
            let row = d
                .query_one(
                    "SELECT ords.gateway_check_login($1::text, $2::text)",
                    &[&login, &alias],
                )
                .await
                .map_err(HookError::Backend)?;
            match row.get::<_, Option<String>>(0) {
                None => Ok(()),
                Some(problem) => Err(HookError::message(format!(
                    "unsafe --handler-database-url login for alias {alias}: {problem} (docs/gateway.md)"
                ))),
            }
        })
    })
}

/// Opens one connection of a pool at startup. Ok(false): unreachable (the gateway starts and
/// answers 503 meanwhile). Err: the configuration is unsafe or the grants are missing (exit 2).
async fn startup_check(pool: &Pool, what: &str) -> Result<bool, String> {
    match pool.get().await {
        Ok(_) => Ok(true),
        Err(PoolError::PostCreateHook(HookError::Message(m))) => Err(m.into_owned()),
        Err(PoolError::PostCreateHook(HookError::Backend(e))) => {
            let st = e.code().map(|c| c.code()).unwrap_or("");
            if st == "42501" || st == "42883" || st == "3F000" {
                Err(format!(
                    "{what}: the gateway's role cannot call the pg_ords gateway functions (SQLSTATE {st}): \
                     GRANT EXECUTE ON FUNCTION ords.gateway_handlers(text, text), ords.gateway_aliases(), \
                     ords.gateway_check_login(text, text) TO <the --database-url role> (pg_ords 0.3.0 or later)"
                ))
            } else {
                tracing::warn!(
                    sqlstate = st,
                    "{what}: database not reachable at startup; requests will get 503 until it is"
                );
                Ok(false)
            }
        }
        Err(_) => {
            tracing::warn!(
                "{what}: database not reachable at startup; requests will get 503 until it is"
            );
            Ok(false)
        }
    }
}

fn main() {
    let started = Instant::now();
    let cfg = Config::parse();
    init_logging(&cfg);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
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
    let handler_urls = match cfg.handler_map() {
        Ok(v) => v,
        Err(e) => {
            tracing::error!("{e}");
            return 2;
        }
    };
    let pool = match build_pool(
        &cfg,
        &cfg.database_url,
        "pg-ords-gateway",
        Some(decision_hook()),
        None,
    ) {
        Ok(p) => p,
        Err(e) => {
            tracing::error!("{e}");
            return 2;
        }
    };
    if let Err(e) = startup_check(&pool, "--database-url").await {
        tracing::error!("{e}");
        return 2;
    }
    let mut handler_pools = HashMap::new();
    let mut handler_logins = HashMap::new();
    for (alias, url) in handler_urls {
        let hook = handler_hook(pool.clone(), alias.clone());
        let p = match build_pool(
            &cfg,
            &url,
            &format!("pg-ords-gateway/{alias}"),
            Some(hook),
            Some(cfg.statement_timeout_ms),
        ) {
            Ok(p) => p,
            Err(e) => {
                tracing::error!("--handler-database-url for {alias}: {e}");
                return 2;
            }
        };
        if let Err(e) = startup_check(&p, &format!("--handler-database-url for {alias}")).await {
            tracing::error!("{e}");
            return 2;
        }
        if let Some(login) = login_of(&url) {
            handler_logins.insert(alias.clone(), login);
        }
        handler_pools.insert(alias, p);
    }

    let http = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .build_http();
    let state = Arc::new(app::AppState {
        cfg: cfg.clone(),
        pool: pool.clone(),
        handler_pools,
        handler_logins,
        upstreams,
        http,
        aliases: app::AliasCache::default(),
        routes: Default::default(),
        prepared: Default::default(),
        gate_available: std::sync::atomic::AtomicBool::new(true),
    });

    let app = Router::new()
        .route("/health", get(app::health))
        .route("/health/ready", get(app::ready))
        .fallback(app::ords_entry)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            app::header_limit,
        ))
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
        handler_pools = state.handler_pools.len(),
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
    for p in state.handler_pools.values() {
        p.close();
    }
    tracing::info!("stopped");
    code
}
