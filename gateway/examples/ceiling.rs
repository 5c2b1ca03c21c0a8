//! The ceiling of any gateway on this machine, for `scripts/bench` (docs/benchmarks.md,
//! "The gateway's ceiling"): an HTTP server with the gateway's stack (tokio, axum on hyper's
//! HTTP/1, a deadpool-postgres pool) that does the least a gateway can do per request:
//! `GET /q/{id}` runs one statement, prepared once per connection, and answers its one value.
//! No decision, no transaction, no reset, no log, no security at all: it is a measuring stick,
//! never a server to deploy, and it listens on loopback only.
//!
//! `ceiling <postgres URL> <port> <pool size> <SQL with one int4 parameter $1>`
//!
//! To see what each part of a gateway request costs, `GET /q/{id}?with=PARTS` adds, pipelined
//! in one write as the gateway sends them (docs/gateway.md, "One round trip"), any of: `tx`
//! (`BEGIN READ ONLY` before, `COMMIT` after), `decide` (`ords.authorize` of the request's
//! `Authorization` header on `/p500/items/1` of alias `bench`, before the statement; the
//! outcome is not looked at), `reset` (`SELECT ords.gateway_reset(n)` after, as a simple
//! query); e.g. `?with=tx,decide,reset`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::routing::get;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::sync::Arc;

struct Ceiling {
    pool: Pool,
    sql: String,
}

const DECIDE_SQL: &str =
    "SELECT outcome::text FROM ords.authorize($1, 'GET', '/p500/items/1', 'bench')";

async fn one_statement(
    State(st): State<Arc<Ceiling>>,
    Path(id): Path<i32>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<String, StatusCode> {
    let fail = |_| StatusCode::INTERNAL_SERVER_ERROR;
    let with = uri
        .query()
        .and_then(|q| q.strip_prefix("with="))
        .unwrap_or_default();
    let part = |p: &str| with.split(',').any(|w| w == p);
    let client = st
        .pool
        .get()
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let stmt = client.prepare_cached(&st.sql).await.map_err(fail)?;
    if with.is_empty() {
        let row = client.query_one(&stmt, &[&id]).await.map_err(fail)?;
        return row.try_get::<_, String>(0).map_err(fail);
    }
    let decide = client.prepare_cached(DECIDE_SQL).await.map_err(fail)?;
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let reset = format!(
        "SELECT ords.gateway_reset({})",
        client.statement_cache.size()
    );
    let id_param: [&(dyn tokio_postgres::types::ToSql + Sync); 1] = [&id];
    let (begun, decided, row, ended, reset) = tokio::join!(
        async {
            match part("tx") {
                true => client.batch_execute("BEGIN READ ONLY").await,
                false => Ok(()),
            }
        },
        async {
            match part("decide") {
                true => client.query(&decide, &[&authorization]).await.map(drop),
                false => Ok(()),
            }
        },
        client.query_one(&stmt, &id_param),
        async {
            match part("tx") {
                true => client.batch_execute("COMMIT").await,
                false => Ok(()),
            }
        },
        async {
            match part("reset") {
                true => client.simple_query(&reset).await.map(drop),
                false => Ok(()),
            }
        },
    );
    begun.and(decided).and(ended).and(reset).map_err(fail)?;
    row.map_err(fail)?.try_get::<_, String>(0).map_err(fail)
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
