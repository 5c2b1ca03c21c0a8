//! What the PostgREST pre-request needs to bind its decision to the token PostgREST verified
//! (docs/postgrest.md, "What the pre-request checks"): the jti of a live pg_ords JWT and the
//! Postgres role that token maps to now.
use ords_core::http::{self, Credentials};
use pgrx::prelude::*;
use pgrx::spi::SpiResult;

use crate::catalog::as_owner;
use crate::errors::spi_failed;

/// (jti, client_id, schema alias, role now) of a live JWT.
type Binding = (String, String, String, String);

fn binding(authorization: &str) -> Option<Binding> {
    let Ok(Credentials::Bearer(token)) = http::parse_authorization(Some(authorization)) else {
        return None;
    };
    if !ords_core::jwt::looks_like_jwt(&token) {
        return None;
    }
    let claims = crate::jwt_keys::verify_claims(&token)?;
    let sub = claims.get("sub")?.as_str()?.to_string();
    let jti = claims.get("jti")?.as_str()?.to_string();
    let key = crate::jwt_keys::session_key(&jti);
    // The role a token of this client would carry if issued now: the client's, else the
    // schema's, else the schema role; only a role the schema may name now (never a superuser,
    // never a role that is gone).
    let r: SpiResult<Option<(String, String, String)>> = as_owner(|| {
        // The latest snapshot, whatever the caller's isolation level (docs/security.md).
        crate::catalog::with_fresh_snapshot(|| {
            Spi::connect(|c| {
                let t = c.select(
                    &format!("SELECT c.client_id, s.pattern, r.rolname::text
                       FROM ords_metadata.oauth_sessions t
                       JOIN ords_metadata.oauth_clients c ON c.id = t.client_id
                       JOIN ords_metadata.ords_schemas s ON s.id = c.schema_id
                       JOIN pg_catalog.pg_roles r ON r.rolname = coalesce(c.jwt_role, s.jwt_role, s.parsing_schema)
                      WHERE t.token_hash = $1 AND t.expires_on > pg_catalog.clock_timestamp()
                        AND s.status = 'ENABLED' AND c.client_id = $2 AND {usable}",
                        usable = crate::catalog::jwt_role_usable_sql("s.parsing_schema", "r.rolname")),
                    Some(1),
                    &[key.as_slice().into(), sub.as_str().into()],
                )?;
                let mut out = None;
                for row in t {
                    if let (Some(a), Some(b), Some(c2)) = (row.get(1)?, row.get(2)?, row.get(3)?) {
                        out = Some((a, b, c2));
                    }
                }
                Ok(out)
            })
        })
    });
    let (client_id, alias, role) =
        r.unwrap_or_else(|e| spi_failed("read the token's session", e))?;
    Some((jti, client_id, alias, role))
}

#[pg_schema]
pub mod ords {
    use super::*;

    /// For ords.postgrest_pre_request: a live pg_ords JWT (a raw token or a whole
    /// `Bearer …` header value), verified (signature, kid, alg, exp, session), as its jti,
    /// client_id, schema alias and the Postgres role it maps to now. No row for anything else.
    /// Read-only: works in read-only transactions and on hot standbys. SECURITY DEFINER so
    /// that its SET log_min_error_statement = panic (sql/postgrest.sql) applies for any caller.
    #[pg_extern(stable, security_definer)]
    #[search_path(pg_catalog, pg_temp)]
    pub fn postgrest_token_binding(
        p_token: Option<&str>,
    ) -> TableIterator<
        'static,
        (
            name!(jti, String),
            name!(client_id, String),
            name!(schema_alias, String),
            name!(jwt_role, String),
        ),
    > {
        match p_token
            .filter(|t| t.len() <= http::MAX_HEADER_LEN)
            .and_then(binding)
        {
            Some(b) => TableIterator::once(b),
            None => TableIterator::new(Vec::new()),
        }
    }
}
