//! The ceiling of any gateway on this machine, for `scripts/bench` (docs/benchmarks.md,
//! "The gateway's ceiling"): an HTTP server with the gateway's stack (tokio, axum on hyper's
//! HTTP/1, a deadpool-postgres pool) that does the least a gateway can do per request:
//! `GET /q/{id}` runs one statement, prepared once per connection, and answers its one value.
//! No decision, no transaction, no reset, no log, no security at all: it is a measuring stick,
//! never a server to deploy, and it listens on loopback only.
//!
//! `ceiling <postgres URL> <port> <pool size> <SQL with one int4 parameter $1>`

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::sync::Arc;

struct Ceiling {
    pool: Pool,
    sql: String,
}

async fn one_statement(
    State(st): State<Arc<Ceiling>>,
    Path(id): Path<i32>,
) -> Result<String, StatusCode> {
    let fail = |_| StatusCode::INTERNAL_SERVER_ERROR;
    let client = st
        .pool
        .get()
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let stmt = client.prepare_cached(&st.sql).await.map_err(fail)?;
    let row = client.query_one(&stmt, &[&id]).await.map_err(fail)?;
    row.try_get::<_, String>(0).map_err(fail)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, port, size, sql] = args.as_slice() else {
        return Err("usage: ceiling <postgres URL> <port> <pool size> <SQL with $1 int4>".into());
    };
    let config: tokio_postgres::Config = url.parse()?;
    let manager = Manager::from_config(
        config,
        tokio_postgres::NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let pool = Pool::builder(manager).max_size(size.parse()?).build()?;
    let state = Arc::new(Ceiling {
        pool,
        sql: sql.clone(),
    });
    let app = Router::new()
        .route("/q/{id}", get(one_statement))
        .with_state(state);
    let listen: std::net::SocketAddr = ([127, 0, 0, 1], port.parse()?).into();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async move {
            let listener = tokio::net::TcpListener::bind(listen).await?;
            axum::serve(listener, app).await
        })?;
    Ok(())
}
